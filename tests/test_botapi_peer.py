"""The loopback Bot API peer against real python-telegram-bot 22: shapes, limits, polling."""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
import json
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from PIL import Image
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, InputMediaPhoto, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.botapi import BotApiPeer
from tests.botapi.fixtures import botapi_peer, running_application, spawn_bot, stop_bot  # noqa: F401

USER = 4242
BIG = 20 * 1024 * 1024 + 1


def _png(width: int = 1000, height: int = 700) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


class Recorder:
    """Handlers of the bare test bot; records what it saw for assertions."""

    def __init__(self) -> None:
        self.update_ids: list[int] = []
        self.applied: set[int] = set()
        self.albums: dict[str, int] = {}
        self.kinds: list[str] = []

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton("确认", callback_data="ok"), InlineKeyboardButton("取消", callback_data="cancel")]]
        )
        await update.effective_message.reply_text(
            f"<b>你好</b> args={context.args}", parse_mode=ParseMode.HTML, reply_markup=keyboard
        )

    async def echo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.update_ids.append(update.update_id)
        if update.update_id in self.applied:  # idempotent on redelivery
            return
        self.applied.add(update.update_id)
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer(text=f"选了 {query.data}")
        await query.edit_message_text(f"已选择：{query.data}")

    async def media(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        if msg.media_group_id:
            self.albums[msg.media_group_id] = self.albums.get(msg.media_group_id, 0) + 1
            return
        attachment = msg.photo[-1] if msg.photo else msg.document
        try:
            data = await (await attachment.get_file()).download_as_bytearray()
        except BadRequest as err:
            await msg.reply_text(f"error={err}")
            return
        await msg.reply_text(f"size={len(data)}")
        name = msg.document.file_name if msg.document else "photo.jpg"
        await context.bot.send_document(
            msg.chat_id, InputFile(bytes(data[::-1]), filename=f"回传-{name}"), caption="原样倒序"
        )

    async def other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        self.kinds.append("sticker" if msg.sticker else "voice" if msg.voice else "other")
        await msg.reply_text("收到")


def build_app(peer: BotApiPeer, rec: Recorder) -> Application:
    app = (
        ApplicationBuilder()
        .token(peer.token)
        .base_url(peer.base_url)
        .base_file_url(peer.base_file_url)
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(CommandHandler("start", rec.start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, rec.echo))
    app.add_handler(CallbackQueryHandler(rec.button))
    app.add_handler(MessageHandler(filters.PHOTO | filters.Document.ALL, rec.media))
    app.add_handler(MessageHandler(filters.Sticker.ALL | filters.VOICE, rec.other))
    return app


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
async def app(botapi_peer: BotApiPeer, rec: Recorder) -> AsyncIterator[Application]:  # noqa: F811
    async with running_application(build_app(botapi_peer, rec)) as running:
        await botapi_peer.wait_until_polling()
        yield running


async def api(peer: BotApiPeer, method: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """Raw HTTP call, for what PTB cannot express (bodies, offsets, unknown methods)."""
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{peer.base_url}{peer.token}/{method}", **kwargs) as resp:
            return resp.status, await resp.json()


# ----- identity, commands -----


async def test_get_me_and_commands(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    assert app.bot.username == "casebot_test_bot"
    assert app.bot.bot.is_bot and app.bot.id == 123456
    await app.bot.set_my_commands([("start", "开始填写"), ("help", "帮助")])
    assert botapi_peer.commands == [
        {"command": "start", "description": "开始填写"},
        {"command": "help", "description": "帮助"},
    ]
    assert [c.command for c in await app.bot.get_my_commands()] == ["start", "help"]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await app.bot.set_my_commands([("Start", "x")])
    assert (await app.bot.get_webhook_info()).url == ""


# ----- messages -----


async def test_echo_round_trip(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    sent = await user.send_text("你好，机器人")
    reply = await user.next_message()
    assert reply["text"] == "你好，机器人" and reply["_kind"] == "message"
    assert reply["from"]["id"] == 123456 and reply["from"]["is_bot"] is True
    assert reply["chat"] == {"id": USER, "type": "private", "first_name": "张三"}
    assert isinstance(reply["date"], int) and reply["date"] <= time.time() + 1
    assert reply["message_id"] == sent["message_id"] + 1


async def test_command_entity_and_html(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    sent = await user.send_text("/start 2024")
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    reply = await user.wait_for("你好")
    assert reply["text"] == "你好 args=['2024']"
    assert reply["entities"] == [{"type": "bold", "offset": 0, "length": 2}]
    assert user.buttons(reply) == [["确认", "取消"]]


async def test_text_limits(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    botapi_peer.user(USER)
    assert (await app.bot.send_message(USER, "字" * 4096)).text == "字" * 4096
    with pytest.raises(BadRequest, match="Message is too long"):
        await app.bot.send_message(USER, "字" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await app.bot.send_message(USER, "  \n ")
    # entities do not count: 4096 visible chars inside tags are fine
    assert len((await app.bot.send_message(USER, f"<b>{'a' * 4096}</b>", parse_mode="HTML")).text) == 4096


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("1 < 2", 'unsupported start tag "" at byte offset 2'),
        ("<b>粗", 'can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("a<br>b", 'unsupported start tag "br" at byte offset 1'),
    ],
)
async def test_html_rejected(app: Application, botapi_peer: BotApiPeer, html: str, error: str) -> None:  # noqa: F811
    botapi_peer.user(USER)
    with pytest.raises(BadRequest) as info:
        await app.bot.send_message(USER, html, parse_mode=ParseMode.HTML)
    assert str(info.value).lower() == f"can't parse entities: {error}".lower()


async def test_html_entities_decoded_and_markdown_v2_checked(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    msg = await app.bot.send_message(
        USER, '1 &lt; 2 &amp;&amp; <a href="https://example.org">链接</a> <tg-spoiler>x</tg-spoiler>', parse_mode="HTML"
    )
    assert msg.text == "1 < 2 && 链接 x"
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [("text_link", 9, 2), ("spoiler", 12, 1)]
    with pytest.raises(BadRequest, match="reserved"):
        await app.bot.send_message(USER, "第1.2条", parse_mode=ParseMode.MARKDOWN_V2)
    ok = await app.bot.send_message(USER, r"*第1\.2条*", parse_mode=ParseMode.MARKDOWN_V2)
    assert ok.text == "第1.2条" and ok.entities[0].type == "bold"
    assert [m["text"] for m in user.messages] == ["1 < 2 && 链接 x", "第1.2条"]


# ----- callback queries, edits -----


async def test_callback_press_answer_and_edit(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    await user.send_text("/start")
    menu = await user.next_message()
    query = await user.press(menu, "ok")
    assert query["chat_instance"] and query["from"]["id"] == USER
    answer = await user.wait_callback_answer(query["id"])
    assert answer["text"] == "选了 ok" and answer["data"] == "ok"
    edit = await user.next_message()
    assert edit["_kind"] == "edit" and edit["message_id"] == menu["message_id"]
    assert edit["text"] == "已选择：ok" and "reply_markup" not in edit  # edit without markup drops it
    with pytest.raises(ValueError, match="no button"):
        await user.press(menu, "cancel")  # keyboard is gone now
    with pytest.raises(BadRequest, match="Query is too old"):
        await app.bot.answer_callback_query(query["id"])


async def test_callback_data_limit_and_not_modified(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    botapi_peer.user(USER)
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("六十三字节", callback_data="案" * 21)]])  # 63 bytes
    msg = await app.bot.send_message(USER, "选择", reply_markup=fits)
    assert msg.reply_markup.inline_keyboard[0][0].callback_data == "案" * 21
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="案" * 21 + "ab")]])  # 65 bytes
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await app.bot.send_message(USER, "选择", reply_markup=too_long)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await app.bot.edit_message_reply_markup(USER, msg.message_id, reply_markup=fits)
    edited = await app.bot.edit_message_reply_markup(USER, msg.message_id, reply_markup=None)
    assert edited.reply_markup is None and edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await app.bot.edit_message_text("x", chat_id=USER, message_id=999)
    assert await app.bot.delete_message(USER, msg.message_id) is True
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await app.bot.delete_message(USER, msg.message_id)


# ----- files -----


async def test_document_round_trip(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    payload = b"PK\x03\x04" + bytes(range(256)) * 40
    await user.send_document(
        payload,
        "推荐表 (1).docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        caption="附件",
    )
    assert (await user.next_message())["text"] == f"size={len(payload)}"
    back = await user.next_message()
    assert back["document"]["file_name"] == "回传-推荐表 (1).docx"
    assert back["document"]["file_size"] == len(payload) and back["caption"] == "原样倒序"
    assert await user.download(back) == payload[::-1]
    upload = botapi_peer.calls_to("sendDocument")[-1]["document"]
    assert upload["filename"] == "回传-推荐表 (1).docx" and upload["size"] == len(payload)


async def test_photo_round_trip(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    png = _png()
    sent = await user.send_photo(png, caption="现场照片")
    assert [(p["width"], p["height"]) for p in sent["photo"]] == [(90, 63), (320, 224), (800, 560), (1000, 700)]
    assert sent["photo"][-1]["file_size"] == len(png)
    assert (await user.next_message())["text"] == f"size={len(png)}"  # bot took the largest size
    back = await user.next_message()
    assert await user.download(back) == png[::-1]
    photo_msg = await app.bot.send_photo(USER, png, caption="回图")
    assert photo_msg.photo[-1].width == 1000 and photo_msg.caption == "回图"
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await app.bot.send_photo(USER, png, caption="长" * 1025)
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await app.bot.send_photo(USER, b"not an image")
    resent = await app.bot.send_document(USER, back["document"]["file_id"])  # by file_id
    assert resent.document.file_id == back["document"]["file_id"]


async def test_get_file_too_big(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    big = botapi_peer.files.add(b"\0" * BIG, "document", "big.pdf", "application/pdf")
    with pytest.raises(BadRequest, match="File is too big"):
        await app.bot.get_file(big.file_id)
    faked = await user.send_document(b"tiny", "huge.pdf", "application/pdf", declared_size=30 * 1024 * 1024)
    assert faked["document"]["file_size"] == 30 * 1024 * 1024
    assert (await user.next_message())["text"] == "error=File is too big"  # seen by the bot's handler


async def test_album_sticker_voice(app: Application, botapi_peer: BotApiPeer, rec: Recorder) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    album = await user.send_album(
        [(_png(100, 80), "photo"), (_png(120, 90), "photo"), (b"%PDF-1.4", "document")], caption="一组"
    )
    group = album[0]["media_group_id"]
    assert group and all(m["media_group_id"] == group for m in album) and album[0]["caption"] == "一组"
    await user.send_sticker()
    assert (await user.next_message())["text"] == "收到"
    await user.send_voice(b"OggS-voice")
    assert (await user.next_message())["text"] == "收到"
    assert rec.albums == {group: 3} and rec.kinds == ["sticker", "voice"]
    sent = await app.bot.send_media_group(
        USER, [InputMediaPhoto(_png(50, 50)), InputMediaPhoto(_png(60, 60), caption="第二张")]
    )
    assert len({m.media_group_id for m in sent}) == 1 and sent[1].caption == "第二张"
    voice = await app.bot.send_voice(USER, b"OggS-bot", duration=2)
    assert voice.voice.duration == dtm.timedelta(seconds=2)
    assert await user.download(user.messages[-1]) == b"OggS-bot"


# ----- errors: 429, 403, 404 -----


async def test_retry_after_and_errors(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    botapi_peer.fail_next("sendMessage", count=2, retry_after=3)
    for _ in range(2):
        with pytest.raises(RetryAfter) as info:
            await app.bot.send_message(USER, "刷屏")
        assert info.value.retry_after == dtm.timedelta(seconds=3)  # PTB_TIMEDELTA is on in every process
    assert (await app.bot.send_message(USER, "好了")).text == "好了"
    assert len(botapi_peer.calls_to("sendMessage")) == 3 and len(botapi_peer.rejected) == 2
    user.block()
    with pytest.raises(Forbidden, match="blocked"):
        await app.bot.send_message(USER, "x")
    with pytest.raises(BadRequest, match="Chat not found"):
        await app.bot.send_message(999, "x")
    with pytest.raises(EndPointNotFound):
        await app.bot.do_api_request("frobnicate")
    status, body = await api(botapi_peer, "frobnicate")
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    botapi_peer.fail_next("sendMessage")
    status, body = await api(botapi_peer, "sendMessage", json={"chat_id": USER, "text": "x"})
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


async def test_request_body_encodings(botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}
    _, by_json = await api(botapi_peer, "sendMessage", json={"chat_id": USER, "text": "json", "reply_markup": markup})
    _, by_form = await api(
        botapi_peer, "sendMessage", data={"chat_id": str(USER), "text": "form", "reply_markup": json.dumps(markup)}
    )
    form = aiohttp.FormData()
    form.add_field("chat_id", str(USER))
    form.add_field("document", b"abc", filename="a.txt", content_type="text/plain")
    _, by_multipart = await api(botapi_peer, "sendDocument", data=form)
    assert by_json["result"]["reply_markup"] == markup == by_form["result"]["reply_markup"]
    assert by_multipart["result"]["document"]["mime_type"] == "text/plain"
    assert [m.get("text") for m in user.messages] == ["json", "form", None]
    _, got = await api(botapi_peer, "getFile", json={"file_id": by_multipart["result"]["document"]["file_id"]})
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{botapi_peer.base_file_url}{botapi_peer.token}/{got['result']['file_path']}") as resp:
            assert await resp.read() == b"abc"
    status, body = await api(botapi_peer, "getMe")
    assert status == 200 and body["result"]["username"] == "casebot_test_bot"


# ----- getUpdates semantics -----


async def test_offset_limit_and_long_poll(botapi_peer: BotApiPeer) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    for text in ("一", "二", "三"):
        await user.send_text(text)
    _, first = await api(botapi_peer, "getUpdates", json={})
    ids = [u["update_id"] for u in first["result"]]
    assert [u["message"]["text"] for u in first["result"]] == ["一", "二", "三"] and ids == sorted(ids)
    _, again = await api(botapi_peer, "getUpdates", json={"limit": 2})
    assert [u["update_id"] for u in again["result"]] == ids[:2]  # unconfirmed: delivered again
    _, rest = await api(botapi_peer, "getUpdates", json={"offset": ids[2]})
    assert [u["update_id"] for u in rest["result"]] == ids[2:]  # earlier ones confirmed and dropped
    start = time.monotonic()
    _, empty = await api(botapi_peer, "getUpdates", data={"offset": str(ids[2] + 1), "timeout": "1"})
    assert empty["result"] == [] and 0.9 < time.monotonic() - start < 2

    async def later() -> None:
        await asyncio.sleep(0.2)
        await user.send_text("四")

    start = time.monotonic()
    (_, woke), _ = await asyncio.gather(
        api(botapi_peer, "getUpdates", json={"offset": ids[2] + 1, "timeout": 20}), later()
    )
    assert [u["message"]["text"] for u in woke["result"]] == ["四"] and time.monotonic() - start < 1


async def test_second_poller_conflicts(botapi_peer: BotApiPeer) -> None:  # noqa: F811
    first = asyncio.ensure_future(api(botapi_peer, "getUpdates", json={"timeout": 5}))
    await botapi_peer.wait_until_polling()
    second = asyncio.ensure_future(api(botapi_peer, "getUpdates", json={"timeout": 0}))
    status, body = await first
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    assert (await second)[0] == 200


async def test_redelivery_is_applied_once(app: Application, botapi_peer: BotApiPeer, rec: Recorder) -> None:  # noqa: F811
    user = botapi_peer.user(USER)
    await user.send_text("只处理一次")
    assert (await user.next_message())["text"] == "只处理一次"
    update_id = rec.update_ids[0]
    botapi_peer.redeliver(update_id)
    await botapi_peer.wait_for_call("getUpdates", after=len(botapi_peer.calls))
    for _ in range(50):
        if len(rec.update_ids) == 2:
            break
        await asyncio.sleep(0.05)
    assert rec.update_ids == [update_id, update_id] and botapi_peer.delivery_counts[update_id] == 2
    await user.expect_silence(0.3)


async def test_many_users_concurrently(app: Application, botapi_peer: BotApiPeer) -> None:  # noqa: F811
    users = [botapi_peer.user(10_000 + i, f"用户{i}") for i in range(50)]

    async def talk(user: Any) -> list[str]:
        got = []
        for step in range(3):
            await user.send_text(f"{user.id}-{step}")
            got.append((await user.next_message())["text"])
        return got

    results = await asyncio.gather(*(talk(u) for u in users))
    assert results == [[f"{u.id}-{s}" for s in range(3)] for u in users]


@pytest.mark.slow
async def test_bot_as_its_own_process(botapi_peer: BotApiPeer) -> None:  # noqa: F811
    """The e2e shape: a bot process configured by CASEBOT_TELEGRAM_* env vars."""
    echo_bot = Path(__file__).resolve().parents[1] / "bench" / "echo_bot.py"
    proc = await spawn_bot(botapi_peer, [sys.executable, str(echo_bot)])
    try:
        user = botapi_peer.user(USER)
        await user.send_text("跨进程")
        assert (await user.next_message())["text"] == "跨进程"
    finally:
        assert await stop_bot(proc) == 0
    assert botapi_peer.pending_update_ids == []  # graceful stop confirmed the offset
    proc = await spawn_bot(botapi_peer, [sys.executable, str(echo_bot)])  # restart works
    try:
        await user.send_text("重启后")
        assert (await user.next_message())["text"] == "重启后"
    finally:
        await stop_bot(proc, crash=True)
