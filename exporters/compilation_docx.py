"""《2024年全省网络文明建设优秀案例汇编》: the final cases as one Word book.

A cover, a 目录 by category with each case's page number, then each case from a new page: its
title, units and category, the 简介, the four parts with their headings, its consented pictures.
The page and the "— N —" numbers are the 推荐表's (GB/T 9704, the cover unnumbered), so the number
a reader finds in the 目录 is the one printed at the foot of the page.

Why the 目录 is written out and not a Word TOC field: headless LibreOffice does not update TOC
fields when it converts, so the PDF would carry whatever the field held. The shell renders the
book once, reads on which page each case begins, and builds it again with those numbers
(:func:`build_compilation_docx` takes them as ``pages``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Pt

from .docx_xml import CAPTION_SIZE, COVER_SIZE, FANGSONG, HEITI, TITLE_SIZE, XIAOBIAOSONG, add_run, body_paragraph
from .form_page import MARGIN_LEFT, MARGIN_RIGHT, PAGE_WIDTH, blank_form, set_properties
from .form_table import PICTURE_MAX_HEIGHT, PICTURE_MAX_WIDTH, fit
from .notice_docx import heading_numeral
from .publicity_notice import grouped_by
from .showcase_site import ShownCase, Site
from .text import one_line, paragraphs
from .zip_stamps import fix_member_dates

KAITI = "楷体_GB2312"
TOC_TAB = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
PLACEHOLDER = "00"  # a page number not known yet: two digits, as most will be


def book_title(site: Site) -> str:
    return f"{site.title}汇编"


def toc_order(site: Site, cases: Sequence[ShownCase]) -> list[tuple[str, list[ShownCase]]]:
    """The cases as the book holds them: by category in the campaign's order."""
    return grouped_by(site.categories, list(cases), lambda c: c.category)


def _cover(doc: DocxDocument, site: Site, year_month: str) -> None:
    first = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_before = Pt(160)
    first.paragraph_format.space_after = Pt(200)
    add_run(first, f"《{book_title(site)}》", XIAOBIAOSONG, Pt(26))
    for name in site.issuers:
        add_run(body_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36)), name, KAITI, COVER_SIZE)
    date = body_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    add_run(date, year_month, KAITI, COVER_SIZE)
    date.add_run().add_break(WD_BREAK.PAGE)


def _toc(
    doc: DocxDocument, groups: list[tuple[str, list[ShownCase]]], pages: Mapping[int, int] | None, numbered: bool
) -> None:
    heading = body_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, line=Pt(40))
    add_run(heading, "目\u3000\u3000录", HEITI, TITLE_SIZE, latin=HEITI)
    for index, (category, members) in enumerate(groups):
        label = body_paragraph(doc, WD_ALIGN_PARAGRAPH.LEFT)
        label.paragraph_format.space_before = Pt(8)
        label.paragraph_format.keep_with_next = True
        add_run(label, f"{heading_numeral(index)}、{category}", HEITI, COVER_SIZE, latin=HEITI)
        for case in members:
            entry = body_paragraph(doc, WD_ALIGN_PARAGRAPH.LEFT)
            fmt = entry.paragraph_format
            fmt.left_indent = Pt(COVER_SIZE.pt * 2)
            fmt.right_indent = Pt(0)
            fmt.tab_stops.add_tab_stop(TOC_TAB, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            number = str(pages[case.id]) if pages is not None and case.id in pages else PLACEHOLDER
            add_run(
                entry, f"{one_line(case.title)}\t{number}" if numbered else one_line(case.title), FANGSONG, COVER_SIZE
            )


def _case(doc: DocxDocument, case: ShownCase, pictures: Sequence[bytes]) -> None:
    title = body_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    title.paragraph_format.page_break_before = True
    title.paragraph_format.space_after = Pt(8)
    title.paragraph_format.keep_with_next = True
    add_run(title, one_line(case.title), XIAOBIAOSONG, TITLE_SIZE)
    for text in (f"申报单位：{one_line(case.applicant)}", f"推荐单位：{one_line(case.unit)}"):
        add_run(body_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER), text, KAITI, COVER_SIZE)
    kind = body_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER)
    kind.paragraph_format.space_after = Pt(12)
    add_run(kind, f"案例类型：{one_line(case.category)}", KAITI, COVER_SIZE)
    for heading, text in (("案例简介", case.summary), *case.parts):
        label = body_paragraph(doc, WD_ALIGN_PARAGRAPH.LEFT, indent=True)
        label.paragraph_format.keep_with_next = True
        add_run(label, heading, HEITI, COVER_SIZE, latin=HEITI)
        for line in paragraphs(text):
            add_run(body_paragraph(doc, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True), line, FANGSONG, COVER_SIZE)
    for shown, data in zip(case.pictures, pictures, strict=True):
        place = body_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, line=Pt(0))
        place.paragraph_format.line_spacing = None
        place.paragraph_format.space_before = Pt(8)
        place.paragraph_format.keep_with_next = bool(shown.caption)
        width, height = fit(data)
        place.add_run().add_picture(io.BytesIO(data), width=width, height=height)
        if shown.caption:
            add_run(body_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER), one_line(shown.caption), FANGSONG, CAPTION_SIZE)


def build_compilation_docx(
    site: Site,
    cases: Sequence[ShownCase],
    *,
    year_month: str,
    pages: Mapping[int, int] | None = None,
    numbered: bool = True,
) -> bytes:
    """The book as .docx bytes. ``pages`` maps a case id to the page it begins on (see the module
    docstring); without it the 目录 holds a placeholder of the same width, or no numbers at all when
    ``numbered`` is false (no way to lay the book out). Each case's pictures are its
    :class:`ShownCase` pictures (the shell gives print-size ones)."""
    doc = blank_form()
    set_properties(doc, book_title(site), site.title, None)
    _cover(doc, site, year_month)
    groups = toc_order(site, cases)
    _toc(doc, groups, pages, numbered)
    for _, members in groups:
        for case in members:
            _case(doc, case, [p.picture.data for p in case.pictures])
    buffer = io.BytesIO()
    doc.save(buffer)
    return fix_member_dates(buffer.getvalue())


__all__ = ["PICTURE_MAX_HEIGHT", "PICTURE_MAX_WIDTH", "book_title", "build_compilation_docx", "toc_order"]
