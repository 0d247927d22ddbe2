"""A whole 案例内容 pasted in one message is recognised by its four headings, however numbered."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs import headings
from tests.helpers import SAMPLE_BACKGROUND as BACKGROUND
from tests.helpers import SAMPLE_LESSONS as LESSONS
from tests.helpers import SAMPLE_PRACTICE as PRACTICE
from tests.helpers import SAMPLE_RESULTS as RESULTS

PARTS = (BACKGROUND, PRACTICE, RESULTS, LESSONS)
WORDS = ("背景意义", "主要做法", "实施成效", "经验启示")

STYLES = {
    "一、": ("一、", "二、", "三、", "四、"),
    "一.": ("一.", "二.", "三.", "四."),
    "（一）": ("（一）", "（二）", "（三）", "（四）"),
    "1.": ("1.", "2.", "3.", "4."),
    "1、": ("1、", "2、", "3、", "4、"),
    "第一部分": ("第一部分 ", "第二部分：", "第三部分", "第四部分、"),
    "none": ("", "", "", ""),
}


def whole(numbers: tuple[str, ...], after: str, between: str, words: tuple[str, ...] = WORDS) -> str:
    return "".join(f"{between}{n}{w}{after}{p}" for n, w, p in zip(numbers, words, PARTS, strict=True)).strip()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("after", "between"), [("\n", "\n"), ("：", "\n"), ("", "\n"), ("：", ""), ("、", "")])
def test_every_heading_style_splits_into_the_four_parts(style: str, after: str, between: str) -> None:
    numbers = STYLES[style]
    split = headings.split(whole(numbers, after, between))
    if not any(numbers) and not after:  # a bare heading word run into its text is no heading
        assert split is None
        return
    assert split is not None
    assert split.parts == PARTS and split.summary is None and split.lead == ""


def test_close_variants_of_the_heading_words_count() -> None:
    text = whole(STYLES["一、"], "\n", "\n", ("背景及意义", "主要做法", "实施成效", "经验与启示"))
    split = headings.split(text)
    assert split is not None and split.parts == PARTS
    assert [h.text for h in split.headings] == ["一、背景及意义", "二、主要做法", "三、实施成效", "四、经验与启示"]


def test_a_summary_before_the_parts_is_split_off_and_a_title_kept_apart() -> None:
    text = "案例简介：简介的文字。\n" + whole(STYLES["一、"], "\n", "\n")
    split = headings.split(text)
    assert split is not None and split.summary == "简介的文字。" and split.parts == PARTS
    titled = headings.split("清风e路志愿服务行动\n" + whole(STYLES["一、"], "\n", "\n"))
    assert titled is not None and titled.lead == "清风e路志愿服务行动" and titled.summary is None


@pytest.mark.parametrize("missing", range(4))
def test_one_heading_missing_means_no_split_and_the_others_are_found(missing: int) -> None:
    numbers = ["一、", "二、", "三、", "四、"]
    words = list(WORDS)
    words[missing] = "其他内容"
    text = whole(tuple(numbers), "\n", "\n", tuple(words))
    assert headings.split(text) is None
    assert sorted({h.part for h in headings.find(text)}) == [p for p in range(4) if p != missing]


def test_headings_out_of_order_split_by_their_heading_and_say_so() -> None:
    text = whole(STYLES["一、"], "\n", "\n", ("主要做法", "背景意义", "实施成效", "经验启示"))
    split = headings.split(text)
    assert split is not None and not split.in_order
    # each text goes to the part its heading names, not to the place it stands in
    assert split.parts == (PRACTICE, BACKGROUND, RESULTS, LESSONS)
    assert split.heading_of(0).text == "二、背景意义"


@pytest.mark.parametrize(
    "text",
    [
        PRACTICE,  # 一是… 二是… 三是…
        "（一）建强队伍。组建志愿服务队伍。\n（二）打造品牌。开设网络素养课堂。\n（三）健全机制。",
        "1. 建强队伍；\n2. 打造品牌；\n3. 健全机制。",
        "本文总结了主要做法和经验启示，并对实施成效作了评估。",
    ],
)
def test_sub_numbering_and_heading_words_in_prose_never_split(text: str) -> None:
    assert headings.split(text) is None and headings.find(text) == []


@pytest.mark.parametrize(
    ("text", "part", "rest", "removed"),
    [
        ("二、主要做法\n一是建强队伍。", 1, "一是建强队伍。", "二、主要做法"),
        ("二、主要做法：一是建强队伍。", 1, "一是建强队伍。", "二、主要做法"),
        ("主要做法\n一是建强队伍。", 1, "一是建强队伍。", "主要做法"),
        ("（四）经验与启示 一是必须坚持。", 3, "一是必须坚持。", "（四）经验与启示"),
        ("一是建强队伍。", 1, "一是建强队伍。", ""),
        ("三、实施成效\n成效明显。", 1, "三、实施成效\n成效明显。", ""),  # another part's heading stays
        ("案例简介：本案例……", headings.SUMMARY, "本案例……", "案例简介"),
    ],
)
def test_a_part_sent_with_its_own_heading_loses_it(text: str, part: int, rest: str, removed: str) -> None:
    assert headings.strip_own(text, part) == (rest, removed)


def _without_headings(text: str, split: headings.Split) -> str:
    kept, position = [], 0
    for h in sorted(split.headings, key=lambda h: h.start):
        kept.append(text[position : h.start])
        position = h.end
    kept.append(text[position:])
    return "".join("".join(kept).split())


PIECES = st.sampled_from(
    [
        "一、",
        "二、",
        "（一）",
        "1.",
        "第一部分",
        "背景意义",
        "主要做法",
        "实施成效",
        "经验启示",
        "经验与启示",
        "：",
        "、",
        "。",
        "\n",
        " ",
        "一是",
        "网络文明",
        "2024年",
        "案例简介：",
        "简介",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40))
def test_any_text_is_handled_and_a_split_keeps_every_character(pieces: list[str]) -> None:
    text = "".join(pieces)
    headings.find(text)
    for part in (headings.SUMMARY, 0, 1, 2, 3):
        rest, removed = headings.strip_own(text, part)
        assert "".join(rest.split()) in "".join(text.split())
    split = headings.split(text)
    if split is not None:
        joined = split.lead + (split.summary or "") + "".join(split.parts)
        assert "".join(joined.split()) == _without_headings(text, split)
