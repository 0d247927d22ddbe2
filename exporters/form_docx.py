"""附件1《推荐表》as a Word file, drawn the way the notice draws it.

The builder is pure: a :class:`CaseForm`, the campaign and the picture bytes in, the .docx bytes
out. The layout follows GB/T 9704 (A4, its margins, 仿宋_GB2312 body text, 黑体 headings,
方正小标宋简体 title) so that the printed form can be stamped and mailed as it is. Fonts are set as
East Asian fonts (``w:eastAsia``) because Word and WPS pick the font of Chinese characters from
that attribute alone; digits and Latin letters use Times New Roman, as official documents do.

Nothing a user typed can make the build fail: text goes through :mod:`exporters.text` first, and
a missing answer (a draft) is left blank for hand filling.
"""

from __future__ import annotations

import datetime
import functools
import io
import logging
from collections.abc import Sequence
from copy import deepcopy

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.parfmt import CT_PPr
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from dialogs.campaign import Campaign
from dialogs.models import PARTS, CaseForm, Step

from .text import one_line, paragraphs

log = logging.getLogger(__name__)

LATIN = "Times New Roman"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

PART_HEADINGS: dict[Step, str] = {
    Step.BACKGROUND: "一、背景意义",
    Step.PRACTICE: "二、主要做法",
    Step.RESULTS: "三、实施成效",
    Step.LESSONS: "四、经验启示",
}

# Page geometry of GB/T 9704: A4, 37/35/28/26 mm margins, so a 156 mm wide text block.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)

# The form table: label | value | label | value; a spanning value takes the last three columns.
LABEL_WIDTH, VALUE_WIDTH = Mm(28), Mm(50)
COLUMN_WIDTHS = (LABEL_WIDTH, VALUE_WIDTH, LABEL_WIDTH, VALUE_WIDTH)
SPAN_WIDTH = VALUE_WIDTH + LABEL_WIDTH + VALUE_WIDTH
PICTURE_MAX_WIDTH, PICTURE_MAX_HEIGHT = Mm(118), Mm(95)

TITLE_SIZE = Pt(22)  # 二号
COVER_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(14)  # 四号
CAPTION_SIZE = Pt(12)  # 小四
TABLE_LINE = Pt(24)  # exact line pitch in the table, so substituted fonts do not stretch it
OPINION_HEIGHT = Mm(48)
BLANK_DATE = "    年  月  日"
SEAL_DATE = "　　　　年　　月　　日"


def build_form_docx(
    form: CaseForm,
    campaign: Campaign,
    *,
    pictures: Sequence[bytes] = (),
    on: datetime.date | None = None,
) -> bytes:
    """Return the 推荐表 of ``form`` as .docx bytes.

    ``pictures[i]`` holds the bytes of ``form.pictures[i]`` (already checked JPEG or PNG); ``on``
    is the date printed on the cover, left blank for hand filling when None.
    """
    doc = Document()
    _set_defaults(doc, campaign, form, on)
    _set_page(doc)
    _add_page_number(doc)
    _add_cover(doc, form, campaign, on)
    _add_form_table(doc, form, campaign, pictures)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- document-wide settings


def _set_defaults(doc: DocxDocument, campaign: Campaign, form: CaseForm, on: datetime.date | None) -> None:
    """Make 仿宋_GB2312 / Times New Roman and zh-CN the defaults every run inherits.

    The template's defaults name theme fonts, which would override explicit font names, so the
    ``w:rFonts`` element is replaced, not amended.
    """
    styles = doc.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for old in rpr.findall(qn("w:rFonts")) + rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.insert(0, _rfonts(FANGSONG))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)
    for size in rpr.findall(qn("w:sz")) + rpr.findall(qn("w:szCs")):
        size.set(qn("w:val"), str(int(TABLE_SIZE.pt * 2)))

    spacing = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")

    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    _drop_thumbnail(doc)
    props = doc.core_properties
    props.title = campaign.form_title
    props.subject = one_line(form.name)[:255]  # the file format's limit for a property
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    if on is not None:
        stamp = datetime.datetime.combine(on, datetime.time())
        props.created = props.modified = stamp


