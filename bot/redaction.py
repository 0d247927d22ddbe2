"""Secrets never reach the log, at any level.

The Bot API puts the token in every URL (``…/bot<token>/getMe``), WeCom puts the Secret and the
access token in query strings (``gettoken?corpsecret=…``, ``message/send?access_token=…``), and
at DEBUG python-telegram-bot, httpx and httpcore log URLs and exceptions that quote them. A log
file is read by more people than the .env is, and kept longer; a token in it lets anyone who reads
it speak as the bot. So every log record, whatever logger made it, is masked when it is made: its
message, its traceback and its stack, against the configured secrets and those URL shapes (an
access token is made at run time and is known only by its place).

Installed as the record factory (not a handler filter), so a record reaches no handler unmasked:
basicConfig's, logging's last resort, or one a library adds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

MASK = "***"
MIN_SECRET = 4  # a shorter value would mask ordinary words; no real secret is this short
_PATTERNS = (
    re.compile(r"(/bot)(\d+(?::|%3A)[A-Za-z0-9_-]+)", re.IGNORECASE),  # /bot<token>/, /file/bot<token>/
    re.compile(r"((?:corpsecret|access_token|secret_token)=)([^&\s'\"<>]+)", re.IGNORECASE),  # query strings
    re.compile(r"""(["']?(?:access_token|corpsecret)["']?\s*[:=]\s*["'])([^"']+)""", re.IGNORECASE),  # JSON, repr
    re.compile(r"(X-Telegram-Bot-Api-Secret-Token['\"]?\s*[:,]\s*['\"]?)([^'\"\s,)]+)", re.IGNORECASE),
)


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known secret and every token-shaped URL part replaced by ``***``."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= MIN_SECRET:
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


class _MaskingFactory:
    """Wraps the record factory: the record comes out with its message formatted and masked."""

    def __init__(self, inner: Callable[..., logging.LogRecord], secrets: Iterable[str]) -> None:
        self.inner = inner
        self.secrets = tuple(s for s in secrets if len(s) >= MIN_SECRET)

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.inner(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging reports it in the handler as it always did
            return record
        record.msg, record.args = mask(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info), self.secrets)
        if record.stack_info:
            record.stack_info = mask(record.stack_info, self.secrets)
        return record


def install(secrets: Iterable[str]) -> None:
    """Mask every log record from now on; installing again replaces the secrets, never stacks."""
    current = logging.getLogRecordFactory()
    inner = current.inner if isinstance(current, _MaskingFactory) else current
    logging.setLogRecordFactory(_MaskingFactory(inner, secrets))
