"""`casebot` itself: every configured channel in one process and one event loop, sharing one service.

Which channels run is decided by the settings alone: each entry of :data:`CHANNELS` says when it is
configured and how it is built. When none is configured the terminal runs instead, so a fresh
checkout answers at once. The reminders loop and the outbox worker belong to no channel: the worker
sends through the registry, so a notice or reminder reaches each user on the channel they joined by,
and on start it carries out whatever a crash left pending. SIGINT or SIGTERM stops every channel,
then the database closes. Neither a signal nor a channel ending (the terminal at the end of its
input) stops anything before that leftover work is done, within :data:`LEFTOVER_GRACE`: a restart
after a kill would otherwise tell the submitter "已提交成功" and exit with the 推荐表 not on disk.

A new channel plugs in as one more :class:`ChannelSpec` in :data:`CHANNELS`, with its code in a
folder of its own next to ``telegram/``.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.app import App, open_app
from bot.channels.base import Channel
from bot.channels.ids import UserIdError, normalise_user_id
from bot.channels.registry import Channels
from bot.disk.outputs import UnknownUnit
from bot.settings import Settings
from bot.usecases.reminders import remind_forever

log = logging.getLogger("casebot")

ChannelFactory = Callable[[App, Channels], Channel]
LEFTOVER_GRACE = 60.0  # seconds the leftover work may hold up the end (systemd waits 90 s on SIGTERM)


@dataclass(frozen=True)
class ChannelSpec:
    """One channel the runner can start: ``configured`` reads the settings, ``build`` makes the channel."""

    name: str
    configured: Callable[[Settings], bool]
    build: ChannelFactory


def _telegram(app: App, channels: Channels) -> Channel:
    from bot.channels.telegram.app import telegram_channel  # PTB is imported only when Telegram is configured

    return telegram_channel(app, channels)


def _wecom(app: App, channels: Channels) -> Channel:
    from bot.channels.wecom.channel import wecom_channel  # aiohttp's server is imported only when WeCom is configured

    return wecom_channel(app, channels)


CHANNELS: list[ChannelSpec] = [
    ChannelSpec("telegram", lambda settings: bool(settings.telegram_token.get_secret_value()), _telegram),
    ChannelSpec("wecom", lambda settings: bool(settings.wecom_corp_id), _wecom),
]


def terminal(user: str | None = None, unit: str | None = None) -> ChannelSpec:
    """The terminal, for ``user`` (default: the system user), optionally a member of ``unit``."""

    def build(app: App, channels: Channels) -> Channel:
        from bot.channels.terminal import TerminalChannel

        return TerminalChannel(app.service, channels, f"term:{user or getpass.getuser()}", unit)

    return ChannelSpec("terminal", lambda settings: True, build)


def configured(settings: Settings) -> list[ChannelSpec]:
    """The channels the settings turn on; empty means the terminal should run."""
    return [spec for spec in CHANNELS if spec.configured(settings)]


def admins_of(settings: Settings) -> frozenset[str]:
    """Administrators' user ids: ``tg:900``, ``wecom:zhangsan`` (lower-cased), or a bare Telegram id ``900``."""
    admins = set()
    for raw in settings.admin_ids:
        try:
            admins.add(normalise_user_id(raw))
        except UserIdError as error:
            log.warning("CASEBOT_ADMIN_IDS: %s", error)
    return frozenset(admins)


async def _leftover_done(app: App, working: asyncio.Future[None]) -> None:
    """Wait (bounded) for the outbox's first pass, with the channels still up to send its messages."""
    if app.service.outbox.resumed.is_set():
        return
    log.info("finishing the work a previous run left before stopping")
    resumed = asyncio.ensure_future(app.service.outbox.resumed.wait())
    watched: set[asyncio.Future[Any]] = {resumed, working}  # the worker may also end by failing
    try:
        await asyncio.wait(watched, timeout=LEFTOVER_GRACE, return_when=asyncio.FIRST_COMPLETED)
    finally:
        resumed.cancel()
    if not app.service.outbox.resumed.is_set():
        log.warning(
            "the work a previous run left is not finished after %.0f s; it resumes at the next start", LEFTOVER_GRACE
        )


async def serve(settings: Settings, specs: Sequence[ChannelSpec], *, remind: bool = True) -> int:
    """Run ``specs`` until a signal, or until one of them ends (the terminal at the end of its input)."""
    async with open_app(settings) as app:
        app.service.admins = admins_of(settings)
        app.outputs.warm()  # the file builders start beside the channels, ready before the first submission
        channels = Channels()
        for spec in specs:
            channels.add(spec.build(app, channels))
        app.service.desk.file_limit = channels.file_bytes  # a 报送包 too large for the channel goes in parts
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        signals = (signal.SIGINT, signal.SIGTERM)
        for sig in signals:
            loop.add_signal_handler(sig, stopping.set)
        running = {asyncio.ensure_future(channel.run(stopping)): channel for channel in channels}
        reminding = (
            asyncio.ensure_future(remind_forever(app.service, channels.send, settings.reminder_interval))
            if remind
            else None
        )
        app.service.outbox.sender = channels.send
        working = asyncio.ensure_future(app.service.outbox.run(stopping))  # resumes what a crash left pending
        waiting = asyncio.ensure_future(stopping.wait())
        try:
            await asyncio.wait({*running, waiting}, return_when=asyncio.FIRST_COMPLETED)
            await _leftover_done(app, working)
        finally:
            stopping.set()
            results = await asyncio.gather(*running, return_exceptions=True)
            for task in (reminding, working, waiting):
                if task is not None:
                    task.cancel()
            for sig in signals:
                loop.remove_signal_handler(sig)
    code = 0
    for channel, result in zip(running.values(), results, strict=True):
        if isinstance(result, UnknownUnit):
            raise result  # the terminal's --unit names no unit: the command line says so
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            log.error("channel %s failed", channel.prefix, exc_info=result)
            code = 1
    return code
