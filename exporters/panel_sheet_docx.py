"""Each expert's 评分表, printed for them to sign: their scores, the 承诺书 line, 签名 and date.

The chat is where experts score; the signed paper is what the office files with the 报批. So the
sheet prints exactly what the expert confirmed in the chat (or what the admin entered from their
paper sheet), a 回避 as 回避, a case not yet scored as blank, and the 承诺书 they confirmed.
"""

from __future__ import annotations

from decimal import Decimal

from docx.shared import Emu, Length, Mm

from dialogs.panel.record import PanelRecord

from .panel_docx import TABLE_TEXT, body, date_zh, new_document, right, save, table, title
from .text import one_line

ID_W, TOTAL_W = Mm(10), Mm(12)
GATE_W, POINT_W = Mm(14), Mm(15)
TEXT_BLOCK = 156


def points_zh(value: Decimal) -> str:
    return f"{value.normalize():f}"


def sheet_title(record: PanelRecord) -> str:
    return f"{record.campaign.year}年网络文明建设优秀案例评审评分表"


def build_score_sheet_docx(record: PanelRecord, expert_id: int) -> bytes:
    expert = next(e for e in record.experts if e.id == expert_id)
    panel = record.campaign.panel
    day = record.day.date() if record.day is not None else None
    doc = new_document(sheet_title(record), expert.name, day)
    title(doc, sheet_title(record))
    body(doc, f"评审专家：{one_line(expert.name)}　　所在单位：{one_line(expert.org)}", indent=False)
    gates = "；".join(f"{c.name}（{c.words}）" if c.words else c.name for c in panel.gates)
    points = "；".join(f"{c.name}（满分 {c.max} 分）" for c in panel.points)
    rule = f"评分说明：一票否决项{len(panel.gates)}项，为{gates}，回答“是”或“否”，回答“否”的须写明理由。"
    rule += f"计分项{len(panel.points)}项，为{points}，合计满分 {panel.total_max} 分。"
    if not panel.gates:
        rule = f"评分说明：计分项为{points}，合计满分 {panel.total_max} 分。"
    body(doc, rule, size=TABLE_TEXT)

    header = ["编号", "案例名称", *(c.name for c in panel.gates)]
    header += [f"{c.name}（{c.max}分）" for c in panel.points] + ["合计", "备注"]
    fixed = ID_W + GATE_W * len(panel.gates) + POINT_W * len(panel.points) + TOTAL_W
    rest = Mm(TEXT_BLOCK) - fixed
    name_w = Emu(int(rest * 0.7))
    widths: list[Length] = [ID_W, name_w, *([GATE_W] * len(panel.gates)), *([POINT_W] * len(panel.points))]
    widths += [TOTAL_W, Emu(rest - name_w)]
    rows = []
    mine = sorted(cid for cid, ids in record.plan.items() if expert_id in ids)
    declared = {r.case_id for r in record.recusals if r.expert == expert_id and not r.automatic}
    mine = sorted(set(mine) | declared)
    for case_id in mine:
        case = record.case(case_id)
        name = one_line(case.form.name)
        sheet = record.sheet(expert_id, case_id)
        blank = [""] * (len(panel.gates) + len(panel.points) + 1)
        if record.recused(expert_id, case_id):
            rows.append([str(case_id), name, *blank, "回避"])
        elif sheet is None:
            rows.append([str(case_id), name, *blank, "未评分"])
        else:
            answers = ["是" if g.passed else "否" for g in sheet.gates]
            notes = [f"否决理由：{g.reason}" for g in sheet.gates if not g.passed and g.reason]
            if sheet.comment:
                notes.append(sheet.comment)
            if (expert_id, case_id) in record.entered:
                notes.append("据纸质评分表录入")
            values = [points_zh(p) for p in sheet.points]
            rows.append([str(case_id), name, *answers, *values, points_zh(sheet.total), "；".join(notes)])
    table(doc, header, rows, widths)
    doc.add_paragraph()
    if panel.pledge:
        body(doc, f"评审承诺：{panel.pledge}", size=TABLE_TEXT)
        pledged = record.pledged.get(expert_id)
        if pledged is not None:
            body(doc, f"本人已于{date_zh(pledged.date())}在评审系统中确认上述承诺。", size=TABLE_TEXT)
    doc.add_paragraph()
    right(doc, "评审专家（签名）：＿＿＿＿＿＿＿＿　　　")
    right(doc, "日期：　　　　年　　月　　日　　　")
    return save(doc)
