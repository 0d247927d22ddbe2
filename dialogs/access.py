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
ADMIN_ONLY = "此命令仅限省级管理员使用。"
BAD_INVITE = "该邀请链接无效或已被撤销，请向推荐单位索取新的链接。"


def joined_zh(unit: Unit, role: str) -> str:
    who = "联络人（可下载本单位汇总表、管理本单位案例）" if role == "coordinator" else "申报人"
    return f"您已加入“{unit.name}”，身份：{who}。"


def summary_caption_zh(scope: Scope) -> str:
    if scope.everything:
        return f"全省各推荐单位汇总表（每个单位一个工作表），共 {len(scope.units)} 个单位。"
    return f"{'、'.join(u.name for u in scope.units)}推荐汇总表如下（按推荐顺序排列）。"
