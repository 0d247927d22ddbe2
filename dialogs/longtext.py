"""The long fields (案例简介 and the four parts) and the one rule for what a text does to them.

An empty field takes the text. While a field is being filled, each further text is a new paragraph
after the others. Coming back to a field that has content, the submitter first chooses 继续补充
or 重新填写; a text sent before choosing is held, the choice asked for it, and then applied as
chosen. A message holding the whole 案例内容 is split at its headings, but only after the
submitter has seen the parts and confirmed. Every change is one undo level.
"""

from __future__ import annotations

from . import headings, hints, overlimit, render, validators
from .editing import remember
from .errors import FieldError
from .form import is_part, label
from .models import PARTS, Step
from .outcome import Context, Outcome, changed
from .session import Draft, Fill, Pending
from .wordcount import count_zi
from .wording import t

SPLIT_TARGETS = (Step.SUMMARY, *PARTS)


def fill_buttons() -> list[tuple[str, str]]:
    return [(t("dialog.button.append"), "fill:append:0"), (t("dialog.button.replace"), "fill:replace:0")]


def next_buttons(draft: Draft) -> list[tuple[str, str]]:
    """/next is named for where it goes: 下一项, or 返回核对 while a field is edited from the review."""
    going_back = next_words(draft) == t("dialog.long.next_review")
    return [
        (t("dialog.button.back_to_review") if going_back else t("dialog.button.next"), "cmd:next:0"),
        (t("dialog.button.clear"), "cmd:clear:0"),
    ]


def next_words(draft: Draft) -> str:
    """Where /next goes from here, in words: the next field, or back to the review after /edit."""
    if draft.fields_to_revise:
        rest = [f for f in draft.fields_to_revise if f is not draft.step]
        return t("dialog.long.next_revise") if rest else t("dialog.long.next_review")
    return t("dialog.long.next_review") if draft.editing else t("dialog.long.next_forward")


def fill_lines(draft: Draft, ctx: Context) -> tuple[str, bool]:
    """What the prompt of a long field says the next text will do, and whether it asks first."""
    value = str(draft.form.value(draft.step) or "")
    name = label(draft.step)
    if not value:
        return t("dialog.long.empty", next=next_words(draft)), False
    if draft.fill is Fill.APPEND:
        return t("dialog.long.go_on", next=next_words(draft)), False
    if draft.fill is Fill.REPLACE:
        return t("dialog.long.replace_next", label=name, count=count_zi(value)), False
    has = t("dialog.long.has", label=name, opening=render.opening(value))
    return has + "\n" + t("dialog.long.choose", next=next_words(draft)), True


def _checked(step: Step, value: str, ctx: Context) -> str:
    """The text as it would be stored in ``step``, or FieldError (its character cap, emoji …); a text over
    its 字 limit is stored and marked (:mod:`dialogs.overlimit`), never refused."""
    limits = ctx.campaign.limits
    return validators.long_field(
        value, label=label(step), chars=limits.content_chars if is_part(step) else limits.summary_chars
    )


def hint_note(removed: list[str]) -> str:
    """What the reply says of the form's own notes taken off a paste ('' when there were none)."""
    if not removed:
        return ""
    return t("dialog.long.hints_removed", hints="".join(t("dialog.split.quoted", name=h) for h in removed))


def on_long(out: Outcome, text: str, ctx: Context) -> None:
    """A text at a long field; FieldError (nothing changed) when it passes a character cap."""
    draft = out.session.draft
    assert draft is not None
    step = draft.step
    # no message may be longer than a whole 案例内容 pasted at once: refused before any question about it
    validators.check_chars(text, label(step), ctx.campaign.limits.content_chars)
    text, removed_hints = hints.strip(text)
    note = hint_note(removed_hints)
    if not text.strip() and removed_hints:
        out.say(t("dialog.long.only_hints", hints="".join(t("dialog.split.quoted", name=h) for h in removed_hints)))
        return
    whole = headings.split(text)
    if whole is not None:
        propose_split(out, text, ctx, note)
        return
    own = PARTS.index(step) if is_part(step) else headings.SUMMARY
    first = headings.leading(text)
    found = [h for h in headings.find(text) if h.part != headings.SUMMARY or own == headings.SUMMARY]
    if any(h != first or h.part != own for h in found):  # headings besides its own: ask, never guess
        _ask_unsplit(out, text, found)
        return
    text, removed = headings.strip_own(text, own)
    if removed:
        note = "\n".join(n for n in (note, t("dialog.long.heading_removed", heading=removed)) if n)
    current = str(draft.form.value(step) or "")
    if current and draft.fill is Fill.ASK:
        hold(out, text, note)
        return
    apply(out, text, draft.fill if current else Fill.APPEND, ctx, note)


