"""Choices are the channel's business: the dialog offers them as buttons, with bare labels and no
instruction on how to pick one, and a choice typed by its number or its label counts as pressed."""

from __future__ import annotations

import re

import pytest

from dialogs.events import Reply
from dialogs.machine import Accepted, NearDuplicate, SubmitDraft, after_submit
from tests.helpers import HAPPY, Driver, fill

CHANNEL_HINTS = ("点击", "按钮", "回复序号", "回复 1", "回复1")
NUMBERED = re.compile(r"^\s*\d+\s*[.、．]")


def _every_reply(driver: Driver) -> list[Reply]:
    """A whole session touching every kind of choice: category, unit, /edit, submit, cancel, near duplicate."""
    seen: list[Reply] = []

    def send(message: str) -> None:
        driver.send(message)
        assert driver.last is not None
        seen.extend(driver.last.replies)

    for answer in HAPPY:
        send(answer)
    send("/edit")
    send("3")
    send("2")
    send("/submit")
    send("2")
    send("/submit")
    out = after_submit(driver.session, NearDuplicate(message="经系统比对，已有相近案例。"), driver.ctx)
    seen.extend(out.replies)
    driver.session = out.session
    send("随便写点什么")
    send("/cancel")
    send("2")
    return seen


def test_no_reply_tells_how_to_press_or_type_a_choice(driver: Driver) -> None:
    for reply in _every_reply(driver):
        assert not any(hint in reply.text for hint in CHANNEL_HINTS), reply.text


def test_button_labels_carry_no_numbers_of_their_own(driver: Driver) -> None:
    labels = [b.label for r in _every_reply(driver) for row in r.buttons for b in row]
    assert {"确认提交", "暂不提交", "确认放弃", "继续填写", "合肥市委网信办", "联系方式"} <= set(labels)
    assert not [label for label in labels if NUMBERED.match(label)]


@pytest.mark.parametrize("typed", ["1", "１", "1.", "1、", "确认提交", " 确认提交 "])
def test_a_confirmation_typed_by_number_or_label_counts_as_pressed(driver: Driver, typed: str) -> None:
    fill(driver, HAPPY)
    driver.send("/submit")
    driver.send("/submit")
    driver.send(typed)
    assert driver.last is not None and isinstance(driver.last.actions[0], SubmitDraft)


@pytest.mark.parametrize(
    ("typed", "step"), [("7", "phone"), ("７", "phone"), ("联系方式", "phone"), ("13", "pictures")]
)
def test_the_edit_list_is_numbered_as_the_review_is(driver: Driver, typed: str, step: str) -> None:
    fill(driver, HAPPY)
    driver.send("/edit")
    labels = [label for label, _ in driver.buttons()]
    assert labels[6] == "联系方式" and len(labels) == 13
    driver.send(typed)
    assert driver.step == step


def test_an_unreadable_answer_to_a_choice_keeps_the_choice_open(driver: Driver) -> None:
    fill(driver, HAPPY)
    driver.send("/cancel")
    driver.send("3")
    assert "请从上方选项中选择" in driver.text and len(driver.buttons()) == 2
    driver.send("2")
    assert driver.session.draft is not None and "已保留草稿" in driver.text


def test_the_submitted_reply_counts_the_quota_with_spaces(driver: Driver) -> None:
    fill(driver, HAPPY)
    accepted = Accepted(
        case_id=3, name="清朗网络共建行动", unit_name="合肥市委网信办", recommended=True, rank=2, quota=4, used=2
    )
    out = after_submit(driver.session, accepted, driver.ctx)
    assert "合肥市委网信办推荐名单第 2 位（本单位推荐名额已用 2/4）" in out.replies[0].text
