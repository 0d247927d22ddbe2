"""The submitter's slash commands: help, new, status, revise, and moving through the steps.

A command always closes any open question first, so a user who types /back instead of answering
a confirmation is never stuck. After the deadline only the commands that change nothing work.
"""

from __future__ import annotations

from collections.abc import Callable

from . import render
from .campaign import Campaign
from .editing import remember, undo
from .events import Command
from .form import FIELDS, Kind, label
from .models import STEPS, Step
from .navigation import advance, goto, prompt
from .numbers import read_case_id
from .outcome import Context, OpenCase, Outcome, PreviewForm, ShowStatus, changed, confirm
from .review import cmd_cancel, cmd_edit, cmd_review, cmd_submit, typed_edit
from .session import Draft, Fill, Pending
from .wordcount import RULE_ZH, count_zi
from .wording import t

_READ_ONLY = {"start", "help", "status", "review", "cancel", "show", "preview"}
_WITHOUT_DRAFT = {"start", "help", "status", "new", "revise"}


def help_text(campaign: Campaign) -> str:
    limits = campaign.limits
    return t(
        "dialog.help",
        year=campaign.year,
        total=len(STEPS),
        summary=limits.summary_zi,
        content=limits.content_zi,
        low=max(limits.pictures_min, 1),
        high=limits.pictures_max,
        rule=RULE_ZH,
    )


