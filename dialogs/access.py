"""Who may see which unit's cases: the rule that keeps units from learning about each other."""

from __future__ import annotations

import re
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


# An invitation code as `casebot invites` makes it: the role's initial (s 申报人, c 联络人), then
# secrets.token_urlsafe(12), i.e. 16 characters of the URL-safe base64 alphabet.
INVITE_CODE = re.compile(r"[sc][A-Za-z0-9_-]{16}")


def join_code(text: str, in_unit: bool) -> str | None:
    """The invitation code a bare message stands for, or None when it is an ordinary answer.

    Why: on channels without deep links (WeCom) a new user is told to send the code itself. Only a
    user who belongs to no unit yet can mean that; for everyone else a code-like text (a case name of
    17 Latin letters, say) is an answer and goes to the form. Surrounding blanks are forgiven, as
    copying a code from a chat often brings them along; anything else around it is not a code.
    """
    if in_unit:
        return None
    stripped = text.strip()
    return stripped if INVITE_CODE.fullmatch(stripped) else None


def needs_invitation(unit: str | None, campaign: Campaign, units_open: bool) -> bool:
    """A user of no unit (or of one the campaign no longer has) must join by invitation before a draft,
    unless units may be chosen: strangers must not fill a unit's places in its quota."""
    return not units_open and (unit is None or campaign.unit(unit) is None)


def invitation_zh(channel: str) -> str:
    """How to join, in the words of the channel the user is on (a link or /start on Telegram, the code on WeCom)."""
    key = {"telegram": "access.invite.telegram", "wecom": "access.invite.wecom"}.get(channel, "access.invite.other")
    return t(key)


def joined_zh(unit: Unit, role: str) -> str:
    if role == "coordinator":
        return t("access.joined", unit=unit.name, role=t("access.role.coordinator"))
    return t("access.joined", unit=unit.name, role=t("access.role.submitter"))


def summary_caption_zh(scope: Scope) -> str:
    if scope.everything:
        return t("access.caption.all", count=len(scope.units))
    return t("access.caption.units", units=t("dialog.sep.list").join(u.name for u in scope.units))
