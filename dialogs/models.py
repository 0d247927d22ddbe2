"""Typed models of a case: what the dialog fills in, storage keeps and the exporters print."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .wording import t


class Step(StrEnum):
    """The named steps of the 推荐表, in order; saved by name so reordering never corrupts drafts."""

    NAME = "name"
    APPLICANT = "applicant"
    CATEGORY = "category"
    UNIT = "unit"
    PERIOD = "period"
    CONTACT = "contact"
    PHONE = "phone"
    SUMMARY = "summary"
    BACKGROUND = "background"
    PRACTICE = "practice"
    RESULTS = "results"
    LESSONS = "lessons"
    PICTURES = "pictures"
    REVIEW = "review"


STEPS: tuple[Step, ...] = tuple(Step)
PARTS: tuple[Step, ...] = (Step.BACKGROUND, Step.PRACTICE, Step.RESULTS, Step.LESSONS)


class CaseState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # a candidate, not (or no longer) in the unit's recommendation
    RECOMMENDED = "recommended"
    RETURNED = "returned"  # sent back for revision; its submitter edits it as a draft

    @property
    def zh(self) -> str:
        return t(_STATE_KEYS[self])


_STATE_KEYS = {
    CaseState.DRAFT: "fields.state.draft",
    CaseState.SUBMITTED: "fields.state.submitted",
    CaseState.RECOMMENDED: "fields.state.recommended",
    CaseState.RETURNED: "fields.state.returned",
}


class PictureRef(BaseModel):
    """A checked picture; its bytes live in storage under ``sha256``."""

    model_config = ConfigDict(frozen=True)
    sha256: str
    mime: str
    width: int
    height: int
    size: int
    caption: str = ""

    @property
    def extension(self) -> str:
        return "png" if self.mime == "image/png" else "jpg"


class CaseForm(BaseModel):
    """The answers of one 推荐表. Every field is optional while the case is a draft."""

    name: str | None = None
    applicant: str | None = None
    category: str | None = None
    unit: str | None = None  # the recommending unit's code
    period: str | None = None  # "YYYY-MM", inside the campaign window
    contact: str | None = None
    phone: str | None = None
    summary: str | None = None
    background: str | None = None
    practice: str | None = None
    results: str | None = None
    lessons: str | None = None
    pictures: list[PictureRef] = Field(default_factory=list)

    def value(self, step: Step) -> object:
        return getattr(self, step.value, None)

    def parts(self) -> list[str]:
        return [getattr(self, p.value) or "" for p in PARTS]


class Case(BaseModel):
    """A case as stored: its form plus the bookkeeping the rules need."""

    id: int
    owner: str
    unit: str
    state: CaseState
    rank: int | None = None  # 1-based place in the unit's recommendation, when recommended
    held_rank: int | None = None  # the place a case returned for revision gets back on resubmission
    revise_fields: list[str] = Field(default_factory=list)  # steps named when it was returned
    form: CaseForm
    created_at: datetime
    submitted_at: datetime | None = None
    updated_at: datetime
    flags: list[str] = Field(default_factory=list)
    return_comment: str = ""
