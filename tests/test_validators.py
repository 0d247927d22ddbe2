"""Tables of good and bad free-text answers; phones, dates, categories, 字数 and pictures have their own files."""

from __future__ import annotations

import pytest

from dialogs import validators
from dialogs.campaign import Campaign
from dialogs.validators import FieldError
from dialogs.wordcount import count_zi

BAD_TEXT = [
    pytest.param("", "不能为空", id="empty"),
    pytest.param("   \t  ", "不能为空", id="whitespace-only"),
    pytest.param("\u200b\u200c\ufeff", "不能为空", id="zero-width-only"),
    pytest.param("案例\x00名称", "控制字符", id="nul"),
    pytest.param("案例\x1b[31m名称", "控制字符", id="escape-sequence"),
    pytest.param("案例\u202e名称", "控制字符", id="bidi-override"),
    pytest.param("清朗行动😀", "表情符号", id="emoji"),
    pytest.param("清朗行动👍🏻", "表情符号", id="emoji-skin-tone"),
    pytest.param("字" * 10_000, "超出 9940 字", id="10000-chars"),
    pytest.param("第一行\n第二行", "一行", id="newline"),
]


@pytest.mark.parametrize(("raw", "message"), BAD_TEXT)
def test_a_bad_case_name_is_refused_with_the_rule_named(raw: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        validators.short_text(raw, label="案例名称", limit=60)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("清朗网络共建行动", "清朗网络共建行动"),
        ("  清朗　网络  共建 ", "清朗 网络 共建"),
        ("清\u200b朗行动", "清朗行动"),
        ("“指尖上的文明”——2023 年主题活动", "“指尖上的文明”——2023 年主题活动"),
    ],
)
def test_a_good_case_name_is_stored_normalised(raw: str, stored: str) -> None:
    assert validators.short_text(raw, label="案例名称", limit=60) == stored


def test_a_summary_of_300_zi_passes_and_301_is_refused_by_1() -> None:
    assert count_zi(validators.long_text("字" * 300, label="案例简介", limit=300)) == 300
    with pytest.raises(FieldError, match="超出 1 字"):
        validators.long_text("字" * 301, label="案例简介", limit=300)


def test_content_of_2000_zi_passes_and_2001_is_refused() -> None:
    assert validators.long_text("字" * 500, label="经验启示", limit=2000, used_elsewhere=1500)
    with pytest.raises(FieldError, match="超出 1 字"):
        validators.long_text("字" * 501, label="经验启示", limit=2000, used_elsewhere=1500)


def test_long_text_keeps_line_breaks_and_trims_blank_runs() -> None:
    assert validators.long_text("第一段。\n\n\n\n第二段。 ", label="x", limit=300) == "第一段。\n\n第二段。"


def test_a_one_line_answer_over_its_character_cap_is_refused_with_its_own_message() -> None:
    name = "清朗" + "x" * 400
    with pytest.raises(FieldError, match="案例名称过长：共 402 个字符.*最多 300 个字符"):
        validators.short_text(name, label="案例名称", limit=60, chars=300)
    assert validators.short_text("清朗" + "x" * 298, label="案例名称", limit=60, chars=300)


def test_a_long_answer_keeps_ideographic_indents_inside_lines_and_takes_unicode_line_breaks() -> None:
    text = "\u3000\u3000第一段\u3000内容。\u2028第二段。\u2029\u2029\u2029第三段。"
    assert validators.long_text(text, label="x", limit=300) == "第一段\u3000内容。\n第二段。\n\n第三段。"


def test_a_one_line_answer_takes_a_unicode_line_separator_as_a_space() -> None:
    assert validators.short_text("清朗\u2028行动", label="案例名称", limit=60) == "清朗 行动"


@pytest.mark.parametrize(
    ("raw", "code"), [("1", "hefei"), ("２", "huaibei"), ("²", "huaibei"), ("3.", "bozhou"), ("三", "bozhou")]
)
def test_a_unit_is_taken_by_its_number_in_any_digits(campaign: Campaign, raw: str, code: str) -> None:
    assert validators.unit(raw, campaign.units) == code


@pytest.mark.parametrize("raw", ["0", "99", "99999999999999999999", "፩", "٣٣", "¹²³", "不存在的单位"])
def test_an_unknown_unit_number_is_refused_never_raised(campaign: Campaign, raw: str) -> None:
    with pytest.raises(FieldError, match="未找到该推荐单位"):
        validators.unit(raw, campaign.units)
