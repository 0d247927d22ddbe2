"""One transaction on the store's connection, through aiosqlite's public API only.

Every call to aiosqlite is one trip to its worker thread, and on a busy event loop each trip waits
its turn; the trips an answer makes are what the dialog costs. So writes are queued and sent when
the transaction next reads, or at its commit, consecutive ones with the same SQL as one
``executemany``. The connection is in autocommit mode: a transaction that comes down to a single
statement at its commit (an answer in the dialog: the session saved and the event recorded, fused
into one statement by the sessions module) is sent alone, and SQLite makes that one statement a
transaction of its own: one trip, where the bare floor (insert, commit) takes two, and the store
lets the next transaction start while it is written (:meth:`Store.atomic`). Anything more
opens with ``BEGIN IMMEDIATE`` before its first statement, so what it reads cannot change under
it, even from another process, and ends with one ``COMMIT``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from itertools import groupby
from typing import Any

import aiosqlite

from dialogs.session import Session

from .cache import SessionCache
from .records import DuplicateEvent

Statement = tuple[str, Sequence[object]]
Row = tuple[Any, ...]


class TxCore:
    """The queue, the reads, the commit and the rollback that every group of operations shares."""

    def __init__(self, db: aiosqlite.Connection, cache: SessionCache) -> None:
        self._db = db
        self._cache = cache
        self._queue: list[Statement] = []
        self.saved_sessions: list[Session] = []
        self.enqueued: list[str] = []  # outbox keys recorded in this transaction, for after its commit

    def _write(self, sql: str, args: Sequence[object] = ()) -> None:
        self._queue.append((sql, args))

    def _fuse(self, queue: list[Statement]) -> list[Statement]:
        """Where a group of operations can say the same in fewer statements, it does so here."""
        return queue

    async def _send(self, queue: list[Statement]) -> None:
        for sql, same in groupby(queue, key=lambda statement: statement[0]):
            rows = [args for _, args in same]
            try:
                if len(rows) == 1:
                    await self._db.execute(sql, rows[0])
                else:
                    await self._db.executemany(sql, rows)
            except sqlite3.IntegrityError as error:
                if "events.key" in str(error):
                    raise DuplicateEvent(str(error)) from error
                raise

    async def _begin(self) -> None:
        """Open the transaction if need be and send the queued writes: before a read, or a write
        whose result the caller needs."""
        if not self._db.in_transaction:
            await self._db.execute("BEGIN IMMEDIATE")
        queue, self._queue = self._fuse(self._queue), []
        await self._send(queue)

    async def _rows(self, sql: str, args: Sequence[object] = ()) -> list[Row]:
        await self._begin()
        return [tuple(row) for row in await self._db.execute_fetchall(sql, args)]

    async def _peek(self, sql: str, args: Sequence[object] = ()) -> list[Row]:
        """A read that, while the transaction has not opened, leaves it unopened: it sees every commit
        so far (the store's earlier statements stand before it in aiosqlite's queue) without taking
        SQLite's write lock. Why: ``BEGIN IMMEDIATE`` holds that lock until the commit, across the
        dialog's work on a busy event loop, and the inbox's inserts (the acknowledgements) wait for
        it. Only for rows that no one else writes while this transaction's caller runs: an empty
        answer stays true until the commit; a caller that finds rows reads them again with
        :meth:`_rows`, under the lock."""
        if self._db.in_transaction or self._queue:
            return await self._rows(sql, args)
        return [tuple(row) for row in await self._db.execute_fetchall(sql, args)]

    async def _run(self, sql: str, args: Sequence[object] = ()) -> tuple[int | None, int]:
        """A write whose row id or row count the caller needs now."""
        await self._begin()
        cursor = await self._db.execute(sql, args)
        return cursor.lastrowid, cursor.rowcount

    def lone_statement(self) -> Statement | None:
        """The whole transaction as one statement, if it never opened and comes down to one; SQLite
        makes a single statement a transaction of its own."""
        queue = self._fuse(self._queue)
        if self._db.in_transaction or len(queue) != 1:
            return None
        self._queue = []
        return queue[0]

    async def send_alone(self, statement: Statement) -> None:
        """Send the lone statement; if it fails, forget the cached sessions before anyone waiting
        for it (see :meth:`SessionCache.settled`) looks at them."""
        try:
            await self._send([statement])
        except BaseException:
            self._forget()
            raise

    async def commit(self) -> None:
        if self._queue:
            await self._begin()
        if self._db.in_transaction:
            await self._db.commit()

    async def rollback(self) -> None:
        """Undo everything, the sessions this transaction put in the cache included."""
        self._queue = []
        try:
            if self._db.in_transaction:
                await self._db.rollback()
        finally:
            self._forget()

    def _forget(self) -> None:
        for session in self.saved_sessions:
            self._cache.forget(session.user)
