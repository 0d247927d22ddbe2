"""附件2《推荐汇总表》as an Excel file, laid out as the notice draws it.

The builders are pure: cases and campaign in, .xlsx bytes out. Three things matter beyond the
look of the table:

* Nothing a user typed becomes a formula. A case named ``=HYPERLINK(...)`` or ``+cmd|...`` is
  written as a string cell (never an ``<f>`` element) and marked "quote prefix", so Excel, WPS
  and LibreOffice keep it text even after someone edits the cell.
* The sheet prints as it should without anyone touching the print settings: A4 landscape, one
  page wide, the column header repeated on every page.
* Styles are registered once per workbook (named styles), not created per cell, so a 5 000-row
  province export costs little more than writing the bare cells.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import weakref
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dialogs.campaign import Campaign, Unit
from dialogs.models import Case, CaseState

from .text import one_line, xml_text

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
GB2312 = 134  # font charset, so Excel picks the Chinese face even on an English system

MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
_FORMULA_START = tuple("=+-@\t\r＝＋－＠")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")

OFFICIAL_COLUMNS = (("序号", 7), ("案例名称", 44), ("案例类型", 22), ("申报单位", 34), ("备注", 18))
PROVINCE_COLUMNS = (
    ("序号", 7),
    ("推荐单位", 24),
    ("案例名称", 44),
    ("案例类型", 22),
    ("申报单位", 34),
    ("备注", 16),
)
ALL_CASES_COLUMNS = (
    ("序号", 7),
    ("案例编号", 10),
    ("案例名称", 40),
    ("案例类型", 20),
    ("申报单位", 28),
    ("联系人", 12),
    ("联系方式", 16),
    ("状态", 14),
    ("推荐顺序", 10),
    ("提交时间", 18),
    ("标记", 20),
    ("退回说明", 30),
)
_OFFICIAL_W = dict(OFFICIAL_COLUMNS)
_PROVINCE_W = dict(PROVINCE_COLUMNS)
_STATE_ORDER = {
    CaseState.RECOMMENDED: 0,
    CaseState.SUBMITTED: 1,
    CaseState.RETURNED: 2,
    CaseState.DRAFT: 3,
}

# Row heights are estimated here, because neither Excel nor LibreOffice reliably fits the height
# of wrapped rows when opening a file. Widths are in column-width units (the width of "0").
_WIDE_CHAR = 2.3  # a Chinese character at 12 pt
_NARROW_CHAR = 1.2  # a Latin letter or digit at 12 pt
_LINE_HEIGHT = 16.5  # points per line at 12 pt
_ROW_MIN_HEIGHT = 28.0
_ROW_MAX_HEIGHT = 409.0  # Excel's limit


def build_summary_xlsx(
    campaign: Campaign,
    unit: Unit,
    recommended: Sequence[Case],
    *,
    all_cases: Sequence[Case] | None = None,
) -> bytes:
    """Return one unit's 汇总表: the recommended cases in the order given (序号 1..n).

    With ``all_cases``, a second sheet 全部申报案例 lists every case of the unit with its state,
    for the unit's own records; it is not part of what the notice asks to mail.
    """
    book = _new_book()
    sheet = book.active
    sheet.title = "推荐汇总表"
    _official_sheet(sheet, campaign, unit, recommended)
    if all_cases is not None:
        _all_cases_sheet(book.create_sheet("全部申报案例"), campaign, all_cases)
    return _save(book)


def build_province_xlsx(campaign: Campaign, units: Sequence[tuple[Unit, Sequence[Case]]]) -> bytes:
    """Return the province-wide workbook: one 全省汇总 sheet, then each unit's official 汇总表.

    Units appear in the given order; each unit's cases in recommendation (rank) order.
    """
    book = _new_book()
    ordered = [(unit, sorted(cases, key=_rank_key)) for unit, cases in units]
    overview = book.active
    overview.title = "全省汇总"
    _province_sheet(overview, campaign, ordered)
    used = {overview.title.casefold()}
    for unit, cases in ordered:
        sheet = book.create_sheet(sheet_title(unit.name, used))
        _official_sheet(sheet, campaign, unit, cases)
    return _save(book)


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


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Styles:
    """Names of the workbook's named styles; registered once in :func:`_new_book`."""

    attachment: str = "cb附件"
    title: str = "cb标题"
    line: str = "cb抬头"
    header: str = "cb表头"
    text: str = "cb正文"
    centre: str = "cb居中"
    note: str = "cb注"


S = _Styles()


