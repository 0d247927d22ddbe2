"""`casebot members list|remove` and the removal a reissue of invitations offers: the command line's side
of :mod:`bot.usecases.members`, for an administrator at the server (any unit).

Why a removal asks first: it cannot be undone short of a new invitation. ``--yes`` (or ``--remove-old``
after ``invites --reissue``) answers for scripts; without it a question is asked on the terminal, and
an answer that is not yes (or no terminal at all) removes nobody.
"""

from __future__ import annotations

import asyncio

from bot.app import App
from bot.cli.admin import Refused
from bot.storage import Member
from bot.usecases.members import describe, remove
from dialogs.wording import t

ACTOR = "cli"


def _name(app: App, code: str) -> str:
    unit = app.campaign.unit(code)
    return unit.name if unit else code


async def list_members(app: App, unit: str | None) -> str:
    """Every member of one unit (or of all), numbered, with the code each joined with."""
    async with app.store.atomic() as tx:
        listed = await tx.members(unit)
        revoked = {c for code in {m.unit for m in listed} for c in await tx.revoked_invites(code)}
    if not listed:
        return t("members.none", units=_name(app, unit) if unit else t("admin.members.all_units"))
    lines = [describe(n, m, revoked, _name(app, m.unit)) for n, m in enumerate(listed, start=1)]
    return "\n".join([t("admin.members.header"), *lines])


async def _ask(question: str) -> bool:
    try:
        answer = await asyncio.to_thread(input, question)
    except EOFError:  # no terminal: nobody is removed
        answer = ""
    return answer.strip().lower() in t("admin.purge.yes_answers").split()


async def remove_members(app: App, unit: str, user: str, yes: bool) -> int:
    """`casebot members remove 用户 --unit 代码`: 0 when removed, 1 when not confirmed."""
    async with app.store.atomic() as tx:
        found = [m for m in await tx.members(unit) if m.user == user]
    if not found:
        raise Refused(t("admin.members.not_member", user=user, unit=_name(app, unit)))
    print("\n".join(describe(n, m, set(), _name(app, m.unit)) for n, m in enumerate(found, start=1)))
    if not yes and not await _ask(t("admin.members.confirm", count=len(found))):
        print(t("admin.members.cancelled"))
        return 1
    async with app.store.atomic() as tx:
        for member in found:
            await remove(tx, ACTOR, member)
    print(t("admin.members.removed", count=len(found), unit=_name(app, unit)))
    return 0


async def joined_with(app: App, codes: set[str]) -> list[Member]:
    async with app.store.atomic() as tx:
        return [m for m in await tx.members() if m.invite in codes]


async def offer_removal(app: App, old_codes: set[str], remove_old: bool) -> str:
    """After a reissue: the members who joined with a code now revoked, removed if asked (or confirmed)."""
    joined = await joined_with(app, old_codes)
    if not joined:
        return t("admin.members.none_by_old")
    listing = "\n".join(describe(n, m, old_codes, _name(app, m.unit)) for n, m in enumerate(joined, start=1))
    print(t("admin.members.by_old", count=len(joined)) + "\n" + listing)
    if not remove_old and not await _ask(t("admin.members.confirm", count=len(joined))):
        return t("admin.members.kept_old")
    async with app.store.atomic() as tx:
        for member in joined:
            await remove(tx, ACTOR, member, why="reissue")
    return t("admin.members.removed_old", count=len(joined))
