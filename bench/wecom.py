"""Benchmark: N concurrent WeCom members fill the form through signed, encrypted callbacks.

`casebot` runs as its own process with its WeCom channel pointed at the loopback WeCom fake (pacing
off: CASEBOT_WECOM_PER_MINUTE=0; against WeCom itself each member is held to 30 messages a minute,
which would measure WeCom's limit rather than casebot). Each member posts an answer, waits for the
prompt that answers it, then posts the next, as a person does. Prints:

- the callback acknowledgement latency (POST sent → HTTP 200 received: decrypt, parse, the inbox
  row committed), p50 and p99; WeCom's deadline is 5 s, the aim is p99 ≤ 50 ms. The members' first
  callbacks (all N posted at the same instant, each on a new connection) are shown apart;
- end-to-end answers per second (callbacks answered ÷ wall time) and the round trip p50/p99
  (POST sent → the answering prompt received by the fake API);
- casebot's CPU time per answer, which the load of other processes on the machine does not change;
- WeCom messages per answer (texts, button cards and files received ÷ callbacks sent): over the N
  members' answers, and over one more member's whole form to the 推荐表 (submitted and confirmed, the
  file included), next to what WeCom's 30 a minute allows at a person's pace (one answer every 2.5 s: 1.2);
- lost: answers whose prompt never came (with a timeout), which must be 0.

    python bench/wecom.py [--users 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

from aiohttp import web  # noqa: E402

from tests.wecom.callbacks import text_xml  # noqa: E402
from tests.wecom.fake import WeComFake  # noqa: E402
from tests.wecom.process import WeComBot  # noqa: E402

REPLY_TIMEOUT = 60.0
PER_MINUTE = 30  # WeCom's limit of messages to one member
PERSON_PACE = 2.5  # seconds between a person's answers, at the quickest
AIM_PER_ANSWER = 1.2  # issue 19: at most this many messages an answer over a whole form


def form_script(code: str, index: int) -> list[tuple[str, str]]:
    """(what the member sends, what the prompt that answers it contains): join, then the whole form."""
    parts = [("背景意义" * 30, 9), ("主要做法" * 50, 10), ("实施成效" * 30, 11), ("经验启示" * 20, 12)]
    script = [
        (code, "第 1/14 步"),  # the bare invitation code, as WeCom members join
        (f"压测案例{index}", "第 2/14 步"),
        ("某某区委网信办", "第 3/14 步"),
        ("5", "第 5/14 步"),
        ("2022年3月15日", "第 6/14 步"),
        ("张三", "第 7/14 步"),
        ("0551-62606335（办）、13812345678", "第 8/14 步"),
        ("本案例简介。" * 10, "已记录"),
        ("/next", "第 9/14 步"),
    ]
    for text, step in parts:
        script += [(text, "已记录"), ("/next", f"第 {step + 1}/14 步")]
    return script + [("/skip", "第 14/14 步")]


SUBMITTING = [("/submit", "确认提交"), ("1", "已提交")]


@dataclass
class ArrivalFake(WeComFake):
    """The fake WeCom API, which also hands each accepted text to a queue per member."""

    arrivals: dict[str, asyncio.Queue[str]] = field(default_factory=dict)

    def inbox(self, member: str) -> asyncio.Queue[str]:
        return self.arrivals.setdefault(member, asyncio.Queue())

    async def _send(self, request: web.Request) -> web.Response:
        before = len(self.sent)
        response = await super()._send(request)
        for message in self.sent[before:]:
            if message.get("msgtype") == "text":
                self.inbox(str(message["touser"])).put_nowait(message["text"]["content"])
        return response


@dataclass
class Tally:
    acks: list[float] = field(default_factory=list)
    first_acks: list[float] = field(default_factory=list)  # each member's first callback: all N at one instant
    rounds: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    lost: int = 0


async def member(bot: WeComBot, fake: ArrivalFake, userid: str, script: list[tuple[str, str]], tally: Tally) -> None:
    queue = fake.inbox(userid.lower())
    for index, (text, expect) in enumerate(script):
        started = time.perf_counter()
        status = await bot.post(text_xml(userid, text))
        (tally.first_acks if index == 0 else tally.acks).append(time.perf_counter() - started)
        tally.statuses[status] = tally.statuses.get(status, 0) + 1
        try:
            async with asyncio.timeout(REPLY_TIMEOUT):
                while expect not in await queue.get():
                    pass
        except TimeoutError:
            tally.lost += 1
            continue
        tally.rounds.append(time.perf_counter() - started)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and every process under it (Linux /proc: casebot's
    callback process and its file builders count too); NaN elsewhere."""
    stats: dict[int, tuple[int, float]] = {}  # pid → (parent, CPU seconds)
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        stats[int(entry.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    if pid not in stats:
        return float("nan")
    tree, grown = {pid}, True
    while grown:
        below = {child for child, (parent, _) in stats.items() if parent in tree} - tree
        tree |= below
        grown = bool(below)
    return sum(stats[p][1] for p in tree)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def run(users: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        async with ArrivalFake() as fake:
            bot = WeComBot(fake, Path(folder), {"CASEBOT_LOG_LEVEL": "WARNING"})
            codes = await bot.invite_codes()
            await bot.start()
            try:
                units = sorted({unit for unit, role in codes if role == "申报人"})
                scripts = [form_script(codes[(units[i % len(units)], "申报人")], i) for i in range(users)]
                tally = Tally()
                ids = [f"Bench{secrets.token_hex(3)}{i}" for i in range(users)]
                started = time.perf_counter()
                await asyncio.gather(*(member(bot, fake, ids[i], scripts[i], tally) for i in range(users)))
                elapsed = time.perf_counter() - started
                assert bot.proc is not None
                cpu = cpu_seconds(bot.proc.pid)
                whole = await whole_form(bot, fake, codes[(units[0], "申报人")], users)
            finally:
                code = await bot.close()
    answers = sum(len(s) for s in scripts)
    members = {userid.lower() for userid in ids}
    messages = sum(1 for message in fake.sent if message.get("touser") in members)  # the load's only
    return {
        "users": users,
        "answers": answers,
        "seconds": elapsed,
        "per_second": len(tally.rounds) / elapsed,
        "cpu_ms": cpu * 1000 / answers,
        "ack_p50_ms": percentile(tally.acks, 0.50) * 1000,
        "ack_p99_ms": percentile(tally.acks, 0.99) * 1000,
        "ack_max_ms": max(tally.acks, default=float("nan")) * 1000,
        "first_p50_ms": percentile(tally.first_acks, 0.50) * 1000,
        "first_max_ms": max(tally.first_acks, default=float("nan")) * 1000,
        "round_p50_ms": percentile(tally.rounds, 0.50) * 1000,
        "round_p99_ms": percentile(tally.rounds, 0.99) * 1000,
        "statuses": tally.statuses,
        "lost": tally.lost,
        "exit": code,
        "per_answer": messages / answers,
        "whole_form": whole,
    }


async def whole_form(bot: WeComBot, fake: ArrivalFake, code: str, index: int) -> float:
    """Messages per answer of one member's whole form, from the invitation code to the 推荐表 received."""
    userid = f"BenchWhole{index}"
    script = [
        (f"整表案例{secrets.token_hex(4)}" if text.startswith("压测案例") else text, expect)
        for text, expect in form_script(code, index)
    ] + SUBMITTING
    tally = Tally()
    await member(bot, fake, userid, script, tally)
    received = lambda: [m for m in fake.sent if m.get("touser") == userid.lower()]  # noqa: E731
    async with asyncio.timeout(REPLY_TIMEOUT):
        while not any(m.get("msgtype") == "file" for m in received()):
            await asyncio.sleep(0.05)
    return len(received()) / len(script) if not tally.lost else float("nan")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="concurrent WeCom members (default 200)")
    args = parser.parse_args()
    result = await run(args.users)
    print(
        f"WeCom, {result['users']} members, {result['answers']} answers in {result['seconds']:.1f} s: "
        f"{result['per_second']:.0f} answers/s end to end"
    )
    print(
        f"  callback acknowledgement: p50 {result['ack_p50_ms']:.1f} ms, p99 {result['ack_p99_ms']:.1f} ms, "
        f"max {result['ack_max_ms']:.1f} ms"
    )
    print(
        f"  the first callbacks, all {result['users']} at one instant: "
        f"p50 {result['first_p50_ms']:.1f} ms, max {result['first_max_ms']:.1f} ms"
    )
    print(f"  answer round trip:        p50 {result['round_p50_ms']:.1f} ms, p99 {result['round_p99_ms']:.1f} ms")
    print(f"  casebot CPU time per answer (start-up included): {result['cpu_ms']:.1f} ms")
    allowed = PER_MINUTE / (60.0 / PERSON_PACE)
    print(
        f"  WeCom messages per answer: {result['per_answer']:.2f} over the members' answers, "
        f"{result['whole_form']:.2f} over a whole form to the 推荐表 (cards and the file included); "
        f"aim ≤ {AIM_PER_ANSWER} (WeCom's {PER_MINUTE} a minute allow {allowed:.2f} at one answer every {PERSON_PACE} s)"
    )
    print(f"  HTTP statuses {result['statuses']}; lost {result['lost']}; casebot exit code {result['exit']}")


if __name__ == "__main__":
    asyncio.run(main())
