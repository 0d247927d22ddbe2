"""The callback endpoint WeCom calls: ``GET /wecom`` verifies the URL, ``POST /wecom`` delivers a message.

Why record before answering: WeCom does not retry after an HTTP 200, so whatever it delivered must be
safe before the 200 leaves; the injected ``record`` (a durable inbox row in the casebot database) is
awaited first, and only then is the message handed to ``process`` in the background — the answer to
the user never holds up the acknowledgement, which WeCom wants within 5 seconds. A request whose
signature does not match gets 403 and touches nothing, and so does a signed callback whose timestamp
is outside the freshness window (:mod:`.freshness`, ±10 minutes); a body we cannot read gets 400;
nothing a caller sends makes an exception escape. The listener guards itself (:mod:`.guard`): a deadline for
every request and a cap on open connections, so slow or half-sent requests cannot hold it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Handler

from .crypto import CryptoError, SignatureError, WeComCrypto
from .freshness import Freshness, Stale
from .guard import Guard
from .messages import Inbound, MessageError, envelope_ciphertext, parse

PATH = "/wecom"
MAX_BODY = 1 << 20

log = logging.getLogger(__name__)

# ``record`` returns False for a message it already holds (a retried delivery): it is not processed again.
Record = Callable[[Inbound], Awaitable[bool | None]]
Process = Callable[[Inbound], Awaitable[None]]
TASKS: web.AppKey[set[asyncio.Task[None]]] = web.AppKey("wecom_tasks")
GUARD: web.AppKey[Guard] = web.AppKey("wecom_guard")


def _signed(request: web.Request) -> tuple[str, str, str] | None:
    """msg_signature, timestamp and nonce from the query, or None when one is missing."""
    values = (
        request.query.get("msg_signature", ""),
        request.query.get("timestamp", ""),
        request.query.get("nonce", ""),
    )
    return values if all(values) else None


class CallbackHandler:
    """The two handlers, bound to one application's crypto and the shell's record/process."""

    def __init__(self, crypto: WeComCrypto, record: Record, process: Process, freshness: Freshness) -> None:
        self.crypto = crypto
        self.record = record
        self.process = process
        self.freshness = freshness

    async def verify(self, request: web.Request) -> web.Response:
        # base64 has no spaces: a "+" sent without percent-encoding arrives decoded as one.
        signed, echostr = _signed(request), request.query.get("echostr", "").replace(" ", "+")
        if signed is None or not echostr:
            return web.Response(status=400, text="missing parameters")
        try:
            answer = self.crypto.verify_url(*signed, echostr)
        except SignatureError:
            return web.Response(status=403, text="bad signature")
        except CryptoError as error:
            log.warning("wecom URL verification refused: %s", error)
            return web.Response(status=400, text="bad echostr")
        return web.Response(text=answer, content_type="text/plain")

    async def deliver(self, request: web.Request) -> web.Response:
        signed = _signed(request)
        if signed is None:
            return web.Response(status=400, text="missing parameters")
        try:
            body = await request.read()
            plain = self.crypto.open(*signed, envelope_ciphertext(body))
            inbound = parse(plain)
        except SignatureError:
            log.warning("wecom callback with a bad signature from %s", request.remote)
            return web.Response(status=403, text="bad signature")
        except (CryptoError, MessageError) as error:
            log.warning("wecom callback refused: %s", error)
            return web.Response(status=400, text="bad request")
        except web.HTTPException as error:  # body over client_max_size
            return web.Response(status=error.status, text=error.reason)
        try:
            self.freshness.check(signed[1])  # signed, so the time is WeCom's (or a replay of it)
        except Stale:
            return web.Response(status=403, text="stale timestamp")
        try:
            fresh = await self.record(inbound)
        except Exception:
            log.exception("wecom callback %s not recorded; WeCom will retry", inbound.dedupe_key)
            return web.Response(status=500, text="not recorded")
        if fresh is not False:
            self._start(request.app, inbound)
        return web.Response(status=200)

    def _start(self, app: web.Application, inbound: Inbound) -> None:
        task = asyncio.get_running_loop().create_task(self._process(inbound))
        app[TASKS].add(task)
        task.add_done_callback(app[TASKS].discard)

    async def _process(self, inbound: Inbound) -> None:
        try:
            await self.process(inbound)
        except Exception:  # the inbox keeps the message; a failure here must not go unseen
            log.exception("wecom message %s failed in processing", inbound.dedupe_key)


async def _drain(app: web.Application) -> None:
    """On shutdown, let processing that has started finish (the inbox covers what it cannot)."""
    running: set[asyncio.Task[None]] = app[TASKS]
    tasks = [*running]
    if tasks:
        await asyncio.wait(tasks, timeout=10)
        for task in tasks:
            task.cancel()


def create_app(
    crypto: WeComCrypto,
    record: Record,
    process: Process,
    guard: Guard | None = None,
    freshness: Freshness | None = None,
) -> web.Application:
    """The aiohttp application serving ``/wecom``; the shell runs it on CASEBOT_WECOM_LISTEN:PORT.

    ``guard`` (a deadline of 10 s, a cap below the file limit, by default) watches the connections
    :func:`serve` accepts; ``freshness`` (±10 minutes of this clock by default) is the window a
    delivered callback's signed timestamp must fall in.
    """
    callbacks = CallbackHandler(crypto, record, process, freshness or Freshness())
    watching = guard or Guard()

    @web.middleware
    async def answering(request: web.Request, handler: Handler) -> web.StreamResponse:
        watching.answering(request.transport, True)
        try:
            return await handler(request)
        finally:
            watching.answering(request.transport, False)

    app = web.Application(client_max_size=MAX_BODY, middlewares=[answering])
    app[TASKS] = set()
    app[GUARD] = watching
    app.router.add_get(PATH, callbacks.verify)
    app.router.add_post(PATH, callbacks.deliver)
    app.on_shutdown.append(_drain)
    return app


class Listening:
    """A served application: the listener (every connection watched by its guard) and aiohttp's runner."""

    def __init__(self, runner: web.AppRunner, listener: asyncio.Server) -> None:
        self.runner = runner
        self.listener = listener

    async def cleanup(self) -> None:
        """Accept nothing more, let aiohttp finish and close its connections, then let go of the port."""
        self.listener.close()
        await self.runner.cleanup()
        await self.listener.wait_closed()


async def serve(app: web.Application, host: str, port: int) -> Listening:
    """Listen on ``host:port`` in the running loop (port 0 picks a free one); ``cleanup()`` stops it.

    Why not ``web.run_app``: that owns the event loop and the signals, and casebot runs every channel in
    one loop with one shutdown. Why not aiohttp's ``TCPSite``: it hands connections to aiohttp
    directly, and each must pass the app's :class:`~.guard.Guard` first.
    """
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=5.0)
    await runner.setup()
    server = runner.server
    assert server is not None
    try:
        listener = await asyncio.get_running_loop().create_server(app[GUARD].wrap(server), host, port, backlog=128)
    except BaseException:
        await runner.cleanup()
        raise
    return Listening(runner, listener)


def bound_port(served: Listening) -> int:
    """The port a served application listens on (the free one chosen when asked for port 0)."""
    return int(served.listener.sockets[0].getsockname()[1])
