"""通知四: submissions close at the end of 2024-03-11, Asia/Shanghai; extensions; reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import load_campaign
from dialogs.campaign import DEFAULT_CUTOFF_DAYS, Campaign
from dialogs.coordinator import parse_day
from dialogs.deadline import (
    closed_zh,
    coordinator_closed_zh,
    coordinator_note_zh,
    cutoff_refusal_zh,
    days_left,
    days_until,
    deadlines_for,
    due_reminder_for,
    due_reminders,
    effective_deadline,
    extension_until,
    header_zh,
    is_open,
    reminder_days_of,
    reminder_due_at,
    reminder_for_zh,
    return_refusal_zh,
    submitter_closed_zh,
    submitter_header_zh,
)

CAMPAIGN = load_campaign("2024")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 12, minute: int = 0, second: int = 0, month: int = 3) -> datetime:
    return datetime(2024, month, day, hour, minute, second, tzinfo=SHANGHAI)


# ----------------------------------------------------------------------------- open / closed


def test_the_deadline_is_2024_03_11_23_59_shanghai():
    assert effective_deadline(CAMPAIGN) == at(11, 23, 59)


def test_submissions_after_2024_03_11_23_59_shanghai_are_refused_and_accepted_again_after_an_extension():
    assert is_open(CAMPAIGN, at(11, 23, 59, 0))
    assert is_open(CAMPAIGN, at(11, 23, 59, 59))
    assert not is_open(CAMPAIGN, at(12, 0, 0, 0))
    assert not is_open(CAMPAIGN, at(13, 9))
    extension = extension_until(CAMPAIGN, date(2024, 3, 15))
    assert is_open(CAMPAIGN, at(12, 0, 0, 0), extension)
    assert is_open(CAMPAIGN, at(15, 23, 59), extension)
    assert not is_open(CAMPAIGN, at(16, 0, 0), extension)


def test_the_deadline_is_local_time_whatever_zone_now_is_given_in():
    # 2024-03-11 15:59 UTC is 23:59 in Shanghai; one minute later it is closed.
    assert is_open(CAMPAIGN, datetime(2024, 3, 11, 15, 59, 30, tzinfo=UTC))
    assert not is_open(CAMPAIGN, datetime(2024, 3, 11, 16, 0, tzinfo=UTC))


def test_an_earlier_extension_never_shortens_the_notice_period():
    earlier = extension_until(CAMPAIGN, date(2024, 3, 5))
    assert effective_deadline(CAMPAIGN, earlier) == at(11, 23, 59)
    assert is_open(CAMPAIGN, at(8), earlier)


def test_a_naive_time_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        is_open(CAMPAIGN, datetime(2024, 3, 11, 12, 0))
    with pytest.raises(ValueError):
        effective_deadline(CAMPAIGN, datetime(2024, 3, 20, 12, 0))


def test_closed_message_names_the_date_and_minute():
    assert closed_zh(CAMPAIGN) == "本次征集已于 2024年3月11日 23:59 截止，不再接受新的申报或修改。"
    extension = extension_until(CAMPAIGN, date(2024, 3, 15))
    assert "2024年3月15日 23:59" in closed_zh(CAMPAIGN, extension)


# ----------------------------------------------------------------------------- days left, header


def test_days_left_counts_calendar_days_in_shanghai():
    assert days_left(CAMPAIGN, at(6, 0, 1)) == 5
    assert days_left(CAMPAIGN, at(6, 23, 59)) == 5
    assert days_left(CAMPAIGN, at(10, 23, 59)) == 1
    assert days_left(CAMPAIGN, at(11, 0, 0)) == 0
    assert days_left(CAMPAIGN, at(12, 1)) == -1
    # 2024-03-10 17:00 UTC is already 03-11 01:00 in Shanghai: the deadline day.
    assert days_left(CAMPAIGN, datetime(2024, 3, 10, 17, 0, tzinfo=UTC)) == 0


def test_header_counts_down_then_says_today_then_closed():
    assert header_zh(CAMPAIGN, at(6)) == "距申报截止（2024年3月11日）还有 5 天"
    assert header_zh(CAMPAIGN, at(11, 8)) == "今天是申报截止日，请于 23:59 前提交"
    assert header_zh(CAMPAIGN, at(12, 8)) == closed_zh(CAMPAIGN)


def test_header_shows_the_extended_deadline_and_its_time_when_not_end_of_day():
    extension = datetime(2024, 3, 15, 18, 0, tzinfo=SHANGHAI)
    assert header_zh(CAMPAIGN, at(12), extension) == "距申报截止（2024年3月15日 18:00）还有 3 天"
    assert header_zh(CAMPAIGN, at(15, 9), extension) == "今天是申报截止日，请于 18:00 前提交"


# ----------------------------------------------------------------------------- reminders


def run_reminders(start: datetime, end: datetime, extension: datetime | None = None) -> list[tuple[datetime, str]]:
    """Poll every 10 minutes like a job queue would, recording what was sent."""
    sent: set[str] = set()
    log = []
    now = start
    while now < end:
        for key in due_reminders(CAMPAIGN, now, extension, sent):
            sent.add(key)
            log.append((now, key))
        now += timedelta(minutes=10)
    return log


def test_reminders_due_3_days_and_1_day_before_once_each():
    log = run_reminders(at(1, 0), at(13, 0))
    assert log == [(at(8, 9, 0), "d3"), (at(10, 9, 0), "d1")]
    assert [days_left(CAMPAIGN, when) for when, _ in log] == [3, 1]


def test_a_reminder_already_sent_is_not_sent_again_after_a_restart():
    assert due_reminders(CAMPAIGN, at(8, 10), sent={"d3"}) == []
    assert due_reminders(CAMPAIGN, at(8, 10), sent=set()) == ["d3"]
    assert due_reminders(CAMPAIGN, at(8, 8, 59), sent=set()) == []


def test_after_downtime_only_the_most_urgent_reminder_is_sent():
    assert due_reminders(CAMPAIGN, at(10, 15), sent=set()) == ["d1"]
    assert due_reminders(CAMPAIGN, at(10, 15), sent={"d1"}) == []


def test_no_reminder_after_the_deadline():
    assert due_reminders(CAMPAIGN, at(12, 9), sent=set()) == []


def test_an_extension_brings_fresh_reminders_for_the_new_deadline():
    extension = extension_until(CAMPAIGN, date(2024, 3, 15))
    log = run_reminders(at(1, 0), at(17, 0), extension)
    assert [key for _, key in log] == ["d3@2024-03-15", "d1@2024-03-15"]
    assert [when for when, _ in log] == [at(12, 9), at(14, 9)]
    assert reminder_days_of("d1@2024-03-15") == 1 and reminder_days_of("d3") == 3
    assert reminder_due_at(CAMPAIGN, 3) == at(8, 9)


def test_reminder_texts_name_the_date_that_applies_to_their_reader():
    dates = deadlines_for(CAMPAIGN)
    submitter = reminder_for_zh("submitter", dates, 3)
    assert "2024年3月8日 23:59" in submitter and "还有 3 天" in submitter and "2024年3月11日" not in submitter
    coordinator = reminder_for_zh("coordinator", dates, 1)
    assert "2024年3月11日 23:59" in coordinator and "2024年3月8日 23:59" in coordinator
    assert "还有 1 天" in coordinator and "推荐排序" in coordinator
    # only what is true: after the submitters' cut-off the coordinators can still rank
    assert "仍可调整推荐排序" in coordinator
    assert "今天是申报截止日" in reminder_for_zh("submitter", dates, 0)


# ----------------------------------------------------------------------------- the two deadlines


def test_submitters_stop_at_the_campaigns_cutoff_and_coordinators_at_the_deadline():
    dates = deadlines_for(CAMPAIGN)
    assert CAMPAIGN.submitters_cutoff == date(2024, 3, 8)
    assert dates.cutoff == at(8, 23, 59) and dates.deadline == at(11, 23, 59)
    assert dates.submitters_open(at(8, 23, 59, 59)) and not dates.submitters_open(at(9, 0))
    assert dates.coordinators_open(at(11, 23, 59)) and not dates.coordinators_open(at(12, 0))


def test_without_a_cutoff_key_the_cutoff_is_three_days_before_the_deadline():
    data = CAMPAIGN.model_dump()
    data["cutoff"] = None
    bare = Campaign.model_validate(data)
    assert bare.submitters_cutoff == date(2024, 3, 8) == bare.deadline - timedelta(days=DEFAULT_CUTOFF_DAYS)


def test_a_cutoff_after_the_deadline_is_a_campaign_error():
    data = CAMPAIGN.model_dump()
    data["cutoff"] = date(2024, 3, 12)
    with pytest.raises(ValueError, match="cutoff"):
        Campaign.model_validate(data)


def test_a_units_cutoff_only_ever_comes_earlier():
    assert deadlines_for(CAMPAIGN, unit_cutoff=date(2024, 3, 5)).cutoff == at(5, 23, 59)
    assert deadlines_for(CAMPAIGN, unit_cutoff=date(2024, 3, 10)).cutoff == at(8, 23, 59)


def test_an_extension_moves_both_dates_and_lets_submitters_revise():
    extension = extension_until(CAMPAIGN, date(2024, 3, 15))
    dates = deadlines_for(CAMPAIGN, extension, unit_cutoff=date(2024, 3, 5))
    assert dates.cutoff == dates.deadline == at(15, 23, 59) and dates.extended
    assert dates.submitters_open(at(14)) and not dates.submitters_open(at(16, 0))
    assert "2024年3月15日" in submitter_header_zh(CAMPAIGN, dates, at(12))


def test_submitters_see_their_cutoff_and_after_it_a_refusal_naming_it():
    dates = deadlines_for(CAMPAIGN)
    assert submitter_header_zh(CAMPAIGN, dates, at(6)) == "距申报截止（2024年3月8日）还有 2 天"
    assert submitter_header_zh(CAMPAIGN, dates, at(8, 10)) == "今天是申报截止日，请于 23:59 前提交"
    closed = submitter_header_zh(CAMPAIGN, dates, at(9, 10))
    assert closed == submitter_closed_zh(dates) and "2024年3月8日 23:59" in closed


def test_coordinators_see_both_dates_and_after_the_deadline_a_refusal():
    dates = deadlines_for(CAMPAIGN)
    before = coordinator_note_zh(CAMPAIGN, dates, at(6))
    assert "2024年3月8日 23:59" in before and "2024年3月11日 23:59" in before
    between = coordinator_note_zh(CAMPAIGN, dates, at(10))
    assert "已于 2024年3月8日 23:59 截止" in between and "仍可调整推荐排序" in between
    after = coordinator_note_zh(CAMPAIGN, dates, at(12))
    assert after == coordinator_closed_zh(dates) and "不能再调整" in after and "管理员" in after


def test_a_return_the_owner_could_not_act_on_is_refused_with_the_reason():
    dates = deadlines_for(CAMPAIGN)
    assert return_refusal_zh(dates, at(8, 23, 58)) is None
    refusal = return_refusal_zh(dates, at(9, 0, 1))
    assert refusal is not None and "2024年3月8日 23:59" in refusal and "不予退回" in refusal


@pytest.mark.parametrize(
    ("day", "why"),
    [(date(2024, 3, 1), "已过"), (date(2024, 3, 9), "不能晚于 2024年3月8日")],
)
def test_a_units_cutoff_in_the_past_or_after_the_campaigns_is_refused(day: date, why: str):
    refusal = cutoff_refusal_zh(CAMPAIGN, deadlines_for(CAMPAIGN), day, today=date(2024, 3, 4))
    assert refusal is not None and why in refusal
    assert cutoff_refusal_zh(CAMPAIGN, deadlines_for(CAMPAIGN), date(2024, 3, 6), today=date(2024, 3, 4)) is None


def test_submitters_and_coordinators_are_reminded_before_their_own_date():
    dates = deadlines_for(CAMPAIGN)
    sent: dict[str, set[str]] = {"s": set(), "d": set()}
    log = []
    now = at(1, 0)
    while now < at(13, 0):
        for prefix, closes in (("s", dates.cutoff), ("d", dates.deadline)):
            key = due_reminder_for(CAMPAIGN, closes, now, sent[prefix], prefix)
            if key is not None:
                sent[prefix].add(key)
                log.append((now, key))
        now += timedelta(minutes=10)
    assert log == [
        (at(5, 9), "s3@2024-03-08"),
        (at(7, 9), "s1@2024-03-08"),
        (at(8, 9), "d3"),
        (at(10, 9), "d1"),
    ]
    assert days_until(CAMPAIGN, dates.cutoff, at(5, 9)) == 3


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024-03-06", date(2024, 3, 6)),
        ("2024年3月6日", date(2024, 3, 6)),
        ("２０２４／３／６", date(2024, 3, 6)),
        ("3月6日", date(2024, 3, 6)),
        ("2024-02-30", None),
        ("明天", None),
        ("", None),
        ("2024-03-06-01", None),
    ],
)
def test_a_coordinator_types_the_cutoff_date_as_offices_write_it(typed: str, expected: date | None):
    assert parse_day(typed, 2024) == expected


@given(st.text(max_size=40))
def test_no_typed_cutoff_raises(typed: str):
    result = parse_day(typed, 2024)
    assert result is None or isinstance(result, date)
