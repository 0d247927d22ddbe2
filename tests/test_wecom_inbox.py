"""The durable inbox and the per-user lanes, in one process against the loopback WeCom fake.

The scenarios are the ones a crash makes: a message acknowledged and never processed, one handled but
not answered, a retried delivery; and the order of one user's messages when several arrive at once.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import App
from bot.channels.registry import Channels
from bot.channels.wecom.api import WeComApi
from bot.channels.wecom.channel import WeComChannel, inbox_key
from bot.channels.wecom.crypto import WeComCrypto
from bot.channels.wecom.lanes import Lanes
from bot.channels.wecom.messages import Inbound, parse
from bot.channels.wecom.pacing import NoPacing
from bot.storage import InboxWriter, utcnow
from dialogs.events import Text
from tests.wecom.callbacks import AES_KEY, AGENT_ID, CORP_ID, TOKEN, text_xml
from tests.wecom.fake import DEFAULT_SECRET, WeComFake

CODE = "sAbCdEfGhIjKlMnOp"
STEP = r"【第 \d+/14 步 "


def channel_for(app: App, fake: WeComFake) -> WeComChannel:
    api = WeComApi(CORP_ID, DEFAULT_SECRET, AGENT_ID, fake.url, pacer=NoPacing())
    channels = Channels()
    channel = WeComChannel(app, channels, api, WeComCrypto(TOKEN, AES_KEY, CORP_ID))
    channels.add(channel)
    return channel


@pytest.fixture
async def channel(app: App, wecom_fake: WeComFake) -> AsyncIterator[WeComChannel]:
    async with app.store.atomic() as tx:
        await tx.create_invite(CODE, "hefei", "submitter")
    made = channel_for(app, wecom_fake)
    await made.start()
    yield made
    await made.stop()


def text(sender: str, content: str, msg_id: str | None = None) -> Inbound:
    return parse(text_xml(sender, content, msg_id=msg_id))


async def deliver(channel: WeComChannel, inbound: Inbound) -> bool:
    """What the endpoint does: record, then (for a new message) process."""
    fresh = await channel.record(inbound)
    if fresh:
        await channel.process(inbound)
    return fresh


@pytest.fixture
async def inbox(app: App) -> AsyncIterator[InboxWriter]:
    writer = await InboxWriter(app.store.path).open()
    yield writer
    await writer.close()


async def test_a_retried_delivery_is_recorded_once(app: App, inbox: InboxWriter) -> None:
    assert await inbox.record("wecom:msg:1", "wecom:a", "{}") is True
    assert await inbox.record("wecom:msg:1", "wecom:a", "{}") is False
    async with app.store.atomic() as tx:
        assert [row.key for row in await tx.unanswered("wecom")] == ["wecom:msg:1"]


async def test_callbacks_at_once_are_written_together_each_told_whether_it_is_new(app: App, inbox: InboxWriter) -> None:
    keys = [f"wecom:msg:{n % 150}" for n in range(300)]  # every message delivered twice, all at once
    fresh = await asyncio.gather(*(inbox.record(key, f"wecom:u{n % 7}", "{}") for n, key in enumerate(keys)))
    assert fresh == [True] * 150 + [False] * 150
    async with app.store.atomic() as tx:
        rows = await tx.unanswered("wecom")
    assert [row.key for row in rows] == keys[:150]  # in the order they arrived


async def test_unanswered_rows_come_back_in_arrival_order_for_their_channel_only(app: App, inbox: InboxWriter) -> None:
    for key, user in (("wecom:msg:3", "wecom:b"), ("tg:9", "tg:9"), ("wecom:msg:1", "wecom:a"), ("x", "wecomx:z")):
        await inbox.record(key, user, "{}")
    async with app.store.atomic() as tx:
        await tx.mark_answered("wecom:msg:1")
        await tx.mark_answered("wecom:msg:1")  # twice changes nothing
    async with app.store.atomic() as tx:
        rows = await tx.unanswered("wecom")
    assert [(row.key, row.user) for row in rows] == [("wecom:msg:3", "wecom:b")]


async def test_answered_rows_are_forgotten_after_a_while_unanswered_ones_never(app: App, inbox: InboxWriter) -> None:
    for key in ("wecom:msg:1", "wecom:msg:2"):
        await inbox.record(key, "wecom:a", "{}")
    async with app.store.atomic() as tx:
        await tx.mark_answered("wecom:msg:1")
    async with app.store.atomic() as tx:
        await tx.forget_answered(utcnow() + timedelta(days=1))
    async with app.store.atomic() as tx:
        assert await tx.inbound("wecom:msg:1") is None
        assert await tx.inbound("wecom:msg:2") is not None


async def test_a_callback_waits_while_the_service_writes_and_is_recorded_once_it_commits(
    app: App, inbox: InboxWriter
) -> None:
    async with app.store.atomic() as tx:
        await tx.unanswered("wecom")  # the service's transaction holds SQLite's write lock from here
        recording = asyncio.ensure_future(inbox.record("wecom:msg:1", "wecom:a", "{}"))
        await asyncio.sleep(0.03)
        assert not recording.done()  # refused with SQLITE_BUSY, and trying again, not failing
    assert await asyncio.wait_for(recording, timeout=3) is True
    async with app.store.atomic() as tx:
        assert [row.key for row in await tx.unanswered("wecom")] == ["wecom:msg:1"]


async def test_a_callback_the_lock_holds_up_too_long_fails_and_writes_nothing(app: App, inbox: InboxWriter) -> None:
    inbox.RETRY_FOR = 0.05  # WeCom's 5-second deadline, shortened
    async with app.store.atomic() as tx:
        await tx.unanswered("wecom")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await inbox.record("wecom:msg:1", "wecom:a", "{}")  # no 200, so WeCom delivers it again
    assert await inbox.record("wecom:msg:1", "wecom:a", "{}") is True  # the redelivery is new


async def test_an_answer_looking_for_its_receipt_leaves_callbacks_free_to_be_recorded(
    app: App, inbox: InboxWriter
) -> None:
    async with app.store.atomic() as tx:
        assert await tx.receipt("wecom:a") is None  # the usual answer: no submission waiting to be told
        assert not app.store.db.in_transaction  # so SQLite's write lock is not taken before the commit
        assert await asyncio.wait_for(inbox.record("wecom:msg:1", "wecom:a", "{}"), timeout=3) is True
        await tx.put_receipt("wecom:b", 7, "wecom:msg:0")
    async with app.store.atomic() as tx:
        assert await tx.receipt("wecom:b") == (7, "wecom:msg:0")  # one there is read under the lock
        assert app.store.db.in_transaction


async def test_the_service_marks_the_row_handled_in_its_own_transaction(app: App, inbox: InboxWriter) -> None:
    await inbox.record("wecom:msg:7", "wecom:a", "{}")
    await app.service.handle("wecom:a", Text("/help"), "wecom:msg:7")
    async with app.store.atomic() as tx:
        row = await tx.inbound("wecom:msg:7")
    assert row is not None and row.handled


async def test_one_users_messages_are_answered_in_order(channel: WeComChannel, wecom_fake: WeComFake) -> None:
    messages = [text("ZhangSan", CODE), text("ZhangSan", "案例一"), text("ZhangSan", "单位一"), text("ZhangSan", "5")]
    messages.append(text("LiSi", "/help"))
    for inbound in messages:
        assert await deliver(channel, inbound)
    await channel.lanes.idle()
    steps = [step for t in wecom_fake.texts("zhangsan") for step in re.findall(STEP, t)]  # a note and a step: one text
    assert steps == ["【第 1/14 步 ", "【第 2/14 步 ", "【第 3/14 步 ", "【第 5/14 步 "]
    assert wecom_fake.texts("lisi")
    async with channel.app.store.atomic() as tx:
        assert await tx.unanswered("wecom") == []


async def test_a_message_acknowledged_but_never_processed_is_answered_at_the_next_start(
    app: App, channel: WeComChannel, wecom_fake: WeComFake
) -> None:
    joined = text("ZhangSan", CODE)
    assert await channel.record(joined)  # acknowledged, then the process died
    assert wecom_fake.texts("zhangsan") == []
    again = channel_for(app, wecom_fake)
    assert await again.start() == 1
    await again.lanes.idle()
    assert any("第 1/14 步" in t for t in wecom_fake.texts("zhangsan"))
    async with app.store.atomic() as tx:
        assert await tx.unanswered("wecom") == []
    await again.stop()


async def test_a_message_handled_but_not_answered_is_answered_from_the_record(
    app: App, channel: WeComChannel, wecom_fake: WeComFake
) -> None:
    for inbound in (text("ZhangSan", CODE), text("ZhangSan", "案例一")):
        await deliver(channel, inbound)
    await channel.lanes.idle()
    second = text("ZhangSan", "单位一")
    await channel.record(second)
    await app.service.handle(second.user, Text("单位一"), inbox_key(second))  # applied; then the crash
    again = channel_for(app, wecom_fake)
    assert await again.start() == 1
    await again.lanes.idle()
    assert sum("第 3/14 步" in t for t in wecom_fake.texts("zhangsan")) == 1  # the stored reply, sent now
    await deliver(again, text("ZhangSan", "/review"))
    await again.lanes.idle()
    review = wecom_fake.texts("zhangsan")[-1]
    assert "单位一" in review and "案例一" in review
    await again.stop()


async def test_a_lane_goes_on_after_a_failing_item_and_stops_on_close() -> None:
    done: list[int] = []
    gate = asyncio.Event()

    async def work(item: int) -> None:
        if item == 2:
            raise RuntimeError("boom")
        if item == 9:
            await gate.wait()
        done.append(item)

    lanes: Lanes[int] = Lanes(work)
    for item in (1, 2, 3):
        lanes.put("a", item)
    await lanes.idle()
    assert done == [1, 3]
    lanes.put("b", 9)
    lanes.put("b", 10)
    await asyncio.sleep(0)
    await lanes.close(0.05)  # 9 never finishes: cancelled; 10 was never started
    lanes.put("b", 11)  # closed: ignored, the inbox keeps it
    await asyncio.sleep(0)
    assert done == [1, 3] and lanes.busy == 0


# -- WeCom busy: an answer is sent again, never dropped ---------------------------------------------------


async def test_an_answer_wecom_refused_as_busy_is_sent_again_once_it_takes_it(
    channel: WeComChannel, wecom_fake: WeComFake
) -> None:
    channel.resend_delays = (0.01, 0.02, 0.05)
    await deliver(channel, text("ZhangSan", CODE))
    await channel.lanes.idle()
    wecom_fake.busy_once(2)  # errcode -1 (系统繁忙) for the next two sends
    await deliver(channel, text("ZhangSan", "“清风e路”网络文明志愿服务行动"))
    await deliver(channel, text("ZhangSan", "合肥市蜀山区委网信办"))
    await channel.lanes.idle()
    steps = [step for t in wecom_fake.texts("zhangsan") for step in re.findall(STEP, t)]
    assert steps == ["【第 1/14 步 ", "【第 2/14 步 ", "【第 3/14 步 "], "each answer once, in order"
    assert [code for _, code in wecom_fake.refused] == [-1, -1]
    assert not any("抱歉" in t for t in wecom_fake.texts("zhangsan"))
    async with channel.app.store.atomic() as tx:
        assert await tx.unanswered("wecom") == []


async def test_an_answer_wecom_keeps_refusing_is_given_up_and_the_next_one_goes(
    channel: WeComChannel, wecom_fake: WeComFake
) -> None:
    channel.resend_delays = (0.01, 0.01)
    await deliver(channel, text("ZhangSan", CODE))
    await channel.lanes.idle()
    wecom_fake.busy_once(3 + 1)  # the answer and its two resends, then the apology
    await deliver(channel, text("ZhangSan", "“清风e路”网络文明志愿服务行动"))
    await channel.lanes.idle()
    await deliver(channel, text("ZhangSan", "/review"))
    await channel.lanes.idle()
    assert "“清风e路”网络文明志愿服务行动" in wecom_fake.texts("zhangsan")[-1], "the answer itself was kept"
    async with channel.app.store.atomic() as tx:
        assert await tx.unanswered("wecom") == []


async def test_a_stop_while_waiting_to_resend_leaves_the_answer_to_the_next_start(
    app: App, channel: WeComChannel, wecom_fake: WeComFake
) -> None:
    channel.resend_delays = (30.0,)
    await deliver(channel, text("ZhangSan", CODE))
    await channel.lanes.idle()
    wecom_fake.busy_once()
    await deliver(channel, text("ZhangSan", "“清风e路”网络文明志愿服务行动"))
    for _ in range(200):
        if wecom_fake.refused:
            break
        await asyncio.sleep(0.01)
    await channel.lanes.close(0.05)  # the stop: the pause is cut short
    async with app.store.atomic() as tx:
        assert [row.user for row in await tx.unanswered("wecom")] == ["wecom:zhangsan"]
    again = channel_for(app, wecom_fake)
    assert await again.start() == 1
    await again.lanes.idle()
    assert sum("第 2/14 步" in t for t in wecom_fake.texts("zhangsan")) == 1, "the recorded answer, sent once"
    await again.stop()
