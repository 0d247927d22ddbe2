"""Review and submit: the review page, changing one field from it (/edit), submitting and
discarding, each with its confirmation.

Submitting needs the review first, so that nothing is sent unseen; the shell does the actual
submission (quota, duplicates, files) when the confirmation comes back as :class:`SubmitDraft`.
"""

from __future__ import annotations

from . import overlimit, render
from .events import Command
from .form import FORM_STEPS, label
from .models import Step
from .navigation import fixed_unit, prompt
from .numbers import read_number
from .outcome import Context, Outcome, SubmitDraft, changed, confirm
from .session import Fill, Pending
from .wording import t


def cmd_edit(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    if cmd.arg:
        typed = typed_edit(cmd.arg)
        if typed is None:
            out.say(t("dialog.edit.unknown", item=cmd.arg.strip()[:20], count=len(FORM_STEPS)))
            return
        start_edit(out, typed, ctx)
        return
    changed(out)
    s.pending = Pending.CHOOSE_EDIT
    s.choices = render.edit_choices()
    out.say(t("dialog.edit.choose"), s.choices, per_row=2)


def typed_edit(arg: str) -> Step | None:
    """/edit 7, /edit 联系方式, /edit 主要做法 (a part without its number), /edit phone."""
    text = arg.strip()
    number = read_number(text, maximum=len(FORM_STEPS))
    if number is not None:
        return FORM_STEPS[number - 1]
    for step in FORM_STEPS:
        if text in (label(step), label(step)[2:], step.value):
            return step
    return None


def edit_step(arg: str) -> Step | None:
    """The step an ``edit:<step>`` button names, or None for a button this version never drew."""
    return next((step for step in FORM_STEPS if step.value == arg), None)


def start_edit(out: Outcome, step: Step, ctx: Context) -> None:
    s = changed(out)
    draft = s.draft
    assert draft is not None
    s.pending, s.choices = Pending.NONE, []
    if step is Step.UNIT and fixed_unit(s, ctx):
        out.say(t("dialog.edit.unit_fixed"))
        prompt(out, ctx)
        return
    draft.editing = True
    draft.step, draft.fill = step, Fill.ASK
    prompt(out, ctx)


def cmd_review(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = changed(out)
    assert s.draft is not None
    s.draft.editing = False
    s.draft.step, s.draft.fill = Step.REVIEW, Fill.ASK
    prompt(out, ctx)


def cmd_submit(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    draft = s.draft
    assert draft is not None
    if draft.step is not Step.REVIEW:
        out.say(t("dialog.submit.review_first"))
        return
    absent = render.missing(draft.form)
    if absent:
        out.say(t("dialog.submit.missing", fields=t("dialog.sep.list").join(label(x) for x in absent)))
        return
    over = overlimit.all_over(draft.form, ctx.campaign)
    if over:  # kept as sent, but the notice's limits hold for what is submitted
        out.say(t("dialog.submit.over", lines=t("dialog.sep.items").join(o.line() for o in over)))
        return
    changed(out)
    s.pending = Pending.CONFIRM_SUBMIT
    confirm(
        out,
        t("dialog.submit.confirm", name=draft.form.name or ""),
        "submit",
        t("dialog.button.submit_yes"),
        t("dialog.button.submit_no"),
    )


def cmd_cancel(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = changed(out)
    assert s.draft is not None
    s.pending = Pending.CONFIRM_CANCEL
    name = s.draft.form.name or t("dialog.unnamed_draft")
    confirm(
        out,
        t("dialog.cancel.confirm", name=name),
        "cancel",
        t("dialog.button.cancel_yes"),
        t("dialog.button.cancel_no"),
    )


_EXPECTED = {
    "submit": Pending.CONFIRM_SUBMIT,
    "near": Pending.CONFIRM_NEAR_DUPLICATE,
    "cancel": Pending.CONFIRM_CANCEL,
}


def on_confirm(out: Outcome, what: str, yes: bool, ctx: Context) -> None:
    """The answer to a confirmation; one that no longer matches the open question is refused."""
    s = changed(out)
    if s.pending is not _EXPECTED.get(what):
        s.pending = Pending.NONE
        out.say(t("dialog.stale_confirm"))
        return
    s.pending, s.choices = Pending.NONE, []
    if what == "cancel":
        if yes:
            s.draft = None
            out.say(t("dialog.cancel.done"))
        else:
            out.say(t("dialog.cancel.kept"))
            prompt(out, ctx)
        return
    if not yes:
        out.say(t("dialog.submit.held"))
        prompt(out, ctx)
        return
    if not ctx.is_open:
        out.say(ctx.closed)
        return
    assert s.draft is not None
    out.actions.append(SubmitDraft(draft=s.draft.model_copy(deep=True), accept_near=what == "near"))
