"""A Telegram update becomes a dialog event; nothing here decides what the event means."""

from __future__ import annotations

import mimetypes

from telegram import Message, Update

from dialogs.events import Event, PictureIn, Pictures, Press, Unsupported, parse_text

MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API's getFile limit
TOO_BIG = "文件超过 20 MB，机器人无法接收。请压缩图片后重新发送。"

_KINDS = (
    ("voice", "语音消息"),
    ("audio", "音频"),
    ("video", "视频"),
    ("video_note", "视频消息"),
    ("sticker", "贴纸"),
    ("animation", "动图"),
    ("location", "位置"),
    ("contact", "名片"),
    ("poll", "投票"),
    ("venue", "地点"),
    ("dice", "骰子"),
)


def user_key(user_id: int) -> str:
    return f"tg:{user_id}"


def chat_of(user: str) -> int | None:
    """The private chat of a Telegram user key, or None for users of other channels."""
    kind, _, raw = user.partition(":")
    return int(raw) if kind == "tg" and raw.lstrip("-").isdigit() else None


def file_of(message: Message) -> tuple[str, int | None, str] | None:
    """(file_id, size, file name) of a photo or a document, without downloading it."""
    if message.photo:
        best = message.photo[-1]
        return best.file_id, best.file_size, "photo.jpg"
    if message.document:
        doc = message.document
        return doc.file_id, doc.file_size, doc.file_name or "file"
    return None


def describe_document(message: Message) -> str | None:
    """A non-image document's kind, for a refusal that needs no download."""
    doc = message.document
    if doc is None:
        return None
    mime = doc.mime_type or mimetypes.guess_type(doc.file_name or "")[0] or ""
    if mime.startswith("image/"):
        return None
    suffix = (doc.file_name or "").rpartition(".")[2].upper() if "." in (doc.file_name or "") else ""
    return f"{suffix} 文件" if suffix else "该类文件"


async def download(message: Message) -> PictureIn | str:
    found = file_of(message)
    assert found is not None
    file_id, size, name = found
    if size is not None and size > MAX_DOWNLOAD:
        return TOO_BIG
    telegram_file = await message.get_bot().get_file(file_id)
    data = bytes(await telegram_file.download_as_bytearray())
    return PictureIn(data=data, caption=message.caption or "", filename=name)


async def to_event(update: Update) -> Event | str | None:
    """Translate one update; a string is a refusal to send without bothering the dialog."""
    if update.callback_query is not None:
        return Press(data=update.callback_query.data or "")
    message = update.effective_message
    if message is None:
        return None
    if message.text is not None:
        return parse_text(message.text)
    if message.photo or message.document:
        kind = describe_document(message)
        if kind is not None:
            return Unsupported(kind=f"{kind}（图片资料请以 JPG、PNG 图片发送）")
        got = await download(message)
        return got if isinstance(got, str) else Pictures(items=(got,))
    for attribute, kind in _KINDS:
        if getattr(message, attribute, None):
            return Unsupported(kind=kind)
    return Unsupported(kind="此类消息")
