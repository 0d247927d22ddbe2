"""A unit's members, listed and removed: in the chat (`/members`, `/remove 序号`) and on the command line.

Why: a reissued invitation refuses the old code to newcomers, but those who already joined with a leaked
code stay members. Each member's code is recorded when they join (migration 12), so the members who
came in by a code can be found and removed. A coordinator manages their own unit, an administrator any
unit. A removal asks first (the question is kept on the session, ``waiting = "remove:…"``, so it is
answered by button, by its number or in words, across a restart), is checked again when confirmed
(the one confirming must still be allowed, the member must still be there) and is audited. A removed
member loses the unit's commands at once: every coordinator command reads the membership afresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.storage import Member, Store, Tx
from dialogs.campaign import Campaign
from dialogs.events import Button, Command, Event, Press, Reply, Text
from dialogs.numbers import read_case_id
from dialogs.wording import t

REMOVING = "remove:"
_ROLES = {"coordinator": "access.role_short.coordinator", "submitter": "access.role_short.submitter"}
YES, NO = "mr:yes", "mr:no"


@dataclass(frozen=True)
class Scope:
    units: tuple[str, ...]
    refusal: str = ""


def describe(number: int, member: Member, revoked: set[str], unit_name: str) -> str:
    """One line of a list: number, who, role, since when, and the code joined with (and whether it still works)."""
    if member.invite is None:
        code = t("members.code_unknown")
    else:
        code = t("members.code_revoked" if member.invite in revoked else "members.code_current", code=member.invite)
    return t(
        "members.line",
        number=number,
        user=member.user,
        role=_role(member.role),
        unit=unit_name,
        since=member.joined_at[:10],
        code=code,
    )


async def remove(tx: Tx, actor: str, member: Member, why: str = "") -> None:
    """Take the membership away, leave the member's session without the unit, and audit it."""
    await tx.remove_member(member.user, member.unit, member.role)
    detail = " ".join(part for part in (member.role, member.user, why) if part)
    await tx.audit(actor, "remove_member", unit=member.unit, detail=detail)
    session = await tx.load_session(member.user)
    still = any(unit == member.unit for unit, _ in await tx.roles_of(member.user))
    if session.unit == member.unit and not still:
        await tx.save_session(session.model_copy(update={"unit": None, "waiting": ""}))


