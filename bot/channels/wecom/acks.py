"""The callback endpoint on a thread and event loop of its own, so an acknowledgement never waits for answers.

Why: the main event loop runs every answer (the dialog, the database, the sends to WeCom); with many
members answering at once each step of a callback there waits behind all of that work, and WeCom
wants its HTTP 200 within 5 seconds (casebot aims at 50 ms). On this thread a callback is checked,
decrypted and written to the inbox, on the inbox's own database connection, in a loop that does
nothing else; only the recorded message is handed to the main loop, which answers it.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from ...storage import InboxWriter
from .crypto import WeComCrypto
from .messages import Inbound
from .payload import to_payload
from .server import bound_port, create_app, serve

# The inbox key of a message (see channel.inbox_key); passed in to keep this module free of the channel.
KeyOf = Callable[[Inbound], str]


def _resolve(future: asyncio.Future[int], value: int | BaseException) -> None:
    if future.done():
        return
    if isinstance(value, BaseException):
        future.set_exception(value)
    else:
        future.set_result(value)


def _end(future: asyncio.Future[None] | None, failure: BaseException | None) -> None:
    if future is None or future.done():
        return
    if failure is None:
        future.set_result(None)
    else:
        future.set_exception(failure)


class CallbackThread:
    """Serves ``/wecom`` on ``host:port``; ``accept`` is called in the main loop with each new message."""

    def __init__(
        self, crypto: WeComCrypto, inbox: Path, key_of: KeyOf, accept: Callable[[Inbound], None], host: str, port: int
    ) -> None:
        self.crypto = crypto
        self.inbox_path = inbox
        self.key_of = key_of
        self.accept = accept
        self.host = host
        self.port = port
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.ended: asyncio.Future[None] | None = None  # done when the thread ends; its exception if it failed

    async def start(self) -> int:
        """Start the thread; returns the port it listens on once it does (raises if it cannot)."""
        main = asyncio.get_running_loop()
        # Python hands the GIL to a waiting thread only every switch interval (5 ms by default): a callback
        # needs several hand-offs (its socket, aiosqlite's worker, back), each behind the main loop's work
        sys.setswitchinterval(0.0005)
        ready: asyncio.Future[int] = main.create_future()
        self.ended = main.create_future()
        self._thread = threading.Thread(target=self._run, args=(main, ready), name="wecom-callbacks", daemon=True)
        self._thread.start()
        return await ready

    async def stop(self) -> None:
        """Stop listening (callbacks being recorded finish) and wait for the thread to end."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join)

    def _run(self, main: asyncio.AbstractEventLoop, ready: asyncio.Future[int]) -> None:
        failure: BaseException | None = None
        try:
            asyncio.run(self._serve(main, ready))
        except BaseException as error:  # to start() during start-up, to whoever awaits ``ended`` after it
            failure = error
            main.call_soon_threadsafe(_resolve, ready, error)
        main.call_soon_threadsafe(_end, self.ended, failure)

    async def _serve(self, main: asyncio.AbstractEventLoop, ready: asyncio.Future[int]) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        inbox = await InboxWriter(self.inbox_path).open()
        try:

            async def record(inbound: Inbound) -> bool:
                return await inbox.record(self.key_of(inbound), inbound.user, to_payload(inbound))

            async def process(inbound: Inbound) -> None:
                main.call_soon_threadsafe(self.accept, inbound)

            runner = await serve(create_app(self.crypto, record, process), self.host, self.port)
            try:
                main.call_soon_threadsafe(_resolve, ready, bound_port(runner))
                await self._stop.wait()
            finally:
                await runner.cleanup()
        finally:
            await inbox.close()
