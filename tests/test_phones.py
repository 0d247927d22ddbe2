"""联系方式 as offices write them: every form on a letterhead is read, every wrong one is told what is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs import phones, validators
from dialogs.validators import FieldError

GOOD = [
    # mobiles
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("0086 13812345678", "13812345678"),
    ("(+86) 138-1234-5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("19912345678", "19912345678"),
    # landlines with a 4-digit area code: 7 or 8 digits
    ("0551-62606335", "0551-62606335"),
    ("0556-5521234", "0556-5521234"),
    ("0551—62606335", "0551-62606335"),
    ("0551–62606335", "0551-62606335"),
    ("0551‐62606335", "0551-62606335"),
    ("0551－62606335", "0551-62606335"),
    ("０５５１－６２６０６３３５", "0551-62606335"),
    ("(0551) 6260 6335", "0551-62606335"),
    ("（0551）62606335", "0551-62606335"),
    ("【0551】62606335", "0551-62606335"),
    ("055162606335", "0551-62606335"),
    ("0551 62606335", "0551-62606335"),
    ("0551-6260-6335", "0551-62606335"),
    ("+86 551 6260 6335", "0551-62606335"),
    ("+86-551-62606335", "0551-62606335"),
    # 010 and 02X: 8 digits
    ("010-62345678", "010-62345678"),
    ("+86-10-62345678", "010-62345678"),
    ("+86 10 6234 5678", "010-62345678"),
    ("021-62345678", "021-62345678"),
    ("(029)88886666", "029-88886666"),
    # extensions
    ("0551-62606335转8001", "0551-62606335转8001"),
    ("0551-62606335 转 8001", "0551-62606335转8001"),
    ("0551-62606335分机8001", "0551-62606335转8001"),
    ("0551-62606335 ext. 12", "0551-62606335转12"),
    ("0551-62606335 EXT 12", "0551-62606335转12"),
    ("0551-62606335x12", "0551-62606335转12"),
    ("0551-62606335#12", "0551-62606335转12"),
    ("0551-62606335-8001", "0551-62606335转8001"),
    ("0551-62606335-8", "0551-62606335转8"),
    ("010-62345678-123456", "010-62345678转123456"),
    # 400/800 service numbers
    ("400-810-8888", "400-810-8888"),
    ("4008108888", "400-810-8888"),
    ("400 810 8888", "400-810-8888"),
    ("800-820-8820", "800-820-8820"),
    ("400-810-8888转2", "400-810-8888转2"),
    ("+86 400 810 8888", "400-810-8888"),
    # annotations and labels are dropped
    ("0556-5521234（办）", "0556-5521234"),
    ("13812345678（手机）", "13812345678"),
    ("电话：0551-62606335", "0551-62606335"),
    ("手机13812345678", "13812345678"),
    # two numbers, every separator
    ("0551-62606335（办）、13812345678", "0551-62606335、13812345678"),
    ("13812345678、0556-5521234", "13812345678、0556-5521234"),
    ("0551-62606335，13812345678", "0551-62606335、13812345678"),
    ("0551-62606335,13812345678", "0551-62606335、13812345678"),
    ("0551-62606335；13812345678", "0551-62606335、13812345678"),
    ("0551-62606335;13812345678", "0551-62606335、13812345678"),
    ("0551-62606335/13812345678", "0551-62606335、13812345678"),
    ("0551-62606335 13812345678", "0551-62606335、13812345678"),
    ("0551 6260 6335 138 1234 5678", "0551-62606335、13812345678"),
    ("办公电话：0551-62606335；手机：13812345678", "0551-62606335、13812345678"),
    ("0551-62606335转8001、13812345678", "0551-62606335转8001、13812345678"),
    ("13812345678、13812345678", "13812345678"),
    # e-mail addresses copied with the phone are set aside (the dialog says so), not read as digits
    ("0551—62606335，邮箱anhuiwlwm@126.com", "0551-62606335"),
    ("０５５１－６２６０６３３５　邮箱：ａｎｈｕｉｗｌｗｍ＠１２６．ｃｏｍ", "0551-62606335"),
    ("13812345678 zhang.ming-01@ah.gov.cn", "13812345678"),
    # an area whose numbers have 7 digits, and Beijing's 8
    ("0556-5521234转12", "0556-5521234转12"),
    ("（010）6523 4567", "010-65234567"),
]

LETTERHEAD = [
    # two numbers on two lines, as notices and letterheads print them
    ("0551-62606335\n13812345678", "0551-62606335、13812345678"),
    ("电话：0551-62606335\n手机：13812345678\n", "0551-62606335、13812345678"),
    ("办公电话：0551—62606335\r\n手机：138 1234 5678\r\n邮箱：anhuiwlwm@126.com", "0551-62606335、13812345678"),
]


@pytest.mark.parametrize(("raw", "stored"), LETTERHEAD)
def test_numbers_on_separate_lines_are_two_numbers(raw: str, stored: str) -> None:
    assert validators.phone(raw) == stored


def test_the_email_beside_a_phone_is_found_so_the_dialog_can_say_it_was_not_kept() -> None:
    assert phones.emails("0551—62606335，邮箱anhuiwlwm@126.com") == ["anhuiwlwm@126.com"]
    assert phones.emails("０５５１－６２６０６３３５") == []


@pytest.mark.parametrize(("raw", "stored"), GOOD)
def test_a_phone_as_offices_write_it_is_stored_normalised(raw: str, stored: str) -> None:
    assert validators.phone(raw) == stored
    assert validators.phone(stored) == stored


BAD = [
    # area code missing
    ("62606335", "区号缺失"),
    ("6260633", "区号缺失"),
    ("62606335、13812345678", "区号缺失"),
    # wrong lengths, for each kind of area code
    ("010-6234567", "应为 8 位，现为 7 位，少 1 位"),
    ("010-623456789", "应为 8 位，现为 9 位，多 1 位"),
    ("021-6234567", "区号 021（上海市）后的本地号码应为 8 位，现为 7 位，少 1 位"),
    ("029-623456", "少 2 位"),
    ("0551-626063", "区号 0551（安徽省合肥市）后的本地号码应为 8 位，现为 6 位，少 2 位"),
    ("0551-626063351", "应为 8 位，现为 9 位，多 1 位"),
    # the length an area's numbers have (phonenumbers' numbering plan), not any 7 or 8 digits
    ("0551-6260633", "区号 0551（安徽省合肥市）后的本地号码应为 8 位，现为 7 位，少 1 位"),
    ("0755-8765432", "区号 0755（广东省深圳市）后的本地号码应为 8 位，现为 7 位，少 1 位"),
    ("0512-6512345", "区号 0512（江苏省苏州市）后的本地号码应为 8 位，现为 7 位，少 1 位"),
    ("0556-55212345", "区号 0556（安徽省安庆市）后的本地号码应为 7 位，现为 8 位，多 1 位"),
    ("0551 6260633、13812345678", "区号 0551（安徽省合肥市）"),
    ("026-62345678", "026 不是在用的固定电话区号"),
    ("0300-6234567", "0300 不是在用的固定电话区号"),
    # letters after a number are refused, never dropped
    ("13812345678a", "号码后有字母“a”"),
    ("１３８１２３４５６７８ａ", "号码后有字母“a”"),
    ("０５５１－６２６０６３３５ＡＢ", "号码后有字母“AB”"),
    ("0551-62606335 abc、13812345678", "号码后有字母“abc”"),
    ("0551-62606335x", "号码后有字母“x”"),
    # an e-mail alone is not a phone
    ("anhuiwlwm@126.com", "电子邮箱无需填写"),
    ("邮箱：anhuiwlwm@126.com", "电子邮箱无需填写"),
    ("0551-", "现为 0 位"),
    ("1381234567", "手机号码应为 11 位，现为 10 位，少 1 位"),
    ("138123456789", "手机号码应为 11 位，现为 12 位，多 1 位"),
    ("138 1234 567", "少 1 位"),
    ("400-810-888", "应为 10 位，现为 9 位，少 1 位"),
    # local numbers never start with 0 or 1
    ("010-12345678", "不能以 0 或 1 开头"),
    ("0551-02606335", "不能以 0 或 1 开头"),
    # other wrong numbers
    ("12012345678", "13～19 开头"),
    ("0012345678", "区号有误"),
    ("011-62345678", "区号有误"),
    ("23812345678", "未能识别"),
    ("12345", "少 6 位"),
    ("13812345678转12", "分机号有误"),
    ("0551-62606335转", "分机号有误"),
    ("0551-62606335转1234567", "分机号有误"),
    ("+1 650 253 0000", "国内号码"),
    ("0551-62606335、13812345678、13912345678", "最多填写 2 个号码"),
    ("电话", "未找到电话号码"),
    ("", "不能为空"),
]


@pytest.mark.parametrize(("raw", "message"), BAD)
def test_a_wrong_phone_is_told_what_is_wrong_and_shown_an_example(raw: str, message: str) -> None:
    with pytest.raises(FieldError, match=message) as error:
        validators.phone(raw)
    if raw:
        assert "0551-62606335" in str(error.value)  # every refusal shows the form it wants


PHONE_ALPHABET = st.sampled_from(
    list("0123456789０１２３+-—–－ ()（）、，,；;/转分机ext.#x（办）手机电话：:") + ["\u3000"]
)


@settings(max_examples=1500, deadline=None)
@given(st.text(PHONE_ALPHABET, max_size=40) | st.text(max_size=60))
def test_any_answer_is_read_or_refused_and_what_is_read_reads_back_the_same(raw: str) -> None:
    try:
        stored = phones.parse(raw)
    except FieldError:
        return
    assert stored and phones.parse(stored) == stored


# real numbers of offices (the local part as the numbering plan has it for each area)
OFFICE_LINES = ["0551-62606335", "0556-5521234", "010-65234567", "021-62345678", "0755-83765432", "0512-65123456"]


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.sampled_from(OFFICE_LINES),
    st.sampled_from(["、", "，", ",", "；", "/", " ", " / ", "\n", "\r\n", "\n\n"]),
)
def test_any_office_line_and_mobile_are_both_kept(mobile: str, landline: str, separator: str) -> None:
    assert validators.phone(f"{landline}{separator}{mobile}") == f"{landline}、{mobile}"


@pytest.mark.parametrize("landline", OFFICE_LINES)
def test_a_landline_one_digit_short_or_long_is_refused_with_its_area(landline: str) -> None:
    area, local = landline.split("-")
    for wrong in (local[:-1], local + "5"):
        with pytest.raises(FieldError, match=f"区号 {area}（") as error:
            phones.parse(f"{area}-{wrong}")
        assert f"现为 {len(wrong)} 位" in str(error.value)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(OFFICE_LINES + ["13812345678"]),
    st.text(st.sampled_from("abcxyzABCXYZａｂｃＡＢＣ"), min_size=1, max_size=4),
    st.booleans(),
)
def test_letters_after_any_number_are_refused_never_dropped(number: str, letters: str, full_width: bool) -> None:
    typed = number.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)}) if full_width else number
    with pytest.raises(FieldError, match="字母"):
        phones.parse(typed + letters)
