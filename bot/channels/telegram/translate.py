"""A Telegram update becomes a dialog event; nothing here decides what the event means."""

from __future__ import annotations

import mimetypes

from telegram import Message, Update

from dialogs.events import Document, Event, PictureIn, Pictures, Press, Unsupported, parse_text
from dialogs.importing import refused_by_name
from dialogs.wording import t

MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API's getFile limit
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Message attributes the form has no place for, and the wording key of each one's name.
_KINDS = (
    ("voice", "channels.telegram.kinds.voice"),
    ("audio", "channels.telegram.kinds.audio"),
    ("video", "channels.telegram.kinds.video"),
    ("video_note", "channels.telegram.kinds.video_note"),
    ("sticker", "channels.telegram.kinds.sticker"),
    ("animation", "channels.telegram.kinds.animation"),
    ("location", "channels.telegram.kinds.location"),
    ("contact", "channels.telegram.kinds.contact"),
    ("poll", "channels.telegram.kinds.poll"),
    ("venue", "channels.telegram.kinds.venue"),
    ("dice", "channels.telegram.kinds.dice"),
)


def too_big() -> str:
    return t("channels.telegram.too_big", mb=MAX_DOWNLOAD // 1024 // 1024)


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


def is_word(message: Message) -> bool:
    """A .docx sent as a file: the dialog reads the case from it."""
    doc = message.document
    return doc is not None and ((doc.file_name or "").lower().endswith(".docx") or doc.mime_type == DOCX_MIME)


def describe_document(message: Message) -> str | None:
    """A non-image document's kind, for a refusal that needs no download."""
    doc = message.document
    if doc is None:
        return None
    mime = doc.mime_type or mimetypes.guess_type(doc.file_name or "")[0] or ""
    if mime.startswith("image/"):
        return None
    suffix = (doc.file_name or "").rpartition(".")[2].upper() if "." in (doc.file_name or "") else ""
    return t("channels.telegram.suffix_file", suffix=suffix) if suffix else t("channels.telegram.other_file")


def is_pdf(message: Message) -> bool:
    doc = message.document
    if doc is None:
        return False
    return doc.mime_type == "application/pdf" or (doc.file_name or "").lower().endswith(".pdf")


async def download(message: Message) -> PictureIn | str:
    found = file_of(message)
    assert found is not None
    file_id, size, name = found
    if size is not None and size > MAX_DOWNLOAD:
        return too_big()
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
    if is_pdf(message):  # a sealed scan a coordinator sends; the submitters' dialog refuses it
        got = await download(message)
        return got if isinstance(got, str) else Document(data=got.data, filename=got.filename)
    if message.document is not None:
        refusal = refused_by_name(message.document.file_name or "")  # .doc .wps .pdf .docm: say what to send
        if refusal is not None:
            return refusal
        if is_word(message):
            got = await download(message)
            return got if isinstance(got, str) else Document(data=got.data, filename=got.filename)
    if message.photo or message.document:
        kind = describe_document(message)
        if kind is not None:
            return Unsupported(kind=t("channels.telegram.not_a_picture", kind=kind))
        got = await download(message)
        return got if isinstance(got, str) else Pictures(items=(got,))
    for attribute, key in _KINDS:
        if getattr(message, attribute, None):
            return Unsupported(kind=t(key))
    return Unsupported(kind=t("channels.telegram.other_message"))
