"""同一案例不重复申报: normalising, similarity, and the verdicts the submission dialog acts on."""

from __future__ import annotations

import random
import unicodedata

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.campaign import Duplicates
from dialogs.models import CaseForm
from dialogs.similarity import (
    Fingerprint,
    check_duplicate,
    duplicate_refusal_zh,
    near_duplicate_question_zh,
    normalise,
    similarity,
)

THRESHOLDS = Duplicates()  # clear 0.9, near 0.6, as in the 2024 campaign

SUMMARY = (
    "为推动网络文明建设走深走实，我市依托“清朗江淮”网络平台，组织开展网络文明进校园、进社区、"
    "进企业系列活动，累计举办线上线下活动120余场，覆盖网民300余万人次，形成了“线上引导、线下联动”的"
    "工作机制，有效提升了青少年网络素养。"
)


def form(name: str, summary: str = "") -> CaseForm:
    return CaseForm(name=name, summary=summary)


# ----------------------------------------------------------------------------- normalise


def test_normalise_folds_full_width_case_and_drops_spaces_and_punctuation():
    assert normalise("  《清朗江淮》 ＡＢＣ－１２３！\n") == "清朗江淮abc123"
    assert normalise("“网络文明”进校园——“e”路同行…") == "网络文明进校园e路同行"
    assert normalise("【网信·为民】（第一期）；：、。，?!") == "网信为民第一期"


def test_normalise_drops_zero_width_control_and_emoji_but_keeps_rare_hanzi():
    assert normalise("网\u200b络\u200d文\ufeff明\x07😀") == "网络文明"
    assert normalise("𠀀字") == "𠀀字"  # CJK extension B is text, not decoration


def test_normalise_keeps_the_letters_nfkc_finds_inside_symbols():
    assert normalise("室温25℃，面积100㎡，№1") == "室温25c面积100m2no1"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12))
def test_normalise_equals_nfkc_then_casefold_then_dropping(text: str):
    reference = unicodedata.normalize("NFKC", text).casefold()
    reference = "".join(c for c in reference if unicodedata.category(c)[0] not in "PSZC" and not c.isspace())
    if not reference.isascii():
        reference = opencc.OpenCC("t2s").convert(reference)
    assert normalise(text) == reference


def test_traditional_characters_are_compared_as_simplified():
    assert normalise("網絡文明建設「清朗」行動") == normalise("网络文明建设“清朗”行动") == "网络文明建设清朗行动"
    assert normalise("乾隆年間的頭髮") == "乾隆年间的头发"  # phrases kept: 乾 is not 干 here


TRADITIONAL_SUMMARY = (
    "為推動網絡文明建設走深走實，我市依託“清朗江淮”網絡平台，組織開展網絡文明進校園、進社區、"
    "進企業系列活動，累計舉辦線上線下活動120餘場，覆蓋網民300餘萬人次，形成了“線上引導、線下聯動”的"
    "工作機制，有效提升了青少年網絡素養。"
)


def test_the_same_case_in_traditional_characters_is_a_clear_duplicate():
    verdict = check_duplicate(
        form("網絡文明進校園系列活動", TRADITIONAL_SUMMARY), [(7, form("网络文明进校园系列活动", SUMMARY))], THRESHOLDS
    )
    assert verdict.kind == "clear" and verdict.matches == (7,)


def test_a_traditional_name_with_another_summary_is_still_flagged():
    verdict = check_duplicate(
        form("網絡文明進校園系列活動", "依託新時代文明實踐站在社區開展網絡安全講座。"),
        [(7, form("网络文明进校园系列活动", SUMMARY))],
        THRESHOLDS,
    )
    assert verdict.kind in ("near", "clear") and verdict.matches == (7,)


def test_normalise_of_nothing_is_empty():
    assert normalise("") == ""
    assert normalise(" ，。 \u3000") == ""


# ----------------------------------------------------------------------------- similarity


def test_identical_text_after_normalising_is_fully_similar():
    assert similarity("清朗江淮 网络文明行动", "《清朗江淮·网络文明行动》") == 1.0


def test_unrelated_texts_are_not_similar():
    assert similarity("青少年网络素养教育", "非遗短视频传播计划") < 0.1


def test_similarity_is_symmetric_and_bounded():
    rng = random.Random(7)
    alphabet = "网络文明建设清朗行动青少年素养"
    for _ in range(200):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        s = similarity(a, b)
        assert 0.0 <= s <= 1.0
        assert s == similarity(b, a)


def test_short_and_empty_strings_are_handled():
    assert similarity("", "") == 0.0  # two missing summaries are not the same case
    assert similarity("网", "网") == 1.0
    assert similarity("网", "网络") == 0.0
    assert similarity("，", "。") == 0.0


# ----------------------------------------------------------------------------- check_duplicate


def test_identical_name_after_width_space_punct_normalising_is_clear():
    mine = form("“清朗江淮”网络文明 行动", "完全不同的简介一")
    others = [(7, form("《清朗江淮》网络文明行动！", "另一个简介，讲的是别的事情"))]
    verdict = check_duplicate(mine, others, THRESHOLDS)
    assert verdict.kind == "clear"
    assert verdict.matches == (7,)
    assert verdict.score == 1.0


