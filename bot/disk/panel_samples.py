"""A small finished panel, for the tests of the papers and the pictures in the README.

Eight cases from three units, five experts (panel_samples.toml): the first comes from 合肥 (so never
scores 合肥's cases), the second declares 回避 on one case, the third's paper sheet is entered by the
admin; the scores give one case a gate "no", one a large spread and two a tie at the cut-off, and a 复核 decision for each.
"""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot.disk.atomic import write_atomic
from bot.disk.office import convert_all_to_pdf, pdf_to_pngs
from bot.disk.samples import SAMPLE_TIME, sample_campaign, sample_cases
from dialogs.campaign import Campaign
from dialogs.models import Case
from dialogs.panel.assignment import Expert, Pending, assign
from dialogs.panel.record import Approval, PanelRecord, Recusal
from dialogs.panel.result import Entry, Flag, Review, Sheet, results, top_overall
from dialogs.panel.scores import GateAnswer
from exporters.panel_sheet_docx import build_score_sheet_docx
from exporters.panel_summary_xlsx import build_panel_summary_xlsx


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("panel_samples.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


EXPERTS = tuple(Expert(n, e["name"], e["org"], unit=e.get("unit")) for n, e in enumerate(_data()["experts"], start=1))
# (case, totals by expert 1..5 as (内容真实, 互联网特征, 创新示范)); None: not given (回避 or own unit)
_POINTS: dict[int, tuple[tuple[int, int, int] | None, ...]] = {
    1: (None, (18, 36, 36), (17, 35, 35), (19, 37, 36), (18, 36, 37)),
    2: (None, (16, 30, 31), (15, 31, 30), (16, 32, 31), (17, 30, 30)),
    3: (None, (15, 28, 30), (16, 29, 29), (15, 30, 28), (14, 29, 30)),
    4: (None, (12, 25, 24), (13, 26, 25), (12, 24, 26), (13, 25, 25)),
    5: ((18, 35, 36), (19, 38, 38), (17, 34, 35), (18, 36, 35), (18, 35, 36)),
    6: ((17, 31, 31), None, (15, 31, 30), (17, 30, 31), (16, 31, 29)),
    7: ((19, 38, 38), (10, 20, 22), (18, 36, 37), (19, 37, 38), (18, 37, 36)),
    8: ((14, 27, 28), (15, 28, 27), (14, 28, 28), (15, 27, 28), (14, 28, 27)),
}
_VETO = (_data()["veto"]["case"], _data()["veto"]["expert"], _data()["veto"]["reason"])  # case, expert, reason
PANEL_TIME = SAMPLE_TIME + datetime.timedelta(days=20)


def sample_panel_cases() -> list[Case]:
    """4 cases of 合肥, 2 of 芜湖, 2 of 安徽网; ids 1..8."""
    cases = sample_cases(4, "hefei") + sample_cases(2, "wuhu") + sample_cases(2, "ahwang")
    categories = [c.name for c in sample_campaign().categories]
    return [
        c.model_copy(update={"id": n, "form": c.form.model_copy(update={"category": categories[n % len(categories)]})})
        for n, c in enumerate(cases, start=1)
    ]


def sample_panel(campaign: Campaign | None = None, *, approved: bool = True) -> PanelRecord:
    campaign = campaign or sample_campaign()
    cases = sample_panel_cases()
    data = _data()
    declared = data["recusal"]
    recusals = [
        Recusal(declared["expert"], declared["case"], declared["reason"]),
        *(Recusal(1, c.id, automatic=True) for c in cases if c.unit == "hefei"),
    ]
    plan = assign([Pending(c.id, c.unit) for c in cases], EXPERTS, [(declared["expert"], declared["case"])])
    sheets = []
    for case_id, rows in _POINTS.items():
        for expert, points in enumerate(rows, start=1):
            if points is None:
                continue
            veto = (case_id, expert) == _VETO[:2]
            gates = (GateAnswer(True), GateAnswer(not veto, _VETO[2] if veto else ""))
            comment = data["comment"] if (case_id, expert) == (5, 4) else ""
            sheets.append(Sheet(expert, case_id, tuple(Decimal(p) for p in points), gates, comment))
    panel = campaign.panel
    found = results(
        [_entry(c) for c in cases], sheets, trim_from=panel.trim_from, spread_limit=panel.spread_limit, places=4
    )
    reviews = {
        7: Review(7, False, data["reviews"]["spread"], data["office"]),
        8: Review(8, True, data["reviews"]["veto"], data["office"]),
    }
    tied = [r.case_id for r in found if Flag.TIE in r.flags]
    for case_id in tied:
        reviews.setdefault(case_id, Review(case_id, False, data["reviews"]["tie"], data["group"]))
    chosen = top_overall(found, 4, reviews)
    selection = chosen.chosen + chosen.tied
    return PanelRecord(
        campaign=campaign,
        cases=tuple(cases),
        experts=EXPERTS,
        plan={k: tuple(v) for k, v in plan.items()},
        sheets=tuple(sheets),
        results=tuple(found),
        recusals=tuple(recusals),
        reviews=reviews,
        selection=selection,
        entered=frozenset((3, c.id) for c in cases),
        formal={"pass": 8, "reject": 1},
        pledged={e.id: PANEL_TIME for e in EXPERTS},
        started_at=PANEL_TIME,
        closed_at=PANEL_TIME + datetime.timedelta(days=5),
        approval=Approval(data["approver"], PANEL_TIME + datetime.timedelta(days=6)) if approved else None,
    )


def _entry(case: Case) -> Entry:
    return Entry(case.id, case.form.category or "")


def render_panel_samples(out_dir: Path) -> list[Path]:
    """The sample panel's 评审汇总表 and 吴晓岚's 评分表, converted by LibreOffice and rendered to PNG
    (the pictures of the README's 评审 section)."""
    record = sample_panel()
    papers = {
        out_dir / "panel-summary.xlsx": build_panel_summary_xlsx(record),
        out_dir / "panel-sheet.docx": build_score_sheet_docx(record, 2),
    }
    for path, data in papers.items():
        write_atomic(path, data)
    pages: list[Path] = []
    for pdf in convert_all_to_pdf(list(papers), out_dir):
        pages.extend(pdf_to_pngs(pdf, out_dir, dpi=110))
    return pages
