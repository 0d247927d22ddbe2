"""A case already written in Word, read back into the 推荐表's fields: the inverse of
:mod:`exporters.form_docx`.

It reads the form's own words (the labels of 附件1, its hints
such as "（案例简介不超过 300 字）" and the four part headings), which are the builder's constants;
a change of the form's wording changes both. Like the builders it is pure: bytes in, fields out.

The file is judged before python-docx sees it: its tables' structure on the XML (:mod:`.structure`), its size, its first bytes (a .doc, .wps or .pdf is
named as what it is), the zip directory (a zip bomb is refused by the uncompressed sizes it declares,
which Python's zip reader never exceeds) and its content types (a macro document is refused).

Two layouts are read:

* the 附件1 table layout, ours or one made by hand in another shape: every cell (or line) that is
  a known label (spaces inside ignored, "案 例 名 称") gives the next cell's text to its field;
  the 案例内容 cell is split at the four headings;
* any other document: its paragraphs, split at paragraphs that begin with one of the four part
  headings, as :func:`dialogs.headings.by_paragraphs` recognises them (the one recogniser a paste
  uses too, so the two cannot drift apart).

Nothing is checked against the campaign's rules here: the dialog checks every field as if typed.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.reading.structure import check_document
from dialogs import hints
from dialogs.headings import by_paragraphs
from dialogs.models import Step
from dialogs.wordfile import MAX_BYTES, Layout, ReadForm, Refusal, Refused, check_name
from exporters.form_cover import COVER_LABELS
from exporters.form_table import TABLE_LABELS

__all__ = ["MAX_BYTES", "Layout", "ReadForm", "Refusal", "Refused", "check_name", "read_form"]

MAX_UNPACKED = 60 * 1024 * 1024  # what the zip directory may declare in all
MAX_ENTRIES = 2_000
MAX_RATIO = 200  # a large part compressing better than this is a bomb, not a document
CAPTION_CHARS = 40
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls, and Office files with a password
_WORD_MAIN = ("wordprocessingml.document.main", "wordprocessingml.template.main")


# -- refusing a bad file before it is opened -----------------------------------------------------------------


def _check_bytes(data: bytes, filename: str, structure: bool = True) -> Refusal | Refused | None:
    if len(data) > MAX_BYTES:
        return Refusal.TOO_BIG
    if data.startswith(b"%PDF"):
        return Refusal.PDF
    if data.startswith(_OLE):
        return Refusal.OLD_WORD
    if not data.startswith(b"PK\x03\x04"):
        by_name = check_name(filename)
        if by_name is None and filename.strip().lower().endswith(".docx"):
            return Refusal.BROKEN  # named a Word document, but not one (or cut short)
        return by_name if by_name is not None else Refusal.NOT_WORD
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
                return Refusal.BOMB
            if any(e.file_size > 1024 * 1024 and e.file_size > MAX_RATIO * max(e.compress_size, 1) for e in entries):
                return Refusal.BOMB
            names = {e.filename.lower() for e in entries}
            if any(n.endswith(("vbaproject.bin", "vbadata.xml")) for n in names):
                return Refusal.MACRO
            if "[content_types].xml" not in names:
                return Refusal.NOT_WORD
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if "macroEnabled" not in types and any(kind in types for kind in _WORD_MAIN) and structure:
                tables = check_document(archive)  # before python-docx expands what the tables claim
                if tables is not None:
                    return tables
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError):
        return Refusal.BROKEN
    if "macroEnabled" in types:
        return Refusal.MACRO
    if not any(kind in types for kind in _WORD_MAIN):
        return Refusal.NOT_WORD
    return check_name(filename)


# -- labels, headings and hints ------------------------------------------------------------------------------

_LABELS: dict[str, Step | None] = {
    COVER_LABELS[0]: Step.NAME,
    COVER_LABELS[1]: Step.APPLICANT,
    COVER_LABELS[2]: Step.CATEGORY,
    COVER_LABELS[3]: Step.UNIT,
    TABLE_LABELS[2]: Step.CONTACT,
    "联系方式": Step.PHONE,
    "联系电话": Step.PHONE,
    TABLE_LABELS[3]: Step.SUMMARY,
    "案例类别": Step.CATEGORY,
    "案例类型": Step.CATEGORY,
    "开展实施或发布时间": Step.PERIOD,
    "开展实施时间": Step.PERIOD,
    "实施时间": Step.PERIOD,
    TABLE_LABELS[4]: None,  # 案例内容: the four parts, split at their headings
}
_CONTENT = TABLE_LABELS[4]
_ZERO_WIDTH = str.maketrans("", "", "\u200b\u2060")
_INLINE_LABEL = re.compile(r"^\s*(?P<label>[^:：]{2,16}?)\s*[:：]\s*(?P<value>\S.*)$")


def _label(text: str) -> str | None:
    """The label a cell or line holds, spaces and a trailing colon ignored ("案 例 名 称：")."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip(":")
    key = key.lstrip("*")
    return key if key in _LABELS else None


def _lines(paragraphs: list[str]) -> list[str]:
    return [p.strip() for p in paragraphs if p.strip() and not hints.is_hint(p)]


# -- reading -------------------------------------------------------------------------------------------------


