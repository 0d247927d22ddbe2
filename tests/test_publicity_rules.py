"""公示期 on the 2024 working-day calendar, and the rules an objection goes through."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.campaign import Campaign, parse_campaign
from dialogs.publicity.calendar import CalendarError
from dialogs.publicity.objections import (
    TEXT_MOST,
    Objection,
    ObjectionState,
    Period,
    final_list,
    may_check,
    may_decide,
    may_finalise,
    may_record,
)

LETTER = "本人实名反映：该案例所述“志愿者1.2万余名”与实际情况不符，据了解注册人数不足三千人，请予以核查。" * 8


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (date(2024, 4, 3), 5, date(2024, 4, 10)),  # 清明 4-04…4-06 off, Sunday 4-07 worked
        (date(2024, 4, 28), 5, date(2024, 5, 7)),  # Sunday 4-28 worked, 劳动节 5-01…5-05 off
        (date(2024, 4, 29), 5, date(2024, 5, 8)),
        (date(2024, 4, 30), 7, date(2024, 5, 11)),  # Saturday 5-11 worked
        (date(2024, 5, 1), 1, date(2024, 5, 6)),  # a start on a holiday: the first working day after it
        (date(2024, 2, 8), 3, date(2024, 2, 18)),  # 春节: 2-09 Fri, 2-10…2-17 off, 2-18 Sunday worked
        (date(2024, 9, 27), 5, date(2024, 10, 9)),  # 9-29 worked, 国庆 10-01…10-07 off
        (date(2024, 6, 7), 2, date(2024, 6, 11)),  # 端午 6-10 Monday
        (date(2024, 4, 6), 1, date(2024, 4, 7)),  # a 调休 Sunday counts
    ],
)
def test_working_days_follow_the_2024_calendar(campaign: Campaign, start: date, days: int, end: date) -> None:
    assert campaign.calendar.period_end(start, days) == end


def test_weekends_and_holidays_are_not_working_days(campaign: Campaign) -> None:
    cal = campaign.calendar
    assert not cal.is_working_day(date(2024, 4, 6))  # 清明, a Saturday
    assert not cal.is_working_day(date(2024, 4, 13))  # an ordinary Saturday
    assert not cal.is_working_day(date(2024, 10, 3))  # 国庆, a Thursday
    assert cal.is_working_day(date(2024, 10, 12))  # Saturday worked for 国庆
    assert sum(cal.is_working_day(date(2024, 1, 1) + timedelta(days=n)) for n in range(366)) == 251


@pytest.mark.parametrize("days", [0, -1, 61, 1000])
def test_a_period_of_no_or_too_many_days_is_refused(campaign: Campaign, days: int) -> None:
    with pytest.raises(CalendarError, match="个工作日"):
        campaign.calendar.period_end(date(2024, 4, 3), days)


def test_a_year_the_file_does_not_list_is_refused_not_guessed(campaign: Campaign) -> None:
    with pytest.raises(CalendarError, match="2025年"):
        campaign.calendar.period_end(date(2024, 12, 27), 5)  # runs into 2025


def test_a_holiday_outside_the_listed_years_is_a_campaign_error() -> None:
    from pathlib import Path

    from dialogs.campaign import CampaignError
    from dialogs.campaigns import __file__ as campaigns_init

    text = Path(campaigns_init).with_name("2024.toml").read_text(encoding="utf-8")
    broken = text.replace('name = "元旦"\nfirst = 2024-01-01', 'name = "元旦"\nfirst = 2023-12-30')
    with pytest.raises(CampaignError, match="calendar"):
        parse_campaign(broken)


PERIOD = Period(start=date(2024, 4, 3), days=5, end=date(2024, 4, 10))


def _objection(state: ObjectionState, case_id: int = 2) -> Objection:
    return Objection(id=1, case_id=case_id, received_on=date(2024, 4, 8), content=LETTER, state=state)


def test_an_objection_is_recorded_for_a_listed_case_inside_the_period_under_a_name() -> None:
    assert may_record(PERIOD, [1, 2, 3], 2, date(2024, 4, 8), "赵六", "13900000000", LETTER) is None


@pytest.mark.parametrize(
    ("period", "case_id", "received", "name", "contact", "content", "words"),
    [
        (None, 2, date(2024, 4, 8), "赵六", "139", LETTER, "尚未开始"),
        (PERIOD, 9, date(2024, 4, 8), "赵六", "139", LETTER, "不在公示名单"),
        (PERIOD, 2, date(2024, 4, 2), "赵六", "139", LETTER, "不在公示期"),
        (PERIOD, 2, date(2024, 4, 11), "赵六", "139", LETTER, "不在公示期"),
        (PERIOD, 2, date(2024, 4, 8), "  ", "139", LETTER, "异议人姓名不能为空"),
        (PERIOD, 2, date(2024, 4, 8), "赵六", "", LETTER, "联系方式不能为空"),
        (PERIOD, 2, date(2024, 4, 8), "赵六", "139", "\n", "异议内容不能为空"),
        (PERIOD, 2, date(2024, 4, 8), "赵六", "139", "字" * (TEXT_MOST + 1), "超过 2000 字"),
    ],
)
def test_an_objection_that_cannot_be_recorded_is_refused_with_the_reason(
    period: Period | None, case_id: int, received: date, name: str, contact: str, content: str, words: str
) -> None:
    refusal = may_record(period, [1, 2, 3], case_id, received, name, contact, content)
    assert refusal is not None and words in refusal


@given(st.text(max_size=3000), st.text(max_size=50), st.text(max_size=50))
def test_any_typed_objection_gets_an_answer_never_an_exception(content: str, name: str, contact: str) -> None:
    refusal = may_record(PERIOD, [2], 2, date(2024, 4, 8), name, contact, content)
    assert refusal is None or refusal.strip()


def test_checked_before_decided_and_decided_once() -> None:
    received = _objection(ObjectionState.RECEIVED)
    assert may_check(received, "已向申报单位调取志愿者注册台账。") is None
    assert "尚未核查" in (may_decide(received, "经核查属实。") or "")
    checking = _objection(ObjectionState.CHECKING)
    assert may_check(checking, "又向民政部门核实。") is None  # notes may be added as the check goes on
    assert may_decide(checking, "经核查属实。") is None
    assert "理由不能为空" in (may_decide(checking, " ") or "")
    for state in (ObjectionState.UPHELD, ObjectionState.REJECTED):
        assert "已处理" in (may_decide(_objection(state), "再议。") or "")
        assert "已处理" in (may_check(_objection(state), "再查。") or "")
    assert "异议编号" in (may_check(None, "x") or "")


def test_final_only_after_the_period_and_with_no_objection_open() -> None:
    decided = [_objection(ObjectionState.REJECTED)]
    assert "尚未开始" in (may_finalise(None, date(2024, 4, 11), [], False) or "")
    assert "公示期满后" in (may_finalise(PERIOD, date(2024, 4, 10), decided, False) or "")
    assert "异议编号：1" in (
        may_finalise(PERIOD, date(2024, 4, 11), [_objection(ObjectionState.CHECKING)], False) or ""
    )
    assert "已经确定" in (may_finalise(PERIOD, date(2024, 4, 11), decided, True) or "")
    assert may_finalise(PERIOD, date(2024, 4, 11), decided, False) is None


def test_only_an_upheld_objection_withdraws_and_nothing_fills_the_gap() -> None:
    upheld = _objection(ObjectionState.UPHELD, case_id=2)
    rejected = Objection(id=2, case_id=3, received_on=date(2024, 4, 9), content=LETTER, state=ObjectionState.REJECTED)
    assert final_list([1, 2, 3], [upheld, rejected]) == [1, 3]
    assert final_list([1, 2, 3], [rejected]) == [1, 2, 3]
    assert final_list([1, 2, 3], [upheld], added=[7]) == [1, 3, 7]  # the admin's own addition, and only that
    assert final_list([1, 2, 3], [upheld], added=[2]) == [1, 3]  # a withdrawn case is not added back
