"""异议 during the 公示: recorded, checked (核查), then decided 成立 or 不成立, with the reason.

Why these rules: the 公示 exists so that the public can object, and the office must be able to
show for every objection what was done with it. An objection is recorded only for a case on the
list and for a day inside the 公示期; it is decided only after it was checked, and only once;
only an upheld one (成立) takes its case off the list, and nothing takes the place of a withdrawn
case by itself (the admin may add one by hand, recorded). The list is final only when the admin
says so, after the 公示期 has ended and while no objection is open.

Each function returns the refusal in Chinese, or ``None`` when the step may go ahead; the shell
writes the step in the same transaction as it asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from ..wording import t

TEXT_MOST = 2000  # an objection's content, a note or a reason: a letter's length, not a book


class ObjectionState(StrEnum):
    RECEIVED = "received"  # 已登记
    CHECKING = "checking"  # 核查中: notes recorded
    UPHELD = "upheld"  # 成立: the case is withdrawn
    REJECTED = "rejected"  # 不成立

    @property
    def zh(self) -> str:
        return t(_STATE_KEYS[self.value])

    @property
    def open(self) -> bool:
        return self in (ObjectionState.RECEIVED, ObjectionState.CHECKING)


_STATE_KEYS = {
    "received": "publicity.state.received",
    "checking": "publicity.state.checking",
    "upheld": "publicity.state.upheld",
    "rejected": "publicity.state.rejected",
}
_WHAT_KEYS = {
    "name": "publicity.what.name",
    "contact": "publicity.what.contact",
    "content": "publicity.what.content",
    "notes": "publicity.what.notes",
    "reason": "publicity.what.reason",
}


class Period(BaseModel):
    """The 公示期 as recorded: from ``start`` for ``days`` 工作日, ending on ``end`` (inclusive)."""

    model_config = ConfigDict(frozen=True)
    start: date
    days: int
    end: date

    def zh(self) -> str:
        return t("publicity.period", start=day_zh(self.start), end=day_zh(self.end), days=self.days)


class Objection(BaseModel):
    """What the office needs of an objection; the objector's name and contact stay in storage."""

    model_config = ConfigDict(frozen=True)
    id: int
    case_id: int
    received_on: date
    content: str
    state: ObjectionState
    notes: str = ""
    reason: str = ""


def day_zh(day: date) -> str:
    return t("publicity.day", year=day.year, month=day.month, day=day.day)


def _text(value: str, what: str) -> str | None:
    text = value.strip()
    if not text:
        return t("publicity.refuse.empty", what=t(_WHAT_KEYS[what]))
    if len(text) > TEXT_MOST:
        return t("publicity.refuse.too_long", what=t(_WHAT_KEYS[what]), most=TEXT_MOST, length=len(text))
    return None


def may_record(
    period: Period | None, listed: Iterable[int], case_id: int, received_on: date, name: str, contact: str, content: str
) -> str | None:
    """An objection may be recorded against a listed case, received inside the 公示期, under a real name."""
    if period is None:
        return t("publicity.refuse.not_started")
    if case_id not in set(listed):
        return t("publicity.refuse.not_listed", case=case_id)
    if not period.start <= received_on <= period.end:
        return t("publicity.refuse.outside_period", day=day_zh(received_on), period=period.zh())
    for value, what in ((name, "name"), (contact, "contact"), (content, "content")):
        refusal = _text(value, what)
        if refusal is not None:
            return refusal
    return None


def may_check(objection: Objection | None, notes: str) -> str | None:
    """核查 notes may be added while the objection is open (again, as the check goes on)."""
    if objection is None:
        return t("publicity.refuse.no_objection")
    if not objection.state.open:
        return t("publicity.refuse.decided", id=objection.id, state=objection.state.zh)
    return _text(notes, "notes")


def may_decide(objection: Objection | None, reason: str) -> str | None:
    """成立 or 不成立, once, after a 核查, with the reason."""
    if objection is None:
        return t("publicity.refuse.no_objection")
    if not objection.state.open:
        return t("publicity.refuse.decided", id=objection.id, state=objection.state.zh)
    if objection.state is not ObjectionState.CHECKING:
        return t("publicity.refuse.not_checked", id=objection.id)
    return _text(reason, "reason")


def may_finalise(period: Period | None, today: date, objections: Sequence[Objection], final: bool) -> str | None:
    """The list becomes final only after the 公示期 and with every objection decided."""
    if final:
        return t("publicity.refuse.already_final")
    if period is None:
        return t("publicity.refuse.not_started")
    if today <= period.end:
        return t("publicity.refuse.period_running", end=day_zh(period.end))
    still_open = [o.id for o in objections if o.state.open]
    if still_open:
        return t("publicity.refuse.open_objections", ids=t("publicity.sep").join(str(i) for i in still_open))
    return None


def withdrawn(objections: Iterable[Objection]) -> set[int]:
    """The cases an upheld objection takes off the list."""
    return {o.case_id for o in objections if o.state is ObjectionState.UPHELD}


def final_list(listed: Sequence[int], objections: Iterable[Objection], added: Sequence[int] = ()) -> list[int]:
    """The 公示 list without the withdrawn cases, then the cases the admin added by hand; no gap is filled."""
    out = withdrawn(objections)
    kept = [case for case in listed if case not in out]
    return kept + [case for case in added if case not in kept and case not in out]
