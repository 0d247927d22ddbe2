"""The Telegram channel: builds PTB around the service and runs it by polling or webhook.

One handler takes every update: it translates, calls the service, and sends what comes back. The
dialog's SQLite state is the only truth: even an album's pieces are stored as they arrive, and only
the timer that waits for the rest lives here, so a restart answers an album a crash interrupted.
A text the client cut at its length limit is held the same way and joined with its continuation
(:mod:`.pastes`).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Bot, BotCommand, CallbackQuery, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler, Updater

from bot.disk.outputs import OutFile
from bot.usecases.outbox import kill_point
from bot.usecases.response import Response
from dialogs.events import Event, PictureIn, Pictures, Reply, parse_text
from dialogs.wording import t

from ...settings import Settings
from ...storage import AlbumPart
from ..base import Host, Unreachable
from ..registry import Channels
from .ordering import PerChatUpdateProcessor
from .pastes import PREFIX as PASTE_PREFIX
from .pastes import Pastes
from .ratelimit import PacingRateLimiter
from .send import LIMITS, send_files, send_replies
from .translate import chat_of, download, file_of, to_event, user_key

log = logging.getLogger("casebot.telegram")

TelegramApp = Application[Any, Any, Any, Any, Any, Any]  # PTB's application with its default context types
ALBUM_WAIT = 0.8  # seconds to wait for the rest of an album after its last part arrived


def commands() -> list[BotCommand]:
    """The menu Telegram shows beside the input field."""
    return [
        BotCommand("start", t("channels.telegram.menu.start")),
        BotCommand("help", t("channels.telegram.menu.help")),
        BotCommand("review", t("channels.telegram.menu.review")),
        BotCommand("edit", t("channels.telegram.menu.edit")),
        BotCommand("show", t("channels.telegram.menu.show")),
        BotCommand("undo", t("channels.telegram.menu.undo")),
        BotCommand("preview", t("channels.telegram.menu.preview")),
        BotCommand("back", t("channels.telegram.menu.back")),
        BotCommand("next", t("channels.telegram.menu.next")),
        BotCommand("skip", t("channels.telegram.menu.skip")),
        BotCommand("submit", t("channels.telegram.menu.submit")),
        BotCommand("cancel", t("channels.telegram.menu.cancel")),
        BotCommand("new", t("channels.telegram.menu.new")),
        BotCommand("status", t("channels.telegram.menu.status")),
        BotCommand("summary", t("channels.telegram.menu.summary")),
        BotCommand("cases", t("channels.telegram.menu.cases")),
        BotCommand("contact", t("channels.telegram.menu.contact")),
        BotCommand("scan", t("channels.telegram.menu.scan")),
        BotCommand("package", t("channels.telegram.menu.package")),
    ]


def album_key(group: str) -> str:
    return f"tg:album:{group}"


class TelegramChannel:
    prefix = "tg"
    limits = LIMITS

    def __init__(self, app: Host, bot: Bot, channels: Channels) -> None:
        self.app = app
        self.bot = bot
        self.channels = channels
        self.application: TelegramApp | None = None  # set by build_application
        self._timers: dict[str, asyncio.TimerHandle] = {}  # album → the wait for its remaining pieces
        self._tasks: set[asyncio.Task[None]] = set()  # album flushes in flight, kept from the collector
        self.pastes = Pastes(app.service.albums, self._answer_paste, app.settings.paste_wait)

    # -- one update ------------------------------------------------------------------------------

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        started = time.perf_counter()
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None or chat.type != "private":
            return
        message = update.effective_message
        text = message.text if message is not None and update.callback_query is None else None
        at = message.date if message is not None else None
        if at is not None and await self.pastes.take(update.update_id, user_key(user.id), chat.id, text, at):
            return  # held for its continuation, or joined with the pieces before it and answered
        if message is not None and message.media_group_id and file_of(message) is not None:
            await self._album_part(update, user_key(user.id), chat.id)
            return
        event = await to_event(update)
        if event is None:
            return
        response = (
            await self._handle(user_key(user.id), event, f"tg:{update.update_id}")
            if not isinstance(event, str)
            else Response(replies=[Reply(event)])
        )
        await self._deliver(chat.id, response, update.callback_query)
        log.info(
            "update %s from %s: %s -> %d replies, %d files%s in %.0f ms",
            update.update_id,
            user.id,
            type(event).__name__,
            len(response.replies),
            len(response.files),
            " (repeat)" if response.duplicate else "",
            (time.perf_counter() - started) * 1000,
        )

    async def _handle(self, user: str, event: Event, key: str) -> Response:
        return await self.app.service.handle(user, event, key)

    async def _deliver(self, chat: int, response: Response, query: CallbackQuery | None = None) -> None:
        bot = self.bot
        replies = response.replies
        if query is not None:
            toast = next((r.text for r in replies if r.transient), None)
            await query.answer(text=toast[:200] if toast else None)
            replies = [r for r in replies if not r.transient]
            if toast is None and query.message is not None:
                await self._drop_keyboard(chat, query.message.message_id)
        await send_replies(bot, chat, replies)
        await response.sent()
        await send_files(bot, chat, response.files)
        await self.channels.deliver_all(response.deliveries)

    async def send(self, user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
        """A delivery to a Telegram user: a coordinator's notice, a reminder."""
        chat = chat_of(user)
        if chat is None:
            raise Unreachable(user)
        try:
            await send_replies(self.bot, chat, replies)
            await send_files(self.bot, chat, files)
        except (Forbidden, BadRequest) as error:
            raise Unreachable(f"{user}: {error}") from error

    async def _drop_keyboard(self, chat: int, message_id: int) -> None:
        """Take the buttons off a message once pressed, so it cannot be pressed again."""
        try:
            await self.bot.edit_message_reply_markup(chat_id=chat, message_id=message_id, reply_markup=None)
        except BadRequest:
            pass

    # -- albums: several updates, one answer ------------------------------------------------------

    async def _album_part(self, update: Update, user: str, chat: int) -> None:
        """Store the piece at once (a crash after this never loses it), then wait a moment for the rest."""
        message = update.effective_message
        assert message is not None and message.media_group_id is not None
        got = await download(message)
        part = AlbumPart(
            seq=message.message_id,
            user=user,
            chat=chat,
            picture=got if isinstance(got, PictureIn) else None,
            refusal=got if isinstance(got, str) else None,
        )
        await self.app.service.albums.keep(album_key(message.media_group_id), part)
        self._wait_for_rest(album_key(message.media_group_id))

    def _wait_for_rest(self, album: str) -> None:
        timer = self._timers.pop(album, None)
        if timer is not None:
            timer.cancel()
        self._timers[album] = asyncio.get_running_loop().call_later(ALBUM_WAIT, self._start_flush, album)

    def _start_flush(self, album: str) -> None:
        self._timers.pop(album, None)
        task = asyncio.ensure_future(self._flush_album(album))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def resume_albums(self) -> None:
        """Answer the albums (and cut pastes) a crash left stored but unanswered."""
        for album in await self.app.service.albums.waiting():
            if album not in self._timers and not album.startswith(PASTE_PREFIX):
                self._wait_for_rest(album)
        await self.pastes.resume()

    async def _answer_paste(self, user: str, chat: int, text: str, key: str, paste: str) -> None:
        """A paste's pieces, joined: one event; its transaction removes the stored pieces."""
        try:
            response = await self.app.service.handle(user, parse_text(text), key, album=paste)
            await self._deliver(chat, response)
        except Exception:
            log.exception("paste %s of %s failed", paste, user)
            await self._apologise(chat)

    async def _flush_album(self, album: str) -> None:
        parts = await self.app.service.albums.parts(album)
        if not parts:
            return
        kill_point("album")
        user, chat = parts[0].user, parts[0].chat
        try:
            refusal = next((p.refusal for p in parts if p.refusal is not None), None)
            if refusal is not None:
                await self.app.service.albums.forget(album)
                response = Response(replies=[Reply(refusal)])
            else:
                pictures = tuple(p.picture for p in parts if p.picture is not None)
                response = await self.app.service.handle(user, Pictures(items=pictures), album, album=album)
            await self._deliver(chat, response)
        except Exception:
            log.exception("album %s of %s failed", album, user)
            await self._apologise(chat)

    async def run(self, stopping: asyncio.Event) -> None:
        assert self.application is not None, "built by build_application"
        await run_application(self.application, self.app.settings, stopping, started=self.resume_albums)

    # -- errors --------------------------------------------------------------------------------------

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("update %s failed", update, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            await self._apologise(update.effective_chat.id)
            if update.callback_query is not None:
                try:
                    await update.callback_query.answer()
                except TelegramError:
                    pass

    async def _apologise(self, chat: int) -> None:
        try:
            await self.bot.send_message(chat, t("common.apology"))
        except TelegramError:
            log.exception("could not apologise to %s", chat)


def build_application(settings: Settings, app: Host, channels: Channels) -> tuple[TelegramApp, TelegramChannel]:
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_file_url)
        .concurrent_updates(PerChatUpdateProcessor())
        .connection_pool_size(settings.connection_pool_size)
        .rate_limiter(PacingRateLimiter(overall=settings.send_rate_overall, per_chat=settings.send_rate_per_chat))
        .build()
    )
    channel = TelegramChannel(app, application.bot, channels)
    channel.application = application
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(channel.on_error)
    return application, channel


