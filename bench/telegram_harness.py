"""Drive a bot over the real Bot API protocol with many concurrent simulated users.

Why: the bot's throughput and latency under a burst of users (e.g. a deadline evening)
depend on PTB, HTTP and the bot's own concurrency; this plays users against the
loopback Bot API peer (tests/botapi) while the bot runs as its own process.

Run: ``python bench/telegram_harness.py`` (echo bot baseline for N = 1, 50, 200).
"""

from __future__ import annotations

import asyncio
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.botapi import BotApiPeer, PeerUser  # noqa: E402
from tests.botapi.process import spawn_bot, stop_bot  # noqa: E402

ReplyPredicate = Callable[[str, dict[str, Any]], bool]
ECHO_BOT = ROOT / "bench" / "echo_bot.py"
SCRIPT = ["你好", "单位：某市网信办", "案例：清朗网络进社区", "简介：" + "文明上网" * 20, "完成"]


def echo_predicate(sent: str, reply: dict[str, Any]) -> bool:
    """Default: the reply is the echo of what was sent."""
    return reply.get("text") == sent


class _Tally:
    """Results shared by all simulated users of one drive() run."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.lost = 0
        self.misordered = 0


async def _play(user: PeerUser, script: Sequence[str], check: ReplyPredicate, tally: _Tally, timeout: float) -> None:
    """One user: send each line, wait for the first bot message, then the next line."""
    for text in script:
        started = time.perf_counter()
        await user.send_text(text)
        try:
            reply = await user.next_message(timeout, kinds=("message",))
        except TimeoutError:
            tally.lost += 1
            continue
        tally.latencies.append(time.perf_counter() - started)
        if not check(text, reply):
            tally.misordered += 1


def _percentile(sorted_values: Sequence[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = max(math.ceil(fraction * len(sorted_values)) - 1, 0)
    return sorted_values[index]


async def drive(
    peer: BotApiPeer,
    n_users: int,
    script: list[str],
    reply_predicate: ReplyPredicate | None = None,
    *,
    timeout: float = 10.0,
    first_user_id: int | None = None,
) -> dict[str, Any]:
    """Play ``n_users`` concurrent users through ``script``; return the figures.

    Latency is send -> first bot message for that user. ``reply_predicate(sent, reply)``
    says whether that first message is the right answer (default: echo of ``sent``);
    a wrong one counts as misordered, no message within ``timeout`` as lost.
    Fresh user ids are used each run so runs never see each other's replies.
    """
    base = first_user_id if first_user_id is not None else max(peer.users, default=900_000) + 1
    users = [peer.user(base + i, f"压测{i}") for i in range(n_users)]
    tally = _Tally()
    started = time.perf_counter()
    check = reply_predicate or echo_predicate
    await asyncio.gather(*(_play(u, script, check, tally, timeout) for u in users))
    seconds = time.perf_counter() - started
    ordered = sorted(tally.latencies)
    return {
        "users": n_users,
        "round_trips": len(ordered),
        "seconds": round(seconds, 3),
        "rps": round(len(ordered) / seconds, 1) if seconds > 0 else 0.0,
        "p50_ms": round(_percentile(ordered, 0.50) * 1000, 1),
        "p99_ms": round(_percentile(ordered, 0.99) * 1000, 1),
        "lost": tally.lost,
        "misordered": tally.misordered,
    }


def format_row(result: dict[str, Any]) -> str:
    return (
        f"N={result['users']:>4}  round_trips={result['round_trips']:>5}  seconds={result['seconds']:>7.3f}  "
        f"rps={result['rps']:>7.1f}  p50={result['p50_ms']:>7.1f}ms  p99={result['p99_ms']:>7.1f}ms  "
        f"lost={result['lost']}  misordered={result['misordered']}"
    )


async def run_echo_baseline(sizes: Sequence[int] = (1, 50, 200), script: list[str] = SCRIPT) -> list[dict[str, Any]]:
    """Start a peer and the echo bot process, then drive it at each size."""
    results = []
    async with BotApiPeer() as peer:
        proc = await spawn_bot(peer, [sys.executable, str(ECHO_BOT)], cwd=str(ROOT))
        try:
            await drive(peer, 1, ["warm-up"])  # first request pays connection setup
            for n in sizes:
                result = await drive(peer, n, script)
                print(format_row(result), flush=True)
                results.append(result)
        finally:
            await stop_bot(proc)
    return results


def main() -> None:
    print(f"echo bot over the loopback Bot API peer, script of {len(SCRIPT)} messages per user")
    asyncio.run(run_echo_baseline())


if __name__ == "__main__":
    main()
