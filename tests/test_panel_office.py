"""The panel's papers as LibreOffice prints them: every paper opens, the text is there, the 汇总表
and the 拟入选名单 print A4 landscape one page wide, the 评分表 and the report A4 portrait."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from bot.disk.office import convert_all_to_pdf, pdf_page_count, pdf_page_size, pdf_to_text, soffice_path
from bot.disk.panel_samples import sample_panel
from bot.disk.samples import sample_campaign, sample_cases, sample_form
from dialogs.panel.formal import Decision, Facts, Marks, all_items
from dialogs.panel.record import FormalRow
from exporters.panel_formal_xlsx import build_formal_xlsx
from exporters.panel_report_docx import build_panel_report_docx
from exporters.panel_selection_xlsx import build_selection_xlsx
from exporters.panel_sheet_docx import build_score_sheet_docx
from exporters.panel_summary_xlsx import build_panel_summary_xlsx

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        soffice_path() is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
        reason="needs LibreOffice (soffice) and poppler-utils",
    ),
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("panel")
    record = sample_panel()
    campaign = sample_campaign()
    case = sample_cases(1)[0].model_copy(update={"form": sample_form()})
    facts = Facts(1, 4, case_scan="sealed", summary_scan="stale", contact_ok=True)
    marks = Marks({"paper": True}, paper_on=datetime.date(2024, 3, 10))
    formal = [
        FormalRow(case, tuple(all_items(case, campaign, facts, marks)), Decision.AMEND, "补正期限：2024年3月20日")
    ]
    papers = {
        "formal.xlsx": build_formal_xlsx(campaign, formal),
        "summary.xlsx": build_panel_summary_xlsx(record),
        "sheet.docx": build_score_sheet_docx(record, 3),
        "selection.xlsx": build_selection_xlsx(record),
        "report.docx": build_panel_report_docx(record),
    }
    sources = []
    for name, data in papers.items():
        sources.append(folder / name)
        sources[-1].write_bytes(data)
    made = convert_all_to_pdf(sources, folder / "pdf")
    return {src.stem: pdf for src, pdf in zip(sources, made, strict=True)}


@pytest.mark.parametrize(
    ("paper", "landscape", "words"),
    [
        ("formal", True, ["形式审查表", "上传后内容有改动", "补正", "后 5 项由处室核对"]),
        ("summary", True, ["评审汇总表", "周明远", "回避", "92.00", "分差大", "否决", "并列", "95、52"]),
        ("sheet", False, ["评审评分表", "郑国华", "评审承诺", "评审专家（签名）", "据纸质评分表录入"]),
        ("selection", True, ["拟入选名单", "推荐单位", "77.25", "审定：李处长"]),
        ("report", False, ["评审情况的报告", "专家吴晓岚申明回避", "妥否，请审定", "审定：李处长"]),
    ],
)
def test_each_paper_opens_in_libreoffice_and_prints_its_words(pdfs, paper: str, landscape: bool, words) -> None:
    pdf = pdfs[paper]
    width, height = pdf_page_size(pdf)
    assert (width > height) == landscape
    text = squash(pdf_to_text(pdf))
    for word in words:
        assert squash(word) in text, word


def test_the_summary_prints_on_one_page_and_the_sheet_is_numbered(pdfs) -> None:
    assert pdf_page_count(pdfs["summary"]) == 1
    assert pdf_page_count(pdfs["selection"]) == 1
    assert "—1—" in squash(pdf_to_text(pdfs["sheet"]))
