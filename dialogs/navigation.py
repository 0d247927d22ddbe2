"""Where the draft stands and what is asked next: moving between steps and the prompt of a step.

A user who joined through a unit's invitation has the 推荐单位 fixed, so that step is passed over
in both directions; a case returned for revision walks only the fields its coordinator named.
"""

from __future__ import annotations

from . import proofing, render
from .form import FIELDS, Kind
from .longtext import fill_buttons, fill_lines, next_buttons
from .models import STEPS, Step
from .outcome import Context, Outcome, changed
from .session import Fill, Pending, Session
from .wording import t


def fixed_unit(s: Session, ctx: Context) -> bool:
    return s.unit is not None and ctx.campaign.unit(s.unit) is not None


def fill_fixed_unit(s: Session, ctx: Context) -> None:
    """A new draft's 推荐单位 is the unit the user joined (a returned case keeps the unit it was submitted to)."""
    draft = s.draft
    if draft is not None and draft.case_id is None and fixed_unit(s, ctx) and draft.form.unit != s.unit:
        draft.form.unit = s.unit


def goto(s: Session, step: Step, ctx: Context, *, forward: bool = True) -> None:
    draft = s.draft
    assert draft is not None
    if step is Step.UNIT and fixed_unit(s, ctx):
        draft.form.unit = s.unit
        index = STEPS.index(step) + (1 if forward else -1)
        step = STEPS[max(index, 0)]
    draft.step, draft.fill = step, Fill.ASK


def advance(out: Outcome, ctx: Context) -> None:
    """The step after an accepted answer: the next field, the next field to revise, or the review."""
    s = changed(out)
    draft = s.draft
    assert draft is not None
    if draft.fields_to_revise:
        if draft.step in draft.fields_to_revise:
            draft.fields_to_revise.remove(draft.step)
        nxt = draft.fields_to_revise[0] if draft.fields_to_revise else Step.REVIEW
        goto(s, nxt, ctx)
    elif draft.editing:
        draft.editing = False
        goto(s, Step.REVIEW, ctx)
    else:
        goto(s, STEPS[STEPS.index(draft.step) + 1], ctx)
    prompt(out, ctx)


def prompt(out: Outcome, ctx: Context) -> Outcome:
    """Ask for the current step; a step with a fixed set of answers offers them as choices."""
    s = out.session
    draft = s.draft
    if draft is None:  # after the cut-off /new is refused, so it is not offered
        return out.say(t("dialog.no_draft") if ctx.is_open else t("dialog.no_draft_closed"))
    step, form = draft.step, draft.form
    s.choices = []
    note, out.note = out.note, ""  # the deadline line goes on the first prompt of a turn only
    if note:
        s.noted_at = ctx.now
    if step is Step.REVIEW:
        buttons = [
            (t("dialog.button.submit"), "cmd:submit:0"),
            (t("dialog.button.edit"), "cmd:edit:0"),
            (t("dialog.button.preview"), "cmd:preview:0"),
            *render.show_buttons(form),
        ]
        return out.say(render.review(form, ctx.campaign, note, proofing.notes(form)), buttons, per_row=3)
    text = render.prompt(step, form, ctx.campaign, note)
    kind = FIELDS[step].kind
    if kind is Kind.CATEGORY:
        s.choices = render.category_buttons(ctx.campaign)
        return out.say(text + "\n" + render.category_list(ctx.campaign), s.choices)
    if kind is Kind.UNIT:
        s.choices = render.unit_buttons(ctx.campaign)
        return out.say(text, s.choices, per_row=2)
    if kind is Kind.LONG:
        lines, asks = fill_lines(draft, ctx)
        if asks:
            s.pending, s.choices = Pending.CHOOSE_FILL, fill_buttons()
            return out.say(text + "\n" + lines, s.choices, per_row=2)
        return out.say(text + "\n" + lines, next_buttons(draft) if form.value(step) else (), per_row=2)
    if kind is Kind.PICTURES:
        buttons = [(t("dialog.button.done"), "cmd:next:0"), (t("dialog.button.no_pictures"), "cmd:skip:0")]
        return out.say(text, buttons, per_row=2, hint="send_pictures")
    return out.say(text)
