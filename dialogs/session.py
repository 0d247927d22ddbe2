"""The state one user's conversation is in, saved whole after every accepted answer.

Everything the next message depends on lives here, so that a restart (the session dumped to JSON
and loaded back) answers exactly as the running process would have: how a long field takes the
next text, a text held while a choice is open, and the undo history.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from .models import CaseForm, PictureRef, Step

UNDO_DEPTH = 8  # levels of /undo kept; each level holds at most one form's text, so the size is bounded


class Pending(StrEnum):
    """A question the dialog asked that the next answer should settle."""

    NONE = "none"
    CONFIRM_SUBMIT = "confirm_submit"
    CONFIRM_NEAR_DUPLICATE = "confirm_near_duplicate"
    CONFIRM_CANCEL = "confirm_cancel"
    CHOOSE_EDIT = "choose_edit"
    CHOOSE_FILL = "choose_fill"  # 继续补充 / 重新填写 for a long field that already has text
    CONFIRM_CLEAR = "confirm_clear"
    CONFIRM_SPLIT = "confirm_split"  # a whole 案例内容 found in one message
    CONFIRM_UNSPLIT = "confirm_unsplit"  # some headings found, not all four
    CONFIRM_IMPORT = "confirm_import"  # fields read from a Word document or a pasted form, waiting to be confirmed
    OFFER_PHONE = "offer_phone"  # a phone written in 联系人, offered for 联系方式
    CONFIRM_STRAY = "confirm_stray"  # a coordinator's text that would start a case nobody asked for
    CHOOSE_HEADING = "choose_heading"  # a heading whose words name two parts (经验做法): which is it?


class Fill(StrEnum):
    """What the next text does to the long field being asked."""

    ASK = "ask"  # coming back to the field: empty takes it, otherwise the submitter chooses first
    APPEND = "append"  # the field is being filled: a text is a new paragraph after the others
    REPLACE = "replace"  # the submitter chose 重新填写: the next text replaces the content


class Change(BaseModel):
    """One undoable change: what the fields it touched held before it."""

    before: dict[Step, str | None] = Field(default_factory=dict)
    pictures: list[PictureRef] | None = None  # the pictures before, when the change touched them


class Draft(BaseModel):
    case_id: int | None = None  # set when the draft reopens a submitted case (退回修改)
    step: Step = Step.NAME
    form: CaseForm = Field(default_factory=CaseForm)
    editing: bool = False  # return to the review after this field
    fill: Fill = Fill.ASK
    fields_to_revise: list[Step] = Field(default_factory=list)
    history: list[Change] = Field(default_factory=list)  # oldest first, at most UNDO_DEPTH
    explicit: bool = False  # opened by /new (not by /start): a coordinator's first text here is not asked about


class Session(BaseModel):
    user: str
    unit: str | None = None  # the unit the user joined through, fixing 推荐单位
    draft: Draft | None = None
    pending: Pending = Pending.NONE
    choices: list[tuple[str, str]] = Field(default_factory=list)  # (label, button data) now on screen
    imported: dict[str, str] = Field(default_factory=dict)  # checked fields of a document, by step, until confirmed
    turn: int = 0  # bumped on every change; buttons carry it so an old button is recognised
    held: str = ""  # a text sent while a choice was open, applied once the choice is made
    welcomed: bool = False  # the full welcome has been shown once
    noted_at: datetime | None = None  # when the deadline line was last shown
    # a coordinator's question the next message answers: "contact" (the unit's 联系人 and 电话) or
    # "scan:<target>:<scan id>" (pages of a sealed scan); kept here so it survives a restart
    waiting: str = ""
