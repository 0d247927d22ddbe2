"""What an office writes is shown back as understood, and the campaign's caps hold in the dialog."""

from __future__ import annotations

import pytest

from dialogs.campaign import Campaign
from tests.helpers import Driver


def _at(driver: Driver, step: str) -> None:
    driver.send("/start")
    while driver.step != step:
        before = driver.step
        driver.send(
            {
                "name": "清朗网络共建行动",
                "applicant": "合肥市委网信办",
                "category": "5",
                "unit": "1",
                "period": "2022年3月",
                "contact": "张三",
            }[driver.step or ""]
        )
        assert driver.step != before, driver.text


@pytest.mark.parametrize(
    ("answer", "echo"),
    [
        ("网络文明创建", "网络空间文明创建"),
        ("生态", "网络空间生态治理"),
        ("6", "网络空间文明创建"),
    ],
)
def test_the_category_is_echoed(campaign: Campaign, answer: str, echo: str) -> None:
    driver = Driver(campaign)
    _at(driver, "category")
    driver.send(answer)
    assert driver.session.draft is not None and driver.session.draft.form.category == echo
    assert f"已选择申报类别：{echo}" in driver.text


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        ("2022年3月15日", "2022年3月15日"),
        ("2022年3月至2023年6月", "2022年3月—2023年6月"),
        ("2022.03 至今", "2022年3月起至今"),
    ],
)
def test_the_period_is_echoed_and_shown_on_the_review(campaign: Campaign, answer: str, shown: str) -> None:
    driver = Driver(campaign)
    _at(driver, "period")
    driver.send(answer)
    assert f"已记录：{shown}" in driver.text
    driver.send("/review")
    assert shown in driver.text  # a range is read back as a range, not refused by the review


def test_a_programme_begun_before_the_window_is_noted_on_the_review(campaign: Campaign) -> None:
    driver = Driver(campaign)
    _at(driver, "period")
    driver.send("2020年5月至2022年6月")
    assert driver.step == "contact", driver.text
    driver.send("/review")
    assert "早于" in driver.text or "之前" in driver.text


def test_two_phones_are_normalised_and_echoed(campaign: Campaign) -> None:
    driver = Driver(campaign)
    _at(driver, "contact")
    driver.send("张三")
    driver.send("０５５１－６２６０６３３５（办）、138 1234 5678")
    assert "已记录联系方式：0551-62606335、13812345678" in driver.text


def test_a_latin_run_cannot_pass_the_name_s_character_cap(campaign: Campaign) -> None:
    driver = Driver(campaign)
    _at(driver, "name")
    driver.send("a" * 100_000)
    assert driver.step == "name"
    assert driver.session.draft is not None and driver.session.draft.form.name is None
    assert str(campaign.limits.line_chars) in driver.text


def test_after_the_cut_off_the_dialog_does_not_offer_a_new_form(campaign: Campaign) -> None:
    from dataclasses import replace

    driver = Driver(campaign)
    driver.ctx = replace(driver.ctx, is_open=False)
    driver.send("/status")  # no draft: the prompt must not invite /new, which would be refused
    driver.send("随便说一句")
    assert "/new" not in driver.text and "已截止" in driver.text
    driver.send("/new")
    assert driver.session.draft is None
