"""Who scores what, and 回避.

By default every expert scores every case: ranks are fair only when the same people score the cases
compared. With groups, each group's experts score the cases of its categories. 回避 is automatic
only where it can be known (an expert tied to a recommending unit is never given that unit's cases)
and otherwise declared (by the expert, or entered by the admin). A declared 回避 in a split panel
passes the case to another expert outside its group, the one with the fewest cases, so the case
keeps its number of scores; with everyone scoring everything the expert's score is simply absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Expert:
    id: int
    name: str
    org: str = ""  # 所在单位
    unit: str | None = None  # the recommending unit the expert belongs to, if any
    group: str | None = None


@dataclass(frozen=True)
class Pending:
    """A case as the assignment sees it."""

    case_id: int
    unit: str
    group: str | None = None


def tied(expert: Expert, case: Pending) -> bool:
    return expert.unit is not None and expert.unit == case.unit


def assign(
    cases: Sequence[Pending], experts: Sequence[Expert], excluded: Iterable[tuple[int, int]] = ()
) -> dict[int, list[int]]:
    """case id → the ids of its experts, in the experts' order. ``excluded`` holds (expert, case)
    pairs of declared 回避; groups apply when any expert has one."""
    barred = set(excluded)
    grouped = any(e.group is not None for e in experts)
    plan: dict[int, list[int]] = {}
    for case in cases:
        plan[case.case_id] = [
            e.id
            for e in experts
            if not tied(e, case) and (not grouped or e.group == case.group) and (e.id, case.case_id) not in barred
        ]
    if grouped:
        _fill_recusals(plan, cases, experts, barred)
    return plan


def _fill_recusals(
    plan: dict[int, list[int]], cases: Sequence[Pending], experts: Sequence[Expert], barred: set[tuple[int, int]]
) -> None:
    """In a split panel, each declared 回避 within the case's group is made up by another expert."""
    load = {e.id: 0 for e in experts}
    for ids in plan.values():
        for i in ids:
            load[i] += 1
    for case in cases:
        missing = sum(
            1 for e in experts if e.group == case.group and not tied(e, case) and (e.id, case.case_id) in barred
        )
        for _ in range(missing):
            spare = [
                e
                for e in experts
                if e.id not in plan[case.case_id] and not tied(e, case) and (e.id, case.case_id) not in barred
            ]
            if not spare:
                break
            chosen = min(spare, key=lambda e: (load[e.id], e.id))
            plan[case.case_id].append(chosen.id)
            load[chosen.id] += 1


def cases_of(plan: Mapping[int, Sequence[int]], expert: int) -> list[int]:
    """The cases given to ``expert``, in case order."""
    return sorted(cid for cid, ids in plan.items() if expert in ids)


def reminder_due(until: date, today: date, days: tuple[int, ...], sent: set[str]) -> str | None:
    """The key of the panel reminder due today (the latest of ``days`` before ``until`` already
    reached and not yet sent), or None; reminders stop once the deadline day has passed."""
    if today > until:
        return None
    reached = [d for d in days if today >= until - timedelta(days=d)]
    if not reached:
        return None
    key = f"panel:{until.isoformat()}:{min(reached)}"
    return None if key in sent else key
