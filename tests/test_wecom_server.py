"""The callback endpoint over real HTTP on loopback: verification, 403 on a bad signature, record-then-ack."""

from __future__ import annotations

import asyncio
import base64
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from bot.channels.wecom.crypto import WeComCrypto
from bot.channels.wecom.crypto import signature as sign
from bot.channels.wecom.messages import Image, Inbound, Text
from bot.channels.wecom.server import PATH, bound_port, create_app, serve
from tests.wecom.callbacks import AES_KEY, CORP_ID, TOKEN, CallbackSigner, event_xml, image_xml, text_xml

Client = TestClient[web.Request, web.Application]


@dataclass
class Shell:
    """Stands in for the inbox and the service: records what was delivered, in what order."""

    recorded: list[Inbound] = field(default_factory=list)
    processed: list[Inbound] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    fail_record: bool = False
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def record(self, inbound: Inbound) -> bool:
        if self.fail_record:
            raise OSError("disk full")
        fresh = inbound.dedupe_key not in {r.dedupe_key for r in self.recorded}
        self.recorded.append(inbound)
        self.log.append(f"record {inbound.dedupe_key}")
        return fresh

    async def process(self, inbound: Inbound) -> None:
        self.log.append(f"process-start {inbound.dedupe_key}")
        await self.release.wait()
        self.processed.append(inbound)
        if isinstance(inbound, Text) and inbound.content == "boom":
            raise RuntimeError("service failed")


async def _until(condition: Callable[[], bool]) -> None:
    """Wait for background processing by its effect, not by the clock (gives up after 5 s)."""
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


@pytest.fixture
def shell() -> Shell:
    return Shell()


@pytest.fixture
async def client(shell: Shell) -> AsyncIterator[Client]:
    app = create_app(WeComCrypto(TOKEN, AES_KEY, CORP_ID), shell.record, shell.process)
    async with TestClient(TestServer(app, host="127.0.0.1")) as running:
        yield running


async def test_url_verification_answers_the_decrypted_echostr(client: Client, wecom_signer: CallbackSigner) -> None:
    response = await client.get(PATH, params=wecom_signer.verify("1616140317555161061"))
    assert response.status == 200
    assert response.content_type == "text/plain"
    assert await response.text() == "1616140317555161061"


@pytest.mark.parametrize("encode", [True, False])
async def test_the_documented_verification_request_is_answered(shell: Shell, encode: bool) -> None:
    """The WeCom documentation's own GET, its echostr percent-encoded as WeCom sends it, and raw."""
    echostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
    if encode:
        echostr = quote(echostr, safe="")
    query = (
        f"msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr={echostr}"
    )
    app = create_app(WeComCrypto(TOKEN, AES_KEY, "wx5823bf96d3bd56c7"), shell.record, shell.process)
    async with TestClient(TestServer(app, host="127.0.0.1")) as running:
        response = await running.get(URL(f"{PATH}?{query}", encoded=True))
        assert (response.status, await response.text()) == (200, "1616140317555161061")


async def test_url_verification_with_a_bad_signature_is_forbidden(client: Client, wecom_signer: CallbackSigner) -> None:
    query = wecom_signer.verify("123") | {"nonce": "1"}
    response = await client.get(PATH, params=query)
    assert response.status == 403 and "123" not in await response.text()


async def test_a_message_is_recorded_then_acknowledged_then_processed(
    client: Client, wecom_signer: CallbackSigner, shell: Shell
) -> None:
    query, body = wecom_signer.post(text_xml("ZhangSan", "/start HF2024", msg_id="9001"))
    response = await client.post(PATH, params=query, data=body)
    assert response.status == 200 and await response.read() == b""
    assert [m.dedupe_key for m in shell.recorded] == ["msg:9001"]
    assert shell.recorded[0].user == "wecom:zhangsan"
    await _until(lambda: len(shell.log) == 2)
    assert shell.log == ["record msg:9001", "process-start msg:9001"]  # acknowledged while processing waits
    assert shell.processed == []
    shell.release.set()
    await _until(lambda: bool(shell.processed))
    assert [m.dedupe_key for m in shell.processed] == ["msg:9001"]


async def test_a_replayed_msg_id_is_recorded_but_processed_once(
    client: Client, wecom_signer: CallbackSigner, shell: Shell
) -> None:
    shell.release.set()
    xml = text_xml("zhangsan", "合肥市委网信办", msg_id="9002")
    for _ in range(3):
        query, body = wecom_signer.post(xml)
        assert (await client.post(PATH, params=query, data=body)).status == 200
    await _until(lambda: len(shell.processed) == 1)
    await asyncio.sleep(0)
    assert len(shell.recorded) == 3 and len(shell.processed) == 1


async def test_photos_and_card_presses_arrive_typed(client: Client, wecom_signer: CallbackSigner, shell: Shell) -> None:
    shell.release.set()
    for xml in (image_xml("lisi", "MEDIA7"), event_xml("lisi", "template_card_event", key="cat:2", task_id="T1")):
        query, body = wecom_signer.post(xml)
        assert (await client.post(PATH, params=query, data=body)).status == 200
    photo, press = shell.recorded
    assert isinstance(photo, Image) and photo.media_id == "MEDIA7"
    assert press.dedupe_key.endswith("template_card_event:cat:2:T1")


