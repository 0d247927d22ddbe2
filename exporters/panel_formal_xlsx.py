"""形式审查表: one row per recommended case, every item (casebot's and the office's), why not, and
the decision (通过 / 不予受理 / 补正).

An item casebot checked prints √ or ×; an office item not yet ticked prints blank, so the sheet
shows at a glance what is left to do before the panel can start.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.campaign import Campaign
from dialogs.panel.formal import AUTO_ITEMS, OFFICE_ITEMS, decision_zh, item_name
from dialogs.panel.record import FormalRow

from .panel_xlsx import Column, Value, write_table
from .text import one_line
from .xlsx_cells import new_book, save

OFFICE_NAMES = {
    "paper": "纸质材料已收到",
    "electronic": "电子版已收到",
    "sealed": "推荐意见已签章",
    "category": "类型与内容相符",
    "eligible": "申报主体符合条件",
}


def formal_title(campaign: Campaign) -> str:
    return f"{campaign.year}年网络文明建设优秀案例形式审查表"


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("√" if ok else "×")


def build_formal_xlsx(campaign: Campaign, rows: Sequence[FormalRow]) -> bytes:
    columns = [Column("序号", 5), Column("编号", 6), Column("推荐单位", 16, False), Column("案例名称", 28, False)]
    columns.append(Column("案例类型", 12))
    columns += [Column(item_name(key), 7) for key in AUTO_ITEMS]
    columns += [Column(OFFICE_NAMES[str(key)], 7) for key in OFFICE_ITEMS]
    columns += [Column("未通过事项及原因", 30, False), Column("审查结论", 9), Column("说明", 18, False)]
    values: list[list[Value]] = []
    for number, row in enumerate(rows, start=1):
        case = row.case
        unit = campaign.unit(case.unit)
        by_key = {item.key: item for item in row.items}
        wrong = [f"{i.name}：{i.why}" if i.why else i.name for i in row.items if i.ok is False]
        notes = [i.why for i in row.items if i.ok and i.why]  # the paper's date of receipt
        line: list[Value] = [number, case.id, unit.name if unit else case.unit, one_line(case.form.name)]
        line.append(one_line(case.form.category))
        line += [mark(by_key[k].ok) if k in by_key else "" for k in AUTO_ITEMS]
        line += [mark(by_key[str(k)].ok) if str(k) in by_key else "" for k in OFFICE_ITEMS]
        line += ["；".join(wrong), decision_zh(row.decision), "；".join([*notes, row.note] if row.note else notes)]
        values.append(line)
    book = new_book()
    sheet = book.active
    sheet.title = "形式审查表"
    foot = ["注：√ 为符合，× 为不符合，空白为尚待处室核对。前 9 项由系统依据申报材料核对，后 5 项由处室核对。"]
    write_table(sheet, formal_title(campaign), [f"共 {len(rows)} 个案例"], columns, values, foot)
    return save(book, campaign, [row.case for row in rows])