def _new_book() -> Workbook:
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
        NamedStyle(
            S.header,
            font=Font(name=HEITI, size=12, charset=GB2312),
            border=grid,
            alignment=wrap_centre,
        ),
        NamedStyle(S.text, font=body, border=grid, alignment=wrap_left),
        NamedStyle(S.centre, font=body, border=grid, alignment=wrap_centre),
        NamedStyle(
            S.note,
            font=body,
            alignment=Alignment(horizontal="left", vertical="top", wrap_text=True),
        ),
    ):
        book.add_named_style(style)
    return book


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- cells


def _put(sheet: Worksheet, row: int, column: int, value: object, style: str) -> None:
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


def _merged_line(sheet: Worksheet, row: int, last_column: int, text: str, style: str) -> None:
    _put(sheet, row, 1, text, style)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)


def _columns(sheet: Worksheet, columns: Sequence[tuple[str, float]], header_row: int) -> None:
    for index, (label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        _put(sheet, header_row, index, label, S.header)
    sheet.row_dimensions[header_row].height = 30


def _lines_needed(text: str, width: float) -> int:
    """Estimated printed lines of ``text`` in a cell ``width`` units wide (a little generous:
    a row too tall wastes a line, one too short hides text)."""
    if not text:
        return 1
    narrow = len(text.encode("latin-1", "ignore"))  # counted in C, not per character in Python
    needed = (len(text) - narrow) * _WIDE_CHAR + narrow * _NARROW_CHAR
    return max(1, math.ceil(needed / max(width - 3, 1)))  # less the indent and padding


def _fit_row(sheet: Worksheet, row: int, texts: Sequence[tuple[str, float]]) -> None:
    """Set the row tall enough for the longest of its (text, column width) pairs."""
    lines = max(_lines_needed(text, width) for text, width in texts)
    sheet.row_dimensions[row].height = min(_ROW_MAX_HEIGHT, max(_ROW_MIN_HEIGHT, lines * _LINE_HEIGHT + 8))


# ---------------------------------------------------------------- sheets


def _official_sheet(sheet: Worksheet, campaign: Campaign, unit: Unit, cases: Sequence[Case]) -> None:
    """The 汇总表 exactly as 附件2: 附件2, title, 推荐单位/联系人/电话, the table, the notes."""
    last = len(OFFICIAL_COLUMNS)
    _put(sheet, 1, 1, "附件2", S.attachment)
    _merged_line(sheet, 2, last, campaign.summary_title, S.title)
    sheet.row_dimensions[2].height = 42
    for row, label, value in ((3, "推荐单位", unit.name), (4, "联系人", unit.contact), (5, "电话", unit.phone)):
        _merged_line(sheet, row, last, f"{label}：{one_line(value)}", S.line)
        sheet.row_dimensions[row].height = 24
    header = 6
    _columns(sheet, OFFICIAL_COLUMNS, header)

    row = header
    for number, case in enumerate(cases, start=1):
        row += 1
        _put(sheet, row, 1, number, S.centre)
        name, applicant = one_line(case.form.name), one_line(case.form.applicant)
        _put(sheet, row, 2, name, S.text)
        _put(sheet, row, 3, one_line(case.form.category), S.centre)
        _put(sheet, row, 4, applicant, S.text)
        _put(sheet, row, 5, "", S.text)
        _fit_row(sheet, row, ((name, _OFFICIAL_W["案例名称"]), (applicant, _OFFICIAL_W["申报单位"])))
    if not cases:  # an empty table still prints, ready for hand filling
        row += 1
        for column in range(1, last + 1):
            _put(sheet, row, column, "", S.text)
        sheet.row_dimensions[row].height = 30
    _category_list(sheet, campaign, 3, header + 1, row)
    last_row = _notes(sheet, campaign, row + 1, last, sum(w for _, w in OFFICIAL_COLUMNS))
    _print_setup(sheet, header, last, last_row)


def _notes(sheet: Worksheet, campaign: Campaign, row: int, last: int, width: float) -> int:
    """The two notes under the table, as the notice words them; returns the last row used."""
    names = "、".join(c.name for c in campaign.categories)
    notes = (
        f"注：1. 案例类型请从{names} {len(campaign.categories)} 类中选择一个。",
        "　　2. 如推荐案例超过 1 个，请按照推荐程度进行排序。",
    )
    for offset, text in enumerate(notes):
        _merged_line(sheet, row + offset, last, text, S.note)
        height = _LINE_HEIGHT * _lines_needed(text, width) + 6
        sheet.row_dimensions[row + offset].height = min(_ROW_MAX_HEIGHT, height)
    return row + len(notes) - 1


def _category_list(sheet: Worksheet, campaign: Campaign, column: int, first: int, last: int) -> None:
    """A drop-down of the campaign's categories on the 案例类型 cells.

    An inline list is limited to 255 characters and cannot hold commas or quotes; a campaign
    whose names do not fit gets the list from a hidden sheet instead.
    """
    names = [c.name for c in campaign.categories]
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
            _put(hidden, row, 1, name, S.text)
    return f"'{title}'!$A$1:$A${len(names)}"


def _print_setup(sheet: Worksheet, header_row: int, last_column: int, last_row: int) -> None:
    """A4 landscape, one page wide, as many pages tall as needed, the header on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.8
    sheet.page_margins.header = sheet.page_margins.footer = 0.4
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{get_column_letter(last_column)}{last_row}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.font = FANGSONG
    sheet.oddFooter.center.size = 10
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def _province_sheet(sheet: Worksheet, campaign: Campaign, units: Sequence[tuple[Unit, Sequence[Case]]]) -> None:
    last = len(PROVINCE_COLUMNS)
    total = sum(len(cases) for _, cases in units)
    _merged_line(sheet, 1, last, f"{campaign.summary_title}（全省）", S.title)
    sheet.row_dimensions[1].height = 42
    _merged_line(sheet, 2, last, f"推荐单位 {len(units)} 个，推荐案例 {total} 个。", S.line)
    sheet.row_dimensions[2].height = 24
    header = 3
    _columns(sheet, PROVINCE_COLUMNS, header)
    row = header
    for unit, cases in units:
        for case in cases:
            row += 1
            _put(sheet, row, 1, row - header, S.centre)
            name, applicant = one_line(case.form.name), one_line(case.form.applicant)
            _put(sheet, row, 2, unit.name, S.text)
            _put(sheet, row, 3, name, S.text)
            _put(sheet, row, 4, one_line(case.form.category), S.centre)
            _put(sheet, row, 5, applicant, S.text)
            _put(sheet, row, 6, "", S.text)
            texts = ((unit.name, _PROVINCE_W["推荐单位"]), (name, _PROVINCE_W["案例名称"]))
            _fit_row(sheet, row, (*texts, (applicant, _PROVINCE_W["申报单位"])))
    _category_list(sheet, campaign, 4, header + 1, row)
    last_row = _notes(sheet, campaign, row + 1, last, sum(w for _, w in PROVINCE_COLUMNS))
    _print_setup(sheet, header, last, last_row)


def _all_cases_sheet(sheet: Worksheet, campaign: Campaign, cases: Sequence[Case]) -> None:
    """Every case of the unit, recommended ones first in rank order, then by submission."""
    last = len(ALL_CASES_COLUMNS)
    _merged_line(sheet, 1, last, "全部申报案例（供本单位存档，无需报送）", S.title)
    sheet.row_dimensions[1].height = 36
    header = 2
    _columns(sheet, ALL_CASES_COLUMNS, header)
    row = header
    for case in sorted(cases, key=_record_key):
        row += 1
        form = case.form
        values = (
            row - header,
            case.id,
            one_line(form.name),
            one_line(form.category),
            one_line(form.applicant),
            one_line(form.contact),
            one_line(form.phone),
            case.state.zh,
            case.rank if case.state is CaseState.RECOMMENDED else None,
            _local(case.submitted_at, campaign),
            "；".join(one_line(flag) for flag in case.flags),
            one_line(case.return_comment),
        )
        for column, value in enumerate(values, start=1):
            centred = column in (1, 2, 8, 9, 10)
            _put(sheet, row, column, value, S.centre if centred else S.text)
        sheet.cell(row=row, column=10).number_format = "yyyy-mm-dd hh:mm"
        widths = [w for _, w in ALL_CASES_COLUMNS]
        _fit_row(sheet, row, [(v, w) for v, w in zip(values, widths, strict=False) if isinstance(v, str)])
    _print_setup(sheet, header, last, row)


def _local(moment: datetime.datetime | None, campaign: Campaign) -> datetime.datetime | None:
    """Excel has no time zones: show the campaign's local time, without the zone."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(campaign.zone)
    return moment.replace(tzinfo=None, microsecond=0)


def _rank_key(case: Case) -> tuple[int, int, int]:
    return (case.rank is None, case.rank or 0, case.id)


def _record_key(case: Case) -> tuple[int, int, float, int]:
    submitted = case.submitted_at.timestamp() if case.submitted_at else math.inf
    return (_STATE_ORDER.get(case.state, 9), case.rank or 0, submitted, case.id)
