"""Time and accountability: deadline extensions, reminders already sent, and the audit trail."""

from __future__ import annotations

from datetime import datetime

from .core import TxCore
from .records import iso, utcnow

AuditEntry = tuple[str, str, str, str | None, int | None, str]


class DeadlineOps(TxCore):
    async def extensions(self) -> dict[str, datetime]:
        rows = await self._rows("SELECT unit, deadline FROM extensions")
        return {r[0]: datetime.fromisoformat(r[1]) for r in rows}

    async def set_extension(self, unit: str, deadline: datetime) -> None:
        self._write(
            "INSERT INTO extensions (unit, deadline) VALUES (?, ?) "
            "ON CONFLICT(unit) DO UPDATE SET deadline = excluded.deadline",
            (unit, iso(deadline)),
        )

    async def users_with_drafts(self) -> list[tuple[str, str | None]]:
        """(user, unit) of every conversation with an unfinished draft."""
        rows = await self._rows(
            "SELECT user, json_extract(state, '$.unit') FROM sessions WHERE json_extract(state, '$.draft') IS NOT NULL"
        )
        return [(r[0], r[1]) for r in rows]

    async def mark_reminder(self, recipient: str, key: str) -> bool:
        """Record a reminder as sent; False if it had been sent before."""
        _, rowcount = await self._run(
            "INSERT OR IGNORE INTO reminders (recipient, key, sent_at) VALUES (?, ?, ?)",
            (recipient, key, iso(utcnow())),
        )
        return rowcount == 1

    async def reminders_sent(self, recipient: str) -> set[str]:
        rows = await self._rows("SELECT key FROM reminders WHERE recipient = ?", (recipient,))
        return {r[0] for r in rows}

    async def audit(
        self, actor: str, action: str, *, unit: str | None = None, case_id: int | None = None, detail: str = ""
    ) -> None:
        self._write(
            "INSERT INTO audit (at, actor, action, unit, case_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (iso(utcnow()), actor, action, unit, case_id, detail),
        )

    async def audit_log(self, unit: str | None = None, case_id: int | None = None) -> list[AuditEntry]:
        sql, args = "SELECT at, actor, action, unit, case_id, detail FROM audit WHERE 1=1", list[object]()
        if unit is not None:
            sql, args = sql + " AND unit = ?", [*args, unit]
        if case_id is not None:
            sql, args = sql + " AND case_id = ?", [*args, case_id]
        rows = await self._rows(sql + " ORDER BY id", args)
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]
