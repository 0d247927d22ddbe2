"""Benchmark: the last hour before a deadline, 50 submitters of several units confirming at once.

Each submitter has a whole form ready (a 300-字 summary, a 2 000-字 案例内容 in its four parts) and
sends the final confirmation at the same moment as the others. For each submission it measures the
time from the confirmation to the moment all three are done: its 推荐表 and its unit's 汇总表 on
disk, and the unit coordinator's notice handed to the channel (a recording fake, so the figure is the
service's and the outbox's, not a network's). Prints p50/p99 of that, the outbox's backlog over
time (nothing may be left pending), and next to it the bare cost of building those files once each
with the exporters alone.

    python bench/submit.py [--units 10] [--per-unit 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import App, open_app  # noqa: E402
from bot.disk.outputs import OutFile, listed, recommended  # noqa: E402
from bot.settings import Settings  # noqa: E402
from dialogs.events import Reply, parse_text  # noqa: E402
from exporters.form_docx import build_form_docx  # noqa: E402
from exporters.summary_xlsx import build_summary_xlsx  # noqa: E402

POOL = "网络文明建设实践平台推动群众参与社区志愿服务青少年素养教育直播普法诚信经营数字助老乡村振兴非遗传承正能量"


def prose(rng: random.Random, zi: int) -> str:
    """Chinese-looking text of about ``zi`` 字, different for every seed, so no two cases look alike."""
    words = [rng.choice(POOL) + rng.choice(POOL) for _ in range(zi // 2)]
    text = "，".join("".join(words[i : i + 8]) for i in range(0, len(words), 8))
    return text[: zi - 1] + "。"


def script(seed: int) -> list[str]:
    """Every answer up to the confirmation (the unit is fixed by membership: no 推荐单位 step)."""
    rng = random.Random(seed)
    return [
        "/start",
        f"{prose(rng, 10)[:12]}行动{seed}",
        "某某区委网信办",
        "5",
        "2022年3月15日",
        "张三",
        "0551-62606335（办）、13812345678",
        prose(rng, 290),
        "/next",
        "一、背景意义\n" + prose(rng, 400),
        "/next",
        "二、主要做法\n" + prose(rng, 700),
        "/next",
        "三、实施成效\n" + prose(rng, 500),
        "/next",
        "四、经验启示\n" + prose(rng, 300),
        "/next",
        "/skip",
        "/submit",
    ]


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def prepare(app: App, units: list[str], per_unit: int) -> list[tuple[str, str]]:
    submitters = []
    for u in units:
        await app.service.assign_unit(f"boss-{u}", u, role="coordinator")
        for i in range(per_unit):
            user = f"{u}-{i}"
            await app.service.assign_unit(user, u)
            for line in script(len(submitters)):
                await app.service.handle(user, parse_text(line))
            submitters.append((user, u))
    return submitters


async def run(folder: Path, unit_count: int, per_unit: int) -> None:
    settings = Settings(campaign="demo", db=folder / "bench.sqlite3", out=folder / "out", _env_file=None)
    async with open_app(settings) as app:
        units = [u.code for u in app.campaign.units[:unit_count]]
        submitters = await prepare(app, units, per_unit)
        handed: dict[str, float] = {}  # case name → when its notice reached the channel

        async def channel(user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
            for reply in replies:
                handed.setdefault(reply.text, time.perf_counter())

        app.service.outbox.sender = channel
        stopping = asyncio.Event()
        worker = asyncio.ensure_future(app.service.outbox.run(stopping))
        backlog: list[tuple[float, int]] = []
        start = time.perf_counter()

        async def sample() -> None:
            while not stopping.is_set():
                backlog.append((time.perf_counter() - start, (await app.service.outbox.counts())["pending"]))
                await asyncio.sleep(0.1)

        sampler = asyncio.ensure_future(sample())

        async def confirm(user: str) -> tuple[str, float, float]:
            began = time.perf_counter()
            response = await app.service.handle(user, parse_text("1"))
            on_disk = time.perf_counter()
            assert any("已提交" in r.text for r in response.replies), response.replies
            assert len(response.written) == 2, "the 推荐表 and the 汇总表 are on disk when the reply leaves"
            return user, began, on_disk

        done = await asyncio.gather(*(confirm(user) for user, _ in submitters))
        for _ in range(600):
            if len(handed) >= len(submitters):
                break
            await asyncio.sleep(0.05)
        settle = time.perf_counter()
        while (await app.service.outbox.counts())["pending"] and time.perf_counter() - settle < 30:
            await asyncio.sleep(0.05)
        stopping.set()
        await asyncio.gather(worker, sampler)
        counts = await app.service.outbox.counts()

        cases = await all_cases(app)
        names = {c.owner: c.form.name or "" for c in cases}
        on_disk_forms = sorted(p.name for p in settings.out.rglob("*-推荐表.docx"))
        assert on_disk_forms == sorted(app.outputs.form_name(c) for c in cases), "every case's 推荐表 on disk"
        latencies = []
        for user, began, on_disk in done:
            notice = next(at for text, at in handed.items() if names[user] in text)
            latencies.append(max(on_disk, notice) - began)
        disk = [on_disk - began for _, began, on_disk in done]
        print(f"{len(submitters)} submitters in {unit_count} units confirming at the same moment")
        print(
            f"  files on disk:                 p50 {pct(disk, 0.5) * 1000:6.0f} ms   p99 {pct(disk, 0.99) * 1000:6.0f} ms"
        )
        print(
            f"  files + coordinator's notice:  p50 {pct(latencies, 0.5) * 1000:6.0f} ms"
            f"   p99 {pct(latencies, 0.99) * 1000:6.0f} ms   (aim: p99 ≤ 2 000 ms)"
        )
        print(f"  outbox at the end: {counts}")
        print("  outbox backlog (s: pending): " + ", ".join(f"{t:.1f}: {n}" for t, n in thin(backlog)))
        await bare(app, units)


def thin(series: list[tuple[float, int]], points: int = 16) -> list[tuple[float, int]]:
    step = max(1, len(series) // points)
    return series[::step] + ([series[-1]] if series and (len(series) - 1) % step else [])


async def all_cases(app: App) -> list:  # type: ignore[type-arg]
    async with app.store.atomic() as tx:
        return await tx.all_cases()


async def bare(app: App, units: list[str]) -> None:
    """The exporters alone: every 推荐表 once and every unit's 汇总表 once, one after the other."""
    cases = await all_cases(app)
    began = time.perf_counter()
    for case in cases:
        build_form_docx(case.form, app.campaign, pictures=[], on=None)
    forms = time.perf_counter() - began
    began = time.perf_counter()
    for code in units:
        unit = app.campaign.unit(code)
        assert unit is not None
        mine = [c for c in cases if c.unit == code]
        build_summary_xlsx(app.campaign, unit, recommended(mine), all_cases=listed(mine))
    summaries = time.perf_counter() - began
    print(
        f"  bare cost, once each: {len(cases)} 推荐表 {forms * 1000:.0f} ms ({forms / len(cases) * 1000:.0f} ms each), "
        f"{len(units)} 汇总表 {summaries * 1000:.0f} ms ({summaries / len(units) * 1000:.0f} ms each); "
        f"total {(forms + summaries) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--per-unit", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(Path(folder), args.units, args.per_unit))


if __name__ == "__main__":
    main()