class Members:
    def __init__(self, store: Store, campaign: Campaign) -> None:
        self.store = store
        self.campaign = campaign

    def _name(self, code: str) -> str:
        unit = self.campaign.unit(code)
        return unit.name if unit else code

    async def _scope(self, tx: Tx, user: str, is_admin: bool, code: str) -> Scope:
        """The units ``user`` may manage here: an administrator any (or the one named), a coordinator their own."""
        if code and self.campaign.unit(code) is None and not await tx.members(code):
            return Scope((), t("members.unknown_unit", code=code[:40]))
        if is_admin:
            return Scope((code,) if code else tuple(u.code for u in self.campaign.units))
        mine = [unit for unit, role in await tx.roles_of(user) if role == "coordinator"]
        if not mine:
            return Scope((), t("members.refused"))
        if code:
            return Scope((code,)) if code in mine else Scope((), t("members.not_yours"))
        current = (await tx.load_session(user)).unit
        return Scope((current if current in mine else mine[0],))

    async def _listed(self, tx: Tx, units: tuple[str, ...]) -> list[Member]:
        return [m for code in units for m in await tx.members(code)]

    async def route(self, user: str, event: Event, key: str | None, is_admin: bool) -> list[Reply] | None:
        """/members, /remove, and the answer to a removal's question; None for anything else."""
        if isinstance(event, Command) and event.name in ("members", "remove"):
            return await self.store.once(key, user, lambda tx: self._command(tx, user, event, is_admin))
        if isinstance(event, Press) and event.data in (YES, NO):
            return await self.store.once(key, user, lambda tx: self._answer(tx, user, event.data == YES, is_admin))
        if isinstance(event, Text):
            async with self.store.atomic() as tx:
                waiting = (await tx.load_session(user)).waiting
            if waiting.startswith(REMOVING):
                answer = _yes_no(event.text)
                if answer is None:
                    return [Reply(t("members.answer_first"), _buttons())]
                return await self.store.once(key, user, lambda tx: self._answer(tx, user, answer, is_admin))
        return None

    async def _command(self, tx: Tx, user: str, event: Command, is_admin: bool) -> list[Reply]:
        words = event.arg.split()
        number = read_case_id(words[-1]) if event.name == "remove" and words else None
        code = " ".join(words[:-1] if number is not None else words) if event.name == "remove" else event.arg.strip()
        scope = await self._scope(tx, user, is_admin, code.strip())
        if scope.refusal:
            return [Reply(scope.refusal)]
        listed = await self._listed(tx, scope.units)
        if event.name == "members":
            return [Reply(await self._list_text(tx, scope.units, listed))]
        if number is None:
            return [Reply(t("members.remove_usage"))]
        if not 1 <= number <= len(listed):
            return [Reply(t("members.no_such", number=number, count=len(listed)))]
        member = listed[number - 1]
        session = await tx.load_session(user)
        waiting = f"{REMOVING}{member.unit}:{member.role}:{member.user}"
        await tx.save_session(session.model_copy(update={"waiting": waiting}))
        question = t(
            "members.confirm",
            user=member.user,
            role=_role(member.role),
            unit=self._name(member.unit),
        )
        return [Reply(question, _buttons())]

    async def _list_text(self, tx: Tx, units: tuple[str, ...], listed: list[Member]) -> str:
        if not listed:
            return t("members.none", units=t("dialog.sep.list").join(self._name(u) for u in units))
        revoked = {code for unit in units for code in await tx.revoked_invites(unit)}
        lines = [t("members.header", units=t("dialog.sep.list").join(self._name(u) for u in units))]
        lines += [describe(n, m, revoked, self._name(m.unit)) for n, m in enumerate(listed, start=1)]
        lines.append(t("members.how_to_remove"))
        return "\n".join(lines)

    async def _answer(self, tx: Tx, user: str, yes: bool, is_admin: bool) -> list[Reply]:
        session = await tx.load_session(user)
        coordinates = {unit for unit, role in await tx.roles_of(user) if role == "coordinator"}
        if not is_admin and not coordinates:  # a removed coordinator's old button, or a forged one
            return [Reply(t("members.refused"))]
        if not session.waiting.startswith(REMOVING):
            return [Reply(t("members.nothing_asked"), transient=True)]
        await tx.save_session(session.model_copy(update={"waiting": ""}))
        unit, role, target = session.waiting.removeprefix(REMOVING).split(":", 2)
        if not yes:
            return [Reply(t("members.kept"))]
        allowed = is_admin or unit in coordinates
        if not allowed:  # removed meanwhile, or a forged button: the question no longer stands
            return [Reply(t("members.refused"))]
        member = next((m for m in await tx.members(unit) if m.user == target and m.role == role), None)
        if member is None:
            return [Reply(t("members.gone"))]
        await remove(tx, user, member)
        return [Reply(t("members.removed", user=target, role=_role(role), unit=self._name(unit)))]


def _role(role: str) -> str:
    return t(_ROLES[role]) if role in _ROLES else role


def _buttons() -> tuple[tuple[Button, ...], ...]:
    return ((Button(t("members.button.yes"), YES), Button(t("members.button.no"), NO)),)


def _yes_no(text: str) -> bool | None:
    """The answer typed to the question: its number (1 确认, 2 不移出) or the words."""
    word = re.sub(r"[\W_]+$", "", text.strip())  # a full stop or an exclamation after the word
    if word in t("members.yes_words").split():
        return True
    if word in t("members.no_words").split():
        return False
    return None
