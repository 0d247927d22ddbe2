"""The Telegram application: builds PTB around the service and runs it by polling or webhook.

One handler takes every update: it translates, calls the service, and sends what comes back. The
dialog's SQLite state is the only truth, so nothing here keeps conversation state of its own
beyond the few hundred milliseconds an album takes to arrive.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from dataclasses import dataclass, field

from telegram import Bot, BotCommand, CallbackQuery, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from dialogs.events import Event, PictureIn, Pictures, Reply

from .. import reminders
from ..app import App, open_app
from ..service import Response
from ..settings import Settings
from .ordering import PerChatUpdateProcessor
from .ratelimit import PacingRateLimiter
from .send import send_files, send_replies
from .translate import chat_of, download, file_of, to_event, user_key

log = logging.getLogger("casebot.telegram")

COMMANDS = [
    ("start", "开始或继续填写"),
    ("help", "填写说明"),
    ("review", "核对全部内容"),
    ("edit", "修改某一项"),
    ("back", "返回上一项"),
    ("next", "保留当前内容进入下一项"),
    ("skip", "跳过选填项"),
    ("submit", "提交（须先核对）"),
    ("cancel", "放弃当前草稿"),
    ("new", "新建案例"),
    ("status", "查看我的案例"),
    ("summary", "下载本单位汇总表（联络人）"),
    ("cases", "管理本单位案例（联络人）"),
]
ALBUM_WAIT = 0.8  # seconds to wait for the rest of an album after its last part arrived
APOLOGY = "抱歉，处理您的消息时出现问题，已记录并将尽快处理。您已填写的内容均已保存，请稍后重试。"


@dataclass
class _Album:
    user: str
    chat: int
    key: str
    parts: list[PictureIn | str] = field(default_factory=list)
    timer: asyncio.TimerHandle | None = None


class TelegramChannel:
    def __init__(self, app: App, bot: Bot) -> None:
        self.app = app
        self.bot = bot
        self._albums: dict[str, _Album] = {}
        self._tasks: set[asyncio.Task[None]] = set()  # album flushes in flight, kept from the collector

    # -- one update ------------------------------------------------------------------------------

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        started = time.perf_counter()
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None or chat.type != "private":
            return
        message = update.effective_message
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
        await send_files(bot, chat, response.files)
        for delivery in response.deliveries:
            target = chat_of(delivery.user)
            if target is None:
                continue
            try:
                await send_replies(bot, target, delivery.replies)
                await send_files(bot, target, delivery.files)
            except (Forbidden, BadRequest) as error:
                log.warning("could not reach %s: %s", delivery.user, error)

    async def _drop_keyboard(self, chat: int, message_id: int) -> None:
        """Take the buttons off a message once pressed, so it cannot be pressed again."""
        try:
            await self.bot.edit_message_reply_markup(chat_id=chat, message_id=message_id, reply_markup=None)
        except BadRequest:
            pass

    # -- albums: several updates, one answer ------------------------------------------------------

    async def _album_part(self, update: Update, user: str, chat: int) -> None:
        message = update.effective_message
        assert message is not None and message.media_group_id is not None
        album = self._albums.setdefault(
            message.media_group_id, _Album(user=user, chat=chat, key=f"tg:album:{message.media_group_id}")
        )
        album.parts.append(await download(message))
        if album.timer is not None:
            album.timer.cancel()
        loop = asyncio.get_running_loop()
        group = message.media_group_id
        album.timer = loop.call_later(ALBUM_WAIT, self._start_flush, group)

    def _start_flush(self, group: str) -> None:
        task = asyncio.ensure_future(self._flush_album(group))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush_album(self, group: str) -> None:
        album = self._albums.pop(group, None)
        if album is None:
            return
        try:
            refusal = next((p for p in album.parts if isinstance(p, str)), None)
            if refusal is not None:
                response = Response(replies=[Reply(refusal)])
            else:
                pictures = tuple(p for p in album.parts if isinstance(p, PictureIn))
                response = await self._handle(album.user, Pictures(items=pictures), album.key)
            await self._deliver(album.chat, response)
        except Exception:
            log.exception("album %s of %s failed", group, album.user)
            await self._apologise(album.chat)

    # -- reminders -------------------------------------------------------------------------------------

    async def remind_forever(self, every: float) -> None:
        """Send the deadline reminders that fall due; each is recorded in SQLite and sent once."""
        while True:
            try:
                for delivery in await reminders.due(self.app.service):
                    chat = chat_of(delivery.user)
                    if chat is not None:
                        await send_replies(self.bot, chat, delivery.replies)
            except Exception:
                log.exception("sending reminders failed")
            await asyncio.sleep(every)

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
            await self.bot.send_message(chat, APOLOGY)
        except TelegramError:
            log.exception("could not apologise to %s", chat)


def build_application(settings: Settings, app: App) -> tuple[Application, TelegramChannel]:
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_file_url)
        .concurrent_updates(PerChatUpdateProcessor())
        .connection_pool_size(settings.connection_pool_size)
        .rate_limiter(PacingRateLimiter(overall=settings.send_rate_overall, per_chat=settings.send_rate_per_chat))
        .build()
    )
    channel = TelegramChannel(app, application.bot)
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(channel.on_error)
    return application, channel


async def run_telegram(settings: Settings) -> int:
    """Run until SIGINT or SIGTERM; the database opens before the first update and closes last."""
    async with open_app(settings) as app:
        app.service.admins = frozenset(user_key(int(i)) for i in settings.admin_ids if i.lstrip("-").isdigit())
        application, channel = build_application(settings, app)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with application:
            await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
            await application.start()
            if settings.webhook_url:
                await application.updater.start_webhook(
                    listen=settings.webhook_listen,
                    port=settings.webhook_port,
                    url_path="telegram",
                    webhook_url=settings.webhook_url,
                    secret_token=settings.webhook_secret or None,
                )
                log.info("webhook mode on %s:%s", settings.webhook_listen, settings.webhook_port)
            else:
                await application.updater.start_polling(
                    poll_interval=0.0, timeout=settings.poll_timeout, allowed_updates=Update.ALL_TYPES
                )
                log.info("polling %s", settings.telegram_base_url)
            reminding = asyncio.create_task(channel.remind_forever(settings.reminder_interval))
            await stop.wait()
            reminding.cancel()
            await application.updater.stop()
            await application.stop()
    return 0
