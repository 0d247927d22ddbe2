"""The 公示 notice and the 汇编 as LibreOffice prints them: every listed case on the notice; the 汇编's
PDF with a page per case and a 目录 whose numbers are the pages the cases begin on."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from bot.app import App
from bot.disk.office import convert_to_pdf, pdf_page_count, pdf_to_text, soffice_path
from bot.usecases.publicity.compilation import write_compilation
from bot.usecases.publicity.objections import add_objection, check_objection, decide_objection, finalise
from bot.usecases.publicity.stages import start_notice
from tests.publicity_data import LETTER, OBJECTOR, OBJECTOR_PHONE, ROWS, cast
from tests.test_office import squash

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        soffice_path() is None or shutil.which("pdftotext") is None, reason="needs LibreOffice and poppler-utils"
    ),
]


MM = 72 / 25.4


def column(pdf: Path, left_mm: float, width_mm: float) -> str:
    """The text of a vertical strip of every page, whitespace removed."""
    box = ["-x", str(int(left_mm * MM)), "-y", "0", "-W", str(int(width_mm * MM)), "-H", "842"]
    run = subprocess.run(
        ["pdftotext", "-r", "72", *box, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return squash(run.stdout.decode())


async def test_the_notice_opened_by_libreoffice_lists_every_case(app: App, tmp_path: Path) -> None:
    people = await cast(app)
    async with app.store.atomic() as tx:
        await tx.record_approved_selection(people.ids, by="省委网信办")
    made = await start_notice(app.store, app.campaign, date(2024, 4, 3), 5, "cli", tmp_path)
    docx = next(p for p in made.paths if p.suffix == ".docx")
    pdf = convert_to_pdf(docx, tmp_path / "pdf")
    text = squash(pdf_to_text(pdf))
    assert squash("关于2024年全省网络文明建设优秀案例拟入选名单的公示") in text
    # each column of the list read on its own (a cell's text wraps within its column): 案例名称, 申报单位
    names, applicants = column(pdf, 42, 64), column(pdf, 106, 40)
    for _, name, applicant, *_ in ROWS:
        assert squash(name) in names and squash(applicant) in applicants
    assert "2024年4月3日至2024年4月10日" in text


async def test_the_compilation_pdf_has_a_page_per_case_and_a_toc_that_matches(app: App, tmp_path: Path) -> None:
    people = await cast(app)
    async with app.store.atomic() as tx:
        await tx.record_approved_selection(people.ids, by="省委网信办")
    await start_notice(app.store, app.campaign, date(2024, 4, 3), 5, "cli", tmp_path / "n")
    withdrawn = people.ids[1]
    objection = await add_objection(app.store, withdrawn, date(2024, 4, 8), OBJECTOR, OBJECTOR_PHONE, LETTER, "cli")
    await check_objection(app.store, objection, "经核查，申报数据与实际不符。", "cli")
    await decide_objection(app.store, objection, True, "异议成立。", "cli")
    final, _ = await finalise(app.store, app.campaign, date(2024, 4, 11), "cli")
    book = await write_compilation(app.store, app.campaign, tmp_path / "book", "2024年4月")
    assert book.pdf is not None and book.pdf.name == "2024年全省网络文明建设优秀案例汇编.pdf"
    pages = pdf_to_text(book.pdf).split("\f")
    names = {case_id: ROWS[people.ids.index(case_id)][1] for case_id in final}
    # the 目录: every final case with the page number the PDF gives it; the withdrawn one nowhere
    toc = squash("".join(pages[1:3]))
    for case_id, name in names.items():
        match = re.search(re.escape(squash(name)) + r"[.·…]*(\d+)", toc)
        assert match is not None, name
        number = int(match.group(1))
        assert number == book.pages[case_id]
        assert squash(pages[number - 1]).startswith(squash(name) + "申报单位")
        assert f"—{number}—" in squash(pages[number - 1])  # the printed number is the page's own
    assert squash(ROWS[1][1]) not in squash("".join(pages))
    starts = sorted(book.pages.values())
    assert len(starts) == len(final) == 3
    assert pdf_page_count(book.pdf) >= starts[-1]
    assert OBJECTOR not in "".join(pages) and "13805510001" not in "".join(pages)
