"""The 评审情况报告 for the 报批: how many cases and experts, 回避, flags and the 复核 decisions, and
the 拟入选 list's size by category, in the plain style of a 处室's report to its leaders.

It says only what the record holds: every number is counted from it, so the report and the
spreadsheets can never disagree.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from docx.shared import Mm

from dialogs.panel.formal import Decision
from dialogs.panel.record import PanelRecord
from dialogs.panel.result import Flag

from .panel_docx import body, date_zh, heading, new_document, right, save, table, title
from .panel_sheet_docx import points_zh
from .text import one_line

FLAG_ZH = {
    Flag.GATE: "一票否决项被回答“否”",
    Flag.SPREAD: "评分差异较大",
    Flag.TIE: "分数线处并列",
    Flag.UNSCORED: "无有效评分",
}


def quoted(name: str | None) -> str:
    """A case's name in quotes, unless it brings its own (“清风e路”网络文明志愿服务行动)."""
    text = one_line(name)
    return text if "“" in text or "《" in text else f"“{text}”"


def report_title(record: PanelRecord) -> str:
    return f"关于{record.campaign.year}年全省网络文明建设优秀案例评审情况的报告"


def build_panel_report_docx(record: PanelRecord) -> bytes:
    campaign, panel = record.campaign, record.campaign.panel
    day = record.day.date() if record.day is not None else None
    doc = new_document(report_title(record), campaign.title, day)
    title(doc, report_title(record))

    units = {c.unit for c in record.cases}
    formal = record.formal
    received = sum(formal.values()) or len(record.cases)
    heading(doc, "一、征集和形式审查情况")
    text = f"本次活动共收到推荐案例{received}个。经形式审查，通过{formal.get(Decision.PASS, len(record.cases))}个"
    if formal.get(Decision.REJECT):
        text += f"，不予受理{formal[Decision.REJECT]}个"
    if formal.get(Decision.AMEND):
        text += f"，经补正后通过的已计入通过数，仍在补正的{formal[Decision.AMEND]}个"
    text += f"。进入专家评审的案例{len(record.cases)}个，来自{len(units)}个推荐单位。"
    body(doc, text)

    heading(doc, "二、专家评审情况")
    names = "、".join(one_line(e.name) for e in record.experts)
    grouped = "分组评审，各组在组内排名" if panel.groups else "每位专家评审全部案例"
    text = f"评审专家{len(record.experts)}名（{names}），{grouped}。各位专家均已确认评审承诺。"
    text += f"评审设一票否决项{len(panel.gates)}项、计分项{len(panel.points)}项，满分 {panel.total_max} 分。"
    text += f"案例得分为各专家评分的平均值，收到 {panel.trim_from} 个及以上评分的，去掉一个最高分和一个最低分后取平均，"
    text += "保留两位小数后排名。"
    body(doc, text)
    for old, new in record.replaced:
        body(doc, f"评审期间，专家{one_line(old.name)}因故不再参加评审，其评审任务由专家{one_line(new.name)}承担。")
    entered = len(record.entered)
    if entered:
        body(doc, f"有 {entered} 份评分系依据专家签字的纸质评分表录入。")

    heading(doc, "三、回避情况")
    automatic = [r for r in record.recusals if r.automatic]
    declared = [r for r in record.recusals if not r.automatic]
    if not record.recusals:
        body(doc, "本次评审无专家回避。")
    else:
        by_id = {e.id: e for e in record.experts}
        if automatic:
            experts = sorted({r.expert for r in automatic})
            names = "、".join(one_line(by_id[i].name) for i in experts if i in by_id)
            body(doc, f"专家{names}来自推荐单位，未参加本单位推荐案例的评审，共回避 {len(automatic)} 个案例次。")
        for r in declared:
            who = one_line(by_id[r.expert].name) if r.expert in by_id else str(r.expert)
            why = f"（{one_line(r.reason)}）" if r.reason else ""
            body(doc, f"专家{who}申明回避案例{quoted(record.case(r.case_id).form.name)}{why}。")

    heading(doc, "四、复核情况")
    flagged = [r for r in record.results if r.flags - {Flag.UNSCORED}]
    if not flagged:
        body(doc, "评审结果无须复核。")
    for result in flagged:
        case = record.case(result.case_id)
        why = "、".join(FLAG_ZH[f] for f in sorted(result.flags))
        review = record.reviews.get(result.case_id)
        decided = "尚未复核"
        if review is not None:
            decided = (
                "复核决定不列入拟入选名单" if review.excluded else "复核决定维持评审结果"
            ) + f"，理由：{one_line(review.reason)}"
        score = points_zh(result.score) if result.score is not None else "—"
        body(doc, f"案例{quoted(case.form.name)}（得分 {score}）：{why}；{decided}。")

    heading(doc, "五、拟入选情况")
    chosen = [record.case(i) for i in record.selection]
    counts = Counter(c.form.category or "" for c in chosen)
    parts = "，".join(f"{name}{counts[name]}个" for name in (c.name for c in campaign.categories) if counts[name])
    body(doc, f"根据评审结果，拟入选优秀案例{len(chosen)}个" + (f"，其中{parts}" if parts else "") + "。名单附后。")
    if chosen:
        rows = [
            [str(n), one_line(c.form.name), one_line(c.form.category), points_zh(_score(record, c.id))]
            for n, c in enumerate(chosen, start=1)
        ]
        table(doc, ["序号", "案例名称", "案例类型", "得分"], rows, [Mm(12), Mm(84), Mm(40), Mm(20)], left=1)
    doc.add_paragraph()
    body(doc, "妥否，请审定。")
    doc.add_paragraph()
    if campaign.submission.office:
        right(doc, campaign.submission.office + "　　")
    if record.day is not None:
        right(doc, date_zh(record.day.date()) + "　　")
    if record.approval is not None:
        doc.add_paragraph()
        body(doc, f"审定：{one_line(record.approval.by)}，{date_zh(record.approval.at.date())}。", indent=False)
    return save(doc)


def _score(record: PanelRecord, case_id: int) -> Decimal:
    result = record.result(case_id)
    return result.score if result is not None and result.score is not None else Decimal(0)
