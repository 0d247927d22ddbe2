"""Channels as peers: one rendering for every channel, deliveries through the owner's channel, one runner."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.app import App
from bot.channels.base import Limits, Unreachable
from bot.channels.registry import Channels
from bot.channels.render import render, split_text
from bot.disk.outputs import OutFile
from bot.serve import ChannelSpec, admins_of, configured, serve
from bot.settings import Settings
from bot.usecases.response import Delivery, Response
from dialogs.events import Button, Reply
from dialogs.wording import t

BUTTONS = Limits(text_chars=4096, buttons=True)
NO_BUTTONS = Limits(text_bytes=2048)  # as WeCom: bytes, no buttons

CONFIRM = Reply(
    "确认提交案例《清朗网络共建行动》？",
    ((Button("确认提交", "yes:submit:7"), Button("暂不提交", "no:submit:7")),),
)
LONG_STEP = Reply(
    "【第 9/14 步 · 案例内容（一）背景意义】\n已记录。",
    ((Button("下一项", "cmd:next:8"), Button("清空本项", "cmd:clear:8")),),
)
CATEGORIES = Reply(
    "请选择申报类别：\n1. 网络空间文明创建——说明\n2. 网络空间文化培育——说明",
    ((Button("网络空间文明创建", "cat:1:3"),), (Button("网络空间文化培育", "cat:2:3"),)),
)
CASES = Reply("【合肥市委网信办】推荐名额 1/4", ((Button("↑ 3", "co:up:3:r1"), Button("退回 3", "co:ret:3:r1")),))


# -- choices: the channel's own hint ----------------------------------------------------------------


def test_a_channel_with_buttons_shows_them_and_says_press() -> None:
    [shown] = render(CONFIRM, BUTTONS)
    assert shown.buttons == CONFIRM.buttons
    assert shown.text.endswith(t("channels.choices.press"))
    assert t("channels.choices.reply_number") not in shown.text


def test_a_channel_without_buttons_numbers_the_choices_and_says_reply_with_the_number() -> None:
    [shown] = render(CONFIRM, NO_BUTTONS)
    assert shown.buttons == ()
    assert shown.text.splitlines()[1:] == ["1. 确认提交", "2. 暂不提交", t("channels.choices.reply_number")]
    assert t("channels.choices.press") not in shown.text


def test_commands_are_written_as_commands_and_get_no_hint() -> None:
    [plain] = render(LONG_STEP, NO_BUTTONS)
    assert plain.text.splitlines()[-1] == "/next（下一项）  /clear（清空本项）"
    [pressed] = render(LONG_STEP, BUTTONS)
    assert pressed.text == LONG_STEP.text and pressed.buttons == LONG_STEP.buttons


def test_choices_the_text_already_lists_are_not_listed_twice() -> None:
    [shown] = render(CATEGORIES, NO_BUTTONS)
    assert shown.text.count("网络空间文明创建") == 1
    assert shown.text.endswith(t("channels.choices.reply_number"))


@pytest.mark.parametrize("label", ["1. 确认提交", "1.确认提交"])
def test_a_label_that_still_carries_its_number_is_not_numbered_twice(label: str) -> None:
    reply = Reply("确认？", ((Button(label, "yes:x:1"),),))
    [shown] = render(reply, NO_BUTTONS)
    assert "1. 确认提交" in shown.text and "1. 1." not in shown.text


def test_coordinator_actions_are_buttons_or_left_to_the_commands_in_the_text() -> None:
    [plain] = render(CASES, NO_BUTTONS)
    assert plain.text == CASES.text
    [pressed] = render(CASES, BUTTONS)
    assert pressed.buttons == CASES.buttons and pressed.text == CASES.text


# -- splitting ------------------------------------------------------------------------------------------

CASE_TEXT = "\n\n".join(
    f"{heading}\n" + "网络文明建设取得明显成效，群众满意度持续提升。" * 21  # about 2 000 字 in all
    for heading in ("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示")
)


def test_a_whole_case_is_split_at_paragraph_breaks_within_wecom_bytes() -> None:
    parts = split_text(CASE_TEXT, utf8_bytes=2048)
    assert "".join(parts) == CASE_TEXT
    assert all(len(p.encode()) <= 2048 for p in parts)
    assert all(p.endswith(("\n", "。")) for p in parts[:-1])  # never in the middle of a sentence
    assert sum(p.endswith("\n\n") for p in parts) >= 2


def test_a_line_longer_than_the_limit_is_cut_at_the_limit() -> None:
    assert [len(p) for p in split_text("字" * 9000, chars=4096)] == [4096, 4096, 808]


def test_buttons_go_under_the_last_part_only() -> None:
    reply = Reply("字" * 5000, CONFIRM.buttons)
    parts = render(reply, BUTTONS)
    assert [bool(p.buttons) for p in parts] == [False, True]


@given(
    text=st.text(alphabet=st.sampled_from("字a1 \n。！😀é\t"), max_size=3000),
    chars=st.one_of(st.none(), st.integers(1, 500)),
    utf8_bytes=st.one_of(st.none(), st.integers(4, 600)),
)
def test_split_then_join_is_the_original_and_every_part_fits(
    text: str, chars: int | None, utf8_bytes: int | None
) -> None:
    parts = split_text(text, chars=chars, utf8_bytes=utf8_bytes)
    assert "".join(parts) == text
    assert all(parts[:-1]) or len(parts) == 1
    for part in parts:
        assert chars is None or len(part) <= chars
        assert utf8_bytes is None or len(part.encode("utf-8")) <= utf8_bytes


# -- the registry: a delivery leaves through its user's channel -------------------------------------------


class FakeChannel:
    """A channel that records what it sends; ``run`` answers nothing and ends when told."""

    def __init__(self, prefix: str, reachable: bool = True) -> None:
        self.prefix = prefix
        self.limits = NO_BUTTONS
        self.reachable = reachable
        self.sent: list[tuple[str, list[str], list[str]]] = []
        self.ran = asyncio.Event()

    async def send(self, user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
        if not self.reachable:
            raise Unreachable(user)
        self.sent.append((user, [r.text for r in replies], [f.name for f in files]))

    async def run(self, stopping: asyncio.Event) -> None:
        self.ran.set()
        await stopping.wait()


async def test_deliveries_go_through_the_channel_of_each_user_and_a_failure_holds_nothing_up() -> None:
    telegram, wecom, gone = FakeChannel("tg"), FakeChannel("wecom"), FakeChannel("old", reachable=False)
    channels = Channels()
    for channel in (telegram, wecom, gone):
        channels.add(channel)
    summary = OutFile("汇总表.xlsx", b"x", "application/octet-stream")
    await channels.deliver_all(
        [
            Delivery("old:1", [Reply("无法送达")]),
            Delivery("wecom:zhangsan", [Reply("新案例")], [summary]),
            Delivery("nobody:1", [Reply("无此渠道")]),
            Delivery("tg:42", [Reply("提醒")]),
        ]
    )
    assert wecom.sent == [("wecom:zhangsan", ["新案例"], ["汇总表.xlsx"])]
    assert telegram.sent == [("tg:42", ["提醒"], [])]
    with pytest.raises(ValueError):
        channels.add(FakeChannel("tg"))


async def test_a_response_answers_its_user_and_notifies_the_others_on_their_channels() -> None:
    telegram, wecom = FakeChannel("tg"), FakeChannel("wecom")
    channels = Channels()
    channels.add(telegram)
    channels.add(wecom)
    response = Response(replies=[Reply("已提交。")], deliveries=[Delivery("tg:501", [Reply("新案例")])])
    await channels.respond("wecom:zhangsan", response)
    assert wecom.sent == [("wecom:zhangsan", ["已提交。"], [])]
    assert telegram.sent == [("tg:501", ["新案例"], [])]
    with pytest.raises(Unreachable):
        await channels.respond("nobody:1", response)


# -- the runner ----------------------------------------------------------------------------------------------


def test_channels_are_chosen_by_the_settings(settings: Settings) -> None:
    assert configured(settings) == []  # the terminal then runs
    with_token = settings.model_copy(update={"telegram_token": SecretStr("123:abc")})
    assert [spec.name for spec in configured(with_token)] == ["telegram"]


def test_administrators_are_telegram_ids_or_full_user_ids(settings: Settings) -> None:
    given_ids = settings.model_copy(update={"admin_ids": ["900", "wecom:lisi", "x"]})
    assert admins_of(given_ids) == frozenset({"tg:900", "wecom:lisi"})


async def test_every_channel_runs_in_one_loop_and_stops_together(settings: Settings, tmp_path: Path) -> None:
    made: list[FakeChannel] = []

    def spec(prefix: str) -> ChannelSpec:
        def build(app: object, channels: Channels) -> FakeChannel:
            made.append(FakeChannel(prefix))
            return made[-1]

        return ChannelSpec(prefix, lambda s: True, build)

    serving = asyncio.ensure_future(serve(settings, [spec("tg"), spec("wecom")]))
    for _ in range(200):
        if len(made) == 2 and all(c.ran.is_set() for c in made):
            break
        await asyncio.sleep(0.01)
    assert [c.prefix for c in made] == ["tg", "wecom"] and all(c.ran.is_set() for c in made)
    import os
    import signal

    os.kill(os.getpid(), signal.SIGTERM)  # the runner's handler, not the default: the test process lives on
    assert await asyncio.wait_for(serving, 10) == 0


async def test_reminders_reach_each_user_through_their_own_channel_once(app: App) -> None:
    from datetime import datetime, timedelta, timezone

    from bot.usecases.reminders import due, remind_forever
    from dialogs.events import parse_text

    app.service.clock = lambda: datetime(2030, 3, 6, 10, 0, tzinfo=timezone(timedelta(hours=8)))  # 2 days left
    for user in ("wecom:zhangsan", "tg:42"):
        await app.service.assign_unit(user, "hefei")  # a member of a unit, as an invitation makes them
        await app.service.handle(user, parse_text("/start"))
        await app.service.handle(user, parse_text("清朗网络共建行动"))
    telegram, wecom = FakeChannel("tg"), FakeChannel("wecom")
    channels = Channels()
    channels.add(telegram)
    channels.add(wecom)

    reminding = asyncio.ensure_future(remind_forever(app.service, channels.send, every=3600))
    for _ in range(500):
        if wecom.sent and telegram.sent:
            break
        await asyncio.sleep(0.01)
    reminding.cancel()
    assert [user for user, _, _ in wecom.sent] == ["wecom:zhangsan"]
    assert [user for user, _, _ in telegram.sent] == ["tg:42"]
    assert "2030年3月8日" in wecom.sent[0][1][0]  # the submitters' cut-off
    assert await due(app.service) == []  # recorded: never sent again, not even after a restart
