"""附件2《推荐汇总表》as an Excel file, printing as the notice draws it.

The builders are pure: cases and campaign in, .xlsx bytes out. The unit's workbook holds the
official sheet only (附件2, the title, 推荐单位 / 联系人 / 电话, the table 序号 · 案例名称 ·
案例类型 · 申报单位 · 备注, the two notes), so printing the file prints exactly what is mailed; the
list of every case with its state is :func:`exporters.case_list_xlsx.build_case_list_xlsx`.

The implementation time is not a field of 附件1, so it goes into 备注 ("开展实施时间：2022年3月")
unless the campaign turns that off (``period_in_remarks``). How a stored period reads is
injectable (``period_display``); the default reads "2022-03" and "2022-03/2023-06".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from openpyxl.worksheet.worksheet import Worksheet

from dialogs.campaign import Campaign, Unit
from dialogs.models import Case

from . import phones
from .text import one_line
from .xlsx_cells import (
    S,
    fit_row,
    header_row,
    lines_needed,
    merged_line,
    new_book,
    put,
    row_height,
    save,
    sheet_title,
)
from .xlsx_print import category_list, print_setup

__all__ = [
    "OFFICIAL_COLUMNS",
    "PROVINCE_COLUMNS",
    "build_province_xlsx",
    "build_summary_xlsx",
    "period_remark",
    "period_zh",
    "sheet_title",
]

PeriodDisplay = Callable[[str], str]

# Sized for what casebot writes, so that a usual row is one line and 15 cases fit one page at
# about 97 % (see exporters.xlsx_print): 备注 holds "开展实施时间：2022年6月—2023年6月" on one line,
# 案例类型 the longest category (8 字), 申报单位 two units joined by 、 (13 字), 案例名称 about 18 字.
OFFICIAL_COLUMNS = (("序号", 5), ("案例名称", 46), ("案例类型", 20), ("申报单位", 32), ("备注", 44))
PROVINCE_COLUMNS = (
    ("序号", 5),
    ("推荐单位", 20),
    ("联系人", 10),
    ("电话", 20),
    ("案例名称", 40),
    ("案例类型", 20),
    ("申报单位", 26),
    ("备注", 28),
)
_OFFICIAL_W = dict(OFFICIAL_COLUMNS)
_PROVINCE_W = dict(PROVINCE_COLUMNS)
ATTACHMENT_HEIGHT, TITLE_HEIGHT, LINE_HEIGHT, HEADER_HEIGHT = 20.0, 32.0, 20.0, 22.0


def period_zh(period: str) -> str:
    """ "2022-03" → "2022年3月", "2022-03/2023-06" → "2022年3月至2023年6月"; else as given."""
    parts = [_month_zh(part) for part in one_line(period).split("/")]
    return "至".join(part for part in parts if part)


def _month_zh(text: str) -> str:
    year, sep, month = text.strip().partition("-")
    if sep and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return f"{int(year)}年{int(month)}月"
    return text.strip()


def period_remark(case: Case, display: PeriodDisplay = period_zh) -> str:
    """备注 for ``case``: "开展实施时间：…", or nothing when the case has no period."""
    period = one_line(case.form.period)
    if not period:
        return ""
    try:
        shown = one_line(display(period))
    except Exception:  # noqa: BLE001 - an injected formatter must not cost the unit its 汇总表
        shown = period
    return f"开展实施时间：{shown}" if shown else ""


def build_summary_xlsx(
    campaign: Campaign,
    unit: Unit,
    recommended: Sequence[Case],
    *,
    period_in_remarks: bool = True,
    period_display: PeriodDisplay | None = None,
    all_cases: Sequence[Case] | None = None,
) -> bytes:
    """Return one unit's 汇总表: the recommended cases in the order given (序号 1..n).

    ``all_cases`` is accepted and ignored (deprecated): the list of every case is now its own
    file, :func:`exporters.case_list_xlsx.build_case_list_xlsx`.
    """
    del all_cases
    book = new_book()
    sheet = book.active
    sheet.title = "推荐汇总表"
    remark = _remarks(period_in_remarks, period_display)
    _official_sheet(sheet, campaign, unit, recommended, remark)
    return save(book, campaign, recommended)


def build_province_xlsx(
    campaign: Campaign,
    units: Sequence[tuple[Unit, Sequence[Case]]],
    *,
    period_in_remarks: bool = True,
    period_display: PeriodDisplay | None = None,
) -> bytes:
    """Return the province-wide workbook: one 全省汇总 sheet, then each unit's official 汇总表.

    Units appear in the given order; each unit's cases in recommendation (rank) order.
    """
    book = new_book()
    remark = _remarks(period_in_remarks, period_display)
    ordered = [(unit, sorted(cases, key=_rank_key)) for unit, cases in units]
    overview = book.active
    overview.title = "全省汇总"
    _province_sheet(overview, campaign, ordered, remark)
    used = {overview.title.casefold()}
    for unit, cases in ordered:
        sheet = book.create_sheet(sheet_title(unit.name, used))
        _official_sheet(sheet, campaign, unit, cases, remark)
    return save(book, campaign, [case for _, cases in ordered for case in cases])


def _remarks(enabled: bool, display: PeriodDisplay | None) -> Callable[[Case], str]:
    if not enabled:
        return lambda case: ""
    shown = display or period_zh
    return lambda case: period_remark(case, shown)


def _official_sheet(
    sheet: Worksheet, campaign: Campaign, unit: Unit, cases: Sequence[Case], remark: Callable[[Case], str]
) -> None:
    """The 汇总表 exactly as 附件2: 附件2, title, 推荐单位/联系人/电话, the table, the notes."""
    last = len(OFFICIAL_COLUMNS)
    put(sheet, 1, 1, "附件2", S.attachment)
    sheet.row_dimensions[1].height = ATTACHMENT_HEIGHT
    merged_line(sheet, 2, last, campaign.summary_title, S.title)
    sheet.row_dimensions[2].height = TITLE_HEIGHT
    heights = [ATTACHMENT_HEIGHT, TITLE_HEIGHT]
    for row, label, value in ((3, "推荐单位", unit.name), (4, "联系人", unit.contact), (5, "电话", unit.phone)):
        merged_line(sheet, row, last, f"{label}：{one_line(value)}", S.line)
        sheet.row_dimensions[row].height = LINE_HEIGHT
        heights.append(LINE_HEIGHT)
    header = 6
    header_row(sheet, OFFICIAL_COLUMNS, header, HEADER_HEIGHT)
    heights.append(HEADER_HEIGHT)

    row = header
    for number, case in enumerate(cases, start=1):
        row += 1
        name, applicant, note = one_line(case.form.name), one_line(case.form.applicant), remark(case)
        category = one_line(case.form.category)
        put(sheet, row, 1, number, S.centre)
        put(sheet, row, 2, name, S.text)
        put(sheet, row, 3, category, S.centre)
        put(sheet, row, 4, applicant, S.text)
        put(sheet, row, 5, note, S.text)
        texts = ((name, "案例名称"), (category, "案例类型"), (applicant, "申报单位"), (note, "备注"))
        heights.append(fit_row(sheet, row, [(text, _OFFICIAL_W[key]) for text, key in texts]))
    if not cases:  # an empty table still prints, ready for hand filling
        row += 1
        for column in range(1, last + 1):
            put(sheet, row, column, "", S.text)
        sheet.row_dimensions[row].height = row_height(1) + 8
        heights.append(row_height(1) + 8)
    category_list(sheet, [c.name for c in campaign.categories], 3, header + 1, row)
    widths = [w for _, w in OFFICIAL_COLUMNS]
    heights += _notes(sheet, campaign, row + 1, last, sum(widths))
    print_setup(sheet, header, widths, row + 2, heights)


def notes(campaign: Campaign) -> tuple[str, str]:
    """附件2's two notes, with the campaign's categories."""
    names = "、".join(c.name for c in campaign.categories)
    return (
        f"注：1. 案例类型请从{names} {len(campaign.categories)} 类中选择一个。",
        "　　2. 如推荐案例超过 1 个，请按照推荐程度进行排序。",
    )


def _notes(sheet: Worksheet, campaign: Campaign, row: int, last: int, width: float) -> list[float]:
    """The two notes right under the table, one after the other; returns their heights."""
    heights = []
    for offset, text in enumerate(notes(campaign)):
        merged_line(sheet, row + offset, last, text, S.note)
        height = row_height(lines_needed(text, width)) - (4 if offset else 0)
        sheet.row_dimensions[row + offset].height = height
        heights.append(height)
    return heights


def _province_sheet(
    sheet: Worksheet,
    campaign: Campaign,
    units: Sequence[tuple[Unit, Sequence[Case]]],
    remark: Callable[[Case], str],
) -> None:
    last = len(PROVINCE_COLUMNS)
    total = sum(len(cases) for _, cases in units)
    merged_line(sheet, 1, last, f"{campaign.summary_title}（全省）", S.title)
    sheet.row_dimensions[1].height = TITLE_HEIGHT
    merged_line(sheet, 2, last, f"推荐单位 {len(units)} 个，推荐案例 {total} 个。", S.line)
    sheet.row_dimensions[2].height = LINE_HEIGHT
    header = 3
    header_row(sheet, PROVINCE_COLUMNS, header, HEADER_HEIGHT)
    heights = [TITLE_HEIGHT, LINE_HEIGHT, HEADER_HEIGHT]
    row = header
    for unit, cases in units:
        contact, phone = one_line(unit.contact), phones.sheet_lines(unit.phone, _PROVINCE_W["电话"])
        for case in cases:
            row += 1
            values = (
                unit.name,
                contact,
                phone,
                one_line(case.form.name),
                one_line(case.form.category),
                one_line(case.form.applicant),
                remark(case),
            )
            put(sheet, row, 1, row - header, S.centre)
            for column, value in enumerate(values, start=2):
                put(sheet, row, column, value, S.centre if column in (3, 4, 6) else S.text)
            widths = [w for _, w in PROVINCE_COLUMNS[1:]]
            heights.append(fit_row(sheet, row, list(zip(values, widths, strict=True))))
    category_list(sheet, [c.name for c in campaign.categories], 6, header + 1, row)
    widths = [w for _, w in PROVINCE_COLUMNS]
    heights += _notes(sheet, campaign, row + 1, last, sum(widths))
    print_setup(sheet, header, widths, row + 2, heights)


def _rank_key(case: Case) -> tuple[int, int, int]:
    return (case.rank is None, case.rank or 0, case.id)
