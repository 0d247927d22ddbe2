"""The expert's scoring conversation as pure steps: what each answer does, and that no text at any
step raises or changes the state without a Chinese reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.campaign import Campaign
from dialogs.panel.scoring import CaseView, Scoring, answer, begin

VIEW = CaseView(7, "案例名称：示范案例", 2, 5)


def _run(campaign: Campaign, *lines: str, pledged: bool = True, cleared: bool = False):  # type: ignore[no-untyped-def]
    turn = begin(Scoring(), VIEW, campaign.panel, pledged, cleared)
    turns = [turn]
    for line in lines:
        turn = answer(turn.state, line, campaign.panel, expert=3)
        turns.append(turn)
    return turns


def test_a_whole_score_all_points_at_once(campaign: Campaign) -> None:
    turns = _run(campaign, "无", "是", "是", "18 35 36", "无", "确认")
    assert "第 2/5 个案例（编号 7）" in turns[0].replies[0] and turns[0].open_case == 7
    assert [a.kind for t in turns for a in t.acts] == ["clear", "save"]
    sheet = turns[-1].acts[0].sheet
    assert sheet is not None and sheet.total == 89 and sheet.points == (Decimal(18), Decimal(35), Decimal(36))
    assert turns[-1].state == Scoring()


def test_points_one_by_one_a_gate_no_with_its_reason_asked_and_a_redo(campaign: Campaign) -> None:
    turns = _run(campaign, "是", "否", "数据来源不明", "18", "35", "36.5", "修改", cleared=True)
    assert "请说明" in turns[2].replies[0]
    assert turns[3].state.gates == [(True, ""), (False, "数据来源不明")]
    assert turns[6].state.step == "comment" and turns[6].state.points == ["18", "35", "36.5"]
    assert turns[7].state.step == "confirm"  # "修改" at the comment step is the comment itself
    redo = answer(turns[7].state, "修改", campaign.panel, 3)
    assert redo.state.step == "gate" and redo.state.gates == []


def test_the_pledge_comes_first_and_only_agreement_passes_it(campaign: Campaign) -> None:
    turn = begin(Scoring(), VIEW, campaign.panel, pledged=False, cleared=False)
    assert turn.state.step == "pledge" and turn.state.then == 7 and turn.open_case is None
    again = answer(turn.state, "好的吧也许", campaign.panel, 3)
    assert again.state == turn.state and not again.acts
    agreed = answer(turn.state, "同意", campaign.panel, 3)
    assert [a.kind for a in agreed.acts] == ["pledge"] and agreed.state.then == 7


def test_a_declared_recusal_ends_the_case(campaign: Campaign) -> None:
    turns = _run(campaign, "回避：曾参与策划")
    assert turns[1].acts[0].kind == "recuse" and turns[1].acts[0].reason == "曾参与策划"
    assert turns[1].state == Scoring()


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        (("无", "也许"), "请回答“是”或“否”"),
        (("无", "是", "是", "21 35 36"), "“内容真实”满分 20 分，不能给 21 分"),
        (("无", "是", "是", "18", "41"), "“互联网特征”满分 40 分，不能给 41 分"),
        (("无", "是", "是", "18 35"), "您填写了 2 个分数"),
        (("也许吧",), "请回复“无”继续评分"),
        (("无", "是", "是", "18 35 36", "无", "好像不对"), "请回复“确认”"),
    ],
)
def test_a_bad_answer_is_refused_and_the_state_stays(campaign: Campaign, lines: tuple[str, ...], words: str) -> None:
    turns = _run(campaign, *lines)
    assert words in turns[-1].replies[0]
    assert turns[-1].state == turns[-2].state and not turns[-1].acts


@given(st.lists(st.text(max_size=60), max_size=12))
def test_no_text_at_any_step_raises(lines: list[str]) -> None:
    from bot.settings import load_campaign

    campaign = load_campaign("2024")
    turn = begin(Scoring(), VIEW, campaign.panel, pledged=False, cleared=False)
    for line in ["同意", *lines]:
        turn = answer(turn.state, line, campaign.panel, 3)
        assert all(r.strip() for r in turn.replies)
        for act in turn.acts:
            if act.sheet is not None:
                assert 0 <= act.sheet.total <= campaign.panel.total_max


def test_panel_words_split_as_the_command_line_does() -> None:
    from dialogs.panel.words import split_words

    assert split_words("decide 4 amend --reason 推荐意见未盖章 --until 2024-03-20") == (
        ["decide", "4", "amend"],
        {"reason": "推荐意见未盖章", "until": "2024-03-20"},
    )
    assert split_words("enter 2 5 --gates 是,是 --points “18 35 36”") == (
        ["enter", "2", "5"],
        {"gates": "是,是", "points": "18 35 36"},
    )
    assert split_words('review 3 keep --reason "a') is None
    assert split_words("approve --by") is None


@given(st.text(max_size=200))
def test_any_panel_words_split_or_refuse(text: str) -> None:
    from dialogs.panel.words import split_words

    found = split_words(text)
    assert found is None or all(isinstance(w, str) for w in found[0])
