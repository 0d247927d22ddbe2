"""The texts the dialog shows: prompts, counts, the review and the status list.

Choices are returned as (label, data) pairs without numbers or instructions: a channel with
buttons draws them, one without numbers them, and each says in its own words how to choose.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import overlimit, periods
from .campaign import Campaign
from .events import Button
from .form import FIELDS, FORM_STEPS, Kind, is_part, label, limit_of, position
from .models import PARTS, STEPS, Case, CaseForm, CaseState, Step
from .wordcount import RULE_ZH, count_zi
from .wording import t

PREVIEW_CHARS = 60


def content_count(form: CaseForm) -> int:
    return sum(count_zi(p) for p in form.parts())


def content_line(form: CaseForm, campaign: Campaign) -> str:
    shares = t("dialog.sep.clause").join(
        t("dialog.count.share", part=label(p)[2:], count=count_zi(str(form.value(p) or ""))) for p in PARTS
    )
    line = t("dialog.count.content", count=content_count(form), limit=campaign.limits.content_zi, shares=shares)
    return line + _over_mark(overlimit.content_over(form, campaign))


def _over_mark(over: overlimit.Over | None) -> str:
    return t("dialog.count.over", over=over.by) if over else ""


def summary_line(form: CaseForm, campaign: Campaign) -> str:
    line = t("dialog.count.summary", count=count_zi(form.summary or ""), limit=campaign.limits.summary_zi)
    return line + _over_mark(overlimit.summary_over(form, campaign))


def count_line(step: Step, form: CaseForm, campaign: Campaign) -> str:
    if step is Step.SUMMARY:
        return summary_line(form, campaign)
    return content_line(form, campaign)


def _pictures(form: CaseForm) -> str:
    if not form.pictures:
        return t("dialog.display.no_pictures")
    items = []
    for number, p in enumerate(form.pictures, start=1):
        item = t("dialog.display.picture", number=number, width=p.width, height=p.height)
        if p.caption:
            item += t("dialog.display.caption", caption=p.caption)
        items.append(item)
    return t("dialog.sep.items").join(items)


def display(step: Step, form: CaseForm, campaign: Campaign) -> str:
    """A field's value as the submitter should read it back."""
    if step is Step.PICTURES:
        return _pictures(form)
    value = form.value(step)
    if not value:
        return t("dialog.display.empty")
    if step is Step.UNIT:
        unit = campaign.unit(str(value))
        return unit.name if unit else str(value)
    if step is Step.PERIOD:
        return periods.display(str(value))  # a month, a day or a range, as stored
    text = str(value)
    if FIELDS[step].kind is Kind.LONG:
        return opening(text)
    return text


def opening(text: str) -> str:
    """The first words of a long text on one line, with its 字数, to recognise it by."""
    flat = " ".join(text.split())
    preview = flat if len(flat) <= PREVIEW_CHARS else flat[:PREVIEW_CHARS] + t("dialog.display.more")
    return t("dialog.display.long", preview=preview, count=count_zi(text))


def full(step: Step, form: CaseForm, campaign: Campaign) -> str:
    """A field in full, for /show: a long field with its paragraphs as written, whatever its length."""
    if FIELDS[step].kind is not Kind.LONG:
        return t("dialog.show.short", label=label(step), value=display(step, form, campaign))
    text = str(form.value(step) or "")
    if not text:
        return t("dialog.show.short", label=label(step), value=t("dialog.display.empty"))
    return t("dialog.show.long", label=label(step), count=count_zi(text), text=text)


def missing(form: CaseForm) -> list[Step]:
    return [s for s in FORM_STEPS if FIELDS[s].required and not form.value(s)]


def header(step: Step, deadline_note: str) -> str:
    lines = [t("dialog.header", position=position(step), total=len(STEPS), label=label(step))]
    if deadline_note:
        lines.append(deadline_note)
    return "\n".join(lines)


def _limit_line(step: Step, form: CaseForm, campaign: Campaign) -> str | None:
    limits = campaign.limits
    kind = FIELDS[step].kind
    if step is Step.SUMMARY:
        return t("dialog.prompt.summary", limit=limits.summary_zi, rule=RULE_ZH)
    if is_part(step):
        return t("dialog.prompt.content", limit=limits.content_zi, line=content_line(form, campaign))
    if step is Step.PERIOD:
        return t("dialog.prompt.period", window=campaign.window.zh())
    if step is Step.PICTURES:
        return t("dialog.prompt.pictures", most=limits.pictures_max, have=len(form.pictures))
    if kind is Kind.SHORT:
        return t("dialog.prompt.short", limit=limit_of(step, campaign))
    return None


