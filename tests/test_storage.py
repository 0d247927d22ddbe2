"""The SQLite file: migrations, transactions that roll back whole, sessions that survive a reopen."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import MIGRATIONS, DuplicateEvent, Store
from dialogs.events import Button, Reply
from dialogs.models import CaseForm, CaseState, Step
from dialogs.session import Draft, Session


async def test_a_new_file_gets_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    async with Store(path) as store:
        assert await store.schema_version() == len(MIGRATIONS)
        async with store.db.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
    async with Store(path) as store:
        assert await store.schema_version() == len(MIGRATIONS)


async def test_a_session_saved_is_there_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    session = Session(user="u1", draft=Draft(step=Step.PHONE, form=CaseForm(name="案例", contact="张三")), turn=7)
    async with Store(path) as store:
        async with store.atomic() as tx:
            await tx.save_session(session)
    async with Store(path) as store:
        async with store.atomic() as tx:
            assert await tx.load_session("u1") == session


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


async def test_an_event_seen_twice_returns_the_first_replies(tmp_path: Path) -> None:
    replies = [Reply("已记录", (((Button("下一项", "cmd:next:3")),),))]
    async with Store(tmp_path / "a.sqlite3") as store:
        async with store.atomic() as tx:
            assert await tx.replies_of("tg:1") is None
            await tx.record_event("tg:1", "u1", replies)
        with pytest.raises(DuplicateEvent):
            async with store.atomic() as tx:
                await tx.save_session(Session(user="u1", turn=9))
                await tx.record_event("tg:1", "u1", [])
        async with store.atomic() as tx:
            assert await tx.replies_of("tg:1") == replies
            assert (await tx.load_session("u1")).turn == 0


async def test_the_audit_log_is_append_only(tmp_path: Path) -> None:
    async with Store(tmp_path / "a.sqlite3") as store:
        async with store.atomic() as tx:
            await tx.audit("u1", "submit", unit="hefei", case_id=1)
        with pytest.raises(Exception, match="append-only"):
            async with store.atomic() as tx:
                await tx._db.execute("DELETE FROM audit")


async def test_ranks_can_be_swapped_without_tripping_the_unique_index(tmp_path: Path) -> None:
    async with Store(tmp_path / "a.sqlite3") as store:
        async with store.atomic() as tx:
            a = await tx.insert_case("u1", "hefei", CaseState.RECOMMENDED, 1, CaseForm(name="a"))
            b = await tx.insert_case("u1", "hefei", CaseState.RECOMMENDED, 2, CaseForm(name="b"))
            await tx.set_ranks([(a, CaseState.RECOMMENDED, 2), (b, CaseState.RECOMMENDED, 1)])
        async with store.atomic() as tx:
            assert [c.form.name for c in await tx.cases_of_unit("hefei")] == ["b", "a"]


async def test_many_answers_at_once_share_commits_and_a_repeat_fails_alone(tmp_path: Path) -> None:
    import asyncio

    path = tmp_path / "a.sqlite3"
    async with Store(path) as store:
        async with store.atomic() as tx:
            await tx.record_event("seen", "u0", [])

        async def answer(i: int, key: str) -> str:
            try:
                async with store.atomic() as tx:
                    await tx.save_session(Session(user=f"u{i}", turn=i))
                    await tx.record_event(key, f"u{i}", [])
            except DuplicateEvent:
                return "duplicate"
            return "ok"

        outcomes = await asyncio.gather(*(answer(i, "seen" if i == 7 else f"k{i}") for i in range(1, 40)))
        assert outcomes.count("duplicate") == 1 and outcomes[6] == "duplicate"
        async with store.atomic() as tx:  # a reader sees every committed answer
            rows = await tx._rows("SELECT COUNT(*) FROM sessions")
            assert rows[0][0] == 38
            assert (await tx.load_session("u7")).turn == 0
    async with Store(path) as store:
        async with store.atomic() as tx:
            assert (await tx.load_session("u39")).turn == 39
