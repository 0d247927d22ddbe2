"""申报类别 by number, name, the notice's alias, or the answer's core words; an ambiguous answer is a question."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.settings import load_campaign
from dialogs import categories, validators
from dialogs.campaign import Campaign
from dialogs.validators import FieldError

GOOD = [
    # by number
    ("1", "网络空间思想引领"),
    ("６", "网络空间文明创建"),
    ("第3类", "网络空间道德建设"),
    ("三", "网络空间道德建设"),
    ("第五类", "网络空间生态治理"),
    (" 4. ", "网络空间行为规范"),
    ("2、", "网络空间文化培育"),
    # by full name, with or without 网络空间 / 类
    ("网络空间生态治理", "网络空间生态治理"),
    ("网络空间生态治理类", "网络空间生态治理"),
    ("网络空间 思想引领", "网络空间思想引领"),
    # the notice's alias (campaign file)
    ("网络空间行业规范", "网络空间行为规范"),
    ("行业规范", "网络空间行为规范"),
    # core words
    ("网络文明创建", "网络空间文明创建"),
    ("文明创建", "网络空间文明创建"),
    ("创建", "网络空间文明创建"),
    ("文明创建类", "网络空间文明创建"),
    ("生态", "网络空间生态治理"),
    ("生态治理", "网络空间生态治理"),
    ("网络生态治理", "网络空间生态治理"),
    ("治理", "网络空间生态治理"),
    ("思想", "网络空间思想引领"),
    ("文化", "网络空间文化培育"),
    ("道德", "网络空间道德建设"),
    ("规范", "网络空间行为规范"),
    ("行为", "网络空间行为规范"),
    ("我们申报网络空间生态治理类", "网络空间生态治理"),
    ("网络文化培育活动", "网络空间文化培育"),
]


@pytest.mark.parametrize(("raw", "expected"), GOOD)
def test_a_category_is_understood_and_named_in_full(campaign: Campaign, raw: str, expected: str) -> None:
    assert validators.category(raw, campaign.categories) == expected
    assert categories.echo(expected) == f"已选择申报类别：{expected}"


AMBIGUOUS = [
    ("文", ["2. 网络空间文化培育", "6. 网络空间文明创建"]),
    ("网络文明建设", ["3. 网络空间道德建设", "6. 网络空间文明创建"]),
    ("生态文明", ["5. 网络空间生态治理", "6. 网络空间文明创建"]),
]


@pytest.mark.parametrize(("raw", "listed"), AMBIGUOUS)
def test_an_ambiguous_answer_asks_which_listing_only_the_candidates(
    campaign: Campaign, raw: str, listed: list[str]
) -> None:
    with pytest.raises(FieldError, match="可能是以下") as error:
        validators.category(raw, campaign.categories)
    message = str(error.value)
    assert all(item in message for item in listed)
    assert message.count("网络空间") == len(listed)


@pytest.mark.parametrize("raw", ["0", "7", "10", "第七类", "网络安全", "网络空间", "网络", "abc", "。。。"])
def test_an_unknown_category_lists_all_six(campaign: Campaign, raw: str) -> None:
    with pytest.raises(FieldError, match="未能识别申报类别") as error:
        validators.category(raw, campaign.categories)
    assert all(c.name in str(error.value) for c in campaign.categories)


@pytest.mark.parametrize(("raw", "message"), [("", "不能为空"), ("😀", "表情符号"), ("生态\n治理", "一行")])
def test_an_unusable_answer_is_refused_before_matching(campaign: Campaign, raw: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        validators.category(raw, campaign.categories)


CATEGORIES = load_campaign("2024").categories


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_category_or_a_question(raw: str) -> None:
    choices = CATEGORIES
    try:
        name = validators.category(raw, choices)
    except FieldError:
        return
    assert name in {c.name for c in choices}
