"""Kill the bot, a real process on a real SQLite file talking to a loopback Bot API, at every point
between a submission's commit and its files and notices; restart it; everything is there, once.

The fault switch CASEBOT_TEST_KILL_AT=<point> makes the process SIGKILL itself at that point:
``committed`` (the submission is stored, nothing else has happened: no file, no notice, no reply),
``built`` (the unit's files are written, their outbox item not yet marked done), ``sent`` (the
coordinator's notice was handed to Telegram, its item not yet marked done) and ``album`` (every
piece of an album is stored, the album not yet answered).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.botapi import BotApiPeer, PeerUser
from tests.helpers import make_image
from tests.test_telegram_e2e import BotProcess, button, fill_to_pictures, say, text_of

pytestmark = pytest.mark.slow
UNIT = "合肥市委网信办"


@pytest.fixture
async def bot(botapi_peer: BotApiPeer, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(botapi_peer, tmp_path)
    process.codes = process.invite_codes()  # type: ignore[attr-defined]
    try:
        yield process
    finally:
        await process.stop()


async def start(bot: BotProcess, kill_at: str | None) -> None:
    bot.env.pop("CASEBOT_TEST_KILL_AT", None)
    if kill_at:
        bot.env["CASEBOT_TEST_KILL_AT"] = kill_at
    await bot.start()


async def died(bot: BotProcess) -> None:
    """The process killed itself at the fault point (SIGKILL: exit code -9)."""
    assert bot.proc is not None
    code = await asyncio.wait_for(bot.proc.wait(), 30)
    assert code == -9, f"expected the fault switch to SIGKILL the bot, it exited with {code}"
    bot.proc = None


async def joined(bot: BotProcess, user_id: int, name: str, role: str) -> PeerUser:
    user = bot.peer.user(user_id, name)
    expect = "第 1/14 步" if role == "申报人" else "联络人"
    await say(user, f"/start {bot.codes[(UNIT, role)]}", expect)  # type: ignore[attr-defined]
    return user


def notices(boss: PeerUser, name: str) -> int:
    return sum(1 for m in boss.messages if "新案例" in text_of(m) and name in text_of(m))


def outbox_rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT CASE WHEN done_at IS NOT NULL THEN 'done' WHEN failed_at IS NOT NULL THEN 'failed' "
            "ELSE 'pending' END, COUNT(*) FROM outbox GROUP BY 1"
        ).fetchall()
    return {r[0]: r[1] for r in rows}


def drafts_of(db: Path, user: str) -> list[object]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT json_extract(state, '$.draft') FROM sessions WHERE user = ?", (user,)).fetchall()
    return [r[0] for r in rows if r[0] is not None]


@pytest.mark.parametrize("point", ["committed", "built", "sent"])
async def test_a_kill_after_the_commit_loses_no_file_and_no_notice(bot: BotProcess, point: str) -> None:
    await start(bot, point)
    boss = await joined(bot, 501, "联络人", "联络人")
    alice = await joined(bot, 101, "申报人", "申报人")
    name = "清朗网络共建行动"
    await fill_to_pictures(alice, name)
    review = await say(alice, "/skip", "第 14/14 步")
    await alice.press(review, button(review, "提交"))
    confirm = await alice.wait_for("确认提交案例", timeout=20)
    await alice.press(confirm, button(confirm, "确认提交"))
    await died(bot)

    await start(bot, None)
    folder = bot.folder / "out" / UNIT
    for _ in range(300):
        if notices(boss, name) and (folder / f"01-{name}-推荐表.docx").exists():
            break
        await asyncio.sleep(0.1)
    summary = folder / "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx"
    record = "2024年全部申报案例（存档）-合肥市委网信办.xlsx"  # the unit's list of every case, kept beside
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"01-{name}-推荐表.docx", summary.name, record])
    for _ in range(300):  # every notice handed to Telegram before its outbox item is marked done
        if outbox_rows(bot.folder / "bot.sqlite3").get("pending", 0) == 0:
            break
        await asyncio.sleep(0.1)
    assert outbox_rows(bot.folder / "bot.sqlite3").get("pending", 0) == 0  # so a second notice would be in by now
    assert notices(boss, name) == (1 if point != "sent" else 2)  # a kill between send and mark repeats it once
    sent_docs = [m for m in boss.messages if "document" in m]
    assert sorted(m["document"]["file_name"] for m in sent_docs) == sorted(
        [f"01-{name}-推荐表.docx", summary.name] * notices(boss, name)
    )

    before = len(alice.messages)
    await alice.send_text("/start")
    if point == "sent":  # the reply had gone out before the kill: /start opens a new form as usual
        await alice.wait_for("第 1/14 步", timeout=20)
    else:  # the reply never left: the next message says the case went in, with its number and place
        told = await alice.wait_for("已提交成功", timeout=20)
        assert name in text_of(told) and "编号 1" in text_of(told) and "推荐名单第 1 位" in text_of(told)
        assert not any("第 1/14 步" in text_of(m) for m in alice.messages[before:])
        assert drafts_of(bot.folder / "bot.sqlite3", "tg:101") == []  # no empty draft left behind
        await say(alice, "/new", "第 1/14 步")
    await bot.stop()
    assert outbox_rows(bot.folder / "bot.sqlite3").get("pending", 0) == 0


async def test_an_album_interrupted_by_a_kill_is_answered_after_the_restart(bot: BotProcess) -> None:
    await start(bot, "album")
    alice = await joined(bot, 102, "申报人", "申报人")
    await fill_to_pictures(alice, "指尖上的文明课堂")
    await alice.send_album(
        [(make_image("JPEG", (200, 200), "red"), "photo"), (make_image("JPEG", (210, 200), "blue"), "photo")]
    )
    await died(bot)
    await start(bot, None)
    got = await alice.wait_for("已收到 2 张图片", timeout=30)
    assert "2/2" in text_of(got)
    review = await alice.wait_for("第 14/14 步", timeout=20)
    assert text_of(review)
    await bot.stop()
    with sqlite3.connect(bot.folder / "bot.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM album_parts").fetchone()[0] == 0


def test_work_left_by_a_kill_is_done_by_a_restart_whose_input_ends_at_once(tmp_path: Path) -> None:
    """`casebot chat` killed right after the commit; the next run reads no input at all. Its /start tells
    the submitter the case went in, so before it exits the 推荐表 and 汇总表 it promises must be on disk."""
    import os
    import subprocess
    import sys

    from tests.test_cli import scripted_form

    env = {**os.environ, "CASEBOT_CAMPAIGN": "demo", "CASEBOT_DB": str(tmp_path / "db.sqlite3")}
    env |= {"CASEBOT_OUT": str(tmp_path / "out"), "CASEBOT_TEST_KILL_AT": "committed"}
    env.pop("CASEBOT_TELEGRAM_TOKEN", None)
    command = [sys.executable, "-m", "bot", "chat", "--unit", "hefei", "--user", "alice"]
    killed = subprocess.run(
        command, env=env, cwd=tmp_path, input=scripted_form(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert killed.returncode == -9, killed.stderr
    folder = tmp_path / "out" / UNIT
    assert not folder.exists() or not list(folder.glob("*.docx"))
    assert outbox_rows(tmp_path / "db.sqlite3") == {"pending": 1}

    del env["CASEBOT_TEST_KILL_AT"]
    again = subprocess.run(command, env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr.decode()
    assert "已提交成功" in again.stdout.decode()
    assert (folder / "01-清朗网络共建行动-推荐表.docx").is_file()
    assert (folder / "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx").is_file()
    assert outbox_rows(tmp_path / "db.sqlite3") == {"done": 1}
