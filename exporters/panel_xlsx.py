"""The one layout the panel's workbooks share: a title, a line under it, a gridded table that
prints on A4 landscape with its header repeated, and a note at the foot.

The 形式审查表 and the 拟入选名单 are this layout with their own columns; the 评审汇总表 adds a second
header row (an expert's name over their points), so it calls the pieces itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

from .xlsx_cells import S, fit_row, header_row, merged_line, put
from .xlsx_print import print_setup

TITLE_HEIGHT, LINE_HEIGHT, HEADER_HEIGHT = 32.0, 20.0, 36.0
Value = str | int | float | None


@dataclass(frozen=True)
class Column:
    label: str
    width: float
    centre: bool = True


def write_table(
    sheet: Worksheet,
    title: str,
    lines: Sequence[str],
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    foot: Sequence[str] = (),
) -> None:
    last = len(columns)
    merged_line(sheet, 1, last, title, S.title)
    sheet.row_dimensions[1].height = TITLE_HEIGHT
    heights = [TITLE_HEIGHT]
    row = 1
    for text in lines:
        row += 1
        merged_line(sheet, row, last, text, S.line)
        sheet.row_dimensions[row].height = LINE_HEIGHT
        heights.append(LINE_HEIGHT)
    header = row + 1
    header_row(sheet, [(c.label, c.width) for c in columns], header, HEADER_HEIGHT)
    heights.append(HEADER_HEIGHT)
    row = header
    for values in rows:
        row += 1
        heights.append(write_row(sheet, row, columns, values))
    for text in foot:
        row += 1
        merged_line(sheet, row, last, text, S.note)
        heights.append(fit_row(sheet, row, [(text, sum(c.width for c in columns))]))
    print_setup(sheet, header, [c.width for c in columns], row, heights)


def write_row(sheet: Worksheet, row: int, columns: Sequence[Column], values: Sequence[Value]) -> float:
    texts = []
    for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        put(sheet, row, index, value, S.centre if column.centre else S.text)
        if isinstance(value, float):
            sheet.cell(row=row, column=index).number_format = "0.00"
        texts.append(("" if value is None else str(value), column.width))
    return fit_row(sheet, row, texts)
