"""Everything the papers of a panel print, gathered by the shell into one value.

The exporters are pure builders: they receive this record and return bytes, so the 评审汇总表, the
评分表, the 拟入选名单 and the 评审情况报告 all print the same facts the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ..campaign import Campaign
from ..models import Case
from .assignment import Expert
from .formal import Decision, Item
from .result import CaseResult, Review, Sheet


@dataclass(frozen=True)
class Recusal:
    """回避: declared by the expert, entered by the admin, or automatic (the expert's own unit)."""

    expert: int
    case_id: int
    reason: str = ""
    automatic: bool = False


@dataclass(frozen=True)
class Approval:
    """报批审定: who approved the 拟入选 list, and when."""

    by: str
    at: datetime


@dataclass(frozen=True)
class FormalRow:
    """One line of the 形式审查表."""

    case: Case
    items: tuple[Item, ...]
    decision: Decision | None = None
    note: str = ""  # the reason of a 不予受理, the date of a 补正


@dataclass(frozen=True)
class PanelRecord:
    campaign: Campaign
    cases: tuple[Case, ...]  # the cases that passed 形式审查, in the panel
    experts: tuple[Expert, ...]  # the experts whose scores count, in the order added
    plan: Mapping[int, tuple[int, ...]]  # case id → experts given it
    sheets: tuple[Sheet, ...]  # finished scores that count
    results: tuple[CaseResult, ...]  # best first
    recusals: tuple[Recusal, ...] = ()
    reviews: Mapping[int, Review] = field(default_factory=dict)
    selection: tuple[int, ...] = ()
    replaced: tuple[tuple[Expert, Expert], ...] = ()  # (who left, who took their cases)
    entered: frozenset[tuple[int, int]] = frozenset()  # (expert, case) whose paper sheet the admin entered
    formal: Mapping[str, int] = field(default_factory=dict)  # decision → cases
    pledged: Mapping[int, datetime] = field(default_factory=dict)  # expert → when the 承诺书 was confirmed
    started_at: datetime | None = None
    closed_at: datetime | None = None
    approval: Approval | None = None

    @property
    def day(self) -> datetime | None:
        """The date the papers carry: approval, else close, else start."""
        if self.approval is not None:
            return self.approval.at
        return self.closed_at or self.started_at

    def case(self, case_id: int) -> Case:
        return next(c for c in self.cases if c.id == case_id)

    def sheet(self, expert: int, case_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.expert == expert and s.case_id == case_id), None)

    def recused(self, expert: int, case_id: int) -> bool:
        return any(r.expert == expert and r.case_id == case_id for r in self.recusals)

    def result(self, case_id: int) -> CaseResult | None:
        return next((r for r in self.results if r.case_id == case_id), None)

    def unit_name(self, code: str) -> str:
        unit = self.campaign.unit(code)
        return unit.name if unit is not None else code
