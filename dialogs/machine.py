"""The conversation as a pure state machine: a session and an event in, a new session, replies and
requests for the shell out.

Nothing here waits, reads or writes: the shell loads the session, calls :func:`handle`, stores the
result in one transaction and only then sends the replies. Whatever the shell must look up or do
(store a picture, submit a case, list the user's cases) comes back as an action. This module is
the dialog's public entry; the parts live beside it (answers, commands, review, navigation).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from . import access, headingask, pasteform, person, render, stray
from .answers import on_pictures, on_text, refusal
from .commands import help_text, on_clear, on_command
from .events import Command, Document, Event, Pictures, PicturesRead, Press, Reply, Text, Unsupported, parse_text
from .form import label
from .importing import on_form_read
from .longtext import SPLIT_TARGETS, fill_lines, hold, on_fill_choice, on_split_choice, on_unsplit_choice
from .models import Case, Step
from .navigation import fill_fixed_unit, fixed_unit, goto, prompt
from .outcome import (
    Accepted,
    Action,
    Context,
    NearDuplicate,
    OpenCase,
    Outcome,
    PreviewForm,
    Refused,
    ShowStatus,
    StorePicture,
    SubmitDraft,
    SubmitResult,
    confirm,
    copy,
    finish,
    typed_choice,
)
from .person import on_offer
from .review import edit_step, on_confirm, start_edit
from .session import Draft, Fill, Pending, Session
from .validators import FieldError
from .wordfile import FormRead
from .wording import t

SITTING = timedelta(hours=3)  # a pause this long starts a new sitting, whose first prompt shows the deadline
NEAR_DAYS = 7  # from this many days before the deadline, every prompt shows it

__all__ = [
    "Accepted",
    "Action",
    "Context",
    "NearDuplicate",
    "OpenCase",
    "Outcome",
    "PreviewForm",
    "Refused",
    "ShowStatus",
    "StorePicture",
    "SubmitDraft",
    "SubmitResult",
    "after_submit",
    "handle",
    "help_text",
    "render_status",
    "reopen",
]


def handle(session: Session, event: Event, ctx: Context) -> Outcome:
    """Apply one incoming event to a copy of ``session``.

    A user of no unit where units are joined by invitation is told how to get one, and nothing else
    happens; for everyone else, a draft's 推荐单位 follows the unit joined before and after the turn,
    whatever path made or filled the draft (an import, /edit, /new, a restart), never left to step 4.
    """
    out = Outcome(session=copy(session))
    if access.needs_invitation(out.session.unit, ctx.campaign, ctx.units_open):
        return finish(_stranger(out, event, ctx))
    fill_fixed_unit(out.session, ctx)
    out = _handle(out, event, ctx)
    fill_fixed_unit(out.session, ctx)
    return out


def _stranger(out: Outcome, event: Event, ctx: Context) -> Outcome:
    """A greeting or the help as asked, and how to join; no draft is begun or changed."""
    lines = []
    if isinstance(event, Command) and event.name == "start":
        lines.append(t("dialog.greeting", year=ctx.campaign.year))
    elif isinstance(event, Command) and event.name == "help":
        lines.append(help_text(ctx.campaign))
    lines.append(access.invitation_zh(ctx.channel))
    return out.say("\n".join(lines))


def _handle(out: Outcome, event: Event, ctx: Context) -> Outcome:
    out.note = _deadline_note(out.session, ctx)
    if isinstance(event, Text) and out.session.pending is not Pending.NONE:
        choice = typed_choice(out.session, event)
        if choice is None and out.session.pending is Pending.CHOOSE_FILL and out.session.draft is not None:
            if out.session.held:  # a second text before choosing joins the first
                hold(out, event.text)
            else:  # the same rule as any text: a whole 案例内容 is offered for splitting, else held
                out.session.pending, out.session.choices = Pending.NONE, []
                on_text(out, event.text, ctx)
            return finish(out)
        if choice is None and out.session.pending is Pending.OFFER_PHONE:  # another answer: the offer lapses
            out.session.pending, out.session.choices = Pending.NONE, []
            out.changed = True
            on_text(out, event.text, ctx)
            return finish(out)
        if choice is None:
            out.say(t("dialog.choose_first"), out.session.choices, per_row=2)
            return finish(out)
        event = choice
    if isinstance(event, Press):
        try:
            _on_press(out, event, ctx)
        except FieldError as error:  # a held text chosen into a field it does not fit
            draft = out.session.draft
            assert draft is not None
            out.say(refusal(draft.step, str(error)) + "\n" + fill_lines(draft, ctx)[0])
    elif isinstance(event, Command):
        on_command(out, event, ctx)
    elif isinstance(event, Text):
        on_text(out, event.text, ctx)
    elif isinstance(event, PicturesRead):
        on_pictures(out, event, ctx)
    elif isinstance(event, Pictures):  # the shell reads pictures before the dialog sees them
        out.say(t("dialog.pictures.unread"))
    elif isinstance(event, FormRead):
        on_form_read(out, event, ctx)
    elif isinstance(event, Document):  # the shell reads a Word file before the dialog sees it
        out.say(t("importing.unread"))
    elif isinstance(event, Unsupported):
        out.say(t("dialog.unsupported", kind=event.kind))
    return finish(out)


def _on_press(out: Outcome, event: Press, ctx: Context) -> None:
    """A button; its data end in the turn it was drawn for, so an old or forged one changes nothing."""
    s = out.session
    action, _, rest = event.data.partition(":")
    arg, _, token = rest.rpartition(":")
    if token != str(s.turn):
        out.say(t("dialog.stale_button"), transient=True)
        return
    step = s.draft.step if s.draft else None
    edit = edit_step(arg) if action == "edit" else None
    command = parse_text("/" + arg) if action == "cmd" and arg[:1].isascii() and arg[:1].isalpha() else None
    if action in ("fill", "split", "unsplit", "heading", "lead", person.OFFER) or (action, arg) in (
        ("yes", "clear"),
        ("no", "clear"),
    ):
        if not ctx.is_open:  # these change the draft, which the deadline has closed
            out.say(ctx.closed)
            return
    if isinstance(command, Command):
        on_command(out, command, ctx)
    elif action == "fill" and arg in ("append", "replace") and s.pending is Pending.CHOOSE_FILL and step:
        on_fill_choice(out, Fill.APPEND if arg == "append" else Fill.REPLACE, ctx)
    elif action == "split" and arg in ("replace", "append", "cancel") and s.pending is Pending.CONFIRM_SPLIT:
        if on_split_choice(out, arg, ctx):
            _after_split(out, ctx)
    elif action == "unsplit" and arg in ("keep", "drop") and s.pending is Pending.CONFIRM_UNSPLIT:
        on_unsplit_choice(out, arg == "keep", ctx)
    elif action == "heading" and s.pending is Pending.CHOOSE_HEADING:
        resolved = headingask.on_choice(out, arg, ctx)
        if resolved is not None:
            on_text(out, resolved, ctx)
    elif action in ("yes", "no") and arg == "clear":
        on_clear(out, action == "yes", ctx)
    elif (action, step) in (("cat", Step.CATEGORY), ("unit", Step.UNIT)):
        on_text(out, arg, ctx)
    elif edit is not None and s.pending is Pending.CHOOSE_EDIT and s.draft is not None:
        start_edit(out, edit, ctx)
    elif action in ("yes", "no") and arg in ("submit", "near", "cancel"):
        on_confirm(out, arg, action == "yes", ctx)
    elif action in ("yes", "no") and arg == "import":
        pasteform.on_answer(out, action == "yes", ctx)
    elif (action, arg) == ("lead", "import"):
        pasteform.on_answer(out, True, ctx, lead=True)
    elif action in ("yes", "no") and arg == stray.WHAT and s.pending is Pending.CONFIRM_STRAY:
        held = stray.on_answer(out, action == "yes", ctx)
        if held is not None:
            on_text(out, held, ctx)
    elif (action == person.OFFER or (action, arg) == ("no", "phone")) and s.pending is Pending.OFFER_PHONE and step:
        on_offer(out, arg if action == person.OFFER else None, ctx)
    else:
        out.say(t("dialog.unknown_button"), transient=True)


def _deadline_note(s: Session, ctx: Context) -> str:
    """The deadline line on the first prompt of a sitting, and on every prompt in its last week."""
    fresh = s.noted_at is None or ctx.now - s.noted_at >= SITTING
    near = ctx.days_left is not None and ctx.days_left <= NEAR_DAYS
    return ctx.deadline_note if fresh or near else ""


def _after_split(out: Outcome, ctx: Context) -> None:
    """After a whole 案例内容 went in: the review when editing, else the first long field still empty."""
    s = out.session
    draft = s.draft
    assert draft is not None
    revising = bool(draft.fields_to_revise)
    draft.fields_to_revise = [f for f in draft.fields_to_revise if f not in SPLIT_TARGETS]
    if draft.fields_to_revise:
        goto(s, draft.fields_to_revise[0], ctx)
    elif draft.editing or revising:
        draft.editing = False
        goto(s, Step.REVIEW, ctx)
    else:
        empty = [f for f in SPLIT_TARGETS if not draft.form.value(f)]
        goto(s, empty[0] if empty else Step.PICTURES, ctx)
    prompt(out, ctx)


def after_submit(session: Session, result: SubmitResult, ctx: Context) -> Outcome:
    """Turn the shell's verdict on a submission into the next state and the replies."""
    out = Outcome(session=copy(session), changed=True)
    s = out.session
    if isinstance(result, Accepted):
        s.draft, s.pending = None, Pending.NONE
        if result.recommended:
            where = t(
                "dialog.submitted.recommended",
                unit=result.unit_name,
                rank=result.rank,
                used=result.used,
                quota=result.quota,
            )
        else:
            where = t("dialog.submitted.candidate", unit=result.unit_name, used=result.used, quota=result.quota)
        out.say(t("dialog.submitted.done", name=result.name, where=where), hint="form_sent")
    elif isinstance(result, NearDuplicate):
        s.pending = Pending.CONFIRM_NEAR_DUPLICATE
        confirm(
            out,
            t("dialog.near.confirm", message=result.message),
            "near",
            t("dialog.button.submit_yes"),
            t("dialog.button.submit_no"),
        )
    else:
        s.pending = Pending.NONE
        out.say(result.message)
    return finish(out)


def reopen(session: Session, case: Case, ctx: Context, notice: str = "") -> Outcome:
    """Open a case returned for revision as the draft, at the first field the coordinator named."""
    out = Outcome(session=copy(session))
    s = out.session
    if s.draft is not None:
        out.say(t("dialog.reopen.busy", name=s.draft.form.name or t("dialog.unnamed"), id=case.id))
        return finish(out)
    known = {step.value for step in Step}
    fields = [
        Step(f) for f in case.revise_fields if f in known and not (f == Step.UNIT.value and fixed_unit(s, ctx))
    ] or [Step.NAME]
    out.changed = True
    s.draft = Draft(case_id=case.id, form=case.form.model_copy(deep=True), fields_to_revise=fields, step=fields[0])
    if notice:
        out.say(notice)
    names = t("dialog.sep.list").join(label(f) for f in fields)
    out.say(t("dialog.reopen.opened", name=case.form.name or "", fields=names))
    prompt(out, ctx)
    return finish(out)


def render_status(session: Session, cases: Sequence[Case], ctx: Context) -> Reply:
    draft = session.draft
    name = (draft.form.name or "") if draft else None
    return Reply(text=render.status(cases, name, ctx.campaign))
