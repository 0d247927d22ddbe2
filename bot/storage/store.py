"""The database of one campaign and its transactions.

One aiosqlite connection in WAL mode; every change goes through :meth:`Store.atomic`, which holds
a lock (one connection cannot interleave transactions), commits when the block ends and rolls
back, the session cache included, on any error. Only aiosqlite's public API is used.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from dialogs.events import Reply
from dialogs.wording import t

from .cache import SessionCache
from .cases import CaseOps
from .contacts import ContactOps
from .deadlines import DeadlineOps
from .inbox import InboxOps
from .lifecycle import LifecycleOps
from .members import MemberOps
from .migrations import migrate, schema_version
from .outbox import OutboxOps
from .panel import PanelOps
from .publicity import PublicityOps
from .records import DuplicateEvent
from .scans import ScanOps
from .sessions import SessionOps


class Tx(
    SessionOps,
    CaseOps,
    MemberOps,
    DeadlineOps,
    OutboxOps,
    LifecycleOps,
    ContactOps,
    ScanOps,
    InboxOps,
    PanelOps,
    PublicityOps,
):
    """The operations available inside one transaction; reads see the transaction's own writes."""


class Store:
    """Open it in the application's start-up hook, close it at shutdown."""

    def __init__(self, path: Path, cache_size: int = 2048) -> None:
        self.path = path
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._cache = SessionCache(cache_size)

    async def open(self) -> Store:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit: transactions are opened explicitly, or are one statement (see core.py)
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        await self._db.execute("PRAGMA journal_mode = WAL")
        await self._db.execute("PRAGMA synchronous = NORMAL")
        await self._db.execute("PRAGMA foreign_keys = ON")
        await self._db.execute("PRAGMA busy_timeout = 5000")
        await migrate(self._db)
        return self

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def __aenter__(self) -> Store:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError(t("storage.not_open"))
        return self._db

    def changes(self) -> int:
        """Rows changed through this connection since it opened: a before/after pair tells whether
        an operation wrote anything (other writers may add to it, never take from it)."""
        return self.db.total_changes

    async def compact(self) -> None:
        """Rewrite the file without the pages deleted rows leave behind, and empty the WAL, so purged
        data is gone from the disk too; outside any transaction, as SQLite requires for VACUUM."""
        async with self.atomic():
            await self.db.execute("VACUUM")
            await self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def schema_version(self) -> int:
        return await schema_version(self.db)

    async def once(self, key: str | None, user: str, work: Callable[[Tx], Awaitable[list[Reply]]]) -> list[Reply]:
        """``work`` in one transaction, its replies recorded under ``key``: a channel's redelivery of the
        same event gets the recorded replies and changes nothing."""
        try:
            async with self.atomic() as tx:
                replies = await work(tx)
                if key is not None:
                    await tx.record_event(key, user, replies)
        except DuplicateEvent:
            async with self.atomic() as tx:
                return await tx.replies_of(key or "") or []
        return replies

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[Tx]:
        """One transaction, committed before the block's caller goes on; rolled back whole, cache
        included, if anything in the block or the commit raises (a redelivered event among them).

        Transactions hold a lock: one connection cannot interleave them. One that comes down to a
        single statement (an answer in the dialog) leaves the lock once that statement has its
        place in aiosqlite's queue, and waits for it outside; the next transaction's statements
        queue behind it, so they see it committed, and a transaction that loads the same user's
        session waits until it is settled. The next answer's dialog thus runs while the worker
        thread writes this one.
        """
        pending: asyncio.Future[None] | None = None
        async with self._lock:
            tx = Tx(self.db, self._cache)
            try:
                yield tx
                lone = tx.lone_statement()
                if lone is None:
                    await tx.commit()
                else:
                    pending = asyncio.ensure_future(tx.send_alone(lone))
                    self._cache.unsettled((s.user for s in tx.saved_sessions), pending)
                    await asyncio.sleep(0)  # its first step puts the statement in aiosqlite's queue
            except BaseException:
                await tx.rollback()
                raise
        if pending is not None:
            await asyncio.shield(pending)  # the statement is queued: it runs even if we are cancelled
