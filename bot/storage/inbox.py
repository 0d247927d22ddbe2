"""The inbox: messages a channel acknowledged before answering them, kept until they are answered.

Why: WeCom does not deliver a callback again once it got its HTTP 200, so what it delivered must be
on disk before the 200 leaves, and a crash between the 200 and the answer must lose nothing. A row
is written by :class:`InboxWriter` on a connection of its own, many callbacks to one statement;
its key is the channel's dedupe key, so a delivery WeCom retries is refused by the unique key and
recorded once. A row is *handled* in the service's own transaction (a trigger on ``events`` marks
the row whose key the service recorded, migration 6), and *answered* once the replies went out.
On start-up every row not answered is processed again in order; the service answers one already
handled from its record, so nothing is applied twice.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from .core import TxCore
from .records import iso, utcnow


@dataclass(frozen=True)
class InboxRow:
    """One acknowledged message; ``payload`` is the channel's own serialisation of it."""

    id: int
    key: str
    user: str
    payload: str
    handled: bool


class InboxOps(TxCore):
    async def mark_answered(self, key: str) -> None:
        self._write("UPDATE inbox SET answered_at = ? WHERE key = ? AND answered_at IS NULL", (iso(utcnow()), key))

    async def forget_answered(self, before: datetime) -> None:
        """Drop rows answered before ``before``: a retry comes within seconds, the rows are no record."""
        self._write("DELETE FROM inbox WHERE answered_at IS NOT NULL AND answered_at < ?", (iso(before),))

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


class InboxWriter:
    """Writes inbox rows on a connection of its own, many callbacks to one statement.

    Why a second connection: a callback's acknowledgement must not queue behind the service's
    transactions on the store's connection (with 200 members answering at once that queue is long,
    and WeCom wants its 200 within 5 seconds). SQLite serialises the writes of the two connections
    itself (WAL). Why no busy timeout here: SQLite's own busy handler sleeps in growing steps (1, 2,
    5, 10 … 100 ms), so an insert that found the write lock taken by one of the service's
    transactions slept on long after the lock was free, and that sleep was the acknowledgement's slow
    tail. Instead an insert refused with SQLITE_BUSY is tried again after :attr:`RETRY_PAUSE`, for at
    most :attr:`RETRY_FOR` seconds, then the error goes to the callers (no 200: WeCom delivers again).
    Why one statement for many: callbacks that arrive while a write is
    under way wait for the next one, which takes them all in a multi-row ``INSERT … ON CONFLICT DO
    NOTHING RETURNING key``: one trip to aiosqlite's worker and one commit for the whole group, and
    RETURNING says which keys were new. Durability is the store's own (WAL, ``synchronous = NORMAL``):
    a committed row survives the process being killed; a power cut may take the last moments of every
    table alike, the inbox included (``FULL`` would cost an fsync per group, several milliseconds here).
    """

    BATCH = 500  # rows per statement: 4 parameters each, well within SQLite's limit
    RETRY_PAUSE = 0.0005  # seconds between tries while another connection holds the write lock
    RETRY_FOR = 4.0  # seconds of tries before giving up: within WeCom's 5-second deadline

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: aiosqlite.Connection | None = None
        self._pending: list[tuple[str, str, str, asyncio.Future[bool]]] = []
        self._writing: asyncio.Task[None] | None = None

    @property
    def is_open(self) -> bool:
        return self._db is not None

    async def open(self) -> InboxWriter:
        """After the store has opened the file (its migrations made the table)."""
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        await self._db.execute("PRAGMA busy_timeout = 0")  # SQLITE_BUSY at once: see _insert
        await self._db.execute("PRAGMA synchronous = NORMAL")
        # checkpoints are left to the store's connection: one run by an insert here would hold up the acknowledgements
        await self._db.execute("PRAGMA wal_autocheckpoint = 0")
        return self

    async def close(self) -> None:
        if self._writing is not None:
            await asyncio.gather(self._writing, return_exceptions=True)
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def record(self, key: str, user: str, payload: str) -> bool:
        """Write a message before it is acknowledged; False when that key is already there.

        Returns once the row is committed; raises if it could not be written (then do not acknowledge).
        """
        if self._db is None:
            raise RuntimeError("the inbox writer is not open")
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((key, user, payload, done))
        if self._writing is None:
            self._writing = asyncio.ensure_future(self._write_all())
        return await done

    async def _write_all(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending[: self.BATCH], self._pending[self.BATCH :]
                try:
                    fresh = await self._insert(batch)
                except Exception as error:
                    for *_, done in batch:
                        if not done.done():
                            done.set_exception(error)
                    continue
                for key, _, _, done in batch:
                    if not done.done():
                        done.set_result(key in fresh)
                        fresh.discard(key)  # the same key twice in one group: only the first is new
        finally:
            self._writing = None

    async def _insert(self, batch: list[tuple[str, str, str, asyncio.Future[bool]]]) -> set[str]:
        """One statement for the group, tried again while SQLite answers that another connection
        writes; a statement refused with SQLITE_BUSY changed nothing, so trying again is safe."""
        assert self._db is not None
        at = iso(utcnow())
        values = ", ".join(["(?, ?, ?, ?)"] * len(batch))
        args = [value for key, user, payload, _ in batch for value in (key, user, payload, at)]
        sql = (
            f"INSERT INTO inbox (key, user, payload, received_at) VALUES {values} "  # only "?" marks in the SQL: the values are bound
            "ON CONFLICT(key) DO NOTHING RETURNING key"
        )
        give_up = time.monotonic() + self.RETRY_FOR
        while True:
            try:
                rows = await self._db.execute_fetchall(sql, args)
            except sqlite3.OperationalError as error:
                if not _busy(error) or time.monotonic() >= give_up:
                    raise
                await asyncio.sleep(self.RETRY_PAUSE)
                continue
            return {row[0] for row in rows}


def _busy(error: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY and its extended codes (a WAL snapshot gone stale, recovery under way)."""
    code: int | None = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_BUSY
    return "database is locked" in str(error)
