"""A case already written in Word: the fields a .docx holds, each checked as a typed answer, shown
with its 字数, and stored only when the submitter confirms.

Offices usually have the text in a document already, often last year's filled 推荐表. The shell reads
the file (:mod:`bot.reading.word_form`) and hands over what it found (:class:`dialogs.wordfile.FormRead`);
this module decides what the dialog makes of it. A field that fails its check is named with the reason and left out; the rest wait in the
session (``Session.imported``) until the submitter says yes, so a wrong file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import overlimit, render, validators
from .campaign import Campaign
from .errors import FieldError
from .form import FIELDS, FORM_STEPS, Kind, label, limit_of
from .models import PARTS, CaseForm, Step
from .navigation import fixed_unit, goto, prompt
from .outcome import Context, Outcome, changed, confirm
from .session import Pending, Session
from .wordcount import count_zi
from .wordfile import (
    MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_MERGE,
    MAX_ROWS,
    FormRead,
    Refusal,
    Refused,
    check_name,
)
from .wording import t

__all__ = ["check_field", "offer", "on_form_read", "on_import_confirm", "paste_instead", "refusal_text"]

PREVIEW = 30  # characters of a long field shown in the summary

_REFUSALS = {
    Refusal.TOO_BIG: "importing.refused.too_big",
    Refusal.OLD_WORD: "importing.refused.old_word",
    Refusal.PDF: "importing.refused.pdf",
    Refusal.MACRO: "importing.refused.macro",
    Refusal.BOMB: "importing.refused.bomb",
    Refusal.BROKEN: "importing.refused.broken",
    Refusal.NOT_WORD: "importing.refused.not_word",
    Refusal.TOO_SLOW: "importing.refused.too_slow",
    Refusal.TOO_MUCH_MEMORY: "importing.refused.too_much_memory",
}
_BEYOND = {  # a structure beyond a limit: what the file claims, and the most allowed
    Refusal.TOO_WIDE: ("importing.refused.too_wide", MAX_COLUMNS),
    Refusal.TOO_MANY_ROWS: ("importing.refused.too_many_rows", MAX_ROWS),
    Refusal.TOO_MANY_CELLS: ("importing.refused.too_many_cells", MAX_CELLS),
    Refusal.MERGE_TOO_DEEP: ("importing.refused.merge_too_deep", MAX_MERGE),
}


def refusal_text(reason: Refusal, found: int = 0) -> str:
    """What to send instead, for a file refused by its kind or by what its tables claim."""
    if reason is Refusal.TOO_BIG:
        return t("importing.refused.too_big", mb=MAX_BYTES // 1024 // 1024)
    if reason in _BEYOND:
        key, most = _BEYOND[reason]
        return t(key, found=found, most=most)
    return t(_REFUSALS[reason])


def refused_by_name(filename: str) -> str | None:
    """The refusal a channel can give from a file's name before downloading it (.doc, .wps, .pdf, .docm)."""
    reason = check_name(filename)
    return refusal_text(reason) if reason is not None else None


def paste_instead() -> str:
    """For a channel that cannot receive files (WeCom applications): the submitter pastes the text."""
    return t("importing.paste_instead")


def check_field(step: Step, raw: str, campaign: Campaign) -> str:
    """A field read from a file, as the typed answer would store it, or FieldError (the Word import, a pasted
    form, and a case the office enters for the 评审 all check it so)."""
    kind = FIELDS[step].kind
    if kind is Kind.CATEGORY:
        return validators.category(raw, campaign.categories)
    if kind is Kind.UNIT:
        return validators.unit(raw, campaign.units)
    if kind is Kind.PERIOD:
        return validators.period(raw, campaign.window)
    if kind is Kind.PHONE:
        return validators.phone(raw)
    if kind is Kind.LONG:  # over its 字 limit it is kept and marked, as a pasted text is (dialogs.overlimit)
        chars = campaign.limits.content_chars if step in PARTS else campaign.limits.summary_chars
        return validators.long_field(raw, label=label(step), chars=chars)
    return validators.short_text(raw, label=label(step), limit=limit_of(step, campaign))


def _preview(step: Step, value: str, ctx: Context) -> str:
    kind = FIELDS[step].kind
    if kind is Kind.LONG:
        flat = " ".join(value.split())
        more = t("importing.more") if len(flat) > PREVIEW else ""
        return t("importing.long", value=flat[:PREVIEW] + more, count=count_zi(value))
    if step is Step.UNIT:
        unit = ctx.campaign.unit(value)
        return unit.name if unit else value
    if step is Step.PERIOD:
        return render.display(step, CaseForm(period=value), ctx.campaign)
    if kind is Kind.SHORT:
        return t("importing.short", value=value, count=count_zi(value))
    return value  # a category or a phone number: its 字数 says nothing


