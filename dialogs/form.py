"""The 推荐表's fields as one table: label, kind, whether required, and what the prompt says.

The dialog walks this table; limits come from the campaign, so a new notice changes numbers in
its TOML file, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from .campaign import Campaign
from .models import PARTS, STEPS, Step
from .wording import t


class Kind(Enum):
    SHORT = auto()
    CATEGORY = auto()
    UNIT = auto()
    PERIOD = auto()
    PHONE = auto()
    LONG = auto()
    PICTURES = auto()
    REVIEW = auto()


@dataclass(frozen=True)
class Field:
    """One row of the form; its label and prompt are catalog keys, read when shown."""

    step: Step
    label_key: str
    kind: Kind
    hint_key: str = ""
    required: bool = True

    @property
    def label(self) -> str:
        return t(self.label_key)

    @property
    def hint(self) -> str:
        return t(self.hint_key) if self.hint_key else ""


FIELDS: dict[Step, Field] = {
    f.step: f
    for f in (
        Field(Step.NAME, "fields.label.name", Kind.SHORT, "fields.hint.name"),
        Field(Step.APPLICANT, "fields.label.applicant", Kind.SHORT, "fields.hint.applicant"),
        Field(Step.CATEGORY, "fields.label.category", Kind.CATEGORY, "fields.hint.category"),
        Field(Step.UNIT, "fields.label.unit", Kind.UNIT, "fields.hint.unit"),
        Field(Step.PERIOD, "fields.label.period", Kind.PERIOD, "fields.hint.period"),
        Field(Step.CONTACT, "fields.label.contact", Kind.SHORT, "fields.hint.contact"),
        Field(Step.PHONE, "fields.label.phone", Kind.PHONE, "fields.hint.phone"),
        Field(Step.SUMMARY, "fields.label.summary", Kind.LONG, "fields.hint.summary"),
        Field(Step.BACKGROUND, "fields.label.background", Kind.LONG, "fields.hint.background"),
        Field(Step.PRACTICE, "fields.label.practice", Kind.LONG, "fields.hint.practice"),
        Field(Step.RESULTS, "fields.label.results", Kind.LONG, "fields.hint.results"),
        Field(Step.LESSONS, "fields.label.lessons", Kind.LONG, "fields.hint.lessons"),
        Field(Step.PICTURES, "fields.label.pictures", Kind.PICTURES, "fields.hint.pictures", required=False),
        Field(Step.REVIEW, "fields.label.review", Kind.REVIEW),
    )
}

FORM_STEPS: tuple[Step, ...] = tuple(s for s in STEPS if s is not Step.REVIEW)


def position(step: Step) -> int:
    return STEPS.index(step) + 1


def label(step: Step) -> str:
    return FIELDS[step].label


def is_part(step: Step) -> bool:
    return step in PARTS


def limit_of(step: Step, campaign: Campaign) -> int:
    """The 字 limit of a text field; the four parts share the content limit."""
    limits = campaign.limits
    if step is Step.SUMMARY:
        return limits.summary_zi
    if is_part(step):
        return limits.content_zi
    if step is Step.CONTACT:
        return limits.contact_zi
    if step is Step.APPLICANT:
        return limits.unit_zi
    return limits.name_zi
