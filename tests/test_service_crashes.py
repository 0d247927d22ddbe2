"""Each place where a random event once broke the service, sent through the whole service on a real
SQLite file: the event is answered in Chinese, and a refusal leaves the database file as it was.

The sites (issue 10): an ``edit:`` button naming no step; digits that ``str.isdigit()`` accepts and
``int()`` refuses (/revise ², /up ², /rank 1 ³, /return 1 ¹ …, a ``co:wd:²:…`` button); case ids of
2^63 or more, which overflowed SQLite; files that are not pictures; commands at the wrong step; a
button from an older message; and the same button pressed twice at once.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator

import pytest

from bot.app import App
from bot.usecases.response import Response
from dialogs.events import Command, Event, PictureIn, Pictures, Press, parse_text
from dialogs.session import Pending, Session
from dialogs.wording import t
from tests.fuzz_events import FAKE_PICTURES, PART_480, SUMMARY_300, form_answers, png_header
from tests.helpers import make_image
from tests.test_fuzz_service import reader_of, snapshot, stored_session

UNIT = "hefei"
HUGE = "99999999999999999999"  # beyond SQLite's 64-bit integers
TWO_63 = str(2**63)


@pytest.fixture
def reader(app: App) -> Iterator[sqlite3.Connection]:
    with reader_of(app.settings.db) as connection:
        yield connection


async def send(app: App, user: str, line: str | Event) -> Response:
    """As a channel does: handle the event, and say the replies have left (which settles a receipt)."""
    response = await app.service.handle(user, parse_text(line) if isinstance(line, str) else line)
    await response.sent()
    return response


async def refused(app: App, reader: sqlite3.Connection, user: str, event: str | Event) -> str:
    """Send ``event``; it must be answered, reported as changing nothing, and change nothing in the file."""
    before = snapshot(reader)
    response = await send(app, user, event)
    text = "\n".join(r.text for r in response.replies)
    assert text.strip() and t("common.apology") not in text
    assert not response.changed
    assert snapshot(reader) == before
    return text


async def two_cases(app: App) -> None:
    """Two submitters of one unit with a case each (1 and 2, both recommended), and its coordinator."""
    await app.service.assign_unit("c1", UNIT, role="coordinator")
    names = {"s1": ("清朗网络共建行动", SUMMARY_300), "s2": ("指尖上的文明课堂", "面向中小学生开设网络素养公开课。")}
    for user, (name, summary) in names.items():
        await app.service.assign_unit(user, UNIT)
        for line in form_answers(name, summary) + ["/submit", "1"]:
            await send(app, user, line)


async def at_review(app: App, user: str = "s3") -> Session:
    await app.service.assign_unit(user, UNIT)
    for line in form_answers("法润网络普法直播", "律师团队每周在线直播解读典型案例。"):
        await send(app, user, line)
    async with app.store.atomic() as tx:
        session = await tx.load_session(user)
    assert session.draft is not None and session.draft.step.value == "review"
    return session


# ----------------------------------------------------------------------------- buttons


@pytest.mark.parametrize("step", ["nonsense", "review", "", "NAME", "²", "name:name", "\u200b"])
async def test_an_edit_button_naming_no_step(app: App, reader: sqlite3.Connection, step: str) -> None:
    await at_review(app)
    await send(app, "s3", "/edit")
    turn = stored_session(snapshot(reader), "s3").turn
    text = await refused(app, reader, "s3", Press(f"edit:{step}:{turn}"))
    assert "已失效" in text


@pytest.mark.parametrize("case", ["²", "٣", "፫", HUGE, TWO_63, "0", "-1", ""])
async def test_a_coordinator_button_with_an_unreadable_case_id(app: App, reader: sqlite3.Connection, case: str) -> None:
    await two_cases(app)
    text = await refused(app, reader, "c1", Press(f"co:wd:{case}:recommended1"))
    assert text == t("service.stale_case_button")


async def test_a_button_from_an_older_message_changes_nothing(app: App, reader: sqlite3.Connection) -> None:
    await at_review(app)
    old = await send(app, "s3", "/edit")
    await send(app, "s3", "/review")
    data = old.replies[-1].buttons[0][0].data
    assert "已失效" in await refused(app, reader, "s3", Press(data))
    await two_cases(app)
    listed = await send(app, "c1", "/cases")
    withdraw = next(b.data for r in listed.replies for row in r.buttons for b in row if b.data.startswith("co:wd:1:"))
    await send(app, "c1", Press(withdraw))
    assert "已失效" in await refused(app, reader, "c1", Press(withdraw))


# ----------------------------------------------------------------------------- typed numbers


@pytest.mark.parametrize(
    ("user", "line", "says"),
    [
        ("s1", "/revise ፫", "不是有效的案例编号"),
        ("s1", f"/revise {HUGE}", "不是有效的案例编号"),
        ("s1", f"/revise {TWO_63}", "不是有效的案例编号"),
        ("s1", "/revise ²", "未找到可修改的退回案例"),  # read as 2: s2's case, not s1's to revise
        ("c1", "/up ፫", "不是有效的案例编号"),
        ("c1", f"/withdraw {HUGE}", "不是有效的案例编号"),
        ("c1", f"/withdraw {TWO_63}", "不是有效的案例编号"),
        ("c1", f"/recommend {HUGE}", "不是有效的案例编号"),
        ("c1", "/rank 1 ፫", "不是有效的位次"),
        ("c1", f"/rank 1 {HUGE}", "不是有效的位次"),
        ("c1", f"/rank {HUGE} 1", "不是有效的案例编号"),
        ("c1", "/rank 1 ³", "排序应为 1～2"),  # read as 3: the unit has two recommended cases
        ("c1", "/return 1 ፫ 请补充", "项目序号“፫”无效"),
        ("c1", f"/return 1 {HUGE} 请补充", "无效"),
        ("c1", f"/return {HUGE} 1 请补充", "不是有效的案例编号"),
        ("c1", "/up 9223372036854775807", "未找到该案例"),  # the largest id SQLite holds: looked up, absent
    ],
)
async def test_unicode_digits_and_huge_ids_are_answered(
    app: App, reader: sqlite3.Connection, user: str, line: str, says: str
) -> None:
    await two_cases(app)
    assert says in await refused(app, reader, user, line)


@pytest.mark.parametrize(("line", "expected"), [("/up ²", ["s2", "s1"]), ("/rank 1 ²", ["s2", "s1"])])
async def test_a_superscript_digit_is_the_number_it_shows(app: App, line: str, expected: list[str]) -> None:
    await two_cases(app)
    response = await send(app, "c1", line)
    assert response.changed
    assert [c.owner for c in sorted(await app.service.unit_cases(UNIT), key=lambda c: c.rank or 0)] == expected


async def test_return_with_superscript_item_numbers(app: App) -> None:
    await two_cases(app)
    response = await send(app, "c1", "/return 1 ¹，⁷ 请补充联系人")
    assert response.changed and "s1" in [m.user for m in await app.service.outbox.pending_messages()]
    case = next(c for c in await app.service.unit_cases(UNIT) if c.id == 1)
    assert case.state.value == "returned" and case.revise_fields == ["name", "phone"]


# ----------------------------------------------------------------------------- pictures and steps


@pytest.mark.parametrize(
    "data",
    FAKE_PICTURES
    + [
        bytes(range(256)) * 4,
        png_header(60_000, 60_000),
        make_image("PNG")[: len(make_image("PNG")) // 2],
        make_image("JPEG")[:-200],
    ],
    ids=lambda d: repr(d[:8]),
)
async def test_what_is_not_a_picture_is_refused(app: App, reader: sqlite3.Connection, data: bytes) -> None:
    await at_review(app)
    await send(app, "s3", "/edit 13")
    assert "【图片资料】" in await refused(app, reader, "s3", Pictures((PictureIn(data=data),)))


async def test_a_picture_at_the_pictures_step_is_kept(app: App, reader: sqlite3.Connection) -> None:
    await at_review(app)
    await send(app, "s3", "/edit 13")
    response = await send(app, "s3", Pictures((PictureIn(data=make_image("JPEG"), caption="活动现场"),)))
    kept = stored_session(snapshot(reader), "s3")
    assert response.changed and kept.draft is not None and len(kept.draft.form.pictures) == 1
    assert {row[0] for row in snapshot(reader)["pictures"]} == {kept.draft.form.pictures[0].sha256}


async def test_an_empty_album_is_not_received(app: App, reader: sqlite3.Connection) -> None:
    await at_review(app)
    await send(app, "s3", "/edit 13")
    assert "已收到" not in await refused(app, reader, "s3", Pictures(()))


@pytest.mark.parametrize("arg", ["9999-12-31", "9999-12-31 hefei", "0001-01-01", "2030-03-11", "2031-03-13"])
async def test_an_extension_outside_a_year_after_the_deadline(app: App, reader: sqlite3.Connection, arg: str) -> None:
    """9999-12-31 overflowed the clock; a day before the deadline was reported as an extension that was none."""
    app.service.admins = frozenset({"admin"})
    text = await refused(app, reader, "admin", f"/extend {arg}")
    assert text == "延期日期应在通知规定的截止日（2030年3月11日）之后、一年之内，即 2030-03-12～2031-03-12。"
    assert app.service.extension_for("hefei") is None


async def test_an_extension_within_the_year_is_given(app: App) -> None:
    app.service.admins = frozenset({"admin"})
    assert (await send(app, "admin", "/extend 2031-03-12 hefei")).changed
    extended = app.service.extension_for("hefei")
    assert extended is not None and extended.date().isoformat() == "2031-03-12"


@pytest.mark.parametrize("line", ["/submit", "/clear", "/skip", "/next", "/edit 99", "/edit ²²", "/undo"])
async def test_commands_at_the_wrong_step(app: App, reader: sqlite3.Connection, line: str) -> None:
    await app.service.assign_unit("s4", UNIT)
    await send(app, "s4", "/start")
    assert await refused(app, reader, "s4", line)


async def test_a_lone_surrogate_and_a_100_000_character_text(app: App, reader: sqlite3.Connection) -> None:
    await app.service.assign_unit("s4", UNIT)
    await send(app, "s4", "/start")
    assert "控制字符" in await refused(app, reader, "s4", "\ud800")
    assert "【案例名称】" in await refused(app, reader, "s4", "网" * 100_000)
    for line in form_answers("清朗网络共建行动", SUMMARY_300)[:9]:
        await send(app, "s4", line)
    assert "【一、背景意义】" in await refused(app, reader, "s4", PART_480 * 210)


# ----------------------------------------------------------------------------- lone surrogates


@pytest.mark.parametrize(
    ("user", "line"),
    [
        ("x", "/start \ud800"),  # an invitation code looked up in SQLite
        ("s1", "/revise \ud800"),  # echoed in the refusal, which is recorded with the event
        ("s1", "/edit \udcff"),
        ("c1", "/withdraw \ud800"),
        ("c1", "/return 1 1 \ud800"),
        ("s1", "/\ud800"),
        ("s1", Press("\ud800:x:0")),
    ],
)
async def test_a_lone_surrogate_in_a_command_or_button_is_answered(
    app: App, reader: sqlite3.Connection, user: str, line: str | Event
) -> None:
    """Telegram's JSON may carry "\\ud800" and a terminal reads undecodable bytes as surrogates: SQLite
    takes UTF-8 only, so these raised UnicodeEncodeError when looked up or recorded."""
    await two_cases(app)
    event = parse_text(line) if isinstance(line, str) else line
    if isinstance(event, Command) and event.name == "start":  # a new user: the form starts, the code is refused
        assert t("access.bad_invite") in [r.text for r in (await app.service.handle(user, event, "k1")).replies]
        return
    if isinstance(event, Command) and event.name == "return":
        response = await app.service.handle(user, event, "k1")
        returned = next(c for c in await app.service.unit_cases(UNIT) if c.id == 1)  # keeps its rank while revised
        assert response.changed and "\ufffd" in returned.return_comment
        return
    before = snapshot(reader)
    response = await app.service.handle(user, event, "k1")
    assert response.replies and not response.changed and snapshot(reader) == before
    again = await app.service.handle(user, event, "k1")  # redelivered: answered the same, still nothing changed
    assert [r.text for r in again.replies] == [r.text for r in response.replies] and snapshot(reader) == before


async def test_a_lone_surrogate_in_a_user_id(app: App) -> None:
    async with app.store.atomic() as tx:
        await tx.create_invite("sSurrogateJoin0001", "hefei", "submitter")
    response = await app.service.handle("\ud800", parse_text("/start sSurrogateJoin0001"), "k1")
    assert response.changed and response.replies and "已加入" in response.replies[0].text


# ----------------------------------------------------------------------------- two presses at once


async def test_confirming_a_submission_twice_at_once_submits_once(app: App, reader: sqlite3.Connection) -> None:
    await at_review(app)
    asked = await send(app, "s3", "/submit")
    yes = asked.replies[-1].buttons[0][0].data
    first, second = await asyncio.gather(send(app, "s3", Press(yes)), send(app, "s3", Press(yes)))
    assert [first.changed, second.changed].count(True) == 1
    # the second press finds the confirmation gone, or (the first reply not yet out) the receipt of the case
    said = "\n".join(r.text for r in (first.replies + second.replies))
    assert "已失效" in said or "已提交成功" in said
    assert [row[1] for row in snapshot(reader)["cases"]] == ["s3"]
    assert stored_session(snapshot(reader), "s3").pending is Pending.NONE


async def test_a_coordinator_button_pressed_twice_at_once_acts_once(app: App, reader: sqlite3.Connection) -> None:
    await two_cases(app)
    listed = await send(app, "c1", "/cases")
    down = next(b.data for r in listed.replies for row in r.buttons for b in row if b.data.startswith("co:dn:1:"))
    first, second = await asyncio.gather(send(app, "c1", Press(down)), send(app, "c1", Press(down)))
    assert [first.changed, second.changed].count(True) == 1
    assert [(row[1], row[4]) for row in snapshot(reader)["cases"]] == [("s1", 2), ("s2", 1)]
