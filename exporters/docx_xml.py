"""The small pieces of WordprocessingML the 推荐表 is made of: runs, paragraph templates, borders.

python-docx's object layer walks the schema on every attribute it sets; the form holds hundreds
of paragraphs, so their properties are cloned from small XML templates here instead (a maximal
form builds about twice as fast). Fonts are set as East Asian fonts (``w:eastAsia``) because Word
and WPS pick the font of Chinese characters from that attribute alone; digits and Latin letters
use Times New Roman, as official documents do.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from copy import deepcopy

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.parfmt import CT_PPr
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .text import paragraphs

LATIN = "Times New Roman"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

TITLE_SIZE = Pt(22)  # 二号
COVER_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(14)  # 四号
CAPTION_SIZE = Pt(12)  # 小四
TABLE_LINE = Pt(24)  # exact line pitch in the table, so substituted fonts do not stretch it


def rfonts(east_asian: str, latin: str = LATIN) -> BaseOxmlElement:
    """Fonts by script. ``w:hint="eastAsia"`` makes Word set the characters Chinese and Western
    text share (“ ” ‘ ’ — …) in the Chinese font, as Word does when one types Chinese."""
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")
    return fonts


def add_run(paragraph: Paragraph, text: str, east_asian: str, size: Length, latin: str = LATIN) -> Run:
    """Add a run whose Chinese characters use ``east_asian`` and the rest ``latin``."""
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    rpr.insert(0, rfonts(east_asian, latin))
    run.font.size = size
    return run


@functools.cache
def _rpr_template(east_asian: str, half_points: int) -> CT_RPr:
    element: CT_RPr = parse_xml(
        f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" '
        f'w:eastAsia="{east_asian}" w:cs="{LATIN}" w:hint="eastAsia"/>'
        f'<w:sz w:val="{half_points}"/></w:rPr>'
    )
    return element


def ppr_template(*, align: str, indent: bool, left_twips: int = 0, after_twips: int = 0) -> CT_PPr:
    """Exact line pitch, optional 首行缩进 2 字符 (in character units, so it follows the size)."""
    spacing = f'<w:spacing w:after="{after_twips}" w:line="{int(TABLE_LINE.pt * 20)}" w:lineRule="exact"/>'
    ind = ""
    if indent:
        ind = f'<w:ind w:firstLineChars="200" w:firstLine="{int(TABLE_SIZE.pt * 2 * 20)}"/>'
    elif left_twips:
        ind = f'<w:ind w:left="{left_twips}"/>'
    element: CT_PPr = parse_xml(f'<w:pPr {nsdecls("w")}>{spacing}{ind}<w:jc w:val="{align}"/></w:pPr>')
    return element


BODY = ppr_template(align="both", indent=True)
PLAIN = ppr_template(align="both", indent=False)
CENTRED = ppr_template(align="center", indent=False)
LEFT = ppr_template(align="left", indent=False)  # short values: justifying "0551-…、" would space out its 、


NO_BREAK_HYPHEN = "\u2011"


def run_element(text: str, east_asian: str, size: Length = TABLE_SIZE) -> CT_R:
    """A ``w:r`` for ``text`` (already cleaned, one line); tabs become ``w:tab``, and U+2011 Word's
    own non-breaking hyphen ``w:noBreakHyphen``, which Word, WPS and LibreOffice all keep whole
    and print as an ordinary hyphen (a U+2011 character needs a font that has it)."""
    run: CT_R = OxmlElement("w:r")
    run.append(deepcopy(_rpr_template(east_asian, int(size.pt * 2))))
    for index, piece in enumerate(text.split("\t")):
        if index:
            run.append(OxmlElement("w:tab"))
        for part, chunk in enumerate(piece.split(NO_BREAK_HYPHEN)):
            if part:
                run.append(OxmlElement("w:noBreakHyphen"))
            if chunk:
                t = OxmlElement("w:t")
                t.text = chunk
                t.set(qn("xml:space"), "preserve")
                run.append(t)
    return run


class CellWriter:
    """Adds paragraphs to a table cell, reusing the empty paragraph every new cell holds."""

    def __init__(self, cell: _Cell) -> None:
        self.cell = cell
        self._fresh = True

    def _p(self) -> CT_P:
        if self._fresh:
            self._fresh = False
            first: CT_P = self.cell._tc.p_lst[0]
            return first
        p: CT_P = OxmlElement("w:p")
        self.cell._tc.append(p)
        return p

    def paragraph(self) -> Paragraph:
        return Paragraph(self._p(), self.cell)

    def text(
        self,
        text: str,
        east_asian: str = FANGSONG,
        *,
        indent: bool = True,
        ppr: CT_PPr | None = None,
        size: Length = TABLE_SIZE,
    ) -> CT_P:
        p = self._p()
        p.insert(0, deepcopy(ppr if ppr is not None else (BODY if indent else PLAIN)))
        if text:
            p.append(run_element(text, east_asian, size))
        return p

    def lines(self, value: object) -> None:
        """One paragraph per line the user wrote; nothing at all for an unanswered field."""
        for line in paragraphs(value):
            self.text(line)


def set_column_widths(table: Table, widths: Sequence[Length]) -> None:
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


def grid_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(line(edge, "4"))
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


def line(edge: str, size: str) -> BaseOxmlElement:
    """A single black border line; ``size`` in eighths of a point."""
    element = OxmlElement(f"w:{edge}")
    for key, value in (("val", "single"), ("sz", size), ("space", "0"), ("color", "000000")):
        element.set(qn(f"w:{key}"), value)
    return element


UNDERLINE_SIZE = "6"  # eighths of a point: every cover line is drawn with the same ¾ pt rule


def border(cell: _Cell, edge: str, size: str = UNDERLINE_SIZE) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    borders.append(line(edge, size))
    # tcBorders follows tcW / gridSpan / vMerge and precedes shd, vAlign.
    anchor = tcpr.find(qn("w:vAlign"))
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tcpr.append(borders)


def cell_margins(cell: _Cell, side: Length) -> None:
    """Left and right margins of one cell (``w:tcMar``), where the table's 1.9 mm are too wide."""
    tcpr = cell._tc.get_or_add_tcPr()
    margins = OxmlElement("w:tcMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(side / 635)))  # EMU → twips
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    # tcMar follows tcBorders / shd / noWrap and precedes textDirection, tcFitText, vAlign.
    anchor = tcpr.find(qn("w:vAlign"))
    if anchor is not None:
        anchor.addprevious(margins)
    else:
        tcpr.append(margins)


def cant_split(row: _Row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.insert(0, OxmlElement("w:cantSplit"))


BODY_LINE = Pt(28)  # a notice's or the 汇编's body: fixed 28 pt lines, as offices set 仿宋 三号


def body_paragraph(
    doc: DocxDocument, align: WD_ALIGN_PARAGRAPH, *, indent: bool = False, line: Pt = BODY_LINE
) -> Paragraph:
    """A new paragraph of a notice or the 汇编: fixed line spacing, no space around it, and a first-line
    indent of two characters where ``indent``."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing = line
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(COVER_SIZE.pt * 2)
    return paragraph
