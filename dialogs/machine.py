"""The conversation as a pure state machine: a session and an event in, a new session, replies and
requests for the shell out.

Nothing here waits, reads or writes: the shell loads the session, calls :func:`handle`, stores the
result in one transaction and only then sends the replies. Whatever the shell must look up or do
(store a picture, submit a case, list the user's cases) comes back as an action. This module is
the dialog's public entry; the parts live beside it (answers, commands, review, navigation).
"""

from __future__ import annotations

from collections.abc import Sequence

from . import render
from .answers import on_pictures, on_text
from .commands import help_text, on_command
from .events import Command, Document, Event, Pictures, Press, Reply, Text, Unsupported
from .form import label
from .models import Case, Step
from .navigation import fixed_unit, prompt
from .outcome import (
    Accepted,
    Action,
    Context,
    NearDuplicate,
    OpenCase,
    Outcome,
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
from .review import edit_step, on_confirm, start_edit
from .session import Draft, Pending, Session
from .wording import t

__all__ = [
    "Accepted",
    "Action",
    "Context",
    "NearDuplicate",
    "OpenCase",
    "Outcome",
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
    """Apply one incoming event to a copy of ``session``."""
    out = Outcome(session=copy(session))
    if isinstance(event, Text) and out.session.pending is not Pending.NONE:
        choice = typed_choice(out.session, event)
        if choice is None:
            out.say(t("dialog.choose_first"), out.session.choices, per_row=2)
            return finish(out)
        event = choice
    if isinstance(event, Press):
        _on_press(out, event, ctx)
    elif isinstance(event, Command):
        on_command(out, event, ctx)
    elif isinstance(event, Text):
        on_text(out, event.text, ctx)
    elif isinstance(event, Pictures):
        on_pictures(out, event, ctx)
    elif isinstance(event, Unsupported):
        out.say(t("dialog.unsupported", kind=event.kind))
    elif isinstance(event, Document):  # the form takes no files: a PDF is refused as at the picture step
        pdf = event.data.startswith(b"%PDF")
        out.say(t("images.pdf") if pdf else t("dialog.unsupported", kind=t("dialog.document", name=event.filename)))
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
    if action == "cmd" and arg.isascii() and arg.isalpha():
        on_command(out, Command(name=arg), ctx)
    elif (action, step) in (("cat", Step.CATEGORY), ("unit", Step.UNIT)):
        on_text(out, arg, ctx)
    elif edit is not None and s.pending is Pending.CHOOSE_EDIT and s.draft is not None:
        start_edit(out, edit, ctx)
    elif action in ("yes", "no") and arg in ("submit", "near", "cancel"):
        on_confirm(out, arg, action == "yes", ctx)
    else:
        out.say(t("dialog.unknown_button"), transient=True)


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
        out.say(t("dialog.submitted.done", name=result.name, where=where))
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
