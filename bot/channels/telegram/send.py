"""The dialog's replies become Telegram messages: escaped for HTML, split below 4096 characters."""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import MessageLimit, ParseMode

from bot.disk.outputs import OutFile
from dialogs.events import Button, Reply
from dialogs.wording import t

from ..base import Limits
from ..render import render

CAPTION = MessageLimit.CAPTION_LENGTH
LIMITS = Limits(
    text_chars=MessageLimit.MAX_TEXT_LENGTH,  # 4096, counted on the text as shown
    buttons=True,
    invite_links=True,
    files_in=True,
    files_out=True,
    file_bytes=50 * 1024 * 1024,  # what the Bot API lets a bot upload
)


def to_html(text: str) -> str:
    """Escape everything a user typed; only the step header line is set in bold."""
    first, sep, rest = text.partition("\n")
    marks = t("channels.telegram.header_marks")
    opening, closing = marks[0], marks[-1]
    if first.startswith(opening) and first.endswith(closing):
        return f"<b>{html.escape(first)}</b>{sep}{html.escape(rest)}"
    return html.escape(text)


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows])


async def send_replies(bot: Bot, chat_id: int, replies: Sequence[Reply]) -> list[Message]:
    sent = []
    for reply in replies:
        for part in render(reply, LIMITS):
            if not part.text.strip():
                continue  # Telegram refuses an empty message; a blank stretch of a long text is not worth one
            markup = keyboard(part.buttons)
            sent.append(
                await bot.send_message(chat_id, to_html(part.text), parse_mode=ParseMode.HTML, reply_markup=markup)
            )
    return sent


async def send_files(bot: Bot, chat_id: int, files: Sequence[OutFile]) -> None:
    for made in files:
        await bot.send_document(chat_id, InputFile(made.data, filename=made.name), caption=made.name[:CAPTION])
