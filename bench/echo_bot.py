"""A bare python-telegram-bot echo bot: the baseline the real bot's figures are compared to.

Why it exists: it measures what PTB + HTTP + the loopback Bot API peer cost on their own,
so a slow figure for the real bot can be attributed to the bot, not to the harness.
Configured like the real bot, from the environment:
CASEBOT_TELEGRAM_TOKEN, CASEBOT_TELEGRAM_BASE_URL, CASEBOT_TELEGRAM_FILE_URL.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)  # run as a script, bench/telegram.py would shadow the telegram package
os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB's documented opt-in to timedelta durations

from telegram import Update  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text, so the harness can check each reply answers its message."""
    message = update.effective_message
    if message is not None and message.text is not None:
        await context.bot.send_message(message.chat_id, message.text)


def build() -> Application:
    builder = ApplicationBuilder().token(os.environ["CASEBOT_TELEGRAM_TOKEN"]).concurrent_updates(True)
    if base_url := os.environ.get("CASEBOT_TELEGRAM_BASE_URL"):
        builder = builder.base_url(base_url)
    if file_url := os.environ.get("CASEBOT_TELEGRAM_FILE_URL"):
        builder = builder.base_file_url(file_url)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    build().run_polling(poll_interval=0, timeout=10)


if __name__ == "__main__":
    main()
