"""Who may see which unit's cases: the rule that keeps units from learning about each other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .campaign import Campaign, Unit


@dataclass(frozen=True)
class Scope:
    """The units whose summaries a user may download; ``everything`` for administrators."""

    units: tuple[Unit, ...]
    everything: bool = False

    @property
    def empty(self) -> bool:
        return not self.units


def summary_scope(campaign: Campaign, roles: Sequence[tuple[str, str]], is_admin: bool) -> Scope:
    if is_admin:
        return Scope(units=campaign.units, everything=True)
    codes = [unit for unit, role in roles if role == "coordinator"]
    return Scope(units=tuple(u for u in campaign.units if u.code in codes))


REFUSED = "汇总表仅限推荐单位联络人下载。如您是联络人，请通过本单位的联络人邀请链接加入。"
