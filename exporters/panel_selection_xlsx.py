"""拟入选名单: 序号、案例名称、案例类型、申报单位、推荐单位、得分, in rank order, as it goes with the 报批."""

from __future__ import annotations

from dialogs.panel.record import PanelRecord

from .panel_xlsx import Column, Value, write_table
from .text import one_line
from .xlsx_cells import new_book, save

COLUMNS = (
    Column("序号", 6),
    Column("案例名称", 44, False),
    Column("案例类型", 20),
    Column("申报单位", 30, False),
    Column("推荐单位", 22, False),
    Column("得分", 10),
)


def selection_title(record: PanelRecord) -> str:
    return f"{record.campaign.year}年网络文明建设优秀案例拟入选名单"


def build_selection_xlsx(record: PanelRecord) -> bytes:
    rows: list[list[Value]] = []
    for number, case_id in enumerate(record.selection, start=1):
        case = record.case(case_id)
        result = record.result(case_id)
        score = float(result.score) if result is not None and result.score is not None else None
        rows.append(
            [
                number,
                one_line(case.form.name),
                one_line(case.form.category),
                one_line(case.form.applicant),
                record.unit_name(case.unit),
                score,
            ]
        )
    lines = [f"共 {len(rows)} 个案例"]
    if record.approval is not None:
        at = record.approval.at
        lines.append(f"审定：{one_line(record.approval.by)}　{at.year}年{at.month}月{at.day}日")
    book = new_book()
    sheet = book.active
    sheet.title = "拟入选名单"
    write_table(sheet, selection_title(record), lines, COLUMNS, rows)
    return save(book, record.campaign, [record.case(i) for i in record.selection])
