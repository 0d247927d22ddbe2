"""The panel's settings as the campaign file gives them (``[panel]``, ``[[panel.criteria]]``).

A criterion is either a gate (一票否决: the expert answers yes or no, a "no" needs a reason) or a
number of points up to a maximum. The criteria come from the notice's 二、案例要求; their maxima are
the office's choice, so they are data, never code. Groups split the panel by category: each group
of experts scores the cases of its categories and the ranking is made within each group.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..wording import t

# Where the notice is silent the office's usual practice: the highest and the lowest score are dropped
# once a case has this many, and a spread (max − min of the totals) above this share of the total
# maximum is sent to 复核.
DEFAULT_TRIM_FROM = 5
DEFAULT_SPREAD_SHARE = Decimal("0.2")


class Criterion(BaseModel):
    """One line of the score sheet."""

    model_config = ConfigDict(frozen=True)
    name: str = Field(min_length=1, max_length=60)
    words: str = ""  # the notice's own words, shown to the expert
    max: int | None = Field(default=None, ge=1, le=1000)
    gate: bool = False

    @model_validator(mode="after")
    def _gate_or_points(self) -> Criterion:
        if self.gate == (self.max is not None):
            raise ValueError(t("panel.criteria.gate_or_max", name=self.name))
        return self


class GroupSetting(BaseModel):
    """A group of the panel: its name and the categories its experts score."""

    model_config = ConfigDict(frozen=True)
    name: str = Field(min_length=1, max_length=30)
    categories: tuple[str, ...] = Field(min_length=1)


class PanelSettings(BaseModel):
    model_config = ConfigDict(frozen=True)
    criteria: tuple[Criterion, ...] = ()
    pledge: str = ""  # 承诺书, confirmed once by each expert
    groups: tuple[GroupSetting, ...] = ()  # none: every expert scores every case
    trim_from: int = Field(default=DEFAULT_TRIM_FROM, ge=3)
    spread: Decimal | None = Field(default=None, ge=0)  # None: DEFAULT_SPREAD_SHARE of the total maximum
    places: int = Field(default=0, ge=0)  # 拟入选 overall, for the tie flag at the cut-off; 0: not set
    remind_days: tuple[int, ...] = (1,)

    @model_validator(mode="after")
    def _unique(self) -> PanelSettings:
        names = [c.name for c in self.criteria]
        if len(names) != len(set(names)):
            raise ValueError(t("panel.criteria.duplicate"))
        seen: set[str] = set()
        for group in self.groups:
            for category in group.categories:
                if category in seen:
                    raise ValueError(t("panel.groups.twice", category=category))
                seen.add(category)
        return self

    @property
    def gates(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.gate)

    @property
    def points(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if not c.gate)

    @property
    def total_max(self) -> int:
        return sum(c.max or 0 for c in self.points)

    @property
    def spread_limit(self) -> Decimal:
        if self.spread is not None:
            return self.spread
        return (Decimal(self.total_max) * DEFAULT_SPREAD_SHARE).quantize(Decimal("0.01"))

    def check_categories(self, categories: tuple[str, ...]) -> None:
        """Groups must name the campaign's categories and cover them all, so no case goes unscored."""
        if not self.groups:
            return
        grouped = {c for g in self.groups for c in g.categories}
        unknown = sorted(grouped - set(categories))
        if unknown:
            raise ValueError(t("panel.groups.unknown", categories=t("panel.list").join(unknown)))
        left = [c for c in categories if c not in grouped]
        if left:
            raise ValueError(t("panel.groups.uncovered", categories=t("panel.list").join(left)))

    def group_of(self, category: str) -> str | None:
        for group in self.groups:
            if category in group.categories:
                return group.name
        return None


def parse_groups(text: str, categories: tuple[str, ...]) -> tuple[GroupSetting, ...]:
    """The command line's ``--groups``: "none" for an undivided panel, or "组名=类别,类别;组名=类别"."""
    spec = text.strip()
    if spec.lower() in ("none", "off", t("panel.groups.none_word")):
        return ()
    groups = []
    for part in re.split(r"[;\n" + t("panel.clause") + "]", spec):
        if not part.strip():
            continue
        name, sep, listed = part.replace(t("panel.groups.equals"), "=").partition("=")
        names = tuple(
            c.strip() for c in re.split("[," + t("panel.list") + t("panel.groups.comma") + "]", listed) if c.strip()
        )
        if not sep or not name.strip() or not names:
            raise ValueError(t("panel.groups.syntax"))
        groups.append(GroupSetting(name=name.strip(), categories=names))
    settings = PanelSettings(groups=tuple(groups))
    settings.check_categories(categories)
    return settings.groups
