"""The 推荐表's page: GB/T 9704 geometry, document defaults, and the page numbers.

GB/T 9704 sets A4 with 37/35/28/26 mm margins (a 156 mm wide text block), 仿宋_GB2312 body text,
and page numbers "— N —" in 4号 half-width 宋体 digits, one character in from the outer edge:
odd pages on the right, even pages on the left, so the number sits outside when the sheets are
printed on both sides and bound. That needs separate odd and even footers and the document-wide
``w:evenAndOddHeaders`` switch; the cover (page 1) carries no number.
"""

from __future__ import annotations

import datetime
import io
from functools import cache

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from .docx_xml import FANGSONG, SONGTI, TABLE_SIZE, add_run, rfonts

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
PAGE_NUMBER_INSET = TABLE_SIZE  # one 4号 character
_USED_STYLES = ("Footer", "Header")  # the page-number paragraphs; every other style is a default
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def blank_form() -> DocxDocument:
    """A new document holding the page: defaults, A4 geometry and page numbers, nothing written yet.

    Why a copy of a prepared file: python-docx's own template carries 164 styles in 790 KB of
    XML (styles.xml and Word 2010's stylesWithEffects.xml), parsed on every open and compressed
    on every save, though the form uses two of them; that was half of each 推荐表's build. The
    page is prepared once per process, slimmed, and each form opens a copy of its bytes.
    """
    return Document(io.BytesIO(_prepared_page()))


@cache
def _prepared_page() -> bytes:
    doc = Document()
    _set_defaults(doc)
    _keep_used_styles(doc)
    _drop_parts(doc, {RT.THUMBNAIL, RT.NUMBERING, _STYLES_WITH_EFFECTS})
    set_page(doc)
    add_page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def set_properties(doc: DocxDocument, title: str, subject: str, on: datetime.date | None) -> None:
    """The file's properties: the form's title and case, no author, dated ``on`` when given."""
    props = doc.core_properties
    props.title = title
    props.subject = subject[:255]  # the file format's limit for a property
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    if on is not None:
        stamp = datetime.datetime.combine(on, datetime.time())
        props.created = props.modified = stamp


def _set_defaults(doc: DocxDocument) -> None:
    """Make 仿宋_GB2312 / Times New Roman and zh-CN the defaults every run inherits.

    The template's defaults name theme fonts, which would override explicit font names, so the
    ``w:rFonts`` element is replaced, not amended.
    """
    styles = doc.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for old in rpr.findall(qn("w:rFonts")) + rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.insert(0, rfonts(FANGSONG))
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


def _keep_used_styles(doc: DocxDocument) -> None:
    """Remove every style the form never names: the defaults stay, and the footers' style chain."""
    root = doc.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in root.findall(qn("w:style"))}
    keep = {sid for sid, style in by_id.items() if style.get(qn("w:default")) in ("1", "true", "on")}
    todo = [*keep, *_USED_STYLES]
    while todo:
        sid = todo.pop()
        style = by_id.get(sid)
        if style is None:
            continue
        keep.add(sid)
        for link in ("w:basedOn", "w:link", "w:next"):
            target = style.find(qn(link))
            if target is not None and target.get(qn("w:val")) not in keep:
                todo.append(target.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in keep:
            root.remove(style)


def _drop_parts(doc: DocxDocument, kinds: set[str]) -> None:
    """Parts that only the package links to go with their link (a part no link reaches is not saved).

    The template's preview picture would show file managers a page that is not this form; Word
    2010's copy of the styles is one more copy to parse and compress; the template's list numbering
    names list styles the form neither uses nor keeps.
    """
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype in kinds:
                rels.pop(rid)


def set_page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    section.gutter = 0


def add_page_numbers(doc: DocxDocument) -> None:
    """ "— N —" on every page after the cover: odd pages right, even pages left (GB/T 9704)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT, "right")
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT, "left")


def _page_number(paragraph: Paragraph, alignment: WD_ALIGN_PARAGRAPH, side: str) -> None:
    paragraph.alignment = alignment
    if side == "right":
        paragraph.paragraph_format.right_indent = PAGE_NUMBER_INSET
    else:
        paragraph.paragraph_format.left_indent = PAGE_NUMBER_INSET
    # Half-width 宋体 digits: the Latin font of these runs is 宋体 too.
    add_run(paragraph, "— ", SONGTI, TABLE_SIZE, latin=SONGTI)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    inner = add_run(paragraph, "1", SONGTI, TABLE_SIZE, latin=SONGTI)
    field.append(inner._r)
    paragraph._p.append(field)
    add_run(paragraph, " —", SONGTI, TABLE_SIZE, latin=SONGTI)
