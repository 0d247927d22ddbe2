"""The inbox: messages a channel acknowledged before answering them, kept until they are answered.

Why: WeCom does not deliver a callback again once it got its HTTP 200, so what it delivered must be
on disk before the 200 leaves, and a crash between the 200 and the answer must lose nothing. A row
is written in one statement (one trip to aiosqlite's worker, SQLite makes it its own transaction);
its key is the channel's dedupe key, so a delivery WeCom retries is refused by the primary key and
recorded once. A row is *handled* in the service's own transaction (a trigger on ``events`` marks
the row whose key the service recorded, migration 6), and *answered* once the replies went out.
On start-up every row not answered is processed again in order; the service answers one already
handled from its record, so nothing is applied twice.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .core import TxCore
from .records import iso, utcnow

if TYPE_CHECKING:
    from .store import Store

ADD = "INSERT INTO inbox (key, user, payload, received_at) VALUES (?, ?, ?, ?)"


@dataclass(frozen=True)
class InboxRow:
    """One acknowledged message; ``payload`` is the channel's own serialisation of it."""

    id: int
    key: str
    user: str
    payload: str
    handled: bool


class InboxOps(TxCore):
    async def add_inbound(self, key: str, user: str, payload: str) -> None:
        self._write(ADD, (key, user, payload, iso(utcnow())))

    async def mark_answered(self, key: str) -> None:
        self._write("UPDATE inbox SET answered_at = ? WHERE key = ? AND answered_at IS NULL", (iso(utcnow()), key))

    async def unanswered(self, prefix: str) -> list[InboxRow]:
        """The rows of one channel (users ``prefix:…``) still to answer, in the order they arrived."""
        rows = await self._rows(
            "SELECT id, key, user, payload, handled_at IS NOT NULL FROM inbox "
            "WHERE answered_at IS NULL AND user LIKE ? ESCAPE '\\' ORDER BY id",
            (prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%",),
        )
        return [InboxRow(int(r[0]), r[1], r[2], r[3], bool(r[4])) for r in rows]

    async def inbound(self, key: str) -> InboxRow | None:
        rows = await self._rows(
            "SELECT id, key, user, payload, handled_at IS NOT NULL FROM inbox WHERE key = ?", (key,)
        )
        return InboxRow(int(rows[0][0]), rows[0][1], rows[0][2], rows[0][3], bool(rows[0][4])) if rows else None


async def record_inbound(store: Store, key: str, user: str, payload: str) -> bool:
    """Write a message to the inbox before it is acknowledged; False when that key is already there.

    The insert is the transaction's only statement, so it is committed by the time this returns.
    """
    try:
        async with store.atomic() as tx:
            await tx.add_inbound(key, user, payload)
    except sqlite3.IntegrityError as error:
        if "inbox.key" in str(error):
            return False
        raise
    return True
