"""The state one user's conversation is in, saved whole after every accepted answer."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from .models import CaseForm, Step


class Pending(StrEnum):
    """A question the dialog asked that the next answer should settle."""

    NONE = "none"
    CONFIRM_SUBMIT = "confirm_submit"
    CONFIRM_NEAR_DUPLICATE = "confirm_near_duplicate"
    CONFIRM_CANCEL = "confirm_cancel"
    CHOOSE_EDIT = "choose_edit"


class Draft(BaseModel):
    case_id: int | None = None  # set when the draft reopens a submitted case (退回修改)
    step: Step = Step.NAME
    form: CaseForm = Field(default_factory=CaseForm)
    editing: bool = False  # return to the review after this field
    appending: bool = False  # the current long field has received text during this visit
    fields_to_revise: list[Step] = Field(default_factory=list)


class Session(BaseModel):
    user: str
    unit: str | None = None  # the unit the user joined through, fixing 推荐单位
    draft: Draft | None = None
    pending: Pending = Pending.NONE
    choices: list[tuple[str, str]] = Field(default_factory=list)  # (label, button data) now on screen
    turn: int = 0  # bumped on every change; buttons carry it so an old button is recognised
    # a coordinator's question the next message answers: "contact" (the unit's 联系人 and 电话) or
    # "scan:<target>:<scan id>" (pages of a sealed scan); kept here so it survives a restart
    waiting: str = ""
