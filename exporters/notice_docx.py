"""The 公示 and 公布 notices as Word files, on the 推荐表's GB/T 9704 page.

An official notice: 方正小标宋简体 二号 title, 仿宋_GB2312 三号 body with 2-character first-line
indents at a fixed 28 pt pitch (about 22 lines a page, as GB/T 9704 sets), the list as a table
under 黑体 category headings, the issuers and the date on the right. The page, its margins and the
"— N —" numbers come from :mod:`exporters.form_page`, so the notice prints like the forms.
"""

from __future__ import annotations

import io

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from .docx_xml import (
    CAPTION_SIZE,
    COVER_SIZE,
    FANGSONG,
    HEITI,
    LATIN,
    TITLE_SIZE,
    XIAOBIAOSONG,
    add_run,
    body_paragraph,
    cant_split,
    grid_borders,
    set_column_widths,
)
from .form_page import blank_form, set_properties
from .publicity_notice import COLUMNS, Notice, day_text
from .text import one_line
from .zip_stamps import fix_member_dates

WIDTHS = (Mm(14), Mm(64), Mm(40), Mm(38))  # 156 mm, the text block
NUMERALS = "一二三四五六七八九十"


def heading_numeral(index: int) -> str:
    return NUMERALS[index] if index < len(NUMERALS) else str(index + 1)


def add_notice(doc: DocxDocument, notice: Notice) -> None:
    """The notice's text and list into ``doc`` (the page already set)."""
    first = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_after = Pt(COVER_SIZE.pt)
    add_run(first, notice.title, XIAOBIAOSONG, TITLE_SIZE)
    for text in notice.paragraphs:
        add_run(body_paragraph(doc, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True), text, FANGSONG, COVER_SIZE)
    body_paragraph(doc, WD_ALIGN_PARAGRAPH.LEFT)
    for name in notice.issuers:
        add_run(body_paragraph(doc, WD_ALIGN_PARAGRAPH.RIGHT), name, FANGSONG, COVER_SIZE)
    add_run(body_paragraph(doc, WD_ALIGN_PARAGRAPH.RIGHT), day_text(notice.issued_on), FANGSONG, COVER_SIZE)

    heading = body_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER)
    heading.paragraph_format.space_before = Pt(COVER_SIZE.pt)
    heading.paragraph_format.keep_with_next = True
    add_run(heading, notice.list_title, HEITI, COVER_SIZE, latin=HEITI)
    for index, (category, rows) in enumerate(notice.rows()):
        label = body_paragraph(doc, WD_ALIGN_PARAGRAPH.LEFT)
        label.paragraph_format.space_before = Pt(6)
        label.paragraph_format.keep_with_next = True
        add_run(label, f"{heading_numeral(index)}、{category}（{len(rows)}个）", HEITI, COVER_SIZE, latin=HEITI)
        _add_table(doc, rows)


def _add_table(doc: DocxDocument, rows: tuple[tuple[str, str, str, str], ...]) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=len(COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid_borders(table)
    set_column_widths(table, WIDTHS)
    for r, values in enumerate((COLUMNS, *rows)):
        row = table.rows[r]
        cant_split(row)
        for c, value in enumerate(values):
            paragraph = row.cells[c].paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if c == 0 or r == 0 else WD_ALIGN_PARAGRAPH.LEFT
            paragraph.paragraph_format.line_spacing = Pt(20)
            font = HEITI if r == 0 else FANGSONG
            add_run(paragraph, one_line(value), font, CAPTION_SIZE, latin=HEITI if r == 0 else LATIN)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # the header again on every page


def build_notice_docx(notice: Notice) -> bytes:
    """The notice as .docx bytes; the same notice gives the same bytes (dated by its issue day)."""
    doc = blank_form()
    set_properties(doc, notice.title, notice.list_title, notice.issued_on)
    add_notice(doc, notice)
    buffer = io.BytesIO()
    doc.save(buffer)
    return fix_member_dates(buffer.getvalue())
