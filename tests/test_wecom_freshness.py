"""Signed callbacks are taken only within ±10 minutes of casebot's clock; a replay is refused and stores nothing.

Over real HTTP to the endpoint, recording into the real inbox of a casebot database: a callback signed
2001-01-01 gets 403, a byte-for-byte replay a week later (after its inbox row was pruned) gets 403,
and one from a WeCom whose clock is some minutes off is taken, with a warning that says by how much.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App
from bot.channels.wecom import channel as wecom_channel
from bot.channels.wecom.crypto import WeComCrypto
from bot.channels.wecom.freshness import WARN_AT, WINDOW, Freshness
from bot.channels.wecom.messages import Inbound
from bot.channels.wecom.payload import to_payload
from bot.channels.wecom.server import PATH, create_app
from bot.storage import InboxWriter, utcnow
from tests.wecom.callbacks import AES_KEY, CORP_ID, TOKEN, CallbackSigner, event_xml, text_xml

Client = TestClient[web.Request, web.Application]
Y2001 = datetime(2001, 1, 1, tzinfo=UTC).timestamp()


@dataclass
class Clock:
    """casebot's clock as the freshness check reads it; moved by the test, never slept on."""

    at: float = field(default_factory=lambda: float(int(time.time())))  # whole seconds, as WeCom signs

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def inbox(app: App) -> AsyncIterator[InboxWriter]:
    writer = await InboxWriter(app.store.path).open()
    yield writer
    await writer.close()


@pytest.fixture
async def client(inbox: InboxWriter, clock: Clock) -> AsyncIterator[Client]:
    async def record(inbound: Inbound) -> bool:
        return await inbox.record(wecom_channel.inbox_key(inbound), inbound.user, to_payload(inbound))

    async def process(_: Inbound) -> None:
        return None

    app = create_app(WeComCrypto(TOKEN, AES_KEY, CORP_ID), record, process, freshness=Freshness(clock=clock))
    async with TestClient(TestServer(app, host="127.0.0.1")) as running:
        yield running


async def stored(app: App) -> list[str]:
    async with app.store.atomic() as tx:
        return [row.key for row in await tx.unanswered("wecom")]


@pytest.mark.parametrize(
    "xml", [text_xml("zhangsan", "/start sAbCdEfGhIjKlMnOp", msg_id="31001"), event_xml("zhangsan", "subscribe")]
)
async def test_a_callback_signed_in_2001_is_refused_and_stores_nothing(
    client: Client, wecom_signer: CallbackSigner, app: App, xml: str, caplog: pytest.LogCaptureFixture
) -> None:
    query, body = wecom_signer.post(xml, at=Y2001)
    response = await client.post(PATH, params=query, data=body)
    assert response.status == 403
    assert await stored(app) == []
    assert "outside the window of ±600 s" in caplog.text


@pytest.mark.parametrize("off", [WINDOW + 1, -(WINDOW + 1), 10**9])
async def test_just_outside_the_window_either_way_is_refused(
    client: Client, wecom_signer: CallbackSigner, app: App, clock: Clock, off: float
) -> None:
    query, body = wecom_signer.post(text_xml("zhangsan", "你好"), at=clock.at - off)
    assert (await client.post(PATH, params=query, data=body)).status == 403
    assert await stored(app) == []


async def test_a_replay_after_the_inbox_row_was_pruned_is_refused(
    client: Client, wecom_signer: CallbackSigner, app: App, clock: Clock
) -> None:
    query, body = wecom_signer.post(text_xml("zhangsan", "合肥市委网信办", msg_id="31002"))
    assert (await client.post(PATH, params=query, data=body)).status == 200
    assert (await client.post(PATH, params=query, data=body)).status == 200  # WeCom's retry: recorded once
    assert await stored(app) == ["wecom:msg:31002"]
    async with app.store.atomic() as tx:
        await tx.mark_answered("wecom:msg:31002")
    later = timedelta(seconds=60) + wecom_channel.KEEP_ANSWERED  # a week and a minute later
    clock.at += later.total_seconds()
    async with app.store.atomic() as tx:
        await tx.forget_answered(utcnow() + later - wecom_channel.KEEP_ANSWERED)  # what start() prunes then
        assert await tx.inbound("wecom:msg:31002") is None  # pruned: the key that stopped a replay is gone
    replayed = await client.post(PATH, params=query, data=body)
    assert replayed.status == 403
    async with app.store.atomic() as tx:
        assert await tx.inbound("wecom:msg:31002") is None, "the replay stored nothing"


def test_the_inbox_keeps_each_key_longer_than_a_replay_can_be_accepted() -> None:
    assert wecom_channel.KEEP_ANSWERED >= timedelta(seconds=2 * WINDOW)


@pytest.mark.parametrize("off", [WARN_AT + 300, -(WARN_AT + 300)])
async def test_a_callback_from_a_skewed_clock_inside_the_window_is_taken_with_a_loud_warning(
    client: Client, wecom_signer: CallbackSigner, app: App, clock: Clock, caplog: pytest.LogCaptureFixture, off: float
) -> None:
    query, body = wecom_signer.post(text_xml("zhangsan", "时钟偏差案例", msg_id="31003"), at=clock.at - off)
    assert (await client.post(PATH, params=query, data=body)).status == 200
    assert await stored(app) == ["wecom:msg:31003"]
    [warning] = [r for r in caplog.records if "CLOCK SKEW" in r.getMessage()]
    assert f"{abs(off):.0f} s {'ahead of' if off > 0 else 'behind'} WeCom's" in warning.getMessage()


async def test_a_callback_a_few_seconds_old_is_taken_without_a_word(
    client: Client, wecom_signer: CallbackSigner, app: App, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    query, body = wecom_signer.post(text_xml("zhangsan", "正常的回调", msg_id="31004"), at=clock.at - 15)
    assert (await client.post(PATH, params=query, data=body)).status == 200  # a retry 15 s after WeCom signed
    assert await stored(app) == ["wecom:msg:31004"]
    assert "CLOCK SKEW" not in caplog.text


async def test_a_signed_timestamp_that_is_no_number_is_refused(client: Client, wecom_signer: CallbackSigner) -> None:
    crypto = wecom_signer.crypto
    ciphertext, signature = crypto.seal(text_xml("zhangsan", "x").encode(), "soon", "1")
    envelope = f"<xml><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
    query = {"msg_signature": signature, "timestamp": "soon", "nonce": "1"}
    assert (await client.post(PATH, params=query, data=envelope)).status == 403