def _drop_thumbnail(doc: DocxDocument) -> None:
    """The template's preview picture would show file managers a page that is not this form."""
    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            rels.pop(rid)


def _rfonts(east_asian: str, latin: str = LATIN) -> BaseOxmlElement:
    """Fonts by script. ``w:hint="eastAsia"`` makes Word set the characters Chinese and Western
    text share (“ ” ‘ ’ — …) in the Chinese font, as Word does when one types Chinese."""
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")
    return fonts


def _set_page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    section.gutter = 0


def _add_page_number(doc: DocxDocument) -> None:
    """ "— 2 —" under each page of the table, none on the cover, as GB/T 9704 numbers pages."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", SONGTI, TABLE_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    inner = _run(paragraph, "1", SONGTI, TABLE_SIZE)
    field.append(inner._r)
    paragraph._p.append(field)
    _run(paragraph, " —", SONGTI, TABLE_SIZE)


# ---------------------------------------------------------------- runs and paragraphs
#
# The table holds hundreds of paragraphs, so their properties are cloned from small XML
# templates instead of being set one attribute at a time through python-docx's object layer
# (which walks the schema order on every call): a maximal form builds about twice as fast.


def _run(paragraph: Paragraph, text: str, east_asian: str, size: Pt, latin: str = LATIN) -> Run:
    """Add a run whose Chinese characters use ``east_asian`` and the rest ``latin``."""
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    rpr.insert(0, _rfonts(east_asian, latin))
    run.font.size = size
    return run


@functools.cache
def _rpr_template(east_asian: str, half_points: int) -> CT_RPr:
    return parse_xml(
        f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" '
        f'w:eastAsia="{east_asian}" w:cs="{LATIN}" w:hint="eastAsia"/>'
        f'<w:sz w:val="{half_points}"/></w:rPr>'
    )


def _ppr_template(*, align: str, indent: bool, left_twips: int = 0, after_twips: int = 0) -> CT_PPr:
    """Exact line pitch, optional 首行缩进 2 字符 (in character units, so it follows the size)."""
    spacing = f'<w:spacing w:after="{after_twips}" w:line="{int(TABLE_LINE.pt * 20)}" w:lineRule="exact"/>'
    ind = ""
    if indent:
        ind = f'<w:ind w:firstLineChars="200" w:firstLine="{int(TABLE_SIZE.pt * 2 * 20)}"/>'
    elif left_twips:
        ind = f'<w:ind w:left="{left_twips}"/>'
    return parse_xml(f'<w:pPr {nsdecls("w")}>{spacing}{ind}<w:jc w:val="{align}"/></w:pPr>')


_BODY = _ppr_template(align="both", indent=True)
_PLAIN = _ppr_template(align="both", indent=False)
_CENTRED = _ppr_template(align="center", indent=False)


def _run_element(text: str, east_asian: str, size: Pt = TABLE_SIZE) -> CT_R:
    """A ``w:r`` for ``text`` (already cleaned, one line); tabs become ``w:tab``."""
    run = OxmlElement("w:r")
    run.append(deepcopy(_rpr_template(east_asian, int(size.pt * 2))))
    for index, piece in enumerate(text.split("\t")):
        if index:
            run.append(OxmlElement("w:tab"))
        if piece:
            t = OxmlElement("w:t")
            t.text = piece
            t.set(qn("xml:space"), "preserve")
            run.append(t)
    return run


class _CellWriter:
    """Adds paragraphs to a table cell, reusing the empty paragraph every new cell holds."""

    def __init__(self, cell: _Cell) -> None:
        self.cell = cell
        self._fresh = True

    def _p(self) -> CT_P:
        if self._fresh:
            self._fresh = False
            return self.cell._tc.p_lst[0]
        p = OxmlElement("w:p")
        self.cell._tc.append(p)
        return p

    def paragraph(self) -> Paragraph:
        return Paragraph(self._p(), self.cell)

    def text(self, text: str, east_asian: str = FANGSONG, *, indent: bool = True, ppr=None) -> CT_P:
        p = self._p()
        p.insert(0, deepcopy(ppr if ppr is not None else (_BODY if indent else _PLAIN)))
        if text:
            p.append(_run_element(text, east_asian))
        return p

    def lines(self, value: object) -> None:
        """One paragraph per line the user wrote; nothing at all for an unanswered field."""
        for line in paragraphs(value):
            self.text(line)


# ---------------------------------------------------------------- the cover


def _date_line(on: datetime.date | None) -> str:
    if on is None:
        return BLANK_DATE
    return f"{on.year} 年 {on.month} 月 {on.day} 日"


def _unit_name(code: str | None, campaign: Campaign) -> str:
    if not code:
        return ""
    unit = campaign.unit(code)
    return one_line(unit.name if unit is not None else code)


def _period_zh(period: str | None) -> str:
    """ "2022-03" → "2022年3月"; anything else is shown as the user gave it."""
    text = one_line(period)
    year, sep, month = text.partition("-")
    if sep and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return f"{int(year)}年{int(month)}月"
    return text


def _add_cover(doc: DocxDocument, form: CaseForm, campaign: Campaign, on: datetime.date | None) -> None:
    attachment = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    _run(attachment, "附件1", HEITI, COVER_SIZE, latin=HEITI)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(96)
    title.paragraph_format.space_after = Pt(72)
    _run(title, campaign.form_title, XIAOBIAOSONG, TITLE_SIZE, latin=LATIN)

    lines = (
        ("案例名称", one_line(form.name)),
        ("申报单位", one_line(form.applicant)),
        ("申报类别", one_line(form.category)),
        ("推荐单位", _unit_name(form.unit, campaign)),
        ("开展实施时间", _period_zh(form.period)),
    )
    _add_cover_lines(doc, lines)

    date = doc.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date.paragraph_format.space_before = Pt(96)
    _run(date, _date_line(on), FANGSONG, COVER_SIZE)
    date.add_run().add_break(WD_BREAK.PAGE)  # the table starts on the next page


def _add_cover_lines(doc: DocxDocument, lines: Sequence[tuple[str, str]]) -> None:
    """The "案例名称：______" lines: a borderless table whose values sit on a rule, so a long
    name wraps inside its line instead of pushing the rule out."""
    label_width, value_width = Mm(46), Mm(96)
    table = doc.add_table(rows=len(lines), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_column_widths(table, (label_width, value_width))
    for row, (label, value) in zip(table.rows, lines, strict=False):
        row.height = Mm(13)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        label_cell, value_cell = row.cells
        for cell in (label_cell, value_cell):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        head = label_cell.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE  # labels of 4 and 6 字 line up
        _run(head, f"{label}：", HEITI, COVER_SIZE)
        line = value_cell.paragraphs[0]
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if value:
            _run(line, value, FANGSONG, COVER_SIZE)
        _border(value_cell, "bottom")


# ---------------------------------------------------------------- the form table


def _add_form_table(doc: DocxDocument, form: CaseForm, campaign: Campaign, pictures: Sequence[bytes]) -> None:
    table = doc.add_table(rows=7, cols=4)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _grid_borders(table)
    _set_column_widths(table, COLUMN_WIDTHS)

    table.rows[0].height = Mm(12)
    table.rows[0].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    name = _span_row(table, 0, "案例名称")
    _CellWriter(name).text(one_line(form.name), indent=False)

    _pair_row(table, 1, ("申报类别", one_line(form.category)), ("推荐单位", _unit_name(form.unit, campaign)))
    _pair_row(table, 2, ("联系人", one_line(form.contact)), ("联系方式", one_line(form.phone)))

    summary = _CellWriter(_span_row(table, 3, "案例简介"))
    summary.lines(form.summary)

    content = _CellWriter(_span_row(table, 4, "案例内容"))
    for step in PARTS:
        content.text(PART_HEADINGS[step], HEITI)
        content.lines(form.value(step))
    _add_pictures(content, form, pictures)

    _opinion_row(table, 5, "申报单位意见")
    _opinion_row(table, 6, "推荐单位意见")


def _label(cell: _Cell, text: str) -> None:
    """A label cell: 黑体, centred both ways, as printed forms label their rows."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _CellWriter(cell).text(text, HEITI, ppr=_CENTRED)


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
        _CellWriter(cells[offset + 1]).text(value, indent=False)


