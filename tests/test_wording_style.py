"""The dialog's wording reads as a careful provincial office writes it: a space between a number
and the words around it ("第 3 步"、"300 字"), dates written tight as in the notice ("2024年3月11日"),
ranges with "～" (quoted examples of what a user types excepted), and no word on how to press or type a choice (that is the channel's to say)."""

from __future__ import annotations

import re

import pytest

from dialogs.wording import catalog

SECTIONS = ("dialog", "fields", "coordinator", "ranking", "access", "deadline", "duplicates", "unitlist", "importing")
HAN = r"[\u4e00-\u9fff]"
COUNTS = r"\{(?:count|rank|used|quota|days|total|limit|most|have|sent|over|id|number|position|row|low|high|summary|content|submitted|recommended)\}"
DATE_PART = r"[年月日]"


def _texts() -> list[tuple[str, str]]:
    """The texts, less their quoted examples: “2022年3月至2023年6月” shows what a user may type."""
    return [(k, re.sub(r"“[^”]*”", "“”", v)) for k, v in catalog().items() if k.split(".", 1)[0] in SECTIONS]


@pytest.mark.parametrize(("key", "text"), _texts())
def test_numbers_stand_apart_from_words_except_in_dates(key: str, text: str) -> None:
    glued = [
        m.group(0)
        for m in re.finditer(rf"{HAN}(?:\d+|{COUNTS})|(?:\d+|{COUNTS}){HAN}", text)
        if not re.search(DATE_PART, m.group(0)) and "{year}" not in m.group(0)
    ]
    assert not glued, f"{key}: {glued}"


@pytest.mark.parametrize(("key", "text"), _texts())
def test_ranges_use_the_wave_dash(key: str, text: str) -> None:
    without_months = re.sub(r"\d{4}-\d{2}", "", text)  # "2022-03" is a way to write a month, not a range
    assert not re.search(r"(?:\d|\})\s*[-—–]\s*(?:\d|\{)", without_months), key
    assert not re.search(r"(?:\d|\})\s*至\s*(?:\d|\{)", text), key


@pytest.mark.parametrize(("key", "text"), _texts())
def test_no_channel_specific_choice_hint(key: str, text: str) -> None:
    assert "点击" not in text and "回复序号" not in text, key
