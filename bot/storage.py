"""SQLite storage: the one place that speaks SQL.

One aiosqlite connection in WAL mode; every change goes through :meth:`Store.atomic`, which holds
a lock (one connection cannot interleave transactions), begins an IMMEDIATE transaction and rolls
back on any error. The schema is a list of numbered migrations applied at start-up.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from dialogs.campaign import Unit
from dialogs.events import Button, Reply
from dialogs.models import Case, CaseForm, CaseState
from dialogs.session import Session

MIGRATIONS: tuple[str, ...] = (
    # 1: conversations, processed events, pictures, cases
    """
    CREATE TABLE sessions (
        user TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE events (
        key TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        replies TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE pictures (
        sha256 TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL,
        unit TEXT NOT NULL,
        state TEXT NOT NULL,
        rank INTEGER,
        form TEXT NOT NULL,
        flags TEXT NOT NULL DEFAULT '[]',
        return_comment TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        submitted_at TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX cases_by_unit ON cases(unit, state, rank);
    CREATE INDEX cases_by_owner ON cases(owner);
    CREATE UNIQUE INDEX cases_rank_unique ON cases(unit, rank) WHERE rank IS NOT NULL;
    """,
    # 2: who belongs to which unit, and the invitations that bring them
    """
    CREATE TABLE members (
        user TEXT NOT NULL,
        unit TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('submitter', 'coordinator')),
        joined_at TEXT NOT NULL,
        PRIMARY KEY (user, unit, role)
    );
    CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        unit TEXT NOT NULL,
        role TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE units (
        code TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        position INTEGER NOT NULL
    );
    """,
    # 3: the audit trail, deadline extensions and reminders already sent
    """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        unit TEXT,
        case_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    CREATE TABLE extensions (
        unit TEXT PRIMARY KEY,  -- '*' for everyone
        deadline TEXT NOT NULL
    );
    CREATE TABLE reminders (
        recipient TEXT NOT NULL,
        key TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (recipient, key)
    );
    """,
    # 4: what a case returned for revision keeps: its place and the fields to change
    """
    ALTER TABLE cases ADD COLUMN held_rank INTEGER;
    ALTER TABLE cases ADD COLUMN revise_fields TEXT NOT NULL DEFAULT '[]';
    """,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def replies_to_json(replies: Sequence[Reply]) -> str:
    return json.dumps(
        [
            {
                "text": r.text,
                "buttons": [[[b.label, b.data] for b in row] for row in r.buttons],
                "transient": r.transient,
            }
            for r in replies
        ],
        ensure_ascii=False,
    )


def replies_from_json(text: str) -> list[Reply]:
    return [
        Reply(
            text=item["text"],
            buttons=tuple(tuple(Button(label=lbl, data=d) for lbl, d in row) for row in item["buttons"]),
            transient=item.get("transient", False),
        )
        for item in json.loads(text)
    ]


class DuplicateEvent(Exception):
    """An incoming event that was handled before (a channel's retry)."""


@dataclass(frozen=True)
class Invite:
    code: str
    unit: str
    role: str  # submitter | coordinator


Statement = tuple[str, Sequence[object]]


def _batch(
    conn: sqlite3.Connection, begin: bool, writes: list[Statement], last: Statement | None, commit: bool
) -> tuple[list[tuple[object, ...]], int | None, int]:
    """Run in aiosqlite's worker thread: the queued writes, one more statement, maybe the commit."""
    if begin:
        conn.execute("BEGIN IMMEDIATE")
    for sql, args in writes:
        try:
            conn.execute(sql, args)
        except sqlite3.IntegrityError as error:
            if sql.startswith("INSERT INTO events"):
                raise DuplicateEvent(str(args[0])) from error
            raise
    rows: list[tuple[object, ...]] = []
    lastrowid, rowcount = None, -1
    if last is not None:
        cur = conn.execute(*last)
        rows, lastrowid, rowcount = cur.fetchall(), cur.lastrowid, cur.rowcount
    if commit:
        conn.execute("COMMIT")
    return rows, lastrowid, rowcount


def _group(conn: sqlite3.Connection, batches: list[list[Statement]]) -> list[BaseException | None]:
    """Run in the worker thread: several write-only transactions in one commit, each in a savepoint
    so one that fails (a redelivered event) rolls back alone."""
    outcomes: list[BaseException | None] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for writes in batches:
            conn.execute("SAVEPOINT one")
            try:
                _batch(conn, False, writes, None, False)
            except Exception as error:  # reported to that transaction's caller
                conn.execute("ROLLBACK TO one")
                outcomes.append(error)
            else:
                outcomes.append(None)
            conn.execute("RELEASE one")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


class GroupCommit:
    """Commits the write-only transactions of many users together.

    Under load a trip to aiosqlite's worker thread waits its turn on a busy event loop for a
    millisecond or more; with one trip per transaction behind the store's lock, that wait caps the
    whole bot. Writes queued while a commit is under way go together in the next one, and every
    caller still hears back only once its own writes are committed.
    """

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self._queue: list[tuple[list[Statement], asyncio.Future[None]]] = []
        self._leading = False
        self._idle = asyncio.Event()
        self._idle.set()

    async def submit(self, writes: list[Statement]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((writes, future))  # before any await: keeps the order the lock gave
        if not self._leading:
            await self._lead()
        await future

    async def _lead(self) -> None:
        self._leading = True
        self._idle.clear()
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    outcomes = await self._db._execute(_group, self._db._conn, [w for w, _ in batch])
                except BaseException as error:
                    outcomes = [error] * len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if outcome is None:
                        future.set_result(None)
                    else:
                        future.set_exception(outcome)
        finally:
            self._leading = False
            self._idle.set()

    async def drain(self) -> None:
        """Wait until every queued write is committed, so a reader sees it."""
        while self._leading or self._queue:
            await self._idle.wait()


class Tx:
    """The operations available inside one transaction.

    Writes are queued and sent with the next read, or with the commit, in one trip to aiosqlite's
    worker thread: an answer in the dialog (save the session, record the event, commit) costs one
    trip instead of four. Reads always see the transaction's own earlier writes.
    """

    def __init__(self, db: aiosqlite.Connection, store: Store) -> None:
        self._db = db
        self._store = store
        self._queue: list[Statement] = []
        self._begun = False
        self.saved_sessions: list[Session] = []

    def _write(self, sql: str, args: Sequence[object] = ()) -> None:
        self._queue.append((sql, args))

    async def _send(
        self, last: Statement | None = None, commit: bool = False
    ) -> tuple[list[tuple[object, ...]], int | None, int]:
        if not (self._queue or last or (commit and self._begun)):
            return [], None, -1
        if not self._begun:
            await self._store.group.drain()  # see every write committed before this transaction
        queue, begin = self._queue, not self._begun
        self._queue, self._begun = [], True
        # aiosqlite's own queue-a-function primitive: one hop for the whole batch
        return await self._db._execute(_batch, self._db._conn, begin, queue, last, commit)

    async def _rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple[object, ...]]:
        return (await self._send((sql, args)))[0]

    async def _run(self, sql: str, args: Sequence[object] = ()) -> tuple[int | None, int]:
        """A write whose row id or row count the caller needs now."""
        _, lastrowid, rowcount = await self._send((sql, args))
        return lastrowid, rowcount

    async def commit(self) -> None:
        await self._send(commit=True)

    def take_writes(self) -> list[Statement]:
        """The queued writes of a transaction that never had to read: for the group commit."""
        queue, self._queue = self._queue, []
        return queue

    @property
    def begun(self) -> bool:
        return self._begun

    # -- conversations -------------------------------------------------------------------------

    async def replies_of(self, key: str) -> list[Reply] | None:
        """The replies an event got when it was first handled, or None if it never was."""
        rows = await self._rows("SELECT replies FROM events WHERE key = ?", (key,))
        return replies_from_json(rows[0][0]) if rows else None

    async def record_event(self, key: str, user: str, replies: Sequence[Reply]) -> None:
        """Record a handled event with its replies; raises :class:`DuplicateEvent` if it was seen.

        Recording last, in the same transaction, costs one statement on the common path; a
        redelivered event rolls the whole transaction back, so it is applied once.
        """
        self._write(
            "INSERT INTO events (key, user, replies, created_at) VALUES (?, ?, ?, ?)",
            (key, user, replies_to_json(replies), _iso(utcnow())),
        )

    async def load_session(self, user: str) -> Session:
        cached = self._store.cache_get(user)
        if cached is not None:
            return cached
        rows = await self._rows("SELECT state FROM sessions WHERE user = ?", (user,))
        row = rows[0] if rows else None
        session = Session.model_validate_json(row[0]) if row else Session(user=user)
        self._store.cache_put(user, session)
        return session

    async def save_session(self, session: Session) -> None:
        self._write(
            "INSERT INTO sessions (user, state, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(user) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            (session.user, session.model_dump_json(), _iso(utcnow())),
        )
        self.saved_sessions.append(session)
        self._store.cache_put(session.user, session)

    # -- pictures ------------------------------------------------------------------------------

    async def put_picture(self, sha256: str, data: bytes) -> None:
        self._write(
            "INSERT OR IGNORE INTO pictures (sha256, data, created_at) VALUES (?, ?, ?)", (sha256, data, _iso(utcnow()))
        )

    async def picture(self, sha256: str) -> bytes | None:
        rows = await self._rows("SELECT data FROM pictures WHERE sha256 = ?", (sha256,))
        row = rows[0] if rows else None
        return bytes(row[0]) if row else None

    # -- cases ---------------------------------------------------------------------------------

    async def insert_case(
        self,
        owner: str,
        unit: str,
        state: CaseState,
        rank: int | None,
        form: CaseForm,
        flags: Sequence[str] = (),
        at: datetime | None = None,
    ) -> int:
        at = at or utcnow()
        lastrowid, _ = await self._run(
            "INSERT INTO cases (owner, unit, state, rank, form, flags, created_at, submitted_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                owner,
                unit,
                state.value,
                rank,
                form.model_dump_json(),
                json.dumps(list(flags), ensure_ascii=False),
                _iso(at),
                _iso(at),
                _iso(at),
            ),
        )
        assert lastrowid is not None
        return lastrowid

    async def update_case(
        self,
        case_id: int,
        *,
        form: CaseForm | None = None,
        state: CaseState | None = None,
        flags: Sequence[str] | None = None,
        return_comment: str | None = None,
        revise_fields: Sequence[str] | None = None,
        submitted: bool = False,
    ) -> None:
        sets, args = ["updated_at = ?"], [_iso(utcnow())]
        for column, value in (
            ("form", form.model_dump_json() if form else None),
            ("state", state.value if state else None),
            ("flags", json.dumps(list(flags), ensure_ascii=False) if flags is not None else None),
            ("return_comment", return_comment),
            ("revise_fields", json.dumps(list(revise_fields)) if revise_fields is not None else None),
        ):
            if value is not None:
                sets.append(f"{column} = ?")
                args.append(value)
        if submitted:
            sets.append("submitted_at = ?")
            args.append(_iso(utcnow()))
        self._write(f"UPDATE cases SET {', '.join(sets)} WHERE id = ?", (*args, case_id))

    async def set_ranks(self, changes: Iterable[tuple[int, CaseState, int | None]]) -> None:
        """Apply rank changes in two passes so the unique (unit, rank) index never sees a clash."""
        changes = list(changes)
        now = _iso(utcnow())
        for case_id, _, _ in changes:
            self._write("UPDATE cases SET rank = NULL WHERE id = ?", (case_id,))
        for case_id, state, rank in changes:
            self._write(
                "UPDATE cases SET state = ?, rank = ?, updated_at = ? WHERE id = ?", (state.value, rank, now, case_id)
            )

    async def hold_rank(self, case_id: int, rank: int | None) -> None:
        self._write("UPDATE cases SET held_rank = ? WHERE id = ?", (rank, case_id))

    async def case(self, case_id: int) -> Case | None:
        rows = await self._cases("WHERE id = ?", (case_id,))
        return rows[0] if rows else None

    async def cases_of_owner(self, owner: str) -> list[Case]:
        return await self._cases("WHERE owner = ? ORDER BY id", (owner,))

    async def cases_of_unit(self, unit: str) -> list[Case]:
        return await self._cases("WHERE unit = ? ORDER BY rank IS NULL, rank, id", (unit,))

    async def all_cases(self) -> list[Case]:
        return await self._cases("ORDER BY unit, rank IS NULL, rank, id", ())

    async def _cases(self, where: str, args: tuple[object, ...]) -> list[Case]:
        sql = (
            "SELECT id, owner, unit, state, rank, form, flags, return_comment, created_at, submitted_at, "
            f"updated_at, held_rank, revise_fields FROM cases {where}"
        )
        rows = await self._rows(sql, args)
        return [
            Case(
                id=r[0],
                owner=r[1],
                unit=r[2],
                state=CaseState(r[3]),
                rank=r[4],
                form=CaseForm.model_validate_json(r[5]),
                flags=json.loads(r[6]),
                return_comment=r[7],
                created_at=datetime.fromisoformat(r[8]),
                submitted_at=datetime.fromisoformat(r[9]) if r[9] else None,
                updated_at=datetime.fromisoformat(r[10]),
                held_rank=r[11],
                revise_fields=json.loads(r[12]),
            )
            for r in rows
        ]

    async def add_flag(self, case_id: int, flag: str) -> None:
        case = await self.case(case_id)
        if case is not None and flag not in case.flags:
            await self.update_case(case_id, flags=[*case.flags, flag])

    # -- units, members, invitations -----------------------------------------------------------

    async def invite(self, code: str) -> Invite | None:
        rows = await self._rows("SELECT code, unit, role FROM invites WHERE code = ? AND revoked_at IS NULL", (code,))
        row = rows[0] if rows else None
        return Invite(code=row[0], unit=row[1], role=row[2]) if row else None

    async def invites(self, unit: str | None = None) -> list[Invite]:
        sql = "SELECT code, unit, role FROM invites WHERE revoked_at IS NULL"
        args: tuple[object, ...] = ()
        if unit is not None:
            sql, args = sql + " AND unit = ?", (unit,)
        rows = await self._rows(sql + " ORDER BY unit, role", args)
        return [Invite(code=r[0], unit=r[1], role=r[2]) for r in rows]

    async def create_invite(self, code: str, unit: str, role: str) -> None:
        self._write(
            "INSERT INTO invites (code, unit, role, created_at) VALUES (?, ?, ?, ?)", (code, unit, role, _iso(utcnow()))
        )

    async def revoke_invites(self, unit: str, role: str) -> int:
        _, rowcount = await self._run(
            "UPDATE invites SET revoked_at = ? WHERE unit = ? AND role = ? AND revoked_at IS NULL",
            (_iso(utcnow()), unit, role),
        )
        return rowcount

    async def add_member(self, user: str, unit: str, role: str) -> None:
        self._write(
            "INSERT OR IGNORE INTO members (user, unit, role, joined_at) VALUES (?, ?, ?, ?)",
            (user, unit, role, _iso(utcnow())),
        )

    async def members_of(self, unit: str, role: str) -> list[str]:
        rows = await self._rows("SELECT user FROM members WHERE unit = ? AND role = ? ORDER BY joined_at", (unit, role))
        return [r[0] for r in rows]

    async def roles_of(self, user: str) -> list[tuple[str, str]]:
        rows = await self._rows("SELECT unit, role FROM members WHERE user = ? ORDER BY joined_at", (user,))
        return [(r[0], r[1]) for r in rows]

    async def units(self) -> list[Unit]:
        rows = await self._rows("SELECT data FROM units ORDER BY position")
        return [Unit.model_validate_json(r[0]) for r in rows]

    async def replace_units(self, units: Sequence[Unit]) -> None:
        self._write("DELETE FROM units")
        for i, u in enumerate(units):
            self._write("INSERT INTO units (code, data, position) VALUES (?, ?, ?)", (u.code, u.model_dump_json(), i))

    # -- deadline extensions --------------------------------------------------------------------

    async def extensions(self) -> dict[str, datetime]:
        rows = await self._rows("SELECT unit, deadline FROM extensions")
        return {r[0]: datetime.fromisoformat(r[1]) for r in rows}

    async def set_extension(self, unit: str, deadline: datetime) -> None:
        self._write(
            "INSERT INTO extensions (unit, deadline) VALUES (?, ?) ON CONFLICT(unit) DO UPDATE SET deadline = excluded.deadline",
            (unit, _iso(deadline)),
        )

    # -- reminders ------------------------------------------------------------------------------

    async def users_with_drafts(self) -> list[tuple[str, str | None]]:
        """(user, unit) of every conversation with an unfinished draft."""
        rows = await self._rows(
            "SELECT user, json_extract(state, '$.unit') FROM sessions WHERE json_extract(state, '$.draft') IS NOT NULL"
        )
        return [(r[0], r[1]) for r in rows]

    async def coordinators(self) -> list[tuple[str, str]]:
        rows = await self._rows("SELECT user, unit FROM members WHERE role = 'coordinator' ORDER BY unit")
        return [(r[0], r[1]) for r in rows]

    async def mark_reminder(self, recipient: str, key: str) -> bool:
        """Record a reminder as sent; False if it had been sent before."""
        _, rowcount = await self._run(
            "INSERT OR IGNORE INTO reminders (recipient, key, sent_at) VALUES (?, ?, ?)",
            (recipient, key, _iso(utcnow())),
        )
        return rowcount == 1

    async def reminders_sent(self, recipient: str) -> set[str]:
        rows = await self._rows("SELECT key FROM reminders WHERE recipient = ?", (recipient,))
        return {r[0] for r in rows}

    async def audit_log(
        self, unit: str | None = None, case_id: int | None = None
    ) -> list[tuple[str, str, str, str | None, int | None, str]]:
        sql, args = "SELECT at, actor, action, unit, case_id, detail FROM audit WHERE 1=1", []
        if unit is not None:
            sql, args = sql + " AND unit = ?", [*args, unit]
        if case_id is not None:
            sql, args = sql + " AND case_id = ?", [*args, case_id]
        rows = await self._rows(sql + " ORDER BY id", args)
        return [tuple(r) for r in rows]  # type: ignore[misc]

    # -- audit ---------------------------------------------------------------------------------

    async def audit(
        self, actor: str, action: str, *, unit: str | None = None, case_id: int | None = None, detail: str = ""
    ) -> None:
        self._write(
            "INSERT INTO audit (at, actor, action, unit, case_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (_iso(utcnow()), actor, action, unit, case_id, detail),
        )


class Store:
    """The database of one campaign: open it in the application's start-up hook, close it at shutdown."""

    def __init__(self, path: Path, cache_size: int = 2048) -> None:
        self.path = path
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._cache: OrderedDict[str, Session] = OrderedDict()
        self._cache_size = cache_size
        self._group: GroupCommit | None = None

    async def open(self) -> Store:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        await self._db.execute("PRAGMA journal_mode = WAL")
        await self._db.execute("PRAGMA synchronous = NORMAL")
        await self._db.execute("PRAGMA foreign_keys = ON")
        await self._db.execute("PRAGMA busy_timeout = 5000")
        await self._migrate()
        self._group = GroupCommit(self._db)
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
    def group(self) -> GroupCommit:
        if self._group is None:
            raise RuntimeError("数据库尚未打开")
        return self._group

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("数据库尚未打开")
        return self._db

    async def _migrate(self) -> None:
        db = self.db
        await db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
        rows = await db.execute_fetchall("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        current = rows[0][0] if rows else 0
        for version, script in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            statements = [s.strip() for s in _split_sql(script) if s.strip()]
            await db.execute("BEGIN IMMEDIATE")
            try:
                for statement in statements:
                    await db.execute(statement)
                await db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (version, _iso(utcnow())))
                await db.execute("COMMIT")
            except BaseException:
                await db.execute("ROLLBACK")
                raise

    async def schema_version(self) -> int:
        rows = await self.db.execute_fetchall("SELECT MAX(version) FROM schema_migrations")
        return int(rows[0][0] or 0) if rows else 0

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[Tx]:
        """One transaction; rolled back, cache included, if anything in the block raises.

        Transactions run one at a time under a lock. One that only writes (an answer in the dialog)
        leaves the lock as soon as its writes are queued and waits for the group commit; one that
        reads first waits for the queued writes, then commits on its own.
        """
        tx = Tx(self.db, self)
        writes: list[Statement] = []
        async with self._lock:
            try:
                yield tx
                if tx.begun:
                    await tx.commit()
                else:
                    writes = tx.take_writes()
            except BaseException:
                await self._abandon(tx)
                raise
        if writes:
            try:
                await self.group.submit(writes)
            except BaseException:
                await self._abandon(tx)
                raise

    async def _abandon(self, tx: Tx) -> None:
        if tx.begun and self.db.in_transaction:
            await self.db.execute("ROLLBACK")
        for session in tx.saved_sessions:
            self._cache.pop(session.user, None)

    # -- the session cache: keeps hot conversations from being re-read and re-parsed -----------

    def cache_get(self, user: str) -> Session | None:
        session = self._cache.get(user)
        if session is not None:
            self._cache.move_to_end(user)
        return session

    def cache_put(self, user: str, session: Session) -> None:
        self._cache[user] = session
        self._cache.move_to_end(user)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buffer = [], []
    for line in script.splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and (
            not joined.upper().startswith("CREATE TRIGGER") or joined.upper().endswith("END;")
        ):
            statements.append(joined)
            buffer = []
    if "\n".join(buffer).strip():
        statements.append("\n".join(buffer))
    return statements
