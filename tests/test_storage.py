"""The SQLite file: migrations, transactions that roll back whole, sessions that survive a reopen,
and many users answering at once without an answer lost or applied twice."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from pathlib import Path

import pytest

from bot.storage import MIGRATIONS, DuplicateEvent, Store
from bot.storage.migrations import split_sql
from dialogs.events import Button, Reply
from dialogs.models import CaseForm, CaseState, Step
from dialogs.session import Draft, Session

STORAGE = Path(__file__).resolve().parent.parent / "bot" / "storage"


async def test_a_new_file_gets_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    async with Store(path) as store:
        assert await store.schema_version() == len(MIGRATIONS)
        async with store.db.execute("PRAGMA journal_mode") as cur:
            row = await cur.fetchone()
            assert row is not None and row[0] == "wal"
    async with Store(path) as store:
        assert await store.schema_version() == len(MIGRATIONS)


async def test_a_file_from_before_the_answers_view_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
        for version, script in enumerate(MIGRATIONS[:4], start=1):
            for statement in split_sql(script):
                old.execute(statement)
            old.execute("INSERT INTO schema_migrations VALUES (?, '2026-03-01')", (version,))
        old.execute(
            "INSERT INTO sessions VALUES ('u1', ?, '2026-03-01')", (Session(user="u1", turn=4).model_dump_json(),)
        )
    old.close()
    async with Store(path) as store:
        assert await store.schema_version() == len(MIGRATIONS)
        async with store.atomic() as tx:
            session = await tx.load_session("u1")
            assert session.turn == 4
            await tx.save_session(session.model_copy(update={"turn": 5}))
            await tx.record_event("tg:9", "u1", [Reply("已保存")])
    async with Store(path) as store:
        async with store.atomic() as tx:
            assert (await tx.load_session("u1")).turn == 5
            assert await tx.replies_of("tg:9") == [Reply("已保存")]


async def test_a_session_saved_is_there_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    session = Session(user="u1", draft=Draft(step=Step.PHONE, form=CaseForm(name="案例", contact="张三")), turn=7)
    async with Store(path) as store:
        async with store.atomic() as tx:
            await tx.save_session(session)
    async with Store(path) as store:
        async with store.atomic() as tx:
            assert await tx.load_session("u1") == session


async def test_a_transaction_reads_its_own_writes(tmp_path: Path) -> None:
    async with Store(tmp_path / "a.sqlite3") as store:
        async with store.atomic() as tx:
            await tx.create_invite("abc", "hefei", "submitter")
            await tx.add_member("u1", "hefei", "submitter")
            assert await tx.invite("abc") is not None
            assert await tx.roles_of("u1") == [("hefei", "submitter")]
            assert await tx.revoke_invites("hefei", "submitter") == 1
            assert await tx.invite("abc") is None


async def test_an_error_inside_a_transaction_rolls_everything_back(tmp_path: Path) -> None:
    async with Store(tmp_path / "a.sqlite3") as store:
        with pytest.raises(RuntimeError):
            async with store.atomic() as tx:
                await tx.save_session(Session(user="u1", turn=3))
                await tx.insert_case("u1", "hefei", CaseState.SUBMITTED, None, CaseForm(name="x"))
                raise RuntimeError("boom")
        async with store.atomic() as tx:
            assert (await tx.load_session("u1")).turn == 0
            assert await tx.all_cases() == []


async def test_a_failed_transaction_leaves_the_cached_session_as_committed(tmp_path: Path) -> None:
    async with Store(tmp_path / "a.sqlite3") as store:
        async with store.atomic() as tx:
            await tx.save_session(Session(user="u1", turn=1))
        with pytest.raises(RuntimeError):
            async with store.atomic() as tx:
                await tx.save_session(Session(user="u1", turn=2))
                assert (await tx.load_session("u1")).turn == 2  # the transaction sees its own change
                raise RuntimeError("boom")
        async with store.atomic() as tx:
            assert (await tx.load_session("u1")).turn == 1


@pytest.mark.parametrize(
    "steps",
    [("session", "event"), ("session", "event", "audit"), ("event", "session")],
    ids=["answer-alone", "answer-and-audit", "event-then-session"],
)
async def test_an_event_seen_twice_returns_the_first_replies_and_changes_nothing(
    tmp_path: Path, steps: tuple[str, ...]
) -> None:
    replies = [Reply("已记录", ((Button("下一项", "cmd:next:3"),),))]
    async with Store(tmp_path / "a.sqlite3") as store:
        async with store.atomic() as tx:
            assert await tx.replies_of("tg:1") is None
            await tx.record_event("tg:1", "u1", replies)
        with pytest.raises(DuplicateEvent):
            async with store.atomic() as tx:
                for step in steps:
                    if step == "session":
                        await tx.save_session(Session(user="u1", turn=9))
                    elif step == "event":
                        await tx.record_event("tg:1", "u1", [])
                    else:
                        await tx.audit("u1", "submit")
        async with store.atomic() as tx:
            assert await tx.replies_of("tg:1") == replies
            assert (await tx.load_session("u1")).turn == 0
            assert await tx.audit_log() == []


async def test_an_answer_is_in_the_file_when_its_transaction_ends(tmp_path: Path) -> None:
    """The service replies after ``atomic()`` returns: by then another connection must see the answer."""
    path = tmp_path / "a.sqlite3"
    async with Store(path) as store:
        async with store.atomic() as tx:
            await tx.save_session(Session(user="u1", turn=1))
            await tx.record_event("tg:1", "u1", [Reply("已保存")])
        with sqlite3.connect(path) as other:
            assert other.execute("SELECT COUNT(*) FROM events WHERE key = 'tg:1'").fetchone() == (1,)
            state = other.execute("SELECT state FROM sessions WHERE user = 'u1'").fetchone()[0]
        other.close()
        assert Session.model_validate_json(state).turn == 1


async def test_the_audit_log_is_append_only(tmp_path: Path) -> None:
    async with Store(tmp_path / "a.sqlite3") as store:
        async with store.atomic() as tx:
            await tx.audit("u1", "submit", unit="hefei", case_id=1)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await store.db.execute("DELETE FROM audit")
        async with store.atomic() as tx:
            assert len(await tx.audit_log(unit="hefei")) == 1


async def test_ranks_can_be_swapped_without_tripping_the_unique_index(tmp_path: Path) -> None:
    async with Store(tmp_path / "a.sqlite3") as store:
        async with store.atomic() as tx:
            a = await tx.insert_case("u1", "hefei", CaseState.RECOMMENDED, 1, CaseForm(name="a"))
            b = await tx.insert_case("u1", "hefei", CaseState.RECOMMENDED, 2, CaseForm(name="b"))
            await tx.set_ranks([(a, CaseState.RECOMMENDED, 2), (b, CaseState.RECOMMENDED, 1)])
        async with store.atomic() as tx:
            assert [c.form.name for c in await tx.cases_of_unit("hefei")] == ["b", "a"]


async def test_many_users_answering_at_once_lose_nothing_and_count_nothing_twice(tmp_path: Path) -> None:
    """40 users send 6 answers each, interleaved; a channel redelivers every fifth one, sometimes
    while the first delivery is still being handled. Each answer bumps the user's turn once."""
    path = tmp_path / "a.sqlite3"
    deliveries = [(f"u{u}", f"tg:{u}:{n}") for u in range(40) for n in range(6)]
    deliveries += deliveries[::5]
    random.Random(8).shuffle(deliveries)

    async with Store(path, cache_size=8) as store:  # a small cache: most answers also read the file

        async def answer(user: str, key: str) -> str:
            try:
                async with store.atomic() as tx:
                    session = await tx.load_session(user)
                    await tx.save_session(session.model_copy(update={"turn": session.turn + 1}))
                    await tx.record_event(key, user, [Reply(f"已收到第 {session.turn + 1} 条")])
            except DuplicateEvent:
                return "duplicate"
            return "ok"

        outcomes = await asyncio.gather(*(answer(user, key) for user, key in deliveries))
        assert outcomes.count("duplicate") == len(deliveries) - 240

    async with Store(path) as store:
        rows = await store.db.execute_fetchall("SELECT COUNT(*), COUNT(DISTINCT key) FROM events")
        assert [tuple(r) for r in rows] == [(240, 240)]
        async with store.atomic() as tx:
            for u in range(40):
                assert (await tx.load_session(f"u{u}")).turn == 6


async def test_a_redelivery_in_flight_is_not_built_upon_by_the_same_users_next_answer(tmp_path: Path) -> None:
    """The repeat is still being written when the user's next answer loads the session: that answer
    must start from the committed session, not from the repeat's."""
    async with Store(tmp_path / "a.sqlite3") as store:

        async def answer(key: str) -> str:
            try:
                async with store.atomic() as tx:
                    session = await tx.load_session("u1")
                    await tx.save_session(session.model_copy(update={"turn": session.turn + 1}))
                    await tx.record_event(key, "u1", [])
            except DuplicateEvent:
                return "duplicate"
            return "ok"

        assert await answer("tg:1") == "ok"
        assert await asyncio.gather(answer("tg:1"), answer("tg:2"), answer("tg:1"), answer("tg:3")) == [
            "duplicate",
            "ok",
            "duplicate",
            "ok",
        ]
        async with store.atomic() as tx:
            assert (await tx.load_session("u1")).turn == 3


def test_storage_uses_only_aiosqlites_public_api() -> None:
    for module in STORAGE.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "._execute" not in source and "._conn" not in source, module.name
