"""The unit's own list of every case it received, with its state: a working file, not 附件2.

It used to be a second sheet of the 汇总表, which then printed along with the official page
("第 1 页，共 2 页"); now it is a file of its own that /summary sends next to the 汇总表.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence

from dialogs.campaign import Campaign, Unit
from dialogs.models import Case, CaseState

from . import phones
from .text import one_line
from .xlsx_cells import S, fit_row, header_row, merged_line, new_book, put, row_height, save
from .xlsx_print import print_setup

CASE_LIST_COLUMNS = (
    ("序号", 6),
    ("案例编号", 10),
    ("案例名称", 40),
    ("案例类型", 20),
    ("申报单位", 28),
    ("联系人", 12),
    ("联系方式", 20),
    ("状态", 12),
    ("推荐顺序", 10),
    ("提交时间", 24),
    ("标记", 20),
    ("退回说明", 30),
)
_CENTRED_COLUMNS = (1, 2, 8, 9, 10)
_PHONE_COLUMN = 7
PHONE_WIDEST = 30  # a number longer than this wraps inside; none the dialog writes is
_STATE_ORDER = {
    CaseState.RECOMMENDED: 0,
    CaseState.SUBMITTED: 1,
    CaseState.RETURNED: 2,
    CaseState.DRAFT: 3,
}


def case_list_title(unit: Unit) -> str:
    return f"{one_line(unit.name)}全部申报案例（供本单位存档，无需报送）"


def build_case_list_xlsx(campaign: Campaign, unit: Unit, cases: Sequence[Case]) -> bytes:
    """Return every case of ``unit``: recommended ones first in rank order, then by submission."""
    book = new_book()
    sheet = book.active
    sheet.title = "全部申报案例"
    last = len(CASE_LIST_COLUMNS)
    merged_line(sheet, 1, last, case_list_title(unit), S.title)
    sheet.row_dimensions[1].height = 36
    header = 2
    least = dict(CASE_LIST_COLUMNS)["联系方式"]
    phone_width = phones.sheet_width([c.form.phone for c in cases], least, PHONE_WIDEST)
    columns = [(label, phone_width if label == "联系方式" else width) for label, width in CASE_LIST_COLUMNS]
    header_row(sheet, columns, header, height=30)
    heights = [36.0, 30.0]
    widths = [w for _, w in columns]
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
            phones.sheet_lines(form.phone, phone_width),
            case.state.zh,
            case.rank if case.state is CaseState.RECOMMENDED else None,
            _local(case.submitted_at, campaign),
            "；".join(one_line(flag) for flag in case.flags),
            one_line(case.return_comment),
        )
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value, S.centre if column in _CENTRED_COLUMNS else S.text)
        sheet.cell(row=row, column=10).number_format = "yyyy-mm-dd hh:mm"
        texts = [(v, w) for v, w in zip(values, widths, strict=True) if isinstance(v, str)]
        heights.append(fit_row(sheet, row, texts) if texts else row_height(1))
    print_setup(sheet, header, widths, row, heights)
    return save(book, campaign, cases)


def _local(moment: datetime.datetime | None, campaign: Campaign) -> datetime.datetime | None:
    """Excel has no time zones: show the campaign's local time, without the zone."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(campaign.zone)
    return moment.replace(tzinfo=None, microsecond=0)


def _record_key(case: Case) -> tuple[int, int, float, int]:
    submitted = case.submitted_at.timestamp() if case.submitted_at else math.inf
    return (_STATE_ORDER.get(case.state, 9), case.rank or 0, submitted, case.id)
