"""Benchmark: simulated submitters answering the whole form against the SQLite file.

Prints answers per second and p50/p99 latency per answer for the real service (load session,
dialog, save, commit), next to a floor that only commits one row per answer to aiosqlite through
the same public API, and the ratio; then the memory held while 10 000 drafts are stored. The floor
and the service take turns for a few rounds and each keeps its best round, so a neighbour's burst
of work on a shared machine skews the ratio less.

    python bench/dialog.py [--users 500] [--concurrency 50] [--rounds 3] [--drafts 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import open_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from dialogs.events import parse_text  # noqa: E402

SCRIPT = [
    "/start",
    "{name}",
    "某某区委网信办",
    "5",
    "1",
    "2022年3月",
    "张三",
    "0551—62606335",
    "本案例通过建设网络文明实践平台，推动网络文明建设走深走实，群众参与度高。",
    "/next",
    "背景意义" * 40,
    "/next",
    "主要做法" * 60,
    "/next",
    "实施成效" * 40,
    "/next",
    "经验启示" * 30,
    "/next",
    "/skip",
    "/review",
]


async def drive(
    users: int, concurrency: int, answer: Callable[[str, str], Awaitable[object]]
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with gate:
            user = f"bench{index}"
            for line in SCRIPT:
                started = time.perf_counter()
                await answer(user, line.format(name=f"第{index}号案例"))
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(users)))
    return time.perf_counter() - started, latencies


def report(label: str, seconds: float, latencies: list[float]) -> float:
    rate = len(latencies) / seconds
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    print(f"{label:<28} {len(latencies):>7} answers  {rate:>9.0f} answers/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")
    return rate


async def floor(path: Path, users: int, concurrency: int) -> tuple[float, list[float]]:
    """The bare loop: one row inserted and committed per answer through aiosqlite, nothing else."""
    db = await aiosqlite.connect(path)
    await db.execute("PRAGMA journal_mode = WAL")
    await db.execute("PRAGMA synchronous = NORMAL")
    await db.execute("CREATE TABLE answers (user TEXT, line TEXT)")
    await db.commit()
    lock = asyncio.Lock()  # one connection: concurrent submitters take turns, as in the service

    async def answer(user: str, line: str) -> None:
        async with lock:
            await db.execute("INSERT INTO answers VALUES (?, ?)", (user, line))
            await db.commit()

    try:
        return await drive(users, concurrency, answer)
    finally:
        await db.close()


async def service(folder: Path, users: int, concurrency: int) -> tuple[float, list[float]]:
    settings = Settings(campaign="demo", db=folder / "bench.sqlite3", out=folder / "out", _env_file=None)
    async with open_app(settings) as app:
        counter = iter(range(10**9))

        async def answer(user: str, line: str) -> None:
            await app.service.handle(user, parse_text(line), key=f"bench:{next(counter)}")

        return await drive(users, concurrency, answer)


async def memory(folder: Path, drafts: int) -> None:
    """Memory while drafts pile up: the session cache is bounded, so it should level off."""
    settings = Settings(campaign="demo", db=folder / "memory.sqlite3", out=folder / "out", _env_file=None)
    async with open_app(settings) as app:
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        marks = {drafts // 10, drafts // 2, drafts}
        for index in range(1, drafts + 1):
            user = f"draft{index}"
            for line in ("/start", f"第{index}号草稿", "某单位", "3"):
                await app.service.handle(user, parse_text(line))
            if index in marks:
                gc.collect()
                current, peak = tracemalloc.get_traced_memory()
                print(
                    f"  {index:>6} drafts stored: Python heap {(current - base) / 2**20:6.1f} MiB "
                    f"(peak {(peak - base) / 2**20:6.1f} MiB)"
                )
        tracemalloc.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--drafts", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for concurrency in sorted({1, args.concurrency}):
            print(f"{args.users} submitters × {len(SCRIPT)} answers, {concurrency} at a time, one process")
            floors, dialogs = [], []
            for round_ in range(args.rounds):
                floors.append(await floor(folder / f"floor{concurrency}-{round_}.sqlite3", args.users, concurrency))
                dialogs.append(await service(folder / f"s{concurrency}-{round_}", args.users, concurrency))
            floor_rate = report("floor (1 row committed)", *min(floors, key=lambda run: run[0]))
            dialog_rate = report("dialog (casebot service)", *min(dialogs, key=lambda run: run[0]))
            print(
                f"  cost of the dialog: {floor_rate / dialog_rate:.2f}× the floor (aim ≤ 3×, best of {args.rounds}); "
                f"{'meets' if dialog_rate >= 5000 else 'below'} the 5 000 answers/s aim"
            )
        print(f"memory with {args.drafts} drafts stored:")
        await memory(folder, args.drafts)


if __name__ == "__main__":
    asyncio.run(main())
