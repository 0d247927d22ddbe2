"""评审汇总表: one row per case, each expert's points per criterion and total, the gates, the final
score, the ranks and the flags, as the panel signs it off.

Two header rows: an expert's name over their criteria and 合计. A 回避 prints as 回避 (whether
declared or because the expert comes from the case's recommending unit), a score not given as
未评, so every empty cell says why it is empty. Where the highest and the lowest were dropped, the
dropped totals are printed, so the final score can be checked by hand.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter

from dialogs.panel.record import PanelRecord
from dialogs.panel.result import CaseResult, Flag

from .panel_sheet_docx import points_zh
from .panel_xlsx import HEADER_HEIGHT, LINE_HEIGHT, TITLE_HEIGHT, Column, Value, write_row
from .text import one_line
from .xlsx_cells import S, merged_line, new_book, put, save
from .xlsx_print import print_setup

FLAG_ZH = {Flag.GATE: "否决", Flag.SPREAD: "分差大", Flag.TIE: "并列", Flag.UNSCORED: "无评分"}


def summary_title(record: PanelRecord) -> str:
    return f"{record.campaign.year}年网络文明建设优秀案例评审汇总表"


def _flags(result: CaseResult) -> str:
    return "、".join(FLAG_ZH[f] for f in sorted(result.flags))


def build_panel_summary_xlsx(record: PanelRecord) -> bytes:
    panel = record.campaign.panel
    grouped = bool(panel.groups)
    lead = [Column("排名", 5), Column("编号", 5), Column("案例名称", 26, False), Column("案例类型", 11)]
    lead += [Column("申报单位", 16, False), Column("推荐单位", 12, False)]
    if grouped:
        lead.append(Column("评审组", 8))
    per_expert = [Column(c.name, 7) for c in panel.points] + [Column("合计", 7)]
    tail = [Column("一票否决", 16, False), Column("有效评分", 5), Column("去掉的最高分、最低分", 11)]
    tail += [Column("最终得分", 8), Column("类型内排名", 6)]
    if grouped:
        tail.append(Column("组内排名", 6))
    tail += [Column("标记", 8), Column("复核意见", 18, False)]
    columns = lead + per_expert * len(record.experts) + tail

    book = new_book()
    sheet = book.active
    sheet.title = "评审汇总表"
    last = len(columns)
    merged_line(sheet, 1, last, summary_title(record), S.title)
    sheet.row_dimensions[1].height = TITLE_HEIGHT
    rule = f"满分 {panel.total_max} 分；收到 {panel.trim_from} 个及以上评分的案例去掉一个最高分和一个最低分后取平均，保留两位小数。"
    merged_line(sheet, 2, last, f"共 {len(record.cases)} 个案例，评审专家 {len(record.experts)} 名。{rule}", S.line)
    sheet.row_dimensions[2].height = LINE_HEIGHT
    top, sub = 3, 4
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    first_expert = len(lead) + 1
    for index, column in enumerate(lead + [Column("", 0)] * (len(per_expert) * len(record.experts)) + tail, start=1):
        if column.label:
            put(sheet, top, index, column.label, S.header)
            put(sheet, sub, index, None, S.header)
            sheet.merge_cells(start_row=top, start_column=index, end_row=sub, end_column=index)
    for number, expert in enumerate(record.experts):
        start = first_expert + number * len(per_expert)
        put(sheet, top, start, one_line(expert.name), S.header)
        for offset in range(1, len(per_expert)):
            put(sheet, top, start + offset, None, S.header)
        sheet.merge_cells(start_row=top, start_column=start, end_row=top, end_column=start + len(per_expert) - 1)
        for offset, column in enumerate(per_expert):
            put(sheet, sub, start + offset, column.label, S.header)
    sheet.row_dimensions[top].height = 22.0
    sheet.row_dimensions[sub].height = HEADER_HEIGHT
    heights = [TITLE_HEIGHT, LINE_HEIGHT, 22.0, HEADER_HEIGHT]

    row = sub
    for result in record.results:
        row += 1
        heights.append(write_row(sheet, row, columns, _line(record, result, len(per_expert), grouped)))
    print_setup(sheet, sub, [c.width for c in columns], row, heights)
    sheet.print_title_rows = f"{top}:{sub}"
    sheet.freeze_panes = sheet.cell(row=sub + 1, column=4)
    return save(book, record.campaign, record.cases)


def _number(value: Decimal) -> int | str:
    """Points as the expert gave them: 18, or 17.5 as text so that no cell format rounds it."""
    return int(value) if value == value.to_integral() else points_zh(value)


def _line(record: PanelRecord, result: CaseResult, width: int, grouped: bool) -> list[Value]:
    case = record.case(result.case_id)
    line: list[Value] = [result.rank, case.id, one_line(case.form.name), one_line(case.form.category)]
    line += [one_line(case.form.applicant), record.unit_name(case.unit)]
    if grouped:
        line.append(result.group or "")
    vetoes = []
    given = record.plan.get(case.id, ())
    for expert in record.experts:
        sheet = record.sheet(expert.id, case.id)
        if sheet is not None:
            line += [_number(p) for p in sheet.points] + [_number(sheet.total)]
            vetoes += [f"{one_line(expert.name)}：否（{one_line(g.reason)}）" for g in sheet.gates if not g.passed]
        elif record.recused(expert.id, case.id) or (expert.id not in given and expert.unit == case.unit):
            line += [""] * (width - 1) + ["回避"]
        elif expert.id in given:
            line += [""] * (width - 1) + ["未评"]
        else:
            line += [""] * width
    dropped = ""
    if result.trimmed:
        dropped = f"{points_zh(result.totals[0])}、{points_zh(result.totals[-1])}"
    review = record.reviews.get(case.id)
    opinion = ""
    if review is not None:
        opinion = ("不列入拟入选：" if review.excluded else "维持：") + one_line(review.reason)
    score: Value = float(result.score) if result.score is not None else None
    line += ["；".join(vetoes), len(result.totals), dropped, score, result.category_rank]
    if grouped:
        line.append(result.group_rank)
    line += [_flags(result), opinion]
    return line
