"""Helpers shared by the scenario tests: a pure dialog driver, sample answers, images."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image

from bot.reading.pictures import read_picture
from bot.reading.word_form import read_form
from dialogs.campaign import Campaign
from dialogs.events import Document, Event, PictureIn, Pictures, PicturesRead, Reply, parse_text
from dialogs.machine import Context, Outcome, handle
from dialogs.session import Session
from dialogs.wordfile import FormRead

NOW = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def make_image(fmt: str = "PNG", size: tuple[int, int] = (64, 48), color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


class Driver:
    """Plays one submitter against the pure dialog, keeping the session between messages."""

    def __init__(self, campaign: Campaign, unit: str | None = None, now: datetime = NOW) -> None:
        # the dialog's own steps, 推荐单位 included, as a campaign with open_units plays them; joining by
        # invitation is tested through the service (tests/test_joining.py)
        self.ctx = Context(campaign=campaign, now=now, deadline_note="距申报截止还有 10 天", units_open=True)
        self.session = Session(user="u1", unit=unit)
        self.last: Outcome | None = None

    def send(self, message: str | Event) -> Outcome:
        event = parse_text(message) if isinstance(message, str) else message
        if isinstance(event, Document):  # the shell reads a Word file before the dialog sees it
            event = FormRead(event.filename, read_form(event.data, event.filename))
        if isinstance(event, Pictures):  # and its pictures (here in this process: the dialog is what is tested)
            event = PicturesRead(tuple(read_picture(p, self.ctx.campaign.limits) for p in event.items))
        self.last = handle(self.session, event, self.ctx)
        self.session = self.last.session
        return self.last

    def picture(self, data: bytes, caption: str = "") -> Outcome:
        return self.send(Pictures(items=(PictureIn(data=data, caption=caption),)))

    @property
    def text(self) -> str:
        assert self.last is not None
        return "\n".join(r.text for r in self.last.replies)

    @property
    def step(self) -> str | None:
        return self.session.draft.step.value if self.session.draft else None

    def buttons(self) -> list[tuple[str, str]]:
        assert self.last is not None
        return [(b.label, b.data) for r in self.last.replies for row in r.buttons for b in row]


SUMMARY = "本案例通过建设网络文明实践平台，推动网络文明建设走深走实。"
HAPPY = [
    "/start",
    "清朗网络共建行动",
    "合肥市委网信办",
    "5",
    "1",  # 推荐单位：列表序号 1
    "2022年3月",
    "张三",
    "0551—62606335",
    SUMMARY,
    "/next",
    "背景意义内容。",
    "/next",
    "主要做法内容。",
    "/next",
    "实施成效内容。",
    "/next",
    "经验启示内容。",
    "/next",
    "/skip",
]

# HAPPY as a member of a unit answers it: the unit joined is the 推荐单位, so step 4 is not asked.
HAPPY_MEMBER = [answer for answer in HAPPY if answer != "1"]


def fill(driver: Driver, answers: list[str] = HAPPY) -> None:
    for answer in answers:
        driver.send(answer)


def texts(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def _sample_texts() -> tuple[str, str, str, str, str]:
    from bot.disk.samples import sample_form

    form = sample_form()
    return (form.summary or "", form.background or "", form.practice or "", form.results or "", form.lessons or "")


# A real case's texts: the summary at exactly 300 字, the four parts at exactly 2 000 字 together.
SAMPLE_SUMMARY, SAMPLE_BACKGROUND, SAMPLE_PRACTICE, SAMPLE_RESULTS, SAMPLE_LESSONS = _sample_texts()
