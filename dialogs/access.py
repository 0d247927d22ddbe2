"""Who may see which unit's cases: the rule that keeps units from learning about each other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .campaign import Campaign, Unit
from .wording import t


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


def joined_zh(unit: Unit, role: str) -> str:
    if role == "coordinator":
        return t("access.joined", unit=unit.name, role=t("access.role.coordinator"))
    return t("access.joined", unit=unit.name, role=t("access.role.submitter"))


def summary_caption_zh(scope: Scope) -> str:
    if scope.everything:
        return t("access.caption.all", count=len(scope.units))
    return t("access.caption.units", units=t("dialog.sep.list").join(u.name for u in scope.units))