def _cells(table: Table) -> list[list[_Cell]]:
    """Each row's cells once each (a merged cell is returned once per grid column by python-docx)."""
    rows = []
    for row in table.rows:
        seen: list[_Cell] = []
        for cell in row.cells:
            if not seen or seen[-1]._tc is not cell._tc:
                seen.append(cell)
        rows.append(seen)
    return rows


def _texts(paragraphs: list[Paragraph]) -> list[str]:
    """The paragraphs' texts without pictures and their captions (a short line right under a picture)."""
    texts: list[str] = []
    after_picture = False
    for paragraph in paragraphs:
        if paragraph._p.xpath(".//w:drawing | .//w:pict"):
            after_picture = True
            continue
        text = paragraph.text.translate(_ZERO_WIDTH)  # the joiners and breaks a printed 联系方式 holds
        caption = after_picture and len(text.strip()) <= CAPTION_CHARS and not text.rstrip().endswith("。")
        after_picture = False
        if not caption:
            texts.append(text)
    return texts


def _cell_text(cell: _Cell) -> list[str]:
    return _texts(cell.paragraphs)


def _put(found: dict[str, list[str]], label: str, paragraphs: list[str]) -> None:
    lines = _lines(paragraphs)
    if lines and label not in found:
        found[label] = lines


def _from_tables(tables: list[Table], found: dict[str, list[str]]) -> None:
    for table in tables:
        rows = _cells(table)
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                label = _label(cell.text)
                if label is None:
                    continue
                if c + 1 < len(cells) and _label(cells[c + 1].text) is None:
                    _put(found, label, _joined(_cell_text(cells[c + 1]), _continued(rows, r, c)))
                elif len(cells) == 1 and r + 1 < len(rows) and len(rows[r + 1]) == 1:
                    below = rows[r + 1][0]  # a heading row with the text in the row below
                    if _label(below.text) is None:
                        _put(found, label, _cell_text(below))


def _continued(rows: list[list[_Cell]], r: int, c: int) -> list[str]:
    """The further lines of a cover value: the rows below with an empty label cell (a long name
    printed on several ruled lines), joined to the first without a break."""
    more: list[str] = []
    for below in rows[r + 1 :]:
        if len(below) <= c + 1 or below[c].text.strip() or not below[c + 1].text.strip():
            break
        more.extend(_cell_text(below[c + 1]))
    return more


def _joined(first: list[str], more: list[str]) -> list[str]:
    return ["".join(text.strip() for text in first + more)] if more else first


def _from_lines(paragraphs: list[str], found: dict[str, list[str]]) -> list[str]:
    """ "案例名称：……" lines; returns the paragraphs that are not such lines."""
    rest = []
    for text in paragraphs:
        inline = _INLINE_LABEL.match(text)
        label = _label(inline.group("label")) if inline else None
        if inline is not None and label is not None and label != _CONTENT:
            _put(found, label, [inline.group("value")])
        else:
            rest.append(text)
    return rest


def _linked_pictures(doc: DocumentObject) -> int:
    """Pictures whose image is a link (``a:blip`` with ``r:link`` and no ``r:embed``, or VML ``v:imagedata``
    pointing at an external relationship): the file holds only the address, which is never followed."""
    body = doc.element.body
    blips = body.xpath(".//a:blip[@r:link and not(@r:embed)]")
    external = {rid for rid, rel in doc.part.rels.items() if rel.is_external}
    vml = [d for d in body.xpath(".//*[local-name()='imagedata']") if d.get(qn("r:id")) in external]
    return len(blips) + len(vml)


def read_form(data: bytes, filename: str = "", structure_first: bool = True) -> ReadForm | Refused:
    """Read a .docx into the form's fields, or say why the file is refused.

    Runs in a sandboxed process (:mod:`bot.reading.reader`); ``structure_first`` is switched off only by
    tests, to show that the sandbox's limits hold on their own."""
    refusal = _check_bytes(data, filename, structure_first)
    if isinstance(refusal, Refused):
        return refusal
    if refusal is not None:
        return Refused(refusal)
    try:
        doc = Document(io.BytesIO(data))
        body = _texts(doc.paragraphs)
        tables = list(doc.tables)
        pictures = len(doc.inline_shapes)
        linked = _linked_pictures(doc)
    except MemoryError:
        raise  # the sandbox's memory limit: its own refusal
    except Exception:  # noqa: BLE001 - whatever python-docx trips on, the file is not a readable .docx
        return Refused(Refusal.BROKEN)
    found: dict[str, list[str]] = {}
    _from_tables(tables, found)
    for table in tables:
        for cells in _cells(table):
            for cell in cells:
                _from_lines(_cell_text(cell), found)
    paragraphs = _from_lines(body, found)
    fields = {step: "\n".join(found[label]) for label, step in _LABELS.items() if step and label in found}
    if _CONTENT in found:
        parts, missing, before = by_paragraphs(found[_CONTENT])
        return ReadForm(Layout.FORM, {**fields, **parts}, missing, before, pictures, linked)
    parts, missing, before = by_paragraphs(paragraphs)
    if missing:  # a plain text is split only when all four headings are there; the dialog says which are missing
        parts, before = {}, 0
    layout = Layout.FORM if fields and not parts else Layout.PLAIN
    return ReadForm(layout, {**fields, **parts}, missing, before, pictures, linked)
