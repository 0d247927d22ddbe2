"""The callback endpoint in a process of its own, so an acknowledgement never waits for answers.

Why: the main process runs every answer (the dialog, the database, the sends to WeCom); WeCom wants
its HTTP 200 within 5 seconds, and casebot aims at 50 ms. A thread of its own was not enough: it
shared the interpreter lock with the main loop, and with 200 members answering at once one
acknowledgement in a hundred waited 50–75 ms for its turn even on an idle machine. In a process of
its own a callback is checked, decrypted and written to the inbox (its own database connection) by an
interpreter that does nothing else; only the recorded message is handed to the main process, through
a pipe, and the main process answers it.

The child ends with the main process, even one killed outright (it watches the parent's sentinel):
what it acknowledged is in the inbox, which the next start takes up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ...storage import InboxWriter
from .crypto import WeComCrypto
from .messages import Inbound
from .payload import from_payload, to_payload
from .quiet import quieten
from .server import bound_port, create_app, serve

log = logging.getLogger(__name__)

# The inbox key of a message (see channel.inbox_key); passed in to keep this module free of the channel.
KeyOf = Callable[[Inbound], str]
STOP_WAIT = 10.0  # seconds the child may take to finish the callbacks under way when told to stop


class CallbackProcess:
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
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._ready: asyncio.Future[int] | None = None
        self._stopping = False
        self.ended: asyncio.Future[None] | None = None  # done when the child ends; an exception if it failed

    async def start(self) -> int:
        """Start the child; returns the port it listens on once it does (raises if it cannot)."""
        loop = asyncio.get_running_loop()
        mine, theirs = multiprocessing.Pipe()
        # spawn, not the file builders' forkserver: a forkserver child's exit is learnt from the server, so a
        # SIGTERM to the whole group (a service manager stopping casebot) looked like the child failing
        context = multiprocessing.get_context("spawn")
        level = logging.getLogger().getEffectiveLevel()
        args = (self.crypto, self.inbox_path, self.key_of, self.host, self.port, theirs, level)
        self._process = context.Process(target=_child, args=args, name="wecom-callbacks", daemon=True)
        self._ready = loop.create_future()
        self.ended = loop.create_future()
        self._process.start()
        theirs.close()
        self._conn = mine
        loop.add_reader(mine.fileno(), self._read)
        loop.add_reader(self._process.sentinel, self._child_ended)
        try:
            return await self._ready
        except BaseException:
            self._stopping = True
            self._detach()  # the pipe closed: a child still starting stops once it listens
            await asyncio.to_thread(self._process.join, STOP_WAIT)
            if self.ended.done():
                self.ended.exception()  # told through start(): not again at garbage collection
            raise

    async def stop(self) -> None:
        """Stop listening (callbacks being recorded finish) and wait for the child to end."""
        self._stopping = True
        process, conn = self._process, self._conn
        if process is None or conn is None:
            return
        with contextlib.suppress(OSError):
            conn.send(("stop",))
        await asyncio.to_thread(process.join, STOP_WAIT)
        if process.is_alive():
            log.warning("the WeCom callback process did not stop in %.0f s; ended", STOP_WAIT)
            process.kill()
            await asyncio.to_thread(process.join)
        self._read()  # messages it recorded while stopping still reach the service
        self._detach()
        if self.ended is not None and self.ended.done():
            self.ended.exception()  # seen here: how it ended no longer matters once stopping

    def _read(self) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            while conn.poll():
                self._handle(conn.recv())
        except (EOFError, OSError):
            self._detach_reader()

    def _handle(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "inbound":
            try:
                inbound = from_payload(message[1])
            except ValueError:  # cannot happen for what the child wrote; the inbox row keeps it anyway
                log.exception("a recorded callback could not be read back")
                return
            self.accept(inbound)
        elif kind == "ready" and self._ready is not None and not self._ready.done():
            self._ready.set_result(int(message[1]))
        elif kind == "failed" and self._ready is not None and not self._ready.done():
            self._ready.set_exception(RuntimeError(f"the WeCom callback endpoint did not start: {message[1]}"))

    def _child_ended(self) -> None:
        self._read()
        process = self._process
        if process is None:
            return
        asyncio.get_running_loop().remove_reader(process.sentinel)
        process.join(0)  # reap it, so its exit code is known
        code = process.exitcode
        failure = None if self._stopping else RuntimeError(f"the WeCom callback process ended ({code})")
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(failure or RuntimeError("the WeCom callback process ended before it listened"))
        if self.ended is not None and not self.ended.done():
            if failure is None:
                self.ended.set_result(None)
            else:
                self.ended.set_exception(failure)

    def _detach_reader(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(self._conn.fileno())

    def _detach(self) -> None:
        self._detach_reader()
        if self._process is not None:
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(self._process.sentinel)
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self.ended is not None and not self.ended.done():
            self.ended.set_result(None)


# -- the child ---------------------------------------------------------------------------------------------


def _child(crypto: WeComCrypto, inbox: Path, key_of: KeyOf, host: str, port: int, conn: Connection, level: int) -> None:
    """The child's whole life: serve until the parent says stop, closes the pipe or dies."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quieten()  # a flood of connections must not become a flood of log lines
    # Ctrl-C and a service manager's SIGTERM reach the whole group: the parent decides, then says stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        sentinel = parent.sentinel
        threading.Thread(target=lambda: (wait([sentinel]), os._exit(0)), daemon=True).start()
    outgoing: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_send_all, args=(conn, outgoing), daemon=True)
    sender.start()
    try:
        asyncio.run(_serve(crypto, inbox, key_of, host, port, conn, outgoing))
    except BaseException as error:
        outgoing.put(("failed", f"{type(error).__name__}: {error}"))
        outgoing.put(None)
        sender.join(5)
        raise SystemExit(1) from None
    outgoing.put(None)
    sender.join(5)


def _send_all(conn: Connection, outgoing: queue.SimpleQueue[tuple[Any, ...] | None]) -> None:
    """Writes to the parent off the child's event loop, so a busy parent never holds up a 200."""
    while (message := outgoing.get()) is not None:
        try:
            conn.send(message)
        except OSError:
            return


async def _serve(
    crypto: WeComCrypto,
    inbox_path: Path,
    key_of: KeyOf,
    host: str,
    port: int,
    conn: Connection,
    outgoing: queue.SimpleQueue[tuple[Any, ...] | None],
) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def told() -> None:
        try:
            conn.recv()  # the only message the parent sends is "stop"
        except (EOFError, OSError):
            pass
        loop.remove_reader(conn.fileno())
        stop.set()

    loop.add_reader(conn.fileno(), told)
    inbox = await InboxWriter(inbox_path).open()
    try:

        async def record(inbound: Inbound) -> bool:
            return await inbox.record(key_of(inbound), inbound.user, to_payload(inbound))

        async def process(inbound: Inbound) -> None:
            outgoing.put(("inbound", to_payload(inbound)))

        runner = await serve(create_app(crypto, record, process), host, port)
        try:
            outgoing.put(("ready", bound_port(runner)))
            await stop.wait()
        finally:
            await runner.cleanup()
    finally:
        await inbox.close()
