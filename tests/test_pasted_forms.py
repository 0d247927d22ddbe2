"""The parsers of what comes with a paste, on their own: the form's notes, a whole filled-in form's
labels, and the review's 提示; real-length texts, and any text at all (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs import hints, pasteform, proofing
from dialogs.models import CaseForm, Step
from tests.helpers import SAMPLE_BACKGROUND as BACKGROUND
from tests.helpers import SAMPLE_SUMMARY as SUMMARY
from tests.test_real_texts import CONTENT_HINT, FILLED_FORM, SUMMARY_HINT


@pytest.mark.parametrize(
    "pasted",
    [
        f"{SUMMARY_HINT}\n{SUMMARY}",
        f"{SUMMARY}\n{SUMMARY_HINT}",
        f"案例简介{SUMMARY_HINT}{SUMMARY}",
        f"{SUMMARY}（案例简介不超过300字）",
        f"(案例简介不超过 300 字)\n{SUMMARY}",
    ],
)
def test_the_form_s_notes_come_off_wherever_they_stand(pasted: str) -> None:
    text, removed = hints.strip(pasted)
    assert "".join(text.split()).removeprefix("案例简介") == "".join(SUMMARY.split()) and len(removed) == 1


def test_a_bracket_of_the_text_s_own_stays() -> None:
    text = "组建志愿服务队（每队不超过 10 人），开展宣讲。"
    assert hints.strip(text) == (text, [])
    assert hints.leftovers(text) == ["（每队不超过 10 人）"]  # pointed out on the review, never removed


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([SUMMARY_HINT, CONTENT_HINT, "网络文明", "（一）", "不超过", "\n", "（", "）"]), max_size=20
    )
)
def test_taking_the_notes_off_keeps_every_other_character(pieces: list[str]) -> None:
    text = "".join(pieces)
    kept, removed = hints.strip(text)
    assert sorted("".join(kept + "".join(removed)).replace("\n", "")) == sorted(text.replace("\n", ""))


def test_a_filled_in_form_is_read_field_by_field() -> None:
    pasted = pasteform.read(FILLED_FORM)
    assert pasted is not None
    assert pasted.fields[Step.NAME] == "“清风e路”网络文明志愿服务行动" and pasted.fields[Step.CONTACT] == "王芳"
    assert pasted.fields[Step.UNIT] == "淮北市委网信办"  # read as written; the dialog decides it does not count
    assert pasted.fields[Step.BACKGROUND] == BACKGROUND and pasted.missing == ()
    assert pasted.left == [SUMMARY] and len(pasted.removed) == 2  # the title line and the closing note


@pytest.mark.parametrize(
    "text",
    [
        "联系人：王芳",  # one label is an answer to one field, not a form
        BACKGROUND,
        "时间：2023年3月\n地点：蜀山区",  # labels of no field of the form
        "案例简介："
        + SUMMARY
        + "\n一、背景意义\n甲。\n二、主要做法\n乙。\n三、实施成效\n丙。\n四、经验启示\n丁。",  # split
    ],
)
def test_a_text_with_fewer_than_two_labels_is_no_form(text: str) -> None:
    assert pasteform.read(text) is None


def test_a_label_alone_on_its_line_takes_the_next_line() -> None:
    pasted = pasteform.read("案 例 名 称\n清朗行动\n案例简介\n" + SUMMARY)
    assert pasted is not None and pasted.fields == {Step.NAME: "清朗行动", Step.SUMMARY: SUMMARY}


LINES = st.sampled_from(
    [
        "案例名称：清朗",
        "联系人：王芳",
        "案例简介",
        "案例内容",
        "一、背景意义",
        "二、经验做法",
        "1",
        SUMMARY_HINT,
        "网络文明。",
        "",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=20)), max_size=25))
def test_any_text_reads_and_every_value_comes_from_it(lines: list[str]) -> None:
    text = "\n".join(lines)
    pasted = pasteform.read(text)
    if pasted is not None:  # every line of every value, and of what fits nowhere, is a line of the text sent
        sent = hints.strip(text)[0]
        for value in [*pasted.fields.values(), *pasted.left]:
            assert value.strip() and all(line.strip() in sent for line in value.split("\n"))
    form = CaseForm(name=text[:60] or None, summary=text or None, background=text or None)
    assert all(isinstance(line, str) and line for line in proofing.notes(form))


def test_a_clean_real_case_has_no_note() -> None:
    assert proofing.notes(CaseForm(summary=SUMMARY, background=BACKGROUND, name="“清风e路”网络文明志愿服务行动")) == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("队伍,凝聚", True),
        ("提升？是的：不", False),  # full-width marks are what the form wants
        ("中心(合肥)建成", True),
        ("版本 3.5,共 2,000 人", False),
        ("访问 https://a.cn/x?a=1,b=2;c 即可", False),
        ("Hello, world; ok?", False),
    ],
)
def test_half_width_marks_only_between_chinese_characters(text: str, flagged: bool) -> None:
    found = proofing.notes(CaseForm(background=text))
    assert bool(found) is flagged, found