async def test_a_bad_signature_is_forbidden_and_nothing_is_recorded(
    client: Client, wecom_signer: CallbackSigner, shell: Shell
) -> None:
    query, body = wecom_signer.post(text_xml("zhangsan", "提交"))
    forged = CallbackSigner(token="another-token").post(text_xml("zhangsan", "提交"))
    for params, data in [(query | {"timestamp": "1"}, body), (query | {"msg_signature": "0" * 40}, body), forged]:
        assert (await client.post(PATH, params=params, data=data)).status == 403
    assert shell.recorded == [] and shell.processed == []


def _malformed(signer: CallbackSigner) -> list[tuple[dict[str, str], bytes]]:
    query, body = signer.post(text_xml("zhangsan", "你好"))
    other_corp = CallbackSigner(corp_id="ww-another-corp").post(text_xml("zhangsan", "你好"))
    signed_garbage = signer.post("not xml at all")
    envelope = "<xml><Encrypt><![CDATA[{c}]]></Encrypt></xml>"
    ciphertext, signature = signer.crypto.seal(b"x", "1", "2")
    truncated = ciphertext[:-8]
    truncated_query = {"msg_signature": sign(TOKEN, "1", "2", truncated), "timestamp": "1", "nonce": "2"}
    return [
        ({}, body),
        ({k: v for k, v in query.items() if k != "nonce"}, body),
        (query, b""),
        (query, b"<xml><Encrypt>"),
        (query, b"<xml><ToUserName>x</ToUserName></xml>"),
        (query, b'<!DOCTYPE xml [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>'),
        other_corp,
        signed_garbage,
        (truncated_query, envelope.format(c=truncated).encode()),
        ({"msg_signature": signature, "timestamp": "1", "nonce": "2"}, envelope.format(c=ciphertext).encode()),
    ]


async def test_malformed_callbacks_are_bad_requests(client: Client, wecom_signer: CallbackSigner, shell: Shell) -> None:
    for params, data in _malformed(wecom_signer):
        response = await client.post(PATH, params=params, data=data)
        assert response.status == 400, (params, data)
    assert shell.recorded == []


async def test_a_body_over_a_megabyte_is_refused(client: Client, wecom_signer: CallbackSigner, shell: Shell) -> None:
    query, _ = wecom_signer.post(text_xml("zhangsan", "x"))
    response = await client.post(PATH, params=query, data=b"<xml>" + b" " * (2 << 20) + b"</xml>")
    assert response.status == 413 and shell.recorded == []


async def test_a_failed_record_is_not_acknowledged(client: Client, wecom_signer: CallbackSigner, shell: Shell) -> None:
    shell.fail_record = True
    query, body = wecom_signer.post(text_xml("zhangsan", "你好"))
    assert (await client.post(PATH, params=query, data=body)).status == 500
    assert shell.processed == []


async def test_a_failure_in_processing_does_not_reach_the_server(
    client: Client, wecom_signer: CallbackSigner, shell: Shell
) -> None:
    shell.release.set()
    for content in ("boom", "之后的消息"):
        query, body = wecom_signer.post(text_xml("zhangsan", content))
        assert (await client.post(PATH, params=query, data=body)).status == 200
    await _until(lambda: len(shell.processed) == 2)
    assert [m.content for m in shell.processed if isinstance(m, Text)] == ["boom", "之后的消息"]


def _noise(seed: int) -> tuple[dict[str, str], bytes]:
    rng = random.Random(seed)
    junk = rng.randbytes(rng.randrange(0, 300))
    ciphertext = base64.b64encode(rng.randbytes(rng.choice([0, 16, 32, 48, 64]))).decode()
    query = {"msg_signature": sign(TOKEN, "1", str(seed), ciphertext), "timestamp": "1", "nonce": str(seed)}
    if seed % 2:
        return query, junk
    return query, f"<xml><Encrypt>{ciphertext}</Encrypt></xml>".encode()


async def test_random_bodies_never_get_past_the_door(client: Client, shell: Shell) -> None:
    """Random bytes, and correctly signed random ciphertexts: refused, never a 500, never recorded."""
    for seed in range(60):
        params, data = _noise(seed)
        response = await client.post(PATH, params=params, data=data)
        assert response.status in (400, 403), seed
    assert shell.recorded == []


async def test_served_on_loopback_it_answers_any_http_client(shell: Shell, wecom_signer: CallbackSigner) -> None:
    runner = await serve(create_app(WeComCrypto(TOKEN, AES_KEY, CORP_ID), shell.record, shell.process), "127.0.0.1", 0)
    shell.release.set()
    try:
        base = f"http://127.0.0.1:{bound_port(runner)}{PATH}"
        async with httpx.AsyncClient() as http:
            verified = await http.get(base, params=wecom_signer.verify("echo-42"))
            query, body = wecom_signer.post(text_xml("zhangsan", "合肥市委网信办"))
            delivered = await http.post(base, params=query, content=body)
    finally:
        await runner.cleanup()
    assert (verified.status_code, verified.text) == (200, "echo-42")
    assert (delivered.status_code, delivered.content) == (200, b"")
    assert [m.content for m in shell.processed if isinstance(m, Text)] == ["合肥市委网信办"]