def updater_of(application: TelegramApp) -> Updater:
    """The application's updater; ApplicationBuilder makes one unless told not to, and we never tell it."""
    if application.updater is None:
        raise RuntimeError("the Telegram application was built without an updater")
    return application.updater


def telegram_channel(app: Host, channels: Channels) -> TelegramChannel:
    """The factory the runner calls when CASEBOT_TELEGRAM_TOKEN is set."""
    return build_application(app.settings, app, channels)[1]


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram sends in X-Telegram-Bot-Api-Secret-Token with every webhook POST.

    Without one anybody who can reach /telegram could post an update as any user, an administrator
    included. When none is configured a new random one (256 bits, Telegram's alphabet) is made at
    each start; ``start_webhook`` registers it with setWebhook, so nothing else needs to know it."""
    configured = settings.webhook_secret.get_secret_value()
    if configured:
        return configured
    log.info("CASEBOT_WEBHOOK_SECRET is empty: a random webhook secret was made for this run")
    return secrets.token_urlsafe(32)


async def run_application(
    application: TelegramApp,
    settings: Settings,
    stopping: asyncio.Event,
    started: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Poll (or take webhooks) until ``stopping`` is set; PTB confirms fetched updates on the way out."""
    updater = updater_of(application)
    async with application:
        await application.bot.set_my_commands(commands())
        await application.start()
        if started is not None:
            await started()
        if settings.webhook_url:
            await updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path="telegram",
                webhook_url=settings.webhook_url,
                secret_token=webhook_secret(settings),
            )
            log.info("webhook mode on %s:%s", settings.webhook_listen, settings.webhook_port)
        else:
            await updater.start_polling(
                poll_interval=0.0, timeout=settings.poll_timeout, allowed_updates=Update.ALL_TYPES
            )
            log.info("polling %s", settings.telegram_base_url)
        await stopping.wait()
        await updater.stop()
        await application.stop()
