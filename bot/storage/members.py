"""Who may do what: the units of the campaign, their members, and the invitations that bring them."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.campaign import Unit

from .core import TxCore
from .records import Invite, Member, iso, utcnow


class MemberOps(TxCore):
    async def invite(self, code: str) -> Invite | None:
        rows = await self._rows("SELECT code, unit, role FROM invites WHERE code = ? AND revoked_at IS NULL", (code,))
        return Invite(code=rows[0][0], unit=rows[0][1], role=rows[0][2]) if rows else None

    async def invites(self, unit: str | None = None) -> list[Invite]:
        sql = "SELECT code, unit, role FROM invites WHERE revoked_at IS NULL"
        args: tuple[object, ...] = ()
        if unit is not None:
            sql, args = sql + " AND unit = ?", (unit,)
        rows = await self._rows(sql + " ORDER BY unit, role", args)
        return [Invite(code=r[0], unit=r[1], role=r[2]) for r in rows]

    async def create_invite(self, code: str, unit: str, role: str) -> None:
        self._write(
            "INSERT INTO invites (code, unit, role, created_at) VALUES (?, ?, ?, ?)", (code, unit, role, iso(utcnow()))
        )

    async def revoke_invites(self, unit: str, role: str) -> int:
        _, rowcount = await self._run(
            "UPDATE invites SET revoked_at = ? WHERE unit = ? AND role = ? AND revoked_at IS NULL",
            (iso(utcnow()), unit, role),
        )
        return rowcount

    async def add_member(self, user: str, unit: str, role: str, invite: str | None = None) -> None:
        self._write(
            "INSERT OR IGNORE INTO members (user, unit, role, joined_at, invite) VALUES (?, ?, ?, ?, ?)",
            (user, unit, role, iso(utcnow()), invite),
        )

    async def members(self, unit: str | None = None) -> list[Member]:
        """The members of a unit (every unit's for None), in the order they joined."""
        sql = "SELECT user, unit, role, joined_at, invite FROM members"
        args: tuple[object, ...] = ()
        if unit is not None:
            sql, args = sql + " WHERE unit = ?", (unit,)
        rows = await self._rows(sql + " ORDER BY unit, joined_at, user, role", args)
        return [Member(user=r[0], unit=r[1], role=r[2], joined_at=r[3], invite=r[4]) for r in rows]

    async def remove_member(self, user: str, unit: str, role: str | None = None) -> int:
        """Take ``user`` out of ``unit`` (in one role, or every role); the number of memberships removed."""
        sql, args = "DELETE FROM members WHERE user = ? AND unit = ?", [user, unit]
        if role is not None:
            sql, args = sql + " AND role = ?", [user, unit, role]
        _, rowcount = await self._run(sql, tuple(args))
        return rowcount

    async def revoked_invites(self, unit: str) -> set[str]:
        rows = await self._rows("SELECT code FROM invites WHERE unit = ? AND revoked_at IS NOT NULL", (unit,))
        return {r[0] for r in rows}

    async def members_of(self, unit: str, role: str) -> list[str]:
        rows = await self._rows("SELECT user FROM members WHERE unit = ? AND role = ? ORDER BY joined_at", (unit, role))
        return [r[0] for r in rows]

    async def roles_of(self, user: str) -> list[tuple[str, str]]:
        rows = await self._rows("SELECT unit, role FROM members WHERE user = ? ORDER BY joined_at", (user,))
        return [(r[0], r[1]) for r in rows]

    async def coordinators(self) -> list[tuple[str, str]]:
        rows = await self._rows("SELECT user, unit FROM members WHERE role = 'coordinator' ORDER BY unit")
        return [(r[0], r[1]) for r in rows]

    async def units(self) -> list[Unit]:
        rows = await self._rows("SELECT data FROM units ORDER BY position")
        return [Unit.model_validate_json(r[0]) for r in rows]

    async def replace_units(self, units: Sequence[Unit]) -> None:
        self._write("DELETE FROM units")
        for i, u in enumerate(units):
            self._write("INSERT INTO units (code, data, position) VALUES (?, ?, ?)", (u.code, u.model_dump_json(), i))
