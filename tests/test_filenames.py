"""File names built from user text are safe on Windows, macOS and Linux, and still read well."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot.disk.samples import sample_campaign
from dialogs.campaign import Unit, UnitKind
from exporters.filenames import (
    MAX_BYTES,
    case_list_filename,
    form_filename,
    province_filename,
    safe_component,
    summary_filename,
)

WINDOWS_FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def assert_safe(name: str) -> None:
    assert name, "never empty"
    assert not WINDOWS_FORBIDDEN.search(name)
    assert name == name.strip(" .\u3000"), "no leading or trailing dots or spaces"
    assert not name.startswith("-")
    assert name.split(".")[0].upper() not in RESERVED
    assert not any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} for c in name)
    assert len(name.encode("utf-8")) <= MAX_BYTES


BAD_NAMES = [
    'a/b\\c:d*e?f"g<h>i|j',
    "../../etc/passwd",
    "..\\..\\Windows\\system32",
    "CON",
    "con.docx",
    "Nul",
    "COM1",
    "lpt9.txt",
    "COM¹",
    "  . 清朗行动 .  ",
    "...",
    "",
    "   ",
    "\x00\x01\x1f",
    "清朗\x00行动\x7f",
    "报告\u202etxt.exe",  # right-to-left override: "报告exe.txt" on screen
    "清\u200b朗\u200d行\ufeff动",
    "第一行\n第二行\r\n第三行\t完",
    "\ud800孤立代理",
    "私用\ue000区",
    "-rf 清朗",
    "—— 清朗行动 ——",
    "长" * 500,
    "a" * 500,
    "😀" * 100,
]


@pytest.mark.parametrize("text", BAD_NAMES)
def test_bad_names_become_safe(text):
    assert_safe(safe_component(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("清朗网络共建行动", "清朗网络共建行动"),
        ("“清风e路”网络文明志愿服务行动", "“清风e路”网络文明志愿服务行动"),
        ("关于:清朗行动?", "关于：清朗行动？"),
        ("<网络文明>建设", "《网络文明》建设"),
        ("甲/乙\\丙|丁*戊", "甲-乙-丙-丁-戊"),
        ("  . 清朗行动 .  ", "清朗行动"),
        ("清\u200b朗", "清朗"),
        ("第一行\n第二行", "第一行 第二行"),
        ("CON", "_CON"),
        ("", "未命名"),
        ("...", "未命名"),
        (" \u3000 ", "未命名"),
    ],
)
def test_readable_chinese_kept(text, expected):
    assert safe_component(text) == expected


def test_length_bounded_in_characters_and_bytes():
    assert len(safe_component("长" * 500)) == 60
    assert len(safe_component("长" * 500, max_chars=10)) == 10
    assert len(safe_component("😀" * 500, max_chars=150).encode("utf-8")) <= MAX_BYTES
    assert safe_component("清朗行动." + "长" * 100, max_chars=5) == "清朗行动"  # no trailing dot


def test_form_filename():
    assert form_filename(1, "清朗网络共建行动") == "01-清朗网络共建行动-推荐表.docx"
    assert form_filename(12, "清朗") == "12-清朗-推荐表.docx"
    assert form_filename(None, "清朗网络共建行动") == "清朗网络共建行动-推荐表.docx"
    assert form_filename(None, None) == "未命名-推荐表.docx"
    assert form_filename(3, "../CON") == "03-_CON-推荐表.docx"


@pytest.mark.parametrize("text", BAD_NAMES)
def test_form_filename_safe(text):
    name = form_filename(2, text)
    assert name.startswith("02-") and name.endswith("-推荐表.docx")
    assert_safe(name)


def test_summary_and_province_filenames():
    campaign = sample_campaign()
    assert summary_filename(campaign, campaign.unit("hefei")) == (
        "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx"
    )
    assert province_filename(campaign) == "2024年网络文明建设优秀案例推荐汇总表-全省.xlsx"
    odd = Unit(code="odd", name="省直/单位:测试", kind=UnitKind.OTHER)
    name = summary_filename(campaign, odd)
    assert name == "2024年网络文明建设优秀案例推荐汇总表-省直-单位：测试.xlsx"
    assert_safe(name)


def test_case_list_filename_says_it_is_not_the_summary():
    campaign = sample_campaign()
    assert case_list_filename(campaign, campaign.unit("hefei")) == "2024年全部申报案例（存档）-合肥市委网信办.xlsx"
    long = Unit(code="long", name="某" * 60, kind=UnitKind.OTHER)
    for unit in (long, Unit(code="odd", name="省直/单位:测试", kind=UnitKind.OTHER)):
        name = case_list_filename(campaign, unit)
        assert name != summary_filename(campaign, unit)
        assert_safe(name)