def prompt(step: Step, form: CaseForm, campaign: Campaign, deadline_note: str) -> str:
    field = FIELDS[step]
    lines = [header(step, deadline_note), field.hint]
    limit = _limit_line(step, form, campaign)
    if limit:
        lines.append(limit)
    if form.value(step) and field.kind not in (Kind.PICTURES, Kind.LONG):
        lines.append(t("dialog.prompt.current", value=display(step, form, campaign)))
    return "\n".join(lines)


def category_buttons(campaign: Campaign) -> list[tuple[str, str]]:
    """Button data end in a turn, filled in when the reply leaves the dialog."""
    return [(c.name, f"cat:{i}:0") for i, c in enumerate(campaign.categories, start=1)]


def unit_buttons(campaign: Campaign) -> list[tuple[str, str]]:
    return [(u.name, f"unit:{u.code}:0") for u in campaign.units]


def category_list(campaign: Campaign) -> str:
    """What each category covers; the choices themselves come as buttons."""
    return "\n".join(t("dialog.prompt.category", name=c.name, description=c.description) for c in campaign.categories)


def review(form: CaseForm, campaign: Campaign, deadline_note: str, notes: Sequence[str] = ()) -> str:
    """The review page; ``notes`` are the 提示 a careful clerk would give before printing (never a refusal)."""
    lines = [header(Step.REVIEW, deadline_note), t("dialog.review.title")]
    for step in FORM_STEPS:
        lines.append(
            t("dialog.review.line", position=position(step), label=label(step), value=display(step, form, campaign))
        )
    lines.append(
        t(
            "dialog.review.counts",
            count=count_zi(form.summary or ""),
            limit=campaign.limits.summary_zi,
            mark=_over_mark(overlimit.summary_over(form, campaign)),
            content=content_line(form, campaign),
        )
    )
    early = periods.window_note(form.period, campaign.window)
    if early:
        lines.append(early)
    over = overlimit.all_over(form, campaign)
    if over:
        lines.append(t("dialog.review.over", lines=t("dialog.sep.items").join(o.line() for o in over)))
    absent = missing(form)
    if absent:
        lines.append(t("dialog.review.missing", fields=t("dialog.sep.list").join(label(s) for s in absent)))
    elif not over:
        lines.append(t("dialog.review.complete"))
    lines += notes
    lines.append(t("dialog.review.proofread", first=position(LONG_STEPS[0]), last=position(LONG_STEPS[-1])))
    return "\n".join(lines)


LONG_STEPS: tuple[Step, ...] = tuple(s for s in FORM_STEPS if FIELDS[s].kind is Kind.LONG)


def show_buttons(form: CaseForm) -> list[tuple[str, str]]:
    """查看全文 for every long field that holds text; the data is the /show command itself."""
    return [(t("dialog.button.show", label=label(s)), f"cmd:show {position(s)}:0") for s in LONG_STEPS if form.value(s)]


def edit_choices() -> list[tuple[str, str]]:
    """The fields in form order, so that the n-th choice is item n of the review."""
    return [(label(s), f"edit:{s.value}:0") for s in FORM_STEPS]


def _status_line(case: Case, campaign: Campaign) -> str:
    unit = campaign.unit(case.unit)
    extra = ""
    if case.rank:
        extra += t("dialog.status.rank", unit=unit.name if unit else case.unit, rank=case.rank)
    if case.state is CaseState.RETURNED:
        if case.return_comment:
            extra += t("dialog.status.comment", comment=case.return_comment)
        extra += t("dialog.status.revise", id=case.id)
    return t("dialog.status.case", id=case.id, name=case.form.name or "", state=case.state.zh, extra=extra)


def status(cases: Sequence[Case], draft_name: str | None, campaign: Campaign) -> str:
    if not cases and draft_name is None:
        return t("dialog.status.none")
    lines = [t("dialog.status.title")]
    if draft_name is not None:
        lines.append(t("dialog.status.draft", name=draft_name or t("dialog.unnamed_draft")))
    lines.extend(_status_line(case, campaign) for case in cases)
    return "\n".join(lines)


def rows(choices: Sequence[tuple[str, str]], per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    buttons = [Button(label=text, data=data) for text, data in choices]
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
