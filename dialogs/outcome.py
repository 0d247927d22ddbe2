"""What one turn of the dialog produces, and the plumbing every part of the dialog shares.

The context comes in, an :class:`Outcome` (new session, replies, actions for the shell) goes out.
Choices travel as buttons only: the dialog never says how to pick one, because a channel with
buttons and a channel without them say it differently.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from . import render
from .campaign import Campaign
from .events import Button, Press, Reply, Text
from .session import Draft, Session
from .wording import t


@dataclass(frozen=True)
class Context:
    """What the dialog needs to know about the world for this one event."""

    campaign: Campaign
    now: datetime
    deadline_note: str = ""  # e.g. 距申报截止还有 5 天; empty when not wanted
    days_left: int | None = None  # calendar days to the deadline; None: unknown, the note shown once a sitting
    is_open: bool = True
    closed_message: str = ""  # empty: the catalog's general "征集已截止" text
    coordinator: bool = False  # the user coordinates a unit: a stray text is asked about (dialogs.stray)
    # whether a user of no unit may choose one from the list (the campaign's open_units, or the terminal,
    # where the operator sits at the server); otherwise a unit is joined by invitation only
    units_open: bool = False
    channel: str = ""  # "telegram", "wecom", "terminal": how an invitation is used there is said so

    @property
    def closed(self) -> str:
        return self.closed_message or t("dialog.closed")


@dataclass(frozen=True)
class StorePicture:
    sha256: str
    data: bytes


@dataclass(frozen=True)
class SubmitDraft:
    draft: Draft
    accept_near: bool = False


@dataclass(frozen=True)
class ShowStatus:
    pass


@dataclass(frozen=True)
class OpenCase:
    """/revise N: the shell looks the case up and calls ``machine.reopen`` if it may be revised."""

    case_id: int


@dataclass(frozen=True)
class PreviewForm:
    """/preview: the shell builds the 推荐表 of ``draft`` with the final exporter, its file name
    marked 预览, and sends it; nothing is stored or submitted."""

    draft: Draft


Action = StorePicture | SubmitDraft | ShowStatus | OpenCase | PreviewForm


@dataclass
class Outcome:
    session: Session
    replies: list[Reply] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    changed: bool = False
    note: str = ""  # the deadline line, until the first prompt of this turn has shown it

    def say(
        self,
        text: str,
        choices: Sequence[tuple[str, str]] = (),
        per_row: int = 1,
        transient: bool = False,
        hint: str = "",
    ) -> Outcome:
        self.replies.append(Reply(text=text, buttons=render.rows(choices, per_row), transient=transient, hint=hint))
        return self


@dataclass(frozen=True)
class Accepted:
    case_id: int
    name: str
    unit_name: str
    recommended: bool
    rank: int | None
    quota: int
    used: int  # recommended cases of the unit, this one included


@dataclass(frozen=True)
class Refused:
    message: str


@dataclass(frozen=True)
class NearDuplicate:
    message: str


SubmitResult = Accepted | Refused | NearDuplicate


def copy(session: Session) -> Session:
    """A private copy to change; a dump and validate is several times faster than deepcopy."""
    return Session.model_validate(session.model_dump())


def changed(out: Outcome) -> Session:
    out.changed = True
    return out.session


def finish(out: Outcome) -> Outcome:
    """Stamp every button with the turn it belongs to, so a button from an older message is known."""
    if out.changed:
        out.session.turn += 1
    turn = out.session.turn
    out.replies = [_retoken(r, turn) for r in out.replies]
    out.session.choices = [(text, _retoken_data(data, turn)) for text, data in out.session.choices]
    return out


def _retoken_data(data: str, turn: int) -> str:
    head, _, _ = data.rpartition(":")
    return f"{head}:{turn}"


def _retoken(reply: Reply, turn: int) -> Reply:
    rows = tuple(tuple(Button(label=b.label, data=_retoken_data(b.data, turn)) for b in row) for row in reply.buttons)
    return Reply(text=reply.text, buttons=rows, transient=reply.transient, hint=reply.hint)


def typed_choice(s: Session, event: Text) -> Press | None:
    """A choice typed by its number (as a channel without buttons lists them) or by its label:
    the same answer as pressing the button."""
    typed = unicodedata.normalize("NFKC", event.text).strip()
    while typed and unicodedata.category(typed[-1]).startswith("P"):  # "1." "1、" "确认提交。"
        typed = typed[:-1].rstrip()
    for number, (text, data) in enumerate(s.choices, start=1):
        if typed in (str(number), text, unicodedata.normalize("NFKC", text)):
            return Press(data=data)
    for data in (data for _, data in s.choices):  # a yes/no question also takes 是/确认, 否/取消
        if (data.startswith("yes:") and typed in t("dialog.typed.yes").split()) or (
            data.startswith("no:") and typed in t("dialog.typed.no").split()
        ):
            return Press(data=data)
    return None


def confirm(out: Outcome, text: str, what: str, yes: str, no: str) -> None:
    """A yes/no question as two choices; how to answer is the channel's to say."""
    out.session.choices = [(yes, f"yes:{what}:0"), (no, f"no:{what}:0")]
    out.say(text, out.session.choices, per_row=2)
