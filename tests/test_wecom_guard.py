"""The callback listener holds on its own against slow and piled-up connections, over real sockets on loopback.

A slowloris (headers never finished, a body never sent) is closed after the request deadline; with
the listener full of half-open connections a valid URL verification is still answered, also by the
real `casebot` process under a low file limit; and none of it makes the log grow per connection.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.channels.wecom.crypto import WeComCrypto
from bot.channels.wecom.guard import SPARE_FILES, Guard
from bot.channels.wecom.quiet import BURST, Repeats
from bot.channels.wecom.server import PATH, Listening, bound_port, create_app, serve
from tests.wecom.callbacks import AES_KEY, CORP_ID, TOKEN, CallbackSigner, text_xml
from tests.wecom.fake import WeComFake
from tests.wecom.process import WeComBot, command_line, live_descendants

Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]
HALF = b"GET /wecom?msg_signature=0 HTTP/1.1\r\nHost: casebot\r\nUser-Agent: slow"  # never ends its headers


async def _recorded(_: object) -> bool:
    return True


async def _processed(_: object) -> None:
    return None


@pytest.fixture
async def listening(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Listening, Guard]]:
    guard: Guard = request.param
    app = create_app(WeComCrypto(TOKEN, AES_KEY, CORP_ID), _recorded, _processed, guard)
    served = await serve(app, "127.0.0.1", 0)
    try:
        yield served, guard
    finally:
        await served.cleanup()


async def closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection (bounded, so a hang fails the test)."""
    async with asyncio.timeout(30):
        try:
            return await reader.read()
        except ConnectionResetError:  # closed with a reset: what a slow client gets
            return b""


async def verification(port: int, signer: CallbackSigner, echo: str) -> bytes:
    """A URL verification GET, written whole on a new connection as WeCom does; the raw response."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    query = urlencode(signer.verify(echo))
    writer.write(f"GET {PATH}?{query} HTTP/1.1\r\nHost: casebot\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    try:
        async with asyncio.timeout(30):
            return await reader.read()
    finally:
        writer.close()


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(30):
        while not condition():
            await asyncio.sleep(0.01)


@pytest.mark.parametrize("listening", [Guard(deadline=0.5, cap=50)], indirect=True)
async def test_a_request_never_finished_is_closed_after_the_deadline(
    listening: tuple[Listening, Guard], wecom_signer: CallbackSigner, caplog: pytest.LogCaptureFixture
) -> None:
    served, guard = listening
    port = bound_port(served)
    slow_headers = await asyncio.open_connection("127.0.0.1", port)
    slow_headers[1].write(HALF)
    query, body = wecom_signer.post(text_xml("zhangsan", "你好"))
    slow_body = await asyncio.open_connection("127.0.0.1", port)  # whole headers, 1 of 1 000 body bytes
    head = f"POST {PATH}?{urlencode(query)} HTTP/1.1\r\nHost: casebot\r\nContent-Length: {len(body) + 1000}\r\n\r\n"
    slow_body[1].write(head.encode() + body[:1])
    idle = await asyncio.open_connection("127.0.0.1", port)  # connected, says nothing
    answered = await verification(port, wecom_signer, "still-answered")
    assert answered.startswith(b"HTTP/1.1 200") and answered.endswith(b"still-answered")

    for reader, writer in (slow_headers, slow_body, idle):
        assert await closed_by_server(reader) == b"", "closed without an answer"
        writer.close()
    await until(lambda: guard.open == 0)
    assert guard.total["late"] == 3
    [line] = [r for r in caplog.records if r.name == "bot.channels.wecom.guard"]  # the rest wait for the next
    assert "closed 1 connections that sent no whole request within 0.5 s" in line.getMessage()


@pytest.mark.parametrize("listening", [Guard(deadline=600, cap=40)], indirect=True)
async def test_a_listener_full_of_half_open_connections_still_answers_wecom(
    listening: tuple[Listening, Guard], wecom_signer: CallbackSigner, caplog: pytest.LogCaptureFixture
) -> None:
    served, guard = listening
    port = bound_port(served)
    caplog.set_level(logging.INFO)
    held: list[Streams] = []
    for _ in range(200):  # five times the cap, none finishing its request, the deadline far away
        streams = await asyncio.open_connection("127.0.0.1", port)
        streams[1].write(HALF)
        held.append(streams)
    await until(lambda: guard.total["crowded"] == 160)
    assert guard.open <= guard.cap
    answered = await verification(port, wecom_signer, "answered-under-load")
    assert answered.startswith(b"HTTP/1.1 200") and answered.endswith(b"answered-under-load")
    oldest = await closed_by_server(held[0][0])
    assert oldest == b"", "the connection that waited longest made room"
    for _, writer in held:
        writer.close()
    lines = [r for r in caplog.records if r.name.startswith(("bot.channels.wecom", "asyncio", "aiohttp"))]
    assert len(lines) <= 2, [r.getMessage() for r in lines]  # not one line per connection closed


def test_repeated_log_lines_are_counted_not_written() -> None:
    now = [0.0]
    repeats = Repeats(clock=lambda: now[0])

    def line(message: str, *args: object) -> logging.LogRecord:
        return logging.LogRecord("asyncio", logging.ERROR, __file__, 1, message, args, None)

    passed = [
        r for r in (line("socket.accept() out of system resource %s", n) for n in range(5000)) if repeats.filter(r)
    ]
    assert len(passed) == BURST
    assert repeats.filter(line("another complaint"))  # another kind of line is not held back
    now[0] = 61.0
    after = line("socket.accept() out of system resource %s", 5000)
    assert repeats.filter(after)
    assert "4995 more like this" in after.getMessage() and after.getMessage().startswith("socket.accept()")


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@pytest.mark.slow
async def test_casebot_under_a_low_file_limit_answers_wecom_past_a_pile_of_half_open_connections(
    wecom_fake: WeComFake, tmp_path: Path
) -> None:
    """casebot.service's LimitNOFILE not set: systemd gives 1 024. Here 256 (cap 192), and 400 slow clients."""
    log = tmp_path / "casebot.log"
    bot = WeComBot(wecom_fake, tmp_path, nofile=256, log=log)
    await bot.start()
    held: list[Streams] = []
    try:
        assert bot.proc is not None
        child = next(pid for pid in live_descendants(bot.proc.pid) if "spawn" in command_line(pid))
        for _ in range(400):
            streams = await asyncio.open_connection("127.0.0.1", bot.port)
            streams[1].write(HALF)
            held.append(streams)
        answered = await verification(bot.port, bot.signer, "through-the-crowd")
        assert answered.startswith(b"HTTP/1.1 200") and answered.endswith(b"through-the-crowd")
        assert open_files(child) <= 256 - SPARE_FILES + 32
    finally:
        for _, writer in held:
            writer.close()
        assert await bot.close() == 0
    text = log.read_text("utf-8", "replace")
    assert text.count("out of system resource") <= BURST
    assert text.count("wecom callbacks: closed") <= 2, "one line a minute at most, not one per connection"
    assert len(text.splitlines()) < 40
