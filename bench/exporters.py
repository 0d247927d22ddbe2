"""How much the exporters cost next to the least their libraries need.

    python bench/exporters.py [--runs N]

For each export it prints the median wall time of a few runs and the peak Python memory
(tracemalloc, measured in a separate run), next to a "floor": python-docx opening and saving its
default document, or openpyxl writing the same cells with no styling. The ratio says how much the
formatting adds; the aim is to stay within 3× of the floor.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from bot.disk.samples import (  # noqa: E402
    SAMPLE_DATE,
    sample_campaign,
    sample_cases,
    sample_form,
    sample_pictures,
    sample_unit,
)
from dialogs.models import Case  # noqa: E402
from exporters.form_docx import build_form_docx  # noqa: E402
from exporters.summary_xlsx import build_summary_xlsx  # noqa: E402


def measure(job: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median seconds over ``runs`` and peak MiB of one traced run."""
    job()  # warm caches and imports
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    job()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def docx_floor() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def xlsx_floor(cases: list[Case]) -> Callable[[], bytes]:
    """The same cells as the 汇总表, written with no styles, merges or print settings."""

    def build() -> bytes:
        book = Workbook()
        sheet = book.active
        for line in ("附件2", "2024年网络文明建设优秀案例推荐汇总表", "推荐单位：", "联系人：", "电话："):
            sheet.append([line])
        sheet.append(["序号", "案例名称", "案例类型", "申报单位", "备注"])
        for number, case in enumerate(cases, start=1):
            remark = f"开展实施时间：{case.form.period}"
            sheet.append([number, case.form.name, case.form.category, case.form.applicant, remark])
        sheet.append(["注：1. 案例类型请从……6 类中选择一个。"])
        sheet.append(["2. 如推荐案例超过 1 个，请按照推荐程度进行排序。"])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    return build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    args = parser.parse_args(argv)

    campaign = sample_campaign()
    unit = sample_unit(campaign)
    pictures = sample_pictures()
    form = sample_form(pictures)
    blobs = [data for data, _ in pictures]

    rows: list[tuple[str, Callable[[], object], Callable[[], object], int]] = [
        (
            "推荐表（最大：300+2000 字，2 图）",
            lambda: build_form_docx(form, campaign, pictures=blobs, on=SAMPLE_DATE),
            docx_floor,
            args.runs,
        )
    ]
    for count in (50, 5000):
        cases = sample_cases(count)
        rows.append(
            (
                f"汇总表 {count} 行",
                lambda cases=cases: build_summary_xlsx(campaign, unit, cases),
                xlsx_floor(cases),
                args.runs if count <= 50 else max(3, args.runs // 2),
            )
        )

    print(f"{'导出':<28}{'耗时':>10}{'下限':>10}{'倍数':>7}{'峰值内存':>12}{'下限内存':>10}{'倍数':>7}")
    worst = 0.0
    for label, job, floor, runs in rows:
        seconds, peak = measure(job, runs)
        floor_seconds, floor_peak = measure(floor, runs)
        ratio, memory_ratio = seconds / floor_seconds, peak / floor_peak
        worst = max(worst, ratio)
        print(
            f"{label:<24}{seconds * 1000:>9.1f}ms{floor_seconds * 1000:>8.1f}ms{ratio:>6.2f}×"
            f"{peak:>9.1f}MiB{floor_peak:>7.1f}MiB{memory_ratio:>6.2f}×"
        )
    print(f"最大耗时倍数 {worst:.2f}×（目标 ≤ 3×）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
