"""字数 exactly as Word/WPS count it, and the character cap that stops a Latin run passing as 1 字."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs import validators
from dialogs.campaign import Campaign
from dialogs.validators import FieldError
from dialogs.wordcount import count_chars, count_zi

COUNTS = [
    ("2024年", 2),
    ("你好，世界。", 6),
    ("5G+AI", 1),
    ("hello world", 2),
    ("“清朗”行动", 6),
    ("《网络安全法》", 7),
    ("第1—2项", 5),
    # whitespace of every kind counts 0
    (" \n\t", 0),
    ("清朗\u3000行动", 4),  # ideographic space
    ("\u3000\u3000段首缩进", 4),
    ("清朗\u00a0行动", 4),  # no-break space
    ("清朗\u202f行动", 4),  # narrow no-break space
    ("清朗\u2003行动", 4),  # em space
    ("清朗\u2009行动", 4),  # thin space
    ("清朗\t行动", 4),
    ("清朗\u2028行动\u2029", 4),  # line and paragraph separators
    ("清朗\r\n行动", 4),
    ("\u200b", 0),  # zero-width space
    # mixed Latin and digit runs
    ("2023年共开展100余场活动", 10),
    ("APP 12345 次", 3),
    ("www.cac.gov.cn", 1),
    ("AI\u3000赋能", 3),
    ("A\u00a0B", 2),
    # punctuation
    ("……", 2),
    ("——", 2),
    ("，。！？；：", 6),
    ("(a)", 1),
    ("（一）", 3),
    ("1.2.3", 1),
]


@pytest.mark.parametrize(("text", "zi"), COUNTS)
def test_zi_are_counted_as_word_counts_them(text: str, zi: int) -> None:
    assert count_zi(text) == zi


def test_a_summary_at_exactly_300_zi_by_word_passes_with_ideographic_spaces() -> None:
    summary = "\u3000\u3000" + "字" * 150 + "\u3000" + "字" * 150
    assert count_zi(validators.long_text(summary, label="案例简介", limit=300)) == 300
    with pytest.raises(FieldError, match="超出 1 字"):
        validators.long_text(summary + "字", label="案例简介", limit=300)


@pytest.mark.parametrize(("text", "chars"), [("a b", 2), ("清朗\u3000行动", 4), ("x" * 100, 100), ("\n\t ", 0)])
def test_characters_are_counted_without_whitespace(text: str, chars: int) -> None:
    assert count_chars(text) == chars


def test_a_100000_letter_run_cannot_pass_as_one_zi(campaign: Campaign) -> None:
    run = "a" * 100_000
    assert count_zi(run) == 1
    limits = campaign.limits
    with pytest.raises(FieldError, match=f"共 100000 个字符.*最多 {limits.line_chars} 个字符"):
        validators.short_text(run, label="案例名称", limit=limits.name_zi, chars=limits.line_chars)
    with pytest.raises(FieldError, match=f"最多 {limits.summary_chars} 个字符"):
        validators.long_text(run, label="案例简介", limit=limits.summary_zi, chars=limits.summary_chars)
    with pytest.raises(FieldError, match="个字符"):  # without the campaign's cap the default (6 × 字 limit) holds
        validators.short_text(run, label="案例名称", limit=60)


def _body() -> str:
    """A whole 2 000-字 案例内容 with its four headings, as pasted at once: Chinese, figures, English names."""
    headings = ["一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示"]
    sentence = "2023年，我市依托“清朗e站”APP开展网络文明宣传活动120余场，覆盖网民约35万人次。"
    parts = []
    for heading in headings:
        parts.append("\u3000\u3000" + heading + "\n" + ("\u3000\u3000" + sentence * 4 + "\n") * 3)
    return "\n".join(parts)


def test_a_whole_2000_zi_body_pasted_at_once_is_within_the_character_cap(campaign: Campaign) -> None:
    body = _body()
    zi = count_zi(body)
    assert 1500 < zi <= campaign.limits.content_zi
    kept = validators.long_text(
        body, label="背景意义", limit=campaign.limits.content_zi, chars=campaign.limits.content_chars
    )
    assert count_zi(kept) == zi


def test_the_zi_limit_is_reported_before_the_character_cap(campaign: Campaign) -> None:
    with pytest.raises(FieldError, match="超出"):
        validators.long_text(
            _body(), label="案例简介", limit=campaign.limits.summary_zi, chars=campaign.limits.summary_chars
        )


@given(st.text(max_size=300))
def test_every_kind_of_whitespace_counts_like_a_plain_space(text: str) -> None:
    plain = re.sub(r"\s", " ", text)
    assert count_zi(re.sub(r"\s", "\u3000", text)) == count_zi(plain) == count_zi(text)
    assert count_zi(text + "\u3000\u00a0\t\u2028") == count_zi(text)
