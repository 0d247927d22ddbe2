"""How a sheet prints, and the 案例类型 drop-down.

The 汇总表 is mailed on paper, so it must print right without anyone touching the settings: A4
landscape, at 100 % when it fits. The official columns are sized to fit the width of A4
landscape at 100 %; the heights of all rows are known (computed, see :mod:`exporters.xlsx_cells`),
so when the whole sheet fits on one page at ≥ 90 % it is scaled to exactly one page ("第 1 页，
共 1 页"), and otherwise it runs on at 100 %, one page wide, the column header repeated on every
page.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .xlsx_cells import FANGSONG, S, column_px, put

# A4 landscape in points, and the margins in inches (as the file stores them).
PAGE_WIDTH_PT, PAGE_HEIGHT_PT = 841.9, 595.3
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 0.5, 0.5, 0.6
MARGIN_HEADER, MARGIN_FOOTER = 0.3, 0.3
MIN_ONE_PAGE_SCALE = 90


def one_page_scale(widths: Sequence[float], heights: Sequence[float]) -> int | None:
    """The print scale (≤ 100) at which the sheet fits one page, or None below 90 %."""
    width_pt = sum(column_px(w) for w in widths) * 0.75
    height_pt = sum(heights)
    room_w = PAGE_WIDTH_PT - 2 * MARGIN_SIDE * 72
    room_h = PAGE_HEIGHT_PT - (MARGIN_TOP + MARGIN_BOTTOM) * 72
    scale = int(min(1.0, room_w / width_pt, room_h / height_pt) * 100)
    return scale if scale >= MIN_ONE_PAGE_SCALE else None


def print_setup(
    sheet: Worksheet,
    header_row: int,
    widths: Sequence[float],
    last_row: int,
    heights: Sequence[float],
) -> None:
    """A4 landscape; one page when it fits at ≥ 90 %, else one page wide at 100 % with the
    header row repeated. ``heights`` are those of every printed row."""
    last_column = len(widths)
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    scale = one_page_scale(widths, heights)
    if scale is not None:
        setup.fitToWidth = 1
        setup.fitToHeight = 1
        setup.scale = scale  # what Excel shows; LibreOffice computes the same from the fit
    else:
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        setup.scale = 100
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = MARGIN_SIDE
    margins.top, margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    margins.header, margins.footer = MARGIN_HEADER, MARGIN_FOOTER
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{get_column_letter(last_column)}{last_row}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.font = FANGSONG
    sheet.oddFooter.center.size = 10
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def category_list(sheet: Worksheet, names: Sequence[str], column: int, first: int, last: int) -> None:
    """A drop-down of the campaign's categories on the 案例类型 cells.

    An inline list is limited to 255 characters and cannot hold commas or quotes; a campaign
    whose names do not fit gets the list from a hidden sheet instead (hidden sheets do not print).
    """
    inline = '"' + ",".join(names) + '"'
    if len(inline) <= 255 and not any("," in n or '"' in n for n in names):
        formula = inline
    else:
        formula = _hidden_list(sheet.parent, names)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # False shows the arrow (the attribute is inverted in the file format)
        showErrorMessage=True,
        errorTitle="案例类型",
        error="请从下拉列表中选择案例类型。",
        promptTitle="案例类型",
        prompt="请从六类中选择一个。" if len(names) == 6 else "请从下拉列表中选择一个。",
        showInputMessage=True,
    )
    letter = get_column_letter(column)
    validation.add(f"{letter}{first}:{letter}{max(first, last)}")
    sheet.add_data_validation(validation)


def _hidden_list(book: Workbook, names: Sequence[str]) -> str:
    title = "案例类型列表"
    if title not in book.sheetnames:
        hidden = book.create_sheet(title)
        hidden.sheet_state = "hidden"
        for row, name in enumerate(names, start=1):
            put(hidden, row, 1, name, S.text)
    return f"'{title}'!$A$1:$A${len(names)}"
