"""The page and the paragraphs of the panel's Word papers (评分表, 评审情况报告).

They are official papers printed, signed and filed with the 报批, so they use the 推荐表's page
(GB/T 9704: A4, 37/35/28/26 mm margins, "— N —" page numbers on the outer side), numbered from the
first page since they have no cover; 方正小标宋简体 titles, 黑体 headings, 仿宋_GB2312 text, and
tables in 小四 so that a row of scores fits the 156 mm text block.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .docx_xml import (
    CAPTION_SIZE,
    COVER_SIZE,
    FANGSONG,
    HEITI,
    TITLE_SIZE,
    XIAOBIAOSONG,
    add_run,
    cant_split,
    grid_borders,
    set_column_widths,
)
from .form_page import blank_form, set_properties
from .text import one_line, xml_text
from .zip_stamps import fix_member_dates

BODY_SIZE = COVER_SIZE  # 三号
LINE_PITCH = Pt(28.95)  # 22 lines on the page, as GB/T 9704 sets
TABLE_TEXT = CAPTION_SIZE  # 小四
TEXT_WIDTH = Mm(156)


def new_document(title: str, subject: str, on: datetime.date | None) -> DocxDocument:
    doc = blank_form()
    section = doc.sections[0]
    section.different_first_page_header_footer = False  # no cover: the first page is numbered too
    set_properties(doc, title, subject, on)
    return doc


def _pitch(paragraph: Paragraph, pitch: Length = LINE_PITCH) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing = pitch
    fmt.space_before = fmt.space_after = Pt(0)


def title(doc: DocxDocument, text: str) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _pitch(p, Pt(36))
    add_run(p, one_line(text), XIAOBIAOSONG, TITLE_SIZE)
    doc.add_paragraph()
    return p


def heading(doc: DocxDocument, text: str) -> Paragraph:
    p = doc.add_paragraph()
    _pitch(p)
    p.paragraph_format.first_line_indent = BODY_SIZE * 2
    add_run(p, one_line(text), HEITI, BODY_SIZE)
    return p


def body(doc: DocxDocument, text: str, *, indent: bool = True, size: Length = BODY_SIZE) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _pitch(p, LINE_PITCH if size == BODY_SIZE else Pt(size.pt * 1.5))
    if indent:
        p.paragraph_format.first_line_indent = size * 2
    add_run(p, xml_text(text).replace("\n", " "), FANGSONG, size)
    return p


def right(doc: DocxDocument, text: str, size: Length = BODY_SIZE) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _pitch(p, LINE_PITCH if size == BODY_SIZE else Pt(size.pt * 1.8))
    add_run(p, one_line(text), FANGSONG, size)
    return p


def table(
    doc: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[Length], left: int = 1
) -> Table:
    """A grid with a bold (黑体) header row repeated on every page; rows never split across pages."""
    grid: Table = doc.add_table(rows=1 + len(rows), cols=len(header))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid_borders(grid)
    for index, label in enumerate(header):
        _cell(grid.rows[0].cells[index], label, HEITI)
    header_row = grid.rows[0]._tr.get_or_add_trPr()
    header_row.append(OxmlElement("w:tblHeader"))
    for r, values in enumerate(rows, start=1):
        row = grid.rows[r]
        cant_split(row)
        for index, value in enumerate(values):
            _cell(row.cells[index], value, FANGSONG, centre=index != left)
    set_column_widths(grid, widths)
    return grid


def _cell(cell: _Cell, text: str, font: str, *, centre: bool = True) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT
    _pitch(p, Pt(18))
    add_run(p, one_line(text), font, TABLE_TEXT)


def save(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return fix_member_dates(buffer.getvalue())


def date_zh(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
