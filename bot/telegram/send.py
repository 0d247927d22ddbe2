"""The dialog's replies become Telegram messages: escaped for HTML, split below 4096 characters."""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import MessageLimit, ParseMode

from dialogs.events import Reply

from ..outputs import OutFile

LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096, counted on the text as shown
CAPTION = MessageLimit.CAPTION_LENGTH


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Split at line breaks where possible, never losing or cutting a character."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def to_html(text: str) -> str:
    """Escape everything a user typed; only the step header line is set in bold."""
    first, sep, rest = text.partition("\n")
    if first.startswith("【") and first.endswith("】"):
        return f"<b>{html.escape(first)}</b>{sep}{html.escape(rest)}"
    return html.escape(text)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
    )


async def send_replies(bot: Bot, chat_id: int, replies: Sequence[Reply]) -> list[Message]:
    sent = []
    for reply in replies:
        parts = split_text(reply.text)
        for index, part in enumerate(parts):
            markup = keyboard(reply) if index == len(parts) - 1 else None
            sent.append(await bot.send_message(chat_id, to_html(part), parse_mode=ParseMode.HTML, reply_markup=markup))
    return sent


async def send_files(bot: Bot, chat_id: int, files: Sequence[OutFile]) -> None:
    for made in files:
        await bot.send_document(chat_id, InputFile(made.data, filename=made.name), caption=made.name[:CAPTION])
