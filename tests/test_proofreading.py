"""Proofreading before submitting: the review stays compact, every long field can be read in full,
and a preview 推荐表 can be asked for; plus words that fit the moment (welcome, deadline, resume)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from dialogs.campaign import Campaign
from dialogs.events import Press
from dialogs.machine import PreviewForm, SubmitDraft
from dialogs.wordcount import count_zi
from tests.helpers import HAPPY, Driver, fill
from tests.helpers import SAMPLE_BACKGROUND as BACKGROUND
from tests.helpers import SAMPLE_LESSONS as LESSONS
from tests.helpers import SAMPLE_PRACTICE as PRACTICE
from tests.helpers import SAMPLE_RESULTS as RESULTS
from tests.helpers import SAMPLE_SUMMARY as SUMMARY

FULL = [
    *HAPPY[:8],
    SUMMARY,
    "/next",
    BACKGROUND,
    "/next",
    PRACTICE,
    "/next",
    RESULTS,
    "/next",
    LESSONS,
    "/next",
    "/skip",
]


@pytest.fixture
def reviewed(driver: Driver) -> Driver:
    fill(driver, FULL)
    assert driver.step == "review"
    return driver


def test_the_review_is_compact_and_offers_the_full_text_of_every_long_field(reviewed: Driver) -> None:
    assert PRACTICE not in reviewed.text and "……（" in reviewed.text
    shows = [(label, data) for label, data in reviewed.buttons() if data.startswith("cmd:show")]
    assert [label for label, _ in shows] == [
        "查看全文：案例简介",
        "查看全文：一、背景意义",
        "查看全文：二、主要做法",
        "查看全文：三、实施成效",
        "查看全文：四、经验启示",
    ]
    reviewed.send(Press(data=shows[2][1]))
    assert len(reviewed.last.replies) == 1 and PRACTICE in reviewed.text


@pytest.mark.parametrize(
    ("typed", "text"), [("8", SUMMARY), ("9", BACKGROUND), ("主要做法", PRACTICE), ("12", LESSONS)]
)
def test_show_n_gives_the_whole_field_as_one_reply_with_its_paragraphs(reviewed: Driver, typed: str, text: str) -> None:
    reviewed.send(f"/show {typed}")
    assert len(reviewed.last.replies) == 1
    assert reviewed.text.endswith(text) and f"（{count_zi(text)} 字）" in reviewed.text
    assert reviewed.step == "review"


def test_a_2000_zi_part_goes_out_whole_in_one_reply(driver: Driver) -> None:
    fill(driver, HAPPY[:10])
    part = "\n".join(["网络文明建设" * 50] * 6) + "字" * 200  # 2 000 字, six long paragraphs
    assert count_zi(part) == 2000
    driver.send(part)
    driver.send("/show 9")
    assert len(driver.last.replies) == 1 and driver.last.replies[0].text.endswith(part)


@pytest.mark.parametrize("typed", ["/show 99", "/show 名称不对"])
def test_show_of_an_unknown_item_explains(reviewed: Driver, typed: str) -> None:
    before = reviewed.session
    reviewed.send(typed)
    assert "1～13" in reviewed.text and reviewed.session == before


def test_a_preview_is_asked_of_the_shell_and_changes_nothing(reviewed: Driver) -> None:
    preview = next(data for _, data in reviewed.buttons() if data.startswith("cmd:preview"))
    before = reviewed.session.draft
    reviewed.send(Press(data=preview))
    (action,) = reviewed.last.actions
    assert isinstance(action, PreviewForm) and action.draft == before
    assert "预览" in reviewed.text and reviewed.session.draft == before


@pytest.mark.parametrize(("yes", "no"), [("确认", "取消"), ("是", "否"), ("1", "2"), ("确认提交", "暂不提交")])
def test_the_submit_confirmation_takes_typed_answers(reviewed: Driver, yes: str, no: str) -> None:
    reviewed.send("/submit")
    reviewed.send(no)
    assert not reviewed.last.actions and "暂不提交" in reviewed.text
    reviewed.send("/submit")
    reviewed.send(yes)
    assert isinstance(reviewed.last.actions[0], SubmitDraft)


def test_the_full_welcome_once_then_a_short_one(driver: Driver) -> None:
    driver.send("/start")
    assert "欢迎使用" in driver.text and "常用命令" in driver.text
    driver.send("/start")
    assert "欢迎回来" in driver.text and "常用命令" not in driver.text
    driver.send("/help")
    assert "常用命令" in driver.text


def test_the_resume_message_names_the_draft(driver: Driver) -> None:
    fill(driver, HAPPY[:4])
    driver.send("/start")
    assert "未完成的草稿《清朗网络共建行动》" in driver.text and "第 4/14 步" in driver.text


def test_the_deadline_line_on_the_first_prompt_of_a_sitting_only(driver: Driver) -> None:
    note = driver.ctx.deadline_note
    driver.send("/start")
    assert note in driver.text
    driver.send("清朗网络共建行动")
    assert note not in driver.text
    driver.ctx = replace(driver.ctx, now=driver.ctx.now + timedelta(hours=5))  # back after a pause
    driver.send("合肥市委网信办")
    assert note in driver.text
    driver.send("5")
    assert note not in driver.text


@pytest.mark.parametrize(("days", "every"), [(7, True), (3, True), (0, True), (8, False), (30, False)])
def test_the_deadline_line_at_every_step_in_the_last_week(campaign: Campaign, days: int, every: bool) -> None:
    driver = Driver(campaign)
    driver.ctx = replace(driver.ctx, days_left=days, deadline_note=f"距申报截止还有 {days} 天")
    fill(driver, HAPPY[:3])
    assert (driver.ctx.deadline_note in driver.text) is every