def _checked(fields: dict[Step, str], s: Session, ctx: Context) -> tuple[dict[Step, str], list[str]]:
    """The fields that pass their checks, and a line for each that does not (or is not imported)."""
    assert s.draft is not None
    found = dict(fields)
    notes = []
    if Step.UNIT in found and fixed_unit(s, ctx):
        del found[Step.UNIT]
        notes.append(t("importing.unit_fixed"))
    good: dict[Step, str] = {}
    for step in FORM_STEPS:
        if step not in found:
            continue
        try:
            good[step] = check_field(step, found[step], ctx.campaign)
        except FieldError as error:
            notes.append(t("importing.bad_field", label=label(step), message=str(error)))
    return good, notes


def on_form_read(out: Outcome, event: FormRead, ctx: Context) -> None:
    s = out.session
    if s.draft is None:
        prompt(out, ctx)
        return
    if not ctx.is_open:
        out.say(ctx.closed)
        return
    read = event.read
    if isinstance(read, Refused):
        out.say(refusal_text(read.reason, read.found))
        return
    notes = []
    if read.headings_missing:
        names = t("dialog.sep.list").join(label(p)[2:] for p in read.headings_missing)
        if read.fields.keys().isdisjoint(PARTS):
            notes.append(t("importing.no_split", missing=names))
        else:
            notes.append(t("importing.parts_missing", missing=names))
    if read.left_out:
        notes.append(t("importing.left_out", count=read.left_out))
    if read.pictures > read.linked:
        notes.append(t("importing.pictures", count=read.pictures - read.linked))
    if read.linked:
        notes.append(t("importing.linked_pictures", count=read.linked))
    name = event.filename or t("importing.unnamed_file")
    offer(out, read.fields, notes, lambda count: t("importing.found", name=name, count=count), ctx)


def offer(
    out: Outcome,
    fields: dict[Step, str],
    notes: list[str],
    heading: Callable[[int], str],
    ctx: Context,
    extra: Sequence[tuple[str, str]] = (),
) -> bool:
    """Check ``fields`` as typed answers, show what goes where and ask to confirm (CONFIRM_IMPORT); False
    when nothing passed. ``heading`` opens the reply with the number of fields found; ``extra`` are
    further choices between 导入 and 不导入 (a paste offers one for its unplaced text)."""
    s = out.session
    assert s.draft is not None
    good, checks = _checked(fields, s, ctx)
    notes = [*checks, *notes]
    if not good:
        out.say("\n".join([t("importing.nothing"), *notes]))
        return False
    changed(out)
    s.imported = {step.value: value for step, value in good.items()}
    lines = [heading(len(good))]
    lines += [t("importing.line", label=label(step), value=_preview(step, value, ctx)) for step, value in good.items()]
    trial = s.draft.form.model_copy(update={step.value: value for step, value in good.items()})
    if any(step in PARTS for step in good):
        lines.append(render.content_line(trial, ctx.campaign))
    lines += [t("importing.over", line=o.line()) for o in overlimit.all_over(trial, ctx.campaign)]
    lines += notes
    replaced = [label(step) for step in good if s.draft.form.value(step)]
    if replaced:
        lines.append(t("importing.replaces", fields=t("dialog.sep.list").join(replaced)))
    lines.append(t("importing.question"))
    s.pending = Pending.CONFIRM_IMPORT
    if not extra:
        confirm(out, "\n".join(lines), "import", t("importing.button.yes"), t("importing.button.no"))
        return True
    s.choices = [(t("importing.button.yes"), "yes:import:0"), *extra, (t("importing.button.no"), "no:import:0")]
    out.say("\n".join(lines), s.choices)
    return True


def on_import_confirm(out: Outcome, yes: bool, ctx: Context) -> None:
    """Yes: the waiting fields go into the draft and the dialog goes on at the first empty field."""
    s = changed(out)
    waiting, s.imported = s.imported, {}
    if s.pending is not Pending.CONFIRM_IMPORT or s.draft is None or not waiting:
        s.pending = Pending.NONE
        out.say(t("dialog.stale_confirm"))
        return
    s.pending, s.choices = Pending.NONE, []
    if not yes:
        out.say(t("importing.declined"))
        prompt(out, ctx)
        return
    if not ctx.is_open:
        out.say(ctx.closed)
        return
    draft = s.draft
    for name, value in waiting.items():
        setattr(draft.form, name, value)
    over = [t("importing.over", line=o.line()) for o in overlimit.all_over(draft.form, ctx.campaign)]
    out.say("\n".join([t("importing.done", count=len(waiting)), *over]))
    empty = render.missing(draft.form)
    if draft.step is not Step.REVIEW:
        goto(s, empty[0] if empty else Step.REVIEW, ctx)
    prompt(out, ctx)
