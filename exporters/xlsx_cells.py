"""Cells, styles and row heights shared by the workbooks.

* Nothing a user typed becomes a formula. A case named ``=HYPERLINK(...)`` or ``+cmd|...`` is
  written as a string cell (never an ``<f>`` element) and marked "quote prefix", so Excel, WPS
  and LibreOffice keep it text even after someone edits the cell.
* Styles are registered once per workbook (named styles), not created per cell, so a 5 000-row
  province export costs little more than writing the bare cells.
* Row heights are computed here, because neither Excel nor LibreOffice fits the height of
  wrapped rows when it opens a file: each cell's printed lines are estimated from the widths of
  its characters (a Chinese character at 12 pt is 16 px, a digit 7~8 px) against its column.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import weakref
import zipfile
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from dialogs.campaign import Campaign
from dialogs.models import Case

from .text import one_line, xml_text
from .zip_stamps import fix_member_dates

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
GB2312 = 134  # font charset, so Excel picks the Chinese face even on an English system

MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
_FORMULA_START = tuple("=+-@\t\r＝＋－＠")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")

# Column widths are in Excel's unit, the width of "0" in the workbook's default font (Calibri
# 11: 7 px at 96 dpi, plus 5 px of padding per column).
UNIT_PX, COLUMN_PAD_PX = 7, 5
# A Chinese character at 12 pt; a Latin letter or digit (half a character in 仿宋_GB2312, but up
# to two thirds in the sans-serif fallbacks LibreOffice uses without it: DejaVu Sans digits are
# 10.2 px); capitals are wider still.
WIDE_PX, NARROW_PX, CAPITAL_PX = 16.0, 10.0, 11.0
_CAPITALS = re.compile(r"[A-Z@%&#]")
CELL_PAD_PX = 16  # both sides' margins of a wrapped cell with its one-level indent (Excel's are the wider)
LINE_HEIGHT = 16.5  # points per printed line at 12 pt
ROW_PAD = 3.0  # points above and below the lines
ROW_MAX_HEIGHT = 409.0  # Excel's limit


def column_px(width: float) -> float:
    return width * UNIT_PX + COLUMN_PAD_PX


@dataclass(frozen=True)
class _Styles:
    """Names of the workbook's named styles; registered once in :func:`new_book`."""

    attachment: str = "cb附件"
    title: str = "cb标题"
    line: str = "cb抬头"
    header: str = "cb表头"
    text: str = "cb正文"
    centre: str = "cb居中"
    note: str = "cb注"


S = _Styles()


def new_book() -> Workbook:
    book = Workbook()
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FANGSONG, size=12, charset=GB2312)
    wrap_left = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
    wrap_centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for style in (
        NamedStyle(S.attachment, font=Font(name=HEITI, size=14, charset=GB2312)),
        NamedStyle(
            S.title,
            font=Font(name=XIAOBIAOSONG, size=20, charset=GB2312),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        NamedStyle(
            S.line,
            font=Font(name=FANGSONG, size=14, charset=GB2312),
            alignment=Alignment(horizontal="left", vertical="center"),
        ),
        NamedStyle(S.header, font=Font(name=HEITI, size=12, charset=GB2312), border=grid, alignment=wrap_centre),
        NamedStyle(S.text, font=body, border=grid, alignment=wrap_left),
        NamedStyle(S.centre, font=body, border=grid, alignment=wrap_centre),
        NamedStyle(S.note, font=body, alignment=Alignment(horizontal="left", vertical="top", wrap_text=True)),
    ):
        book.add_named_style(style)
    return book


def save(book: Workbook, campaign: Campaign, cases: Sequence[Case]) -> bytes:
    """The workbook's bytes, the same for the same cases: its dates are theirs, not the clock's.

    The file's created/modified properties are the latest change among ``cases`` (1 January of the
    campaign's year for a workbook without cases), and every zip member carries one fixed date
    (:mod:`exporters.zip_stamps`). ``Workbook.save`` would stamp the moment of saving instead.
    """
    latest = max((c.updated_at for c in cases), default=None)
    stamp = (
        datetime.datetime(campaign.year, 1, 1)
        if latest is None
        else latest.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    )
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).write_data()
    return fix_member_dates(buffer.getvalue())


def put(sheet: Worksheet, row: int, column: int, value: object, style: str) -> None:
    """Write one cell. Text is always stored as text: never a formula, whatever it starts with."""
    cell = sheet.cell(row=row, column=column)
    if value is None or isinstance(value, (int, float, datetime.datetime)):
        cell.value = value
        _apply(cell, style)
        return
    text = xml_text(value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    cell.value = text
    cell.data_type = "s"  # openpyxl marks "=..." as a formula; undo that
    _apply(cell, style)
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True  # and keep it text when someone edits the cell


_STYLE_ARRAYS: weakref.WeakKeyDictionary[Workbook, dict[str, StyleArray]] = weakref.WeakKeyDictionary()


def _apply(cell: Cell, style: str) -> None:
    """Give ``cell`` a named style. Assigning ``cell.style`` looks the name up among the named
    styles on every call, which is a third of the time of a large sheet; the style's index array
    is the same for every cell, so after the first lookup it is copied (as openpyxl's own copy
    helpers do)."""
    arrays = _STYLE_ARRAYS.setdefault(cell.parent.parent, {})
    array = arrays.get(style)
    if array is None:
        cell.style = style
        arrays[style] = copy(cell._style)
    else:
        cell._style = copy(array)


def merged_line(sheet: Worksheet, row: int, last_column: int, text: str, style: str) -> None:
    put(sheet, row, 1, text, style)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)


def header_row(sheet: Worksheet, columns: Sequence[tuple[str, float]], row: int, height: float = 24) -> None:
    for index, (label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        put(sheet, row, index, label, S.header)
    sheet.row_dimensions[row].height = height


def text_px(text: str) -> float:
    """Printed width of one line of ``text`` at 12 pt, in pixels at 96 dpi."""
    narrow = len(text.encode("latin-1", "ignore"))  # counted in C, not per character in Python
    capitals = len(_CAPITALS.findall(text)) if narrow else 0
    return (len(text) - narrow) * WIDE_PX + (narrow - capitals) * NARROW_PX + capitals * CAPITAL_PX


def lines_needed(text: str, width: float) -> int:
    """Printed lines of ``text`` in a column ``width`` units wide."""
    if not text:
        return 1
    room = max(column_px(width) - CELL_PAD_PX, WIDE_PX)
    return sum(max(1, math.ceil(text_px(part) / room)) for part in text.split("\n"))


def row_height(lines: int) -> float:
    return min(ROW_MAX_HEIGHT, lines * LINE_HEIGHT + 2 * ROW_PAD)


def fit_row(sheet: Worksheet, row: int, texts: Sequence[tuple[str, float]]) -> float:
    """Set the row as tall as the most lines among its (text, column width) pairs; returns it."""
    height = row_height(max(lines_needed(text, width) for text, width in texts))
    sheet.row_dimensions[row].height = height
    return height


def sheet_title(name: str, used: set[str] | None = None) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, not quoted, ≤ 31 characters, unique.

    ``used`` holds the case-folded names already taken and is updated.
    """
    used = used if used is not None else set()
    base = _SHEET_FORBIDDEN.sub("", one_line(name)).strip().strip("'").strip() or "未命名"
    if base.casefold() == "history":  # reserved by Excel
        base = f"{base}（表）"
    base = base[:31]
    title, number = base, 1
    while title.casefold() in used:
        number += 1
        suffix = f"（{number}）"
        title = base[: 31 - len(suffix)] + suffix
    used.add(title.casefold())
    return title
