"""Everyone is told once, through a kill: `casebot publicity notice` and `final` as real processes,
SIGKILLed right after their commit, run again, then the outbox sends what they recorded."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.app import open_app
from bot.settings import Settings
from dialogs.events import Reply
from tests.publicity_data import cast

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def casebot(tmp: Path, *args: str, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOT_")}
    env.update(CASEBOT_CAMPAIGN="demo", CASEBOT_DB=str(tmp / "db.sqlite3"), CASEBOT_OUT=str(tmp / "out"))
    env["PYTHONPATH"] = str(ROOT)
    if kill_at:
        env["CASEBOT_TEST_KILL_AT"] = kill_at
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp, env=env, capture_output=True, text=True, timeout=120
    )


def settings(tmp: Path) -> Settings:
    return Settings(campaign="demo", db=tmp / "db.sqlite3", out=tmp / "out", _env_file=None)


async def prepare(tmp: Path) -> None:
    async with open_app(settings(tmp)) as app:
        people = await cast(app)
        async with app.store.atomic() as tx:
            await tx.record_approved_selection(people.ids[:3], by="省委网信办")


async def deliver(tmp: Path) -> dict[str, list[str]]:
    """Start the application as `casebot run` would and let its outbox send everything due, twice."""
    got: dict[str, list[str]] = {}

    async def sender(user: str, replies: Sequence[Reply], files: Sequence[object]) -> None:
        got.setdefault(user, []).append("\n".join(r.text for r in replies))

    async with open_app(settings(tmp)) as app:
        app.service.outbox.sender = sender
        await app.service.outbox.drain()
        assert await app.service.outbox.drain() == 0  # nothing left, nothing sent again
        assert (await app.service.outbox.counts())["pending"] == 0
    return got


async def test_a_kill_after_each_commit_loses_no_message_and_repeats_none(tmp_path: Path) -> None:
    await prepare(tmp_path)
    notice = ("publicity", "notice", "--start", "2024-04-03", "--days", "5", "notice")
    killed = casebot(tmp_path, *notice, kill_at="publicity-committed")
    assert killed.returncode == -9, killed.stderr
    assert not (tmp_path / "notice").exists()  # killed before its files
    again = casebot(tmp_path, *notice)
    assert again.returncode == 0 and "通知 0 条" in again.stdout, again.stderr  # recorded once, before the kill
    assert len(list((tmp_path / "notice").iterdir())) == 3

    told = await deliver(tmp_path)
    assert sorted(told) == sorted(["tg:101", "tg:102", "wecom:sunjg", "tg:104", "tg:501", "wecom:wangm", "tg:503"])
    assert all(len(messages) == 1 for messages in told.values())

    final = ("publicity", "final", "--today", "2024-04-11")
    killed = casebot(tmp_path, *final, kill_at="publicity-final-committed")
    assert killed.returncode == -9, killed.stderr
    assert "已经确定" in casebot(tmp_path, *final).stderr  # the list was final before the kill
    told = await deliver(tmp_path)
    assert sorted(told) == sorted(["tg:101", "tg:102", "wecom:sunjg", "tg:501", "wecom:wangm"])
    assert all(len(messages) == 1 for messages in told.values())
    assert "正式入选" in told["tg:101"][0] and "图片" in told["tg:501"][0]
