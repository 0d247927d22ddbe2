"""形式审查: the checks made on each recommended case before any expert sees it.

The automatic items are what casebot can know (every field filled, the window, 字数, pictures, the
unit's quota, no duplicate across units, the sealed scans current, the 汇总表's contact); the shell
gathers the facts it needs into :class:`Facts`. The office's own items (the paper received and
when, the electronic version, both 意见 signed and sealed, the category fits, the applicant
eligible) are its marks, and the case's decision (通过 / 不予受理 / 补正) is the admin's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ..campaign import Campaign
from ..form import label
from ..models import PARTS, Case
from ..periods import Period, load
from ..render import missing
from ..wordcount import count_zi
from ..wording import t


@dataclass(frozen=True)
class Facts:
    """What the shell found about a case: its unit's recommendation count, near copies elsewhere,
    the state of its sealed scans and of the unit's 汇总表 contact."""

    recommended_in_unit: int
    quota: int
    duplicates: tuple[int, ...] = ()
    case_scan: str = "none"  # "none" | "sealed" | "stale"
    summary_scan: str = "none"
    contact_ok: bool = False


class Office(StrEnum):
    """The items only the office can tick."""

    PAPER = "paper"
    ELECTRONIC = "electronic"
    SEALED = "sealed"
    CATEGORY = "category"
    ELIGIBLE = "eligible"


OFFICE_ITEMS: tuple[Office, ...] = tuple(Office)


class Decision(StrEnum):
    PASS = "pass"  # 通过
    REJECT = "reject"  # 不予受理
    AMEND = "amend"  # 补正


@dataclass(frozen=True)
class Marks:
    """The office's ticks for one case: item → True/False; the paper's date of receipt."""

    ticks: Mapping[str, bool] = field(default_factory=dict)
    paper_on: date | None = None


@dataclass(frozen=True)
class Item:
    key: str
    name: str
    ok: bool | None  # None: not yet ticked by the office
    why: str = ""


ITEM_KEYS = {
    "complete": "panel.formal.item.complete",
    "window": "panel.formal.item.window",
    "zi": "panel.formal.item.zi",
    "pictures": "panel.formal.item.pictures",
    "quota": "panel.formal.item.quota",
    "duplicate": "panel.formal.item.duplicate",
    "case_scan": "panel.formal.item.case_scan",
    "summary_scan": "panel.formal.item.summary_scan",
    "contact": "panel.formal.item.contact",
}
AUTO_ITEMS = tuple(ITEM_KEYS)
OFFICE_KEYS = {
    Office.PAPER: "panel.formal.office.paper",
    Office.ELECTRONIC: "panel.formal.office.electronic",
    Office.SEALED: "panel.formal.office.sealed",
    Office.CATEGORY: "panel.formal.office.category",
    Office.ELIGIBLE: "panel.formal.office.eligible",
}
DECISION_KEYS = {
    Decision.PASS: "panel.formal.decision.pass",
    Decision.REJECT: "panel.formal.decision.reject",
    Decision.AMEND: "panel.formal.decision.amend",
}
SCAN_WHY = {"none": "panel.formal.why.scan_none", "stale": "panel.formal.why.scan_stale"}


def item_name(key: str) -> str:
    return t(ITEM_KEYS[key])


def automatic(case: Case, campaign: Campaign, facts: Facts) -> list[Item]:
    form, limits = case.form, campaign.limits
    lacking = missing(form)
    period = load(form.period) if form.period else None
    inside = period is not None and _overlaps(period, campaign)
    summary = count_zi(form.summary or "")
    content = sum(count_zi(str(form.value(p) or "")) for p in PARTS)
    pictures = len(form.pictures)
    return [
        Item("complete", item_name("complete"), not lacking, t("panel.list").join(label(s) for s in lacking)),
        Item(
            "window",
            item_name("window"),
            inside,
            "" if inside else t("panel.formal.why.window", window=campaign.window.zh()),
        ),
        _zi(summary, limits.summary_zi, content, limits.content_zi),
        _checked(
            "pictures",
            limits.pictures_min <= pictures <= limits.pictures_max,
            t("panel.formal.why.pictures", count=pictures, low=limits.pictures_min, high=limits.pictures_max),
        ),
        _checked(
            "quota",
            facts.recommended_in_unit <= facts.quota,
            t("panel.formal.why.quota", used=facts.recommended_in_unit, quota=facts.quota),
        ),
        Item(
            "duplicate",
            item_name("duplicate"),
            not facts.duplicates,
            t("panel.formal.why.duplicate", ids=t("panel.list").join(str(i) for i in facts.duplicates))
            if facts.duplicates
            else "",
        ),
        _scan("case_scan", facts.case_scan),
        _scan("summary_scan", facts.summary_scan),
        Item(
            "contact", item_name("contact"), facts.contact_ok, "" if facts.contact_ok else t("panel.formal.why.contact")
        ),
    ]


def _checked(key: str, ok: bool, why: str) -> Item:
    """An item whose reason is printed only when it fails."""
    return Item(key, item_name(key), ok, "" if ok else why)


def _overlaps(period: Period, campaign: Campaign) -> bool:
    """As the dialog accepts it: a month inside the window, or a range that overlaps it."""
    first, last = campaign.window.start.ordinal(), campaign.window.end.ordinal()
    start = period.start.ordinal()
    if not period.ranged:
        return first <= start <= last
    return start <= last and (period.end is None or period.end.ordinal() >= first)


def _zi(summary: int, summary_max: int, content: int, content_max: int) -> Item:
    problems = []
    if summary > summary_max:
        problems.append(t("panel.formal.why.summary_zi", count=summary, limit=summary_max))
    if content > content_max:
        problems.append(t("panel.formal.why.content_zi", count=content, limit=content_max))
    return Item("zi", item_name("zi"), not problems, t("panel.clause").join(problems))


def _scan(key: str, state: str) -> Item:
    why = "" if state == "sealed" else t(SCAN_WHY.get(state, "panel.formal.why.scan_none"))
    return Item(key, item_name(key), state == "sealed", why)


def office(marks: Marks) -> list[Item]:
    items = []
    for key in OFFICE_ITEMS:
        ok = marks.ticks.get(key)
        why = ""
        if key is Office.PAPER and ok and marks.paper_on is not None:
            why = t(
                "panel.formal.why.paper_on",
                day=t("panel.date", year=marks.paper_on.year, month=marks.paper_on.month, day=marks.paper_on.day),
            )
        items.append(Item(key, t(OFFICE_KEYS[key]), ok, why))
    return items


def all_items(case: Case, campaign: Campaign, facts: Facts, marks: Marks) -> list[Item]:
    return automatic(case, campaign, facts) + office(marks)


def failures(items: list[Item]) -> list[Item]:
    """Items answered "no"; unticked office items are not failures, only not yet done."""
    return [i for i in items if i.ok is False]


def unticked(items: list[Item]) -> list[Item]:
    return [i for i in items if i.ok is None]


def decision_zh(decision: Decision | None) -> str:
    return t(DECISION_KEYS[decision]) if decision is not None else t("panel.formal.decision.none")
