"""Long texts cut below WeCom's 2 048-byte limit, at paragraph breaks where possible, never inside a character."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.wecom.split import TEXT_BYTES, split_text, utf8_len

HEADINGS = ["一、基本情况", "二、主要做法", "三、取得成效", "四、经验启示"]


def _case_content() -> str:
    """A whole 2 000-字 案例内容 with its four headings, as a review repeats it."""
    paragraph = "我市坚持以习近平新时代中国特色社会主义思想为指导，深入推进网络文明建设，组织开展系列主题活动。" * 11
    return "\n\n".join(f"{heading}\n{paragraph}" for heading in HEADINGS)


def _visible(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_a_short_text_is_one_message() -> None:
    assert split_text("请输入推荐单位全称。") == ["请输入推荐单位全称。"]


def test_an_empty_text_is_no_message() -> None:
    assert split_text("") == [] and split_text("\n\n") == []


def test_a_whole_case_is_cut_at_its_paragraphs() -> None:
    text = _case_content()
    assert utf8_len(text) > 3 * TEXT_BYTES
    parts = split_text(text)
    assert parts == text.split("\n\n")  # each section whole, in order: two would not fit in one message
    assert all(utf8_len(part) <= TEXT_BYTES for part in parts)


def test_one_long_paragraph_is_cut_after_a_sentence() -> None:
    text = "网络文明建设成效明显。" * 100
    parts = split_text(text)
    assert all(part.endswith("。") for part in parts)
    assert "".join(parts) == text


def test_a_text_without_breaks_is_cut_between_characters() -> None:
    text = "案" * 1000 + "😀" * 300
    parts = split_text(text)
    assert "".join(parts) == text
    assert all(utf8_len(part) <= TEXT_BYTES for part in parts)
    assert utf8_len(parts[0]) == 2046  # 682 whole characters; the 683rd would not fit


@pytest.mark.parametrize("limit", [-1, 0, 3])
def test_a_limit_that_cannot_hold_a_character_is_refused(limit: int) -> None:
    with pytest.raises(ValueError):
        split_text("案", limit)


TEXTS = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=3000)


@given(TEXTS, st.integers(min_value=4, max_value=3000))
def test_every_part_fits_and_nothing_visible_is_lost(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(utf8_len(part) <= limit and part for part in parts)
    assert _visible("".join(parts)) == _visible(text)
    if utf8_len(text) <= limit and text.strip():
        assert parts == [text]
