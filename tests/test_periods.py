"""开展实施或发布时间 as offices write it, checked against the campaign window (2021年9月至2023年12月)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs import periods, validators
from dialogs.campaign import Campaign, Window
from dialogs.validators import FieldError

GOOD = [
    # a month
    ("2022年3月", "2022-03", "2022年3月"),
    ("2022年3月份", "2022-03", "2022年3月"),
    ("2022 年 3 月", "2022-03", "2022年3月"),
    ("2022-03", "2022-03", "2022年3月"),
    ("2022.3", "2022-03", "2022年3月"),
    ("2022/03", "2022-03", "2022年3月"),
    ("202305", "2023-05", "2023年5月"),
    ("２０２２年３月", "2022-03", "2022年3月"),
    ("二〇二二年三月", "2022-03", "2022年3月"),
    ("二零二二年十二月", "2022-12", "2022年12月"),
    ("2021年9月", "2021-09", "2021年9月"),
    ("2022年3月中旬", "2022-03", "2022年3月"),
    ("2022年3月底", "2022-03", "2022年3月"),
    ("2022年3月初至2023年6月底", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2023-12", "2023-12", "2023年12月"),
    # a day
    ("2022年3月15日", "2022-03-15", "2022年3月15日"),
    ("2022年3月15号", "2022-03-15", "2022年3月15日"),
    ("2022.03.15", "2022-03-15", "2022年3月15日"),
    ("2022-03-15", "2022-03-15", "2022年3月15日"),
    ("2022/3/15", "2022-03-15", "2022年3月15日"),
    ("20220315", "2022-03-15", "2022年3月15日"),
    ("二〇二二年三月二十三日", "2022-03-23", "2022年3月23日"),
    ("2024年2月29日", None, None),  # a real day, but outside the window: see BAD
    # ranges, every joining word and dash
    ("2022年3月至2023年6月", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022年3月到2023年6月", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022年3月—2023年6月", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022年3月——2023年6月", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022年3月–2023年6月", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022年3月-2023年6月", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022年3月~2023年6月", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022年3月～2023年6月", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022.3-2023.6", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022-03-2023-06", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022.03.15-2023.06.30", "2022-03-15/2023-06-30", "2022年3月15日—2023年6月30日"),
    ("2022年3月至6月", "2022-03/2022-06", "2022年3月—2022年6月"),
    ("2022年3月至2022年3月", "2022-03", "2022年3月"),
    # open ranges
    ("2022年3月至今", "2022-03/", "2022年3月起至今"),
    ("2022年3月起", "2022-03/", "2022年3月起至今"),
    ("2022年3月起至今", "2022-03/", "2022年3月起至今"),
    ("2022年3月以来", "2022-03/", "2022年3月起至今"),
    ("2022年3月开始", "2022-03/", "2022年3月起至今"),
    ("2022.03-至今", "2022-03/", "2022年3月起至今"),
    ("2022年3月15日至今", "2022-03-15/", "2022年3月15日起至今"),
    # 自 / 从 before the start, as notices and reports write it
    ("自2022年3月起", "2022-03/", "2022年3月起至今"),
    ("自2022年3月以来", "2022-03/", "2022年3月起至今"),
    ("自 2022 年 3 月以来", "2022-03/", "2022年3月起至今"),
    ("从2022年3月开始", "2022-03/", "2022年3月起至今"),
    ("自2022年3月至2023年6月", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("自二〇二二年三月起", "2022-03/", "2022年3月起至今"),
    # a start, then words that say it still goes on
    ("2022年3月起，持续至今", "2022-03/", "2022年3月起至今"),
    ("2022年3月开始，持续开展至今", "2022-03/", "2022年3月起至今"),
    ("2022年3月启动，至今仍在开展", "2022-03/", "2022年3月起至今"),
    ("自2022年3月以来持续推进至今", "2022-03/", "2022年3月起至今"),
    # a whole year is its January to its December
    ("2023年全年", "2023-01/2023-12", "2023年1月—2023年12月"),
    ("２０２３年全年", "2023-01/2023-12", "2023年1月—2023年12月"),
    ("2022全年", "2022-01/2022-12", "2022年1月—2022年12月"),
    ("2022年度", "2022-01/2022-12", "2022年1月—2022年12月"),
    # begun before the window and carried on inside it
    ("2020年1月至2022年5月", "2020-01/2022-05", "2020年1月—2022年5月"),
    ("2019年6月至今", "2019-06/", "2019年6月起至今"),
    ("2021年8月—2021年9月", "2021-08/2021-09", "2021年8月—2021年9月"),
    # ending after it
    ("2023年10月至2024年3月", "2023-10/2024-03", "2023年10月—2024年3月"),
    # the stored grammar reads back
    ("2022-03/2023-06", "2022-03/2023-06", "2022年3月—2023年6月"),
    ("2022-03/", "2022-03/", "2022年3月起至今"),
]


@pytest.mark.parametrize(("raw", "stored", "shown"), [g for g in GOOD if g[1] is not None])
def test_a_date_as_offices_write_it_is_stored_and_shown_back(
    campaign: Campaign, raw: str, stored: str, shown: str
) -> None:
    assert validators.period(raw, campaign.window) == stored
    assert periods.display(stored) == shown
    assert periods.echo(stored) == f"已记录：{shown}"
    assert validators.period(shown, campaign.window) == stored  # what is shown back is understood again


BAD = [
    ("2021年8月", "2021年9月至2023年12月，2021年8月不在此范围内"),
    ("2024年1月", "不在此范围内"),
    ("2024年2月29日", "2024年2月29日不在此范围内"),
    ("2020年1月至2021年5月", "没有重叠"),
    ("2024年1月起", "没有重叠"),
    ("2024年1月至2024年6月", "没有重叠"),
    ("2023年13月", "月份应在 1～12 之间"),
    ("2022年0月", "月份应在 1～12 之间"),
    ("2022年2月30日", "2022年2月没有 30 日"),
    ("2023年6月至2022年3月", "起始时间（2023年6月）晚于结束时间（2022年3月）"),
    ("22年3月", "四位年份"),
    ("22.3", "四位年份"),
    ("2022年3月至23年6月", "四位年份"),
    ("2022", "请写明月份"),
    ("2022年", "请写明月份"),
    ("2022年底", "请写明月份"),
    ("去年春天", "未能识别时间"),
    ("三月份", "没有写年份"),
    # a month or a range without its year: the year is asked for
    ("11月5日-11月25日", "所填时间“11月5日-11月25日”没有写年份，请写明年份"),
    ("11月5日至25日", "没有写年份"),
    ("3月至6月", "没有写年份"),
    ("十一月", "没有写年份"),
    # 即日起: the start is the day it was written, which the form cannot know
    ("即日起至2023年12月", "“即日起”未写明开始的时间"),
    ("自即日起至2023年12月31日", "“即日起”未写明开始的时间"),
    ("即日起", "请写明开始实施的年月"),
    ("2022年3月至明年", "未能识别时间"),
    ("", "不能为空"),
]


@pytest.mark.parametrize(("raw", "message"), BAD)
def test_a_wrong_date_is_told_why(campaign: Campaign, raw: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        validators.period(raw, campaign.window)


def test_a_range_begun_before_the_window_is_noted_for_the_review(campaign: Campaign) -> None:
    stored = validators.period("2020年1月至2022年5月", campaign.window)
    assert periods.starts_before_window(stored, campaign.window)
    note = periods.window_note(stored, campaign.window)
    assert note is not None and "2020年1月—2022年5月" in note and "2021年9月至2023年12月" in note
    for inside in ("2022-03", "2022-03/", "2021-09/2023-06", None, "", "随便写的"):
        assert not periods.starts_before_window(inside, campaign.window)
        assert periods.window_note(inside, campaign.window) is None


@pytest.mark.parametrize("legacy", ["2022-03", "2021-09", "2023-12"])
def test_drafts_stored_before_keep_their_meaning(campaign: Campaign, legacy: str) -> None:
    loaded = periods.load(legacy)
    assert loaded is not None and not loaded.ranged and loaded.stored() == legacy
    assert periods.display(legacy) == f"{int(legacy[:4])}年{int(legacy[5:])}月"


@pytest.mark.parametrize("unknown", ["2022年春", "2022-13", "2022-03/2022-3x", "abc"])
def test_a_stored_value_outside_the_grammar_is_shown_as_it_is(unknown: str) -> None:
    assert periods.display(unknown) == unknown


WINDOW = Window.model_validate({"start": "2021-09", "end": "2023-12"})
DATE_PIECES = st.sampled_from(
    list("0123456789年月日号份至到今起以来—–-~～./ 二〇三十一")
    + ["——", "2022", "至今", "自", "从", "全年", "年度", "即日", "即日起"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(DATE_PIECES, max_size=16).map("".join) | st.text(max_size=60))
def test_any_answer_is_read_or_refused_and_what_is_kept_reads_back(raw: str) -> None:
    try:
        stored = periods.parse(raw, WINDOW)
    except FieldError:
        return
    assert periods.load(stored) is not None
    assert periods.parse(stored, WINDOW) == stored
    assert periods.parse(periods.display(stored), WINDOW) == stored


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=2021, max_value=2023), st.sampled_from(["自", "从", "自 ", ""]), st.integers(1, 12))
def test_a_start_written_with_zi_is_the_same_open_range(year: int, word: str, month: int) -> None:
    if (year, month) < (2021, 9):
        return
    for tail in ("起", "以来", "开始", "起至今"):
        assert periods.parse(f"{word}{year}年{month}月{tail}", WINDOW) == f"{year}-{month:02d}/"


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(1, 12),
    st.integers(1, 28),
    st.sampled_from(["-", "至", "—", "到"]),
)
def test_a_range_without_a_year_asks_for_the_year(m1: int, d1: int, m2: int, d2: int, join: str) -> None:
    with pytest.raises(FieldError, match="没有写年份"):
        periods.parse(f"{m1}月{d1}日{join}{m2}月{d2}日", WINDOW)