def on_command(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    if s.pending is not Pending.NONE:
        s.pending, s.choices = Pending.NONE, []
        out.changed = True
    if s.held:
        out.say(t("dialog.held_dropped", count=count_zi(s.held)))
        s.held, out.changed = "", True
    handler = COMMANDS.get(cmd.name)
    if handler is None:
        out.say(t("dialog.unknown_command", name=cmd.name[:30]))
        return
    if not ctx.is_open and cmd.name not in _READ_ONLY:
        out.say(ctx.closed)
        return
    if s.draft is None and cmd.name not in _WITHOUT_DRAFT:
        out.say(t("dialog.needs_draft"))
        return
    handler(out, cmd, ctx)


def _cmd_start(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    campaign = ctx.campaign
    unit = campaign.unit(s.unit) if s.unit else None
    lines = [t("dialog.greeting", year=campaign.year) if not s.welcomed else t("dialog.greeting_again")]
    if unit:
        lines.append(t("dialog.greeting_unit", unit=unit.name))
    if not s.welcomed:
        lines.append(help_text(campaign))
        s.welcomed, out.changed = True, True
    out.say("\n".join(lines))
    out.note = ctx.deadline_note  # a new sitting: the deadline line goes on its first prompt
    if s.draft is not None:
        out.say(t("dialog.resume", name=s.draft.form.name or t("dialog.unnamed_draft")))
        s.draft.fill = Fill.ASK  # coming back: a long field with text asks before the next text goes in
        prompt(out, ctx)
    elif not ctx.is_open:
        out.say(ctx.closed)
    elif ctx.coordinator:  # a coordinator's work is the unit's cases; a case of their own is opened by /new
        out.say(t("dialog.stray.no_draft"))
    else:
        _cmd_new(out, cmd, ctx)


def _cmd_help(out: Outcome, cmd: Command, ctx: Context) -> None:
    out.say(help_text(ctx.campaign))
    if out.session.draft is not None:
        prompt(out, ctx)


def _cmd_new(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    if s.draft is not None:
        out.say(t("dialog.new.busy", name=s.draft.form.name or t("dialog.unnamed")))
        return
    changed(out)
    s.draft = Draft(explicit=cmd.name == "new")
    goto(s, Step.NAME, ctx)
    prompt(out, ctx)


def _cmd_status(out: Outcome, cmd: Command, ctx: Context) -> None:
    out.actions.append(ShowStatus())


def _cmd_revise(out: Outcome, cmd: Command, ctx: Context) -> None:
    if not cmd.arg.strip():
        out.say(t("dialog.revise.usage"))
        return
    case_id = read_case_id(cmd.arg)
    if case_id is None:
        out.say(t("dialog.revise.bad_id", typed=cmd.arg.strip()[:20]))
        return
    out.actions.append(OpenCase(case_id=case_id))


def _cmd_back(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    draft = s.draft
    assert draft is not None
    index = STEPS.index(draft.step)
    if index == 0:
        out.say(t("dialog.back.first"))
        prompt(out, ctx)
        return
    changed(out)
    draft.editing = False
    draft.fields_to_revise = []
    goto(s, STEPS[index - 1], ctx, forward=False)
    prompt(out, ctx)


def _cmd_next(out: Outcome, cmd: Command, ctx: Context) -> None:
    draft = out.session.draft
    assert draft is not None
    if draft.step is Step.REVIEW:
        out.say(t("dialog.at_review"))
        return
    field = FIELDS[draft.step]
    if field.required and not draft.form.value(draft.step):
        out.say(t("dialog.next.required", label=field.label))
        return
    advance(out, ctx)


def _cmd_skip(out: Outcome, cmd: Command, ctx: Context) -> None:
    draft = out.session.draft
    assert draft is not None
    if draft.step is Step.REVIEW:
        out.say(t("dialog.skip.review"))
        return
    if FIELDS[draft.step].required:
        out.say(t("dialog.skip.required", label=label(draft.step)))
        return
    advance(out, ctx)


def _cmd_clear(out: Outcome, cmd: Command, ctx: Context) -> None:
    s = out.session
    draft = s.draft
    assert draft is not None
    kind = FIELDS[draft.step].kind
    if kind not in (Kind.LONG, Kind.PICTURES):
        out.say(t("dialog.clear.not_needed"))
        return
    if not draft.form.value(draft.step):
        out.say(t("dialog.clear.empty", label=label(draft.step)))
        return
    changed(out)
    s.pending = Pending.CONFIRM_CLEAR
    shown = render.display(draft.step, draft.form, ctx.campaign)
    question = t("dialog.clear.confirm", label=label(draft.step), value=shown)
    confirm(out, question, "clear", t("dialog.button.clear_yes"), t("dialog.button.clear_no"))


def on_clear(out: Outcome, yes: bool, ctx: Context) -> None:
    """The answer to /clear's question: empty the field (one undo level) or keep it."""
    s = changed(out)
    draft = s.draft
    if s.pending is not Pending.CONFIRM_CLEAR or draft is None:
        s.pending = Pending.NONE
        out.say(t("dialog.stale_confirm"))
        return
    s.pending, s.choices = Pending.NONE, []
    if not yes:
        out.say(t("dialog.clear.kept", label=label(draft.step)))
        prompt(out, ctx)
        return
    remember(draft, [draft.step])
    if draft.step is Step.PICTURES:
        draft.form.pictures = []
    else:
        setattr(draft.form, draft.step.value, None)
    draft.fill = Fill.APPEND
    out.say(t("dialog.clear.done", label=label(draft.step)))
    prompt(out, ctx)


def _cmd_undo(out: Outcome, cmd: Command, ctx: Context) -> None:
    draft = out.session.draft
    assert draft is not None
    restored = undo(draft)
    if not restored:
        out.say(t("dialog.undo.nothing"))
        return
    changed(out)
    items = t("dialog.sep.items").join(
        t("dialog.undo.item", label=label(step), value=render.display(step, draft.form, ctx.campaign))
        for step in restored
    )
    out.say(t("dialog.undo.done", items=items, left=len(draft.history)))
    prompt(out, ctx)


def _cmd_show(out: Outcome, cmd: Command, ctx: Context) -> None:
    draft = out.session.draft
    assert draft is not None
    step = typed_edit(cmd.arg) if cmd.arg.strip() else (draft.step if draft.step is not Step.REVIEW else None)
    if step is None:
        out.say(t("dialog.show.usage", count=len(STEPS) - 1))
        return
    out.say(render.full(step, draft.form, ctx.campaign))


def _cmd_preview(out: Outcome, cmd: Command, ctx: Context) -> None:
    draft = out.session.draft
    assert draft is not None
    out.actions.append(PreviewForm(draft=draft.model_copy(deep=True)))
    out.say(t("dialog.preview.sent"))


COMMANDS: dict[str, Callable[[Outcome, Command, Context], None]] = {
    "start": _cmd_start,
    "help": _cmd_help,
    "new": _cmd_new,
    "status": _cmd_status,
    "back": _cmd_back,
    "next": _cmd_next,
    "skip": _cmd_skip,
    "clear": _cmd_clear,
    "edit": cmd_edit,
    "review": cmd_review,
    "submit": cmd_submit,
    "cancel": cmd_cancel,
    "revise": _cmd_revise,
    "undo": _cmd_undo,
    "show": _cmd_show,
    "preview": _cmd_preview,
}