def test_full_width_name_is_clear():
    verdict = check_duplicate(form("ＡＩ赋能网络文明"), [(3, form("AI 赋能网络文明"))], THRESHOLDS)
    assert verdict.kind == "clear"


def test_same_summary_under_another_name_is_clear():
    edited = SUMMARY.replace("120余场", "120 余场").replace("，", ",")
    verdict = check_duplicate(form("网络文明三进活动", SUMMARY), [(9, form("清朗校园行", edited))], THRESHOLDS)
    assert verdict.kind == "clear"
    assert verdict.matches == (9,)


def test_a_near_duplicate_is_flagged():
    verdict = check_duplicate(
        form("网络文明进校园系列活动"), [(4, form("网络文明进社区系列活动")), (5, form("非遗短视频传播"))], THRESHOLDS
    )
    assert verdict.kind == "near"
    assert verdict.matches == (4,)
    assert THRESHOLDS.near <= verdict.score < THRESHOLDS.clear


def test_a_reworded_summary_is_a_near_duplicate():
    reworded = SUMMARY.replace("我市", "本市").replace("累计举办", "共举办").replace("有效提升了", "显著提高了")
    verdict = check_duplicate(form("甲", SUMMARY), [(2, form("乙", reworded))], THRESHOLDS)
    assert verdict.kind in ("near", "clear")
    assert verdict.matches == (2,)


def test_different_cases_are_not_duplicates():
    verdict = check_duplicate(
        form("非遗短视频传播计划", "组织非遗传承人拍摄短视频，在各平台发布。"),
        [(1, form("网络文明进校园", SUMMARY)), (2, form("青少年网络素养课堂", "开设网络素养公开课。"))],
        THRESHOLDS,
    )
    assert verdict.kind == "none"
    assert verdict.matches == ()


def test_resubmission_does_not_match_itself():
    mine = form("网络文明进校园", SUMMARY)
    verdict = check_duplicate(mine, [(11, mine)], THRESHOLDS, self_id=11)
    assert verdict.kind == "none"
    assert check_duplicate(mine, [(11, mine)], THRESHOLDS).kind == "clear"


def test_clear_matches_win_over_near_ones_and_are_sorted_most_similar_first():
    mine = form("网络文明进校园系列活动", SUMMARY)
    others = [
        (1, form("网络文明进社区系列活动")),  # near
        (2, form("网络文明进校园系列活动!")),  # clear, identical
        (3, form("别的名字", SUMMARY[:-6])),  # clear, slightly shorter summary
    ]
    verdict = check_duplicate(mine, others, THRESHOLDS)
    assert verdict.kind == "clear"
    assert verdict.matches == (2, 3)


def test_an_empty_draft_matches_nothing():
    assert check_duplicate(CaseForm(), [(1, CaseForm()), (2, form("x"))], THRESHOLDS).kind == "none"


def test_fingerprints_and_forms_give_the_same_verdict():
    mine = form("网络文明进校园系列活动", SUMMARY)
    others = [(1, form("网络文明进社区系列活动")), (2, form("别的", SUMMARY))]
    fingerprints = [(i, Fingerprint.of_form(f)) for i, f in others]
    assert check_duplicate(mine, others, THRESHOLDS) == check_duplicate(
        Fingerprint.of_form(mine), fingerprints, THRESHOLDS
    )
    kept = Fingerprint.of_form(mine)
    assert Fingerprint.from_normalised(kept.name, kept.summary) == kept


def test_custom_thresholds_are_used():
    strict = Duplicates(clear=0.99, near=0.95)
    verdict = check_duplicate(form("网络文明进校园系列活动"), [(4, form("网络文明进社区系列活动"))], strict)
    assert verdict.kind == "none"


def test_checking_against_5000_fingerprints_finds_the_one_copy_among_them():
    """Real-size: 5 000 kept fingerprints (bench/similarity.py times it; tests check behaviour only)."""
    rng = random.Random(2024)
    pool = "网络文明建设清朗行动青少年素养教育平台社区校园企业活动传播正能量志愿服务诚信公益治理"
    others = [
        (i, Fingerprint.of("".join(rng.choices(pool, k=12)), "".join(rng.choices(pool, k=280)))) for i in range(5000)
    ]
    mine = Fingerprint.of_form(form("網絡文明進校園系列活動", TRADITIONAL_SUMMARY))
    assert check_duplicate(mine, others, THRESHOLDS).kind == "none"
    others.insert(2500, (9999, Fingerprint.of_form(form("网络文明进校园系列活动", SUMMARY))))
    assert check_duplicate(mine, others, THRESHOLDS) == check_duplicate(mine, [others[2500]], THRESHOLDS)
    assert check_duplicate(mine, others, THRESHOLDS).matches == (9999,)


# ----------------------------------------------------------------------------- messages


@pytest.mark.parametrize("message", [duplicate_refusal_zh(), near_duplicate_question_zh()])
def test_messages_reveal_nothing_about_the_other_case(message: str):
    assert "同一案例不重复申报" in message
    for secret in ("单位：", "市委网信办", "提交人", "案例名称为", "编号"):
        assert secret not in message