def _opinion_row(table: Table, index: int, label: str) -> None:
    """A 意见 row: room to write and sign, then 签名 / 公章 / date at the bottom right."""
    row = table.rows[index]
    row.height = OPINION_HEIGHT
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _cant_split(row)
    cell = _span_row(table, index, label)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    writer = _CellWriter(cell)
    left = int(Mm(62).pt * 20)
    for text, after in (("签名：", 18), ("（单位公章）", 0), (SEAL_DATE, 6)):
        ppr = _ppr_template(align="left", indent=False, left_twips=left, after_twips=after * 20)
        writer.text(text, ppr=ppr)


def _add_pictures(writer: _CellWriter, form: CaseForm, pictures: Sequence[bytes]) -> None:
    """Pictures go after the four parts, each scaled into the cell and followed by its caption.

    A picture that cannot be read (the dialog checks them, so this should not happen) is noted
    in the cell rather than failing the whole form on the deadline day.
    """
    for index, data in enumerate(pictures):
        caption = form.pictures[index].caption if index < len(form.pictures) else ""
        paragraph = writer.paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.keep_with_next = bool(one_line(caption))
        try:
            width, height = _fit(data)
            paragraph.add_run().add_picture(io.BytesIO(data), width=width, height=height)
        except Exception:  # noqa: BLE001 - any unreadable image is reported the same way
            log.warning("picture %d of %r could not be embedded", index + 1, form.name)
            _run(paragraph, f"（图片{index + 1}无法嵌入，请另附。）", FANGSONG, TABLE_SIZE)
        if one_line(caption):
            line = writer.paragraph()
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            line.paragraph_format.space_after = Pt(6)
            _run(line, one_line(caption), FANGSONG, CAPTION_SIZE)


