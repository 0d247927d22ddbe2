"""A Word file's tables judged on their XML, before python-docx builds anything from them.

Why: python-docx turns a table into a grid cell by cell, and its cost follows what the XML claims,
not how large the file is. One cell claiming ``gridSpan`` = 10^8 made a 37 KB file cost 23 s and
945 MiB; a column merged down 800 rows (``vMerge``) took 153 s, and 990 rows overflowed the
recursion python-docx follows a merge with. A streaming parse of ``word/document.xml`` counts rows,
cells, spans and merge depth in one pass, in memory that does not grow with the claims, and refuses
what no 推荐表 (and for spans, no Word table at all) has: Word allows 63 columns.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import IO

from lxml import etree

from dialogs.wordfile import MAX_CELLS, MAX_COLUMNS, MAX_MERGE, MAX_ROWS, Refusal, Refused

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAIN = "wordprocessingml.document.main"


@dataclass
class _Table:
    width: int = 0  # grid columns of the row being read
    down: dict[int, int] = field(default_factory=dict)  # grid column → rows merged into the cell above
    grid: int = 0  # <w:gridCol> declared


@dataclass
class _Cell:
    span: int = 1
    merged: bool = False  # a vMerge continuation: this cell belongs to the one above


def main_part(archive: zipfile.ZipFile) -> str:
    """The name of the document's body part (``word/document.xml`` as Word writes it)."""
    types = etree.fromstring(archive.read("[Content_Types].xml"), etree.XMLParser(resolve_entities=False))
    for override in types:
        if _MAIN in (override.get("ContentType") or ""):
            return (override.get("PartName") or "").lstrip("/")
    return "word/document.xml"


def _count(value: str | None) -> int | None:
    """A non-negative whole number as the XML writes it; None for anything else."""
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


def check_tables(source: IO[bytes]) -> Refused | None:
    """The first thing about the document's tables that is beyond the limits, or None."""
    tables: list[_Table] = []
    cells: list[_Cell] = []
    rows = total_cells = 0
    parser = etree.iterparse(
        source, events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        for event, element in parser:
            tag = element.tag
            if event == "start":
                if tag == _W + "tbl":
                    tables.append(_Table())
                elif tag == _W + "tr" and tables:
                    tables[-1].width = 0
                    rows += 1
                    if rows > MAX_ROWS:
                        return Refused(Refusal.TOO_MANY_ROWS, rows)
                elif tag == _W + "tc" and tables:
                    cells.append(_Cell())
                    total_cells += 1
                    if total_cells > MAX_CELLS:
                        return Refused(Refusal.TOO_MANY_CELLS, total_cells)
                continue
            refused = _end(tag, element, tables, cells)
            if refused is not None:
                return refused
            if tag in (_W + "p", _W + "tc", _W + "tr", _W + "tbl"):
                element.clear()  # what was counted is no longer needed: memory stays flat
    except etree.XMLSyntaxError:
        return Refused(Refusal.BROKEN)
    return None


def _end(tag: str, element: etree._Element, tables: list[_Table], cells: list[_Cell]) -> Refused | None:
    if tag == _W + "gridSpan" and cells:
        span = _count(element.get(_W + "val"))
        if span is None or span < 1:
            return Refused(Refusal.BROKEN)
        cells[-1].span = span
        if span > MAX_COLUMNS:
            return Refused(Refusal.TOO_WIDE, span)
    elif tag == _W + "vMerge" and cells:
        cells[-1].merged = (element.get(_W + "val") or "continue") == "continue"
    elif tag == _W + "gridCol" and tables:
        tables[-1].grid += 1
        if tables[-1].grid > MAX_COLUMNS:
            return Refused(Refusal.TOO_WIDE, tables[-1].grid)
    elif tag in (_W + "gridBefore", _W + "gridAfter") and tables:
        skipped = _count(element.get(_W + "val"))
        if skipped is None:
            return Refused(Refusal.BROKEN)
        tables[-1].width += skipped
        if tables[-1].width > MAX_COLUMNS:
            return Refused(Refusal.TOO_WIDE, tables[-1].width)
    elif tag == _W + "tc" and tables and cells:
        return _cell_end(tables[-1], cells.pop())
    elif tag == _W + "tbl" and tables:
        tables.pop()
    return None


def _cell_end(table: _Table, cell: _Cell) -> Refused | None:
    column = table.width
    table.width += cell.span
    if table.width > MAX_COLUMNS:
        return Refused(Refusal.TOO_WIDE, table.width)
    if cell.merged:
        depth = table.down.get(column, 0) + 1
        table.down[column] = depth
        if depth > MAX_MERGE:
            return Refused(Refusal.MERGE_TOO_DEEP, depth)
    else:
        table.down[column] = 0
    return None


def check_document(archive: zipfile.ZipFile) -> Refused | None:
    """The document's body checked before python-docx opens it."""
    try:
        name = main_part(archive)
        with archive.open(name) as body:
            return check_tables(body)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError):
        return Refused(Refusal.BROKEN)