def apply(out: Outcome, text: str, mode: Fill, ctx: Context, note: str = "") -> None:
    """Store ``text`` in the current field as ``mode`` says, as one undo level, and say what happened."""
    draft = out.session.draft
    assert draft is not None
    step = draft.step
    current = str(draft.form.value(step) or "")
    appending = bool(current) and mode is not Fill.REPLACE
    value = _checked(step, f"{current}\n{text}" if appending else text, ctx)
    changed(out)
    remember(draft, [step])
    setattr(draft.form, step.value, value)
    draft.fill = Fill.APPEND
    out.session.pending, out.session.choices, out.session.held = Pending.NONE, [], ""
    count = render.count_line(step, draft.form, ctx.campaign)
    if appending:
        said = t("dialog.long.appended", label=label(step), count=count)
    elif current:
        said = t("dialog.long.replaced", label=label(step), count=count)
    else:
        said = t("dialog.long.recorded", label=label(step), count=count)
    lines = [said, overlimit.kept(step, draft.form, ctx.campaign), note, t("dialog.long.go_on", next=next_words(draft))]
    out.say("\n".join(line for line in lines if line), next_buttons(draft), per_row=2)


def hold(out: Outcome, text: str, note: str = "") -> None:
    """Keep a text sent while the field's content is not yet settled, and ask what to do with it."""
    s = changed(out)
    draft = s.draft
    assert draft is not None
    if not note:  # a second text before choosing comes here straight: the form's notes go all the same
        text, removed = hints.strip(text)
        note = hint_note(removed)
    s.held = f"{s.held}\n{text}" if s.held else text
    s.pending, s.choices = Pending.CHOOSE_FILL, fill_buttons()
    value = str(draft.form.value(draft.step) or "")
    held = t("dialog.long.held", count=count_zi(s.held), label=label(draft.step), opening=render.opening(value))
    out.say("\n".join(line for line in (note, held) if line), s.choices, per_row=2)


def on_fill_choice(out: Outcome, mode: Fill, ctx: Context) -> None:
    """继续补充 or 重新填写: applied to the held text, or to the next text when none is held."""
    s = changed(out)
    draft = s.draft
    assert draft is not None
    held, s.held = s.held, ""
    s.pending, s.choices = Pending.NONE, []
    draft.fill = mode
    if held:
        apply(out, held, mode, ctx)
        return
    value = str(draft.form.value(draft.step) or "")
    if mode is Fill.APPEND:
        out.say(t("dialog.long.send_append", label=label(draft.step)), next_buttons(draft), per_row=2)
    else:
        out.say(t("dialog.long.replace_next", label=label(draft.step), count=count_zi(value)))


def _ask_unsplit(out: Outcome, text: str, found: list[headings.Heading]) -> None:
    s = changed(out)
    draft = s.draft
    assert draft is not None
    parts = {h.part for h in found}
    names = "".join(t("dialog.split.quoted", name=headings.part_name(p)) for p in range(4) if p in parts)
    absent = "".join(t("dialog.split.quoted", name=headings.part_name(p)) for p in range(4) if p not in parts)
    s.held = text
    s.pending = Pending.CONFIRM_UNSPLIT
    s.choices = [(t("dialog.button.whole_here"), "unsplit:keep:0"), (t("dialog.button.drop"), "unsplit:drop:0")]
    question = t("dialog.split.partial", found=names, missing=absent, label=label(draft.step))
    out.say(question, s.choices, per_row=2)