def _fit(data: bytes) -> tuple[Emu, Emu]:
    """The picture's size scaled down to the cell width and capped in height, aspect kept.

    A small picture keeps its own size (by its dpi, 72 when it names none) rather than being
    blown up into a blur.
    """
    image = DocxImage.from_blob(data)
    width, height = max(int(image.width), 1), max(int(image.height), 1)  # EMU at its own dpi
    scale = min(1.0, PICTURE_MAX_WIDTH / width, PICTURE_MAX_HEIGHT / height)
    return Emu(int(width * scale)), Emu(int(height * scale))


# ---------------------------------------------------------------- table XML details


def _set_column_widths(table: Table, widths: Sequence[int]) -> None:
    """Widths in the grid (LibreOffice reads these) and on every cell (Word reads those)."""
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(widths) / 635)))  # EMU → twips


def _grid_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_line(edge, "4"))
    tblpr = table._tbl.tblPr
    # Schema order: tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize,
    # tblStyleColBandSize, tblW, jc, tblCellSpacing, tblInd, tblBorders, ...
    anchor = tblpr.find(qn("w:jc"))
    if anchor is None:
        anchor = tblpr.find(qn("w:tblW"))
    if anchor is not None:
        anchor.addnext(borders)
    else:
        tblpr.insert(0, borders)


def _line(edge: str, size: str) -> OxmlElement:
    """A single black border line; ``size`` in eighths of a point."""
    element = OxmlElement(f"w:{edge}")
    for key, value in (("val", "single"), ("sz", size), ("space", "0"), ("color", "000000")):
        element.set(qn(f"w:{key}"), value)
    return element


def _border(cell: _Cell, edge: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    borders.append(_line(edge, "6"))
    # tcBorders follows tcW / gridSpan / vMerge and precedes shd, vAlign.
    anchor = tcpr.find(qn("w:vAlign"))
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tcpr.append(borders)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.insert(0, OxmlElement("w:cantSplit"))
