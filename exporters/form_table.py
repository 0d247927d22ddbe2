"""The 推荐表's table, cell by cell as 附件1 draws it.

Rows: 案例名称 | 申报类别 · 推荐单位 | 联系人 · 联系方式 | 案例简介 | 案例内容 | 申报单位意见 |
推荐单位意见. The two long cells keep 附件1's own hints ("（案例简介不超过 300 字）", and after the
four headings "（案例内容不超过 2000 字，……）"), with the campaign's numbers, so the printed form
still tells a reader the rules it was written under. A missing answer (a draft) is left blank
for hand filling.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image as DocxImage
from docx.shared import Emu, Mm, Pt
from docx.table import Table, _Cell

from dialogs.campaign import Campaign
from dialogs.models import PARTS, CaseForm, Step

from . import phones
from .docx_xml import (
    CAPTION_SIZE,
    CENTRED,
    FANGSONG,
    HEITI,
    LEFT,
    NO_BREAK_HYPHEN,
    TABLE_LINE,
    TABLE_SIZE,
    CellWriter,
    add_run,
    cant_split,
    cell_margins,
    grid_borders,
    ppr_template,
    set_column_widths,
)
from .form_cover import unit_name
from .text import one_line

log = logging.getLogger(__name__)

PART_HEADINGS: dict[Step, str] = {
    Step.BACKGROUND: "一、背景意义",
    Step.PRACTICE: "二、主要做法",
    Step.RESULTS: "三、实施成效",
    Step.LESSONS: "四、经验启示",
}
TABLE_LABELS = ("案例名称", "申报类别", "联系人", "案例简介", "案例内容", "申报单位意见", "推荐单位意见")

# label | value | label | value; a spanning value takes the last three columns (156 mm in all).
# 附件1's widths: the spanning cells hold 25 字 a line, which the maximal form needs to stay on its
# pages. A label of six 字 ("申报单位意见") does not fit 28 mm in 四号, so it is set in 小四 within
# 1 mm margins (25.4 mm of 26), on one line; a value column holds the longest category (8 字) and
# one landline with its 、.
LABEL_WIDTH, VALUE_WIDTH = Mm(28), Mm(50)
LABEL_MARGIN = Mm(1)
COLUMN_WIDTHS = (LABEL_WIDTH, VALUE_WIDTH, LABEL_WIDTH, VALUE_WIDTH)
SPAN_WIDTH = Emu(VALUE_WIDTH + LABEL_WIDTH + VALUE_WIDTH)
# 64 mm high at most: the maximal form's two pictures then share the page where its text ends, and
# the hint with both 意见 rows fits the last page (7 pages, as before the 意见 rows grew to 76 mm).
PICTURE_MAX_WIDTH, PICTURE_MAX_HEIGHT = Mm(118), Mm(64)
SEAL_LINES = ("签名：", "（单位公章）", "　　　　年　　月　　日")
SEAL_AFTER = (6, 0, 6)  # points after each of SEAL_LINES
# Room to write the opinion and sign above "签名：", with a 42 mm seal and a margin: the row is
# that room plus the three lines at the foot (exact 24 pt each) and their spacing.
SEAL_CLEAR = Mm(46)
OPINION_HEIGHT = Emu(SEAL_CLEAR + Pt(TABLE_LINE.pt * len(SEAL_LINES) + sum(SEAL_AFTER)))


def summary_hint(campaign: Campaign) -> str:
    return f"（案例简介不超过 {campaign.limits.summary_zi} 字）"


def content_hint(campaign: Campaign) -> str:
    limits = campaign.limits
    pictures = f"可附 1-{limits.pictures_max} 张图片资料，" if limits.pictures_max else ""
    return f"（案例内容不超过 {limits.content_zi} 字，{pictures}可以附件形式提交。）"


def add_form_table(doc: DocxDocument, form: CaseForm, campaign: Campaign, pictures: Sequence[bytes]) -> None:
    table = doc.add_table(rows=len(TABLE_LABELS), cols=4)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    grid_borders(table)
    set_column_widths(table, COLUMN_WIDTHS)

    table.rows[0].height = Mm(12)
    table.rows[0].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    name = _span_row(table, 0, "案例名称")
    CellWriter(name).text(one_line(form.name), indent=False)

    _pair_row(table, 1, ("申报类别", one_line(form.category)), ("推荐单位", unit_name(form.unit, campaign)))
    _pair_row(table, 2, ("联系人", one_line(form.contact)), ("联系方式", phone_text(form.phone)))

    summary = CellWriter(_span_row(table, 3, "案例简介"))
    summary.text(summary_hint(campaign), indent=False)
    summary.lines(form.summary)

    content = CellWriter(_span_row(table, 4, "案例内容"))
    for step in PARTS:
        content.text(PART_HEADINGS[step], HEITI)
        content.lines(form.value(step))
    _add_pictures(content, form, pictures)
    content.text(content_hint(campaign), indent=False)  # 附件1's hint closes the cell

    first = _opinion_row(table, 5, "申报单位意见")
    _opinion_row(table, 6, "推荐单位意见")
    for paragraph in first.paragraphs:  # the two 意见 rows share a page (Word's way to keep rows together)
        paragraph.paragraph_format.keep_with_next = True


def phone_text(value: object) -> str:
    """联系方式 that breaks only after a 、: each number glued whole, its hyphens non-breaking."""
    glued = phones.BREAK_HERE.join(phones.glued(item) for item in phones.items(value))
    return glued.replace("-", NO_BREAK_HYPHEN)


def _label(cell: _Cell, text: str) -> None:
    """A label cell: 黑体, centred both ways, as printed forms label their rows; narrow side margins
    so that the six 字 of "申报单位意见" stay on one line."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    cell_margins(cell, LABEL_MARGIN)
    room = Emu(LABEL_WIDTH - 2 * LABEL_MARGIN)
    size = TABLE_SIZE if len(text) * TABLE_SIZE <= room else CAPTION_SIZE
    CellWriter(cell).text(text, HEITI, ppr=CENTRED, size=size)


