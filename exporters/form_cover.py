"""The 推荐表's cover, exactly as 附件1 draws it.

附件1's cover holds the attachment mark, the title, four lines (案例名称 / 申报单位 / 申报类别 /
推荐单位, each a label and a rule to write on) and the date line "2024 年  月  日", which the
unit fills in by hand when it signs and stamps the form. Nothing else is printed on it: neither
the implementation time (附件1 has no such field; it goes into the 汇总表's 备注) nor the date the
file was made.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt

from dialogs.campaign import Campaign
from dialogs.models import CaseForm

from .cover_lines import wrap
from .docx_xml import COVER_SIZE, FANGSONG, HEITI, LATIN, TITLE_SIZE, XIAOBIAOSONG, add_run, border, set_column_widths
from .text import one_line

COVER_LABELS = ("案例名称", "申报单位", "申报类别", "推荐单位")
COVER_LABEL_WIDTH, COVER_VALUE_WIDTH = Mm(36), Mm(100)
COVER_NEXT_LINE = Mm(11)  # the pitch of a wrapped value's further lines, each on its own rule
# What one rule holds, in ems of 三号: the cell is 100 mm less 2 × 1.9 mm of cell margin, 17 ems at
# 16 pt; one em is kept free so that a wider font in Word or WPS does not wrap a line again.
COVER_LINE_EMS = 16.0
DATE_GAP = "\u3000" * 3  # room to write the month and the day by hand


def cover_date(year: int) -> str:
    """The cover's date line: the campaign's year printed, month and day left to write."""
    return f"{year} 年{DATE_GAP}月{DATE_GAP}日"


def unit_name(code: str | None, campaign: Campaign) -> str:
    if not code:
        return ""
    unit = campaign.unit(code)
    return one_line(unit.name if unit is not None else code)


def add_cover(doc: DocxDocument, form: CaseForm, campaign: Campaign) -> None:
    attachment = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    add_run(attachment, "附件1", HEITI, COVER_SIZE, latin=HEITI)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(96)
    title.paragraph_format.space_after = Pt(72)
    add_run(title, campaign.form_title, XIAOBIAOSONG, TITLE_SIZE, latin=LATIN)

    values = (one_line(form.name), one_line(form.applicant), one_line(form.category), unit_name(form.unit, campaign))
    _add_cover_lines(doc, list(zip(COVER_LABELS, values, strict=True)))

    date = doc.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date.paragraph_format.space_before = Pt(120)
    add_run(date, cover_date(campaign.year), FANGSONG, COVER_SIZE)
    date.add_run().add_break(WD_BREAK.PAGE)  # the table starts on the next page


def _add_cover_lines(doc: DocxDocument, lines: Sequence[tuple[str, str]]) -> None:
    """The "案例名称：______" lines: a borderless table, one row per printed line, each value line on
    a rule of its own and the label at the first line of its value. The value is broken into
    lines here (:mod:`exporters.cover_lines`), not by the word processor, so that a long name
    wrapped onto three lines has three rules. Every label has four 字 and is set in the same
    column, and every rule has the same weight."""
    table = doc.add_table(rows=sum(len(_value_lines(value)) for _, value in lines), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    set_column_widths(table, (COVER_LABEL_WIDTH, COVER_VALUE_WIDTH))
    rows = iter(table.rows)
    for label, value in lines:
        for index, text in enumerate(_value_lines(value)):
            row = next(rows)
            row.height = Mm(13) if index == 0 else COVER_NEXT_LINE
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            label_cell, value_cell = row.cells
            for cell in (label_cell, value_cell):
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
            if index == 0:
                head = label_cell.paragraphs[0]
                head.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
                add_run(head, f"{label}：", HEITI, COVER_SIZE)
            line = value_cell.paragraphs[0]
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text:
                add_run(line, text, FANGSONG, COVER_SIZE)
            border(value_cell, "bottom")


def _value_lines(value: str) -> list[str]:
    return wrap(value, COVER_LINE_EMS)
