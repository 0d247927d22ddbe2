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


# -- headings by the classes of their key words (issue 18, item 5) ---------------------------------------------


@pytest.mark.parametrize(
    ("heading", "part"),
    [
        ("背景与起因", 0),
        ("基本情况", 0),
        ("案例背景", 0),
        ("【背景意义】", 0),
        ("做法与经过", 1),
        ("具体做法", 1),
        ("主要举措", 1),
        ("成效与反响", 2),
        ("取得成效", 2),
        ("工作成效", 2),
        ("启示与思考", 3),
        ("经验体会", 3),
        ("经验启示", 3),
    ],
)
def test_a_heading_is_recognised_by_the_class_of_its_key_words(heading: str, part: int) -> None:
    for written in (f"一、{heading}\n正文。", f"（二）{heading}：正文。", f"{heading}\n正文。"):
        (found,) = headings.find(written)
        assert found.part == part and found.options == (part,), written


@pytest.mark.parametrize(
    ("heading", "options"), [("经验做法", (1, 3)), ("主要做法及成效", (1, 2)), ("成效与经验", (2, 3))]
)
def test_a_heading_whose_words_name_two_parts_is_ambiguous(heading: str, options: tuple[int, ...]) -> None:
    text = f"一、背景意义\n甲。\n二、{heading}\n乙。"
    found = headings.ambiguous(text)
    assert found is not None and found.options == options and found.text == f"二、{heading}"
    assert headings.split(text) is None  # never guessed
    resolved = headings.resolve(text, found, options[0])
    assert headings.ambiguous(resolved) is None
    assert [h.part for h in headings.find(resolved)] == [0, options[0]]


@pytest.mark.parametrize(
    "line",
    ["（二）成效显著。", "成效。", "经验表明，坚持是关键。", "做法很多，不一而足。", "意义重大。", "一是做法创新。"],
)
def test_a_single_key_word_starting_a_sentence_is_no_heading(line: str) -> None:
    assert headings.find(line) == []


CLASS_WORDS = {
    0: ("背景", "起因", "意义", "基本情况"),
    1: ("做法", "举措", "经过"),
    2: ("成效", "成果", "反响"),
    3: ("启示", "体会", "经验", "思考"),
}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(range(4)), st.integers(0, 3), st.sampled_from(["", "与", "及", "和"])),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["", "主要", "具体", "工作"]),
)
def test_any_phrase_of_key_words_names_exactly_their_classes(words: list[tuple[int, int, str]], filler: str) -> None:
    phrase = filler + "".join(
        (joiner if i else "") + CLASS_WORDS[part][pick % len(CLASS_WORDS[part])]
        for i, (part, pick, joiner) in enumerate(words)
    )
    (found,) = headings.find(f"三、{phrase}\n正文。")
    wanted = tuple(sorted({part for part, _, _ in words}))
    assert found.options == wanted and found.ambiguous == (len(wanted) > 1)
