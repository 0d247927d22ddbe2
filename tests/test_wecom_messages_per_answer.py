"""What a whole form costs a member in WeCom messages, and that the 推荐表 is not held behind WeCom's window.

WeCom takes 30 messages a minute per member and drops the rest without a word, so casebot's pacer
(:mod:`bot.channels.wecom.pacing`) waits instead. A member filling a form at a person's pace must
never reach that limit, or the 推荐表 waits behind it. `casebot` runs as its own process against the
loopback fake (pacing off, so the fake's record is the order and the number of what was sent); the
timing is then replayed through the real :class:`Pacer` on a stopped clock, a person's pace apart,
so the test counts messages in the window and never reads the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.channels.wecom.pacing import PER_MINUTE, Pacer
from tests.helpers import SAMPLE_BACKGROUND, SAMPLE_LESSONS, SAMPLE_PRACTICE, SAMPLE_RESULTS, SAMPLE_SUMMARY, make_image
from tests.test_wecom_e2e import HEFEI, bot, code  # noqa: F401  (the bot fixture)
from tests.wecom.process import Member, WeComBot

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]  # the bot fixture is the module's

MOST_PER_ANSWER = 1.2
# A person reads a prompt and answers it (types "1", pastes a prepared paragraph) in no less than about
# 2.5 s. At 1.2 messages an answer that is 29 messages a minute: under WeCom's 30, however long the form.
PACE = 2.5
PROMPT = 5.0  # the 推荐表 arrives within this many seconds of the confirmation


class StoppedClock:
    """The pacer's clock, moved by the test from one answer to the next."""

    def __init__(self) -> None:
        self.time = 0.0

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:  # never called: the test only reserves slots
        self.time += seconds


@dataclass
class Answer:
    sent: str
    last: Callable[[dict[str, Any]], bool]  # the last message that answers it
    messages: list[dict[str, Any]] = field(default_factory=list)


def text_with(words: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: m["msgtype"] == "text" and words in m["text"]["content"]


def kind(msgtype: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: m["msgtype"] == msgtype


def halves(text: str) -> tuple[str, str]:
    """A part pasted in two messages, cut at a paragraph break, as a person pastes a long text."""
    paragraphs = text.split("\n")
    middle = max(1, len(paragraphs) // 2)
    return "\n".join(paragraphs[:middle]), "\n".join(paragraphs[middle:]) or "（续）"


def person_form(invitation: str) -> list[Answer]:
    """Joining, a whole form of real length (a 300-字 summary, 2 000 字 of content pasted in two pieces a
    part, a photo), the review, submitting and confirming; each answer with the last message answering it."""
    script = [
        Answer(invitation, text_with("第 1/14 步")),
        Answer("清朗网络共建行动——依托网络文明实践平台推动文明新风进万家", text_with("第 2/14 步")),
        Answer("合肥市委网信办网络传播处", kind("template_card")),  # the categories, and their card
        Answer("5", text_with("第 5/14 步")),
        Answer("2022年3月至2023年6月", text_with("第 6/14 步")),
        Answer("张三", text_with("第 7/14 步")),
        Answer("0551-62606335（办）、13812345678", text_with("第 8/14 步")),
        Answer(SAMPLE_SUMMARY, text_with("已记录")),
        Answer("/next", text_with("第 9/14 步")),
    ]
    for step, part in enumerate((SAMPLE_BACKGROUND, SAMPLE_PRACTICE, SAMPLE_RESULTS, SAMPLE_LESSONS), start=10):
        first, second = halves(part)
        script += [Answer(first, text_with("已记录")), Answer(second, text_with("已补充"))]
        script.append(Answer("/next", text_with(f"第 {step}/14 步")))
    script.append(Answer("", text_with("共已附 1/2 张")))  # the photo (sent as a picture, not a text)
    script.append(Answer("/next", text_with("第 14/14 步")))
    script.append(Answer("/submit", kind("template_card")))  # the confirmation, and its card
    script.append(Answer("1", kind("file")))  # the 推荐表
    return script


async def play(member: Member, script: list[Answer]) -> None:
    for answer in script:
        before = len(member.messages)
        if answer.sent:
            await member.send(answer.sent)
        else:
            await member.send_picture(make_image("JPEG", (1600, 1200), "green"))
        await member.wait_for(answer.last)
        answer.messages = member.messages[before:]


def paced(script: list[Answer], pace: float) -> list[tuple[float, float]]:
    """(when the answer came, when the pacer lets the message go) for every message, answers ``pace`` apart."""
    clock = StoppedClock()
    pacer = Pacer(clock=clock)  # WeCom's own limits: 30 a minute, 1 000 an hour
    slots = []
    for index, answer in enumerate(script):
        clock.time = index * pace
        slots += [(clock.time, pacer.reserve("member")) for _ in answer.messages]
    return slots


async def test_a_whole_form_costs_about_one_message_an_answer_and_the_form_arrives_at_once(bot: WeComBot) -> None:  # noqa: F811
    alice = Member(bot, "HanMeimei")
    script = person_form(code(bot, HEFEI, "申报人"))
    await play(alice, script)
    await alice.say("/status", "您的案例")  # whatever the form's last answer brought has arrived before this
    counted = sum(len(answer.messages) for answer in script)
    assert counted == len(alice.messages) - 1, "every message belongs to one answer"

    assert counted / len(script) <= MOST_PER_ANSWER, [len(a.messages) for a in script]
    for answer in script:
        kinds = [m["msgtype"] for m in answer.messages]
        assert kinds.count("text") >= 1 and kinds[0] == "text", (answer.sent[:20], kinds)
        assert kinds.count("template_card") <= 1
    cards = [answer for answer in script if any(m["msgtype"] == "template_card" for m in answer.messages)]
    assert [answer.sent for answer in cards] == ["合肥市委网信办网络传播处", "/submit"], (
        "cards only where they save typing"
    )
    for answer in cards:  # the numbered list stands in the text above the card: nothing is lost without cards
        listing, card = answer.messages[-2:]
        assert "请回复序号" in listing["text"]["content"] and card["msgtype"] == "template_card"
        first = card["template_card"]["button_list"][0]["text"]
        assert f"1. {first}" in listing["text"]["content"]
    joined = script[0].messages[0]["text"]["content"]
    assert "已加入" in joined and "第 1/14 步" in joined, "the welcome and the first step in one message"
    review = script[-3]
    assert len(review.messages) == 1 and "/submit（提交）" in review.messages[0]["text"]["content"]
    assert "/show 序号（查看全文：8、9、10、11、12）" in review.messages[0]["text"]["content"]

    slots = paced(script, PACE)
    confirmed, released = slots[-1]  # the 推荐表, the confirmation's last message
    assert released - confirmed <= PROMPT, f"the 推荐表 waits {released - confirmed:.0f} s for WeCom's window"
    in_window = [slot for _, slot in slots if released - 60.0 < slot <= released]
    assert len(in_window) <= PER_MINUTE
    assert all(slot == came for came, slot in slots), "no message of the form waits for the window"
