"""Benchmark: N concurrent submitters fill the whole form over the loopback Bot API peer.

Prints round trips per second and p50/p99 latency (an answer sent → the bot's next prompt
received) for casebot, next to a bare python-telegram-bot echo bot on the same peer in the same
run, and the ratio; plus lost and misordered replies. Both bots run as their own processes with
send pacing off (CASEBOT_SEND_RATE_*=0): against Telegram itself both would be capped at 30
messages/s overall, which would measure Telegram's limit rather than the bots.

    python bench/telegram.py [--sizes 1,50,200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/: this file's name would shadow the telegram package

from bench.telegram_harness import _percentile, drive, format_row  # noqa: E402
from tests.botapi import BotApiPeer, PeerUser  # noqa: E402
from tests.botapi.process import spawn_bot, stop_bot  # noqa: E402

STEP = re.compile(r"第 (\d+)/14 步")


def form_script(code: str, index: int) -> list[tuple[str, str]]:
    """(what the submitter sends, what the reply that answers it contains)."""
    parts = [("背景意义" * 30, 9), ("主要做法" * 50, 10), ("实施成效" * 30, 11), ("经验启示" * 20, 12)]
    script = [
        (f"/start {code}", "第 1/14 步"),
        (f"压测案例{index}", "第 2/14 步"),
        ("某某区委网信办", "第 3/14 步"),
        ("5", "第 5/14 步"),
        ("2022年3月", "第 6/14 步"),
        ("张三", "第 7/14 步"),
        ("0551-62606335", "第 8/14 步"),
        ("本案例简介。" * 10, "已记录"),
        ("/next", "第 9/14 步"),
    ]
    for text, step in parts:
        script += [(text, "已记录"), ("/next", f"第 {step + 1}/14 步")]
    return script + [("/skip", "第 14/14 步")]


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.lost = 0
        self.misordered = 0


async def play(user: PeerUser, script: list[tuple[str, str]], tally: Tally, timeout: float) -> None:
    for text, expected in script:
        started = time.perf_counter()
        await user.send_text(text)
        wanted = STEP.search(expected)
        try:
            while True:
                message = await user.next_message(timeout, kinds=("message",))
                body = message.get("text") or ""
                if expected in body:
                    break
                seen = STEP.search(body)
                if seen and wanted and int(seen.group(1)) > int(wanted.group(1)):
                    tally.misordered += 1
        except TimeoutError:
            tally.lost += 1
            return
        tally.latencies.append(time.perf_counter() - started)


async def drive_casebot(peer: BotApiPeer, n: int, code: str, timeout: float = 60) -> dict[str, Any]:
    base = max(peer.users, default=100_000) + 1
    users = [peer.user(base + i, f"申报{i}") for i in range(n)]
    tally = Tally()
    started = time.perf_counter()
    await asyncio.gather(*(play(u, form_script(code, base + i), tally, timeout) for i, u in enumerate(users)))
    seconds = time.perf_counter() - started
    ordered = sorted(tally.latencies)
    return {
        "users": n,
        "round_trips": len(ordered),
        "seconds": round(seconds, 3),
        "rps": round(len(ordered) / seconds, 1),
        "p50_ms": round(_percentile(ordered, 0.5) * 1000, 1),
        "p99_ms": round(_percentile(ordered, 0.99) * 1000, 1),
        "lost": tally.lost,
        "misordered": tally.misordered,
    }


def invite(env: dict[str, str], folder: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "invites", "--unit", "hefei"],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [line.split("\t") for line in out.splitlines()[1:]]  # under the header: unit, role, code[, link]
    return next(cells[2] for cells in rows if len(cells) >= 3 and cells[1] == "申报人")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,50,200")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "PTB_TIMEDELTA": "1",  # PTB's documented opt-in to timedelta durations, in every process started
            "CASEBOT_CAMPAIGN": "demo",
            "CASEBOT_DB": str(folder / "bench.sqlite3"),
            "CASEBOT_OUT": str(folder / "out"),
            "CASEBOT_POLL_TIMEOUT": "1",
            "CASEBOT_SEND_RATE_OVERALL": "0",
            "CASEBOT_SEND_RATE_PER_CHAT": "0",
            "CASEBOT_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        }
        code = invite(env, folder)
        rows = []
        async with BotApiPeer() as peer:
            echo = await spawn_bot(peer, [sys.executable, "-m", "bench.echo_bot"], env=env, cwd=str(ROOT))
            try:
                await drive(peer, 1, ["warm-up"])
                same_texts = [text for text, _ in form_script(code, 0)]  # the same messages casebot gets
                echo_rows = [await drive(peer, n, same_texts) for n in sizes]
            finally:
                await stop_bot(echo)
            bot = await spawn_bot(peer, [sys.executable, "-m", "bot", "run"], env=env, cwd=str(folder))
            try:
                for n in sizes:
                    rows.append(await drive_casebot(peer, n, code))
            finally:
                await stop_bot(bot)
        print(f"{len(form_script(code, 0))} answers per submitter (the whole form up to the review)")
        for mine, bare in zip(rows, echo_rows, strict=False):
            print("casebot   " + format_row(mine))
            print("echo bot  " + format_row(bare))
            print(f"          ratio casebot/echo throughput: {mine['rps'] / bare['rps']:.2f} (aim ≥ 0.7)")


if __name__ == "__main__":
    asyncio.run(main())