def _span_row(table: Table, index: int, label: str) -> _Cell:
    """Label in the first column, one value cell over the other three; returns the value cell."""
    row = table.rows[index]
    cells = row.cells
    _label(cells[0], label)
    # A horizontal span is one w:tc with gridSpan=3; python-docx's merge() does the same work
    # through a general rectangle algorithm that costs more than the rest of the row.
    tcs = row._tr.tc_lst
    for extra in tcs[2:]:
        row._tr.remove(extra)
    tcs[1].grid_span = 3
    value = _Cell(tcs[1], table)
    value.width = SPAN_WIDTH
    value.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return value


def _pair_row(table: Table, index: int, left: tuple[str, str], right: tuple[str, str]) -> None:
    row = table.rows[index]
    row.height = Mm(12)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    cells = row.cells
    for offset, (label, value) in ((0, left), (2, right)):
        _label(cells[offset], label)
        cells[offset + 1].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        CellWriter(cells[offset + 1]).text(value, ppr=LEFT)


def _opinion_row(table: Table, index: int, label: str) -> _Cell:
    """A 意见 row: room to write and sign, then 签名 / 公章 / date at the bottom right."""
    row = table.rows[index]
    row.height = OPINION_HEIGHT
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    cant_split(row)
    cell = _span_row(table, index, label)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    writer = CellWriter(cell)
    left = int(Mm(62).pt * 20)
    for text, after in zip(SEAL_LINES, SEAL_AFTER, strict=True):
        ppr = ppr_template(align="left", indent=False, left_twips=left, after_twips=after * 20)
        writer.text(text, ppr=ppr)
    return cell


def _add_pictures(writer: CellWriter, form: CaseForm, pictures: Sequence[bytes]) -> None:
    """Pictures go after the four parts and before the closing hint, each scaled into the cell and
    followed by its caption.

    A picture that cannot be read (the dialog checks them, so this should not happen) is noted
    in the cell rather than failing the whole form on the deadline day.
    """
    for index, data in enumerate(pictures):
        caption = form.pictures[index].caption if index < len(form.pictures) else ""
        paragraph = writer.paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(6)
        # The caption is a line of the picture's own paragraph, whose lines stay on one page:
        # keep-with-next between two paragraphs of a table cell is not kept by LibreOffice.
        paragraph.paragraph_format.keep_together = True
        try:
            width, height = fit(data)
            paragraph.add_run().add_picture(io.BytesIO(data), width=width, height=height)
        except Exception:  # noqa: BLE001 - any unreadable image is reported the same way
            log.warning("picture %d of %r could not be embedded", index + 1, form.name)
            add_run(paragraph, f"（图片{index + 1}无法嵌入，请另附。）", FANGSONG, TABLE_SIZE)
        if one_line(caption):
            paragraph.add_run().add_break()
            add_run(paragraph, one_line(caption), FANGSONG, CAPTION_SIZE)


def fit(data: bytes) -> tuple[Emu, Emu]:
    """The picture's size scaled down to the cell width and capped in height, aspect kept.

    A small picture keeps its own size (by its dpi, 72 when it names none) rather than being
    blown up into a blur.
    """
    image = DocxImage.from_blob(data)
    width, height = max(int(image.width), 1), max(int(image.height), 1)  # EMU at its own dpi
    scale = min(1.0, PICTURE_MAX_WIDTH / width, PICTURE_MAX_HEIGHT / height)
    return Emu(int(width * scale)), Emu(int(height * scale))
