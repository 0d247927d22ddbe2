"""The panel's papers read back: 形式审查表, 评审汇总表, each expert's 评分表, 拟入选名单, 评审情况报告.

The sample panel (bot.disk.panel_samples) has a trimmed case, a 回避 by declaration and by unit, a gate
"no", a spread, a tie at the cut-off and 复核 decisions, so every kind of cell is printed."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.disk.panel_samples import EXPERTS, sample_panel
from bot.disk.samples import sample_campaign, sample_cases, sample_form
from dialogs.panel.formal import Decision, Facts, Marks, all_items
from dialogs.panel.record import FormalRow
from exporters.panel_formal_xlsx import build_formal_xlsx
from exporters.panel_report_docx import build_panel_report_docx
from exporters.panel_selection_xlsx import build_selection_xlsx
from exporters.panel_sheet_docx import build_score_sheet_docx
from exporters.panel_summary_xlsx import build_panel_summary_xlsx


@pytest.fixture(scope="module")
def record():
    return sample_panel()


def _rows(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    return text, tables


def test_the_summary_has_one_row_per_case_with_every_experts_points(record) -> None:
    rows = _rows(build_panel_summary_xlsx(record))
    assert rows[0][0] == "2024年网络文明建设优秀案例评审汇总表"
    assert "去掉一个最高分和一个最低分" in rows[1][0]
    names = [v for v in rows[2] if v in {e.name for e in EXPERTS}]
    assert names == [e.name for e in EXPERTS]
    assert rows[3][6:10] == ["内容真实", "互联网特征", "创新示范", "合计"]
    body = rows[4:]
    assert len(body) == 8
    by_id = {r[1]: r for r in body}
    header = rows[2]
    final = header.index("最终得分")
    # case 7: five scores, 95 and 52 dropped, 92.00, first, flagged for its spread, its 复核 printed
    seven = by_id[7]
    assert seven[0] == 1 and seven[final] == 92.0 and seven[final - 1] == "95、52" and seven[final - 2] == 5
    assert seven[header.index("标记")] == "分差大" and seven[header.index("复核意见")].startswith("维持：")
    # 周明远 (from 合肥) never scored 合肥's cases: 回避 in his 合计
    one = by_id[1]
    assert one[9] == "回避" and one[6:9] == [None, None, None]
    # 吴晓岚 declared 回避 on case 6
    assert by_id[6][13] == "回避" and by_id[6][10:13] == [None, None, None]
    # case 8: 郑国华's gate "no" with the reason, excluded by 复核
    eight = by_id[8]
    assert "郑国华：否（案例材料中部分数据来源未注明" in eight[header.index("一票否决")]
    assert eight[header.index("标记")] == "否决" and eight[header.index("复核意见")].startswith("不列入拟入选")
    # the tie at place 4
    assert by_id[2][0] == by_id[6][0] == 4 and by_id[2][header.index("标记")] == "并列"


def test_each_experts_score_sheet_carries_their_scores_the_pledge_and_the_signature(record) -> None:
    text, table = _docx_text(build_score_sheet_docx(record, 2))
    assert "评审专家：吴晓岚" in text and "安徽大学新闻传播学院" in text
    assert "满分 20 分" in text and "合计满分 100 分" in text
    assert "评审承诺：本人承诺" in text and "2024年3月21日在评审系统中确认" in text
    assert "评审专家（签名）" in text and "日期：" in text
    assert table[0][:3] == ["编号", "案例名称", "导向正确"]
    rows = {r[0]: r for r in table[1:]}
    assert set(rows) == {str(i) for i in range(1, 9)}
    assert rows["7"][2:8] == ["是", "是", "10", "20", "22", "52"]
    assert rows["6"][-1] == "回避" and rows["6"][2] == ""


def test_the_sheet_of_the_expert_from_a_unit_leaves_out_its_cases(record) -> None:
    _, table = _docx_text(build_score_sheet_docx(record, 1))
    assert [r[0] for r in table[1:]] == ["5", "6", "7", "8"]


def test_a_paper_sheet_entered_by_the_admin_says_so_with_the_gate_reason(record) -> None:
    _, table = _docx_text(build_score_sheet_docx(record, 3))
    eight = next(r for r in table if r[0] == "8")
    assert (
        eight[3] == "否" and "否决理由：案例材料中部分数据来源未注明" in eight[-1] and "据纸质评分表录入" in eight[-1]
    )


def test_the_selection_list_has_the_notices_columns_in_rank_order(record) -> None:
    rows = _rows(build_selection_xlsx(record))
    assert rows[0][0] == "2024年网络文明建设优秀案例拟入选名单"
    assert rows[1][0] == "共 5 个案例" and rows[2][0].startswith("审定：李处长")
    assert rows[3] == ["序号", "案例名称", "案例类型", "申报单位", "推荐单位", "得分"]
    assert [r[0] for r in rows[4:]] == [1, 2, 3, 4, 5]
    assert [r[5] for r in rows[4:]] == [92.0, 90.0, 89.0, 77.25, 77.25]
    assert rows[4][1] == record.case(7).form.name and rows[4][4] == record.campaign.unit("ahwang").name


def test_the_report_counts_cases_experts_recusals_and_reviews(record) -> None:
    text, table = _docx_text(build_panel_report_docx(record))
    assert text.startswith("关于2024年全省网络文明建设优秀案例评审情况的报告")
    assert "共收到推荐案例9个" in text and "不予受理1个" in text and "来自3个推荐单位" in text
    assert "评审专家5名" in text and "去掉一个最高分和一个最低分" in text
    assert "专家周明远来自推荐单位" in text and "共回避 4 个案例次" in text
    assert "专家吴晓岚申明回避案例" in text and "曾参与该案例的策划" in text
    assert "评分差异较大；复核决定维持评审结果" in text
    assert "一票否决项被回答“否”；复核决定不列入拟入选名单" in text
    assert "拟入选优秀案例5个" in text and "妥否，请审定。" in text
    assert "审定：李处长，2024年3月27日。" in text
    assert len(table) == 6 and table[1][3] == "92"


def test_the_report_before_approval_has_no_approval_line() -> None:
    text, _ = _docx_text(build_panel_report_docx(sample_panel(approved=False)))
    assert "审定：" not in text


def test_the_formal_sheet_prints_each_item_why_not_and_the_decision() -> None:
    campaign = sample_campaign()
    good = sample_cases(1)[0].model_copy(update={"form": sample_form()})
    bad = good.model_copy(update={"id": 2, "form": good.form.model_copy(update={"period": "2019-01"})})
    facts = Facts(1, 4, case_scan="sealed", summary_scan="sealed", contact_ok=True)
    marks = Marks({"paper": True, "electronic": True}, paper_on=datetime.date(2024, 3, 10))
    rows = [
        FormalRow(good, tuple(all_items(good, campaign, facts, marks)), Decision.PASS),
        FormalRow(bad, tuple(all_items(bad, campaign, facts, Marks())), Decision.AMEND, "补正期限：2024年3月20日"),
    ]
    table = _rows(build_formal_xlsx(campaign, rows))
    assert table[0][0] == "2024年网络文明建设优秀案例形式审查表"
    header = table[2]
    assert (
        header[5] == "各项内容填写完整"
        and "纸质材料已收到" in header
        and header[-3:]
        == [
            "未通过事项及原因",
            "审查结论",
            "说明",
        ]
    )
    first, second = table[3], table[4]
    assert first[5:14] == ["√"] * 9 and first[header.index("纸质材料已收到")] == "√"
    assert first[header.index("类型与内容相符")] is None and first[-2] == "通过" and first[-1] == "2024年3月10日收到"
    assert second[6] == "×" and "开展实施时间不在" in second[-3] and second[-2] == "补正"
    assert second[-1] == "补正期限：2024年3月20日"
    assert "后 5 项由处室核对" in table[-1][0]


def test_the_papers_are_the_same_bytes_for_the_same_panel(record) -> None:
    assert build_panel_summary_xlsx(record) == build_panel_summary_xlsx(sample_panel())
    assert build_panel_report_docx(record) == build_panel_report_docx(sample_panel())