def propose_split(out: Outcome, text: str, ctx: Context, note: str = "") -> None:
    """Show which heading goes to which part, with the 字数, and ask before filling; headings out of the
    form's order are said to be so, and each text still goes to the part its heading names."""
    s = out.session
    draft = s.draft
    assert draft is not None
    whole = headings.split(text)
    assert whole is not None
    values = _split_values(whole)
    limits = ctx.campaign.limits
    lines = [note] if note else []
    if whole.in_order:
        lines.append(t("dialog.split.found"))
    else:
        order = "".join(t("dialog.split.quoted", name=h.text) for h in whole.headings if h.part >= 0)
        lines.append(t("dialog.split.unordered", order=order))
    if whole.summary is not None:
        lines.append(t("dialog.split.summary", count=count_zi(whole.summary), limit=limits.summary_zi))
    for part, (step, value) in enumerate(zip(PARTS, whole.parts, strict=True)):
        lines.append(
            t("dialog.split.part", label=label(step), heading=whole.heading_of(part).text, count=count_zi(value))
        )
    trial = draft.form.model_copy(update={step.value: value for step, value in values.items()})
    lines.append(t("dialog.split.total", count=render.content_count(trial), limit=limits.content_zi))
    for over in overlimit.all_over(trial, ctx.campaign):
        lines.append(t("dialog.split.over", line=over.line()))
    occupied = [step for step in values if draft.form.value(step)]
    lead = bool(whole.lead) and whole.summary is None and not occupied
    if whole.lead:
        key = "dialog.split.lead_choice" if lead else "dialog.split.lead"
        lines.append(t(key, opening=render.opening(whole.lead)))
    changed(out)
    s.held, s.pending = text, Pending.CONFIRM_SPLIT
    fill = t("dialog.button.split_by_heading") if not whole.in_order else t("dialog.button.split_fill")
    if occupied:
        names = t("dialog.sep.list").join(label(step) for step in occupied)
        lines.append(t("dialog.split.occupied", fields=names))
        s.choices = [
            (t("dialog.button.split_replace"), "split:replace:0"),
            (t("dialog.button.split_append"), "split:append:0"),
            (t("dialog.button.split_cancel"), "split:cancel:0"),
        ]
    elif lead:
        s.choices = [
            (t("dialog.button.split_with_lead"), "split:lead:0"),
            (t("dialog.button.split_without_lead"), "split:replace:0"),
            (t("dialog.button.split_cancel"), "split:cancel:0"),
        ]
    else:
        lines.append(t("dialog.split.confirm"))
        s.choices = [(fill, "split:replace:0"), (t("dialog.button.split_cancel"), "split:cancel:0")]
    out.say("\n".join(lines), s.choices, per_row=len(s.choices) if len(s.choices) < 3 else 1)


def _split_values(whole: headings.Split, lead: bool = False) -> dict[Step, str]:
    values = dict(zip(PARTS, whole.parts, strict=True))
    if whole.summary is not None:
        return {Step.SUMMARY: whole.summary, **values}
    if lead and whole.lead:
        return {Step.SUMMARY: whole.lead, **values}
    return values


def on_split_choice(out: Outcome, choice: str, ctx: Context) -> bool:
    """Fill the parts as confirmed; True when they were filled (the caller then moves on). A part over
    the limit goes in all the same, marked (:mod:`dialogs.overlimit`)."""
    s = changed(out)
    draft = s.draft
    assert draft is not None
    whole = headings.split(s.held) if s.held else None
    if choice == "cancel" or whole is None:
        s.held, s.pending, s.choices = "", Pending.NONE, []
        out.say(t("dialog.split.cancelled"))
        return False
    values = _split_values(whole, lead=choice == "lead")
    form = draft.form.model_copy(deep=True)
    for step, value in values.items():
        current = str(form.value(step) or "")
        setattr(form, step.value, f"{current}\n{value}" if current and choice == "append" else value)
    try:
        cleaned = {step: _checked(step, str(form.value(step)), ctx) for step in values}
    except FieldError as error:  # e.g. the opening text too long for the 案例简介: the question stays open
        out.say(str(error), s.choices, per_row=1)
        return False
    s.held, s.pending, s.choices = "", Pending.NONE, []
    remember(draft, values)
    for step, value in cleaned.items():
        setattr(draft.form, step.value, value)
    lines = [t("dialog.split.filled", count=render.content_line(draft.form, ctx.campaign))]
    if Step.SUMMARY in values:
        lines.append(t("dialog.split.summary_filled", count=render.summary_line(draft.form, ctx.campaign)))
    lines += [overlimit.kept(step, draft.form, ctx.campaign) for step in (Step.SUMMARY, PARTS[0]) if step in values]
    out.say("\n".join(line for line in lines if line))
    return True


def on_unsplit_choice(out: Outcome, keep: bool, ctx: Context) -> None:
    s = changed(out)
    held, s.held = s.held, ""
    s.pending, s.choices = Pending.NONE, []
    draft = s.draft
    assert draft is not None
    if not keep or not held:
        out.say(t("dialog.split.dropped"))
        return
    current = str(draft.form.value(draft.step) or "")
    if current and draft.fill is Fill.ASK:
        hold(out, held)
        return
    apply(out, held, draft.fill if current else Fill.APPEND, ctx)
