"""《……优秀案例汇编》: the .docx, and its PDF with a 目录 whose page numbers are right.

Headless LibreOffice converts without updating fields, so a TOC field would keep whatever it held.
The book's 目录 is therefore plain text with the numbers written in: it is built with placeholders,
converted, the page on which each case begins is read from the PDF's text (pdftotext), and it is
built again with those numbers; once a conversion finds the numbers it was built with, its PDF is
the one kept. The placeholders have two digits, so the 目录 takes the same room either way.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.disk.atomic import write_atomic
from bot.disk.office import OfficeError, convert_to_pdf, pdf_to_text, soffice_path
from bot.storage import Store
from bot.usecases.publicity import PublicityRefused
from bot.usecases.publicity.reading import PRINT_EDGE, site_of
from bot.usecases.publicity.showcase import final_cases
from dialogs.campaign import Campaign
from dialogs.wording import t
from exporters.compilation_docx import book_title, build_compilation_docx, toc_order
from exporters.showcase_site import ShownCase
from exporters.text import one_line

MAX_PASSES = 4
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Book:
    docx: Path
    pdf: Path | None
    pages: Mapping[int, int]  # case id → the page it begins on (empty without LibreOffice)


def _flat(text: str) -> str:
    return _SPACE.sub("", text)


def case_pages(pdf_text: str, cases: Sequence[ShownCase]) -> dict[int, int]:
    """The 1-based page on which each case begins: the first page after the previous case's whose text
    starts with the case's title followed by its 申报单位 line (a 目录 line is followed by dots)."""
    pages = [_flat(page) for page in pdf_text.split("\f")]
    found: dict[int, int] = {}
    after = 0
    for case in cases:
        head = _flat(one_line(case.title)) + _flat(t("publicity.compilation.applicant_mark"))
        for index in range(after, len(pages)):
            if pages[index].startswith(head):
                found[case.id] = after = index + 1
                break
    return found


def _in_book_order(campaign: Campaign, cases: Sequence[ShownCase]) -> list[ShownCase]:
    return [case for _, members in toc_order(site_of(campaign), cases) for case in members]


async def write_compilation(store: Store, campaign: Campaign, out: Path, year_month: str) -> Book:
    cases = await final_cases(store, campaign, PRINT_EDGE)
    if not cases:
        raise PublicityRefused(t("publicity.compilation.empty"))
    site = site_of(campaign)
    name = book_title(site)
    docx_path, pdf_path = out / f"{name}.docx", out / f"{name}.pdf"
    if soffice_path() is None:
        write_atomic(docx_path, build_compilation_docx(site, cases, year_month=year_month, numbered=False))
        return Book(docx_path, None, {})
    ordered = _in_book_order(campaign, cases)
    return await asyncio.to_thread(_lay_out, campaign, cases, ordered, year_month, docx_path, pdf_path)


def _lay_out(
    campaign: Campaign, cases: Sequence[ShownCase], ordered: Sequence[ShownCase], year_month: str, docx: Path, pdf: Path
) -> Book:
    """Build, convert and read the pages until the 目录 holds the pages it is printed on (in a thread:
    each LibreOffice run takes seconds)."""
    site = site_of(campaign)
    pages: dict[int, int] | None = None
    with tempfile.TemporaryDirectory(prefix="casebot-book-") as work:
        for _ in range(MAX_PASSES):
            data = build_compilation_docx(site, cases, year_month=year_month, pages=pages)
            draft = Path(work, docx.name)
            draft.write_bytes(data)
            rendered = convert_to_pdf(draft, Path(work, "pdf"))
            found = case_pages(pdf_to_text(rendered), ordered)
            if len(found) != len(ordered):
                raise OfficeError(t("publicity.compilation.pages_unread", found=len(found), cases=len(ordered)))
            if found == pages:
                write_atomic(docx, data)
                write_atomic(pdf, rendered.read_bytes())
                return Book(docx, pdf, found)
            pages = found
    raise OfficeError(t("publicity.compilation.unstable", passes=MAX_PASSES))
