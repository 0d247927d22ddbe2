"""Drafts survive everything: a process killed with SIGKILL, a week away, a message delivered twice."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.app import App
from dialogs.events import Text, parse_text
from tests.helpers import HAPPY, HAPPY_MEMBER


class ChatProcess:
    """`casebot chat` as its own process, fed line by line through a pipe."""

    def __init__(self, tmp: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "CASEBOT_CAMPAIGN": "demo"}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "chat",
                "--db",
                str(tmp / "db.sqlite3"),
                "--out",
                str(tmp / "out"),
                "--user",
                "alice",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp,
        )
        self.seen = ""

    def wait_for(self, needle: str, timeout: float = 30) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while needle not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"did not see {needle!r}; output so far:\n{self.seen}")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise AssertionError(f"process ended before {needle!r}:\n{self.seen}")
                self.seen += chunk.decode("utf-8", "replace")
        return self.seen

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def finish(self) -> str:
        """Close standard input and read everything up to the end of the process."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.seen += self.proc.stdout.read().decode("utf-8", "replace")
        self.proc.wait(timeout=60)
        return self.seen


@pytest.mark.slow
def test_a_submitter_killed_mid_form_resumes_at_the_same_step_with_every_answer(tmp_path: Path) -> None:
    first = ChatProcess(tmp_path)
    first.wait_for("第 1/14 步")
    for answer, next_step in zip(HAPPY[1:8], range(2, 9), strict=False):
        first.send(answer)
        first.wait_for(f"第 {next_step}/14 步")
    first.send("本案例简介的前半部分。")
    first.wait_for("已记录“案例简介”")
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(timeout=10)

    second = ChatProcess(tmp_path)
    second.wait_for("回到上次填写的步骤")
    second.wait_for("第 8/14 步")
    second.wait_for("请先选择：继续补充")  # the prompt says the next text is asked about, not appended
    second.send("后半部分。")
    second.wait_for("已保留，尚未填入")
    second.send("1")  # 继续补充
    second.wait_for("已补充“案例简介”")
    second.send("/review")
    out = second.finish()
    assert "本案例简介的前半部分。 后半部分。" in out or "本案例简介的前半部分。\n后半部分。" in out
    for answer in ("清朗网络共建行动", "网络空间生态治理", "2022年3月", "0551-62606335", "张三"):
        assert answer in out


async def test_a_draft_left_for_a_month_is_still_there(app: App) -> None:
    await app.service.assign_unit("u1", "hefei")
    for answer in HAPPY_MEMBER[:5]:
        await app.service.handle("u1", parse_text(answer))
    await app.store.db.execute("UPDATE sessions SET updated_at = '2020-01-01T00:00:00+00:00'")
    app.store._cache.clear()
    response = await app.service.handle("u1", parse_text("/start"))
    text = "\n".join(r.text for r in response.replies)
    assert "第 6/14 步" in text and "回到上次填写的步骤" in text


async def test_the_same_message_delivered_twice_is_applied_once(app: App) -> None:
    await app.service.assign_unit("u1", "hefei")
    await app.service.handle("u1", parse_text("/start"), key="tg:1")
    first = await app.service.handle("u1", Text("清朗网络共建行动"), key="tg:2")
    again = await app.service.handle("u1", Text("清朗网络共建行动"), key="tg:2")
    assert again.duplicate and [r.text for r in again.replies] == [r.text for r in first.replies]
    async with app.store.atomic() as tx:
        session = await tx.load_session("u1")
    assert session.draft.step.value == "applicant"
    assert session.draft.form.applicant is None
