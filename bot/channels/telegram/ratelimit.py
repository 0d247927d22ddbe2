"""Outgoing calls paced within Telegram's limits, and retried when Telegram or the network says so.

Telegram allows about 30 messages a second overall and about one a second in one chat; past that
it answers 429 with the seconds to wait. Token buckets keep broadcasts (a unit's coordinators told
of a new case, reminders) under both limits, and a 429 or a network error is retried after the
time asked for instead of dropping the message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

_SENDS = {
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "sendMediaGroup",
    "editMessageText",
    "editMessageReplyMarkup",
    "copyMessage",
    "forwardMessage",
}


Sleep = Callable[[float], Coroutine[Any, Any, None]]


class TokenBucket:
    def __init__(
        self, rate: float, burst: float, sleep: Sleep = asyncio.sleep, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst = rate, burst
        self._sleep, self._now = sleep, now
        self.tokens, self.stamp = burst, now()
        self._lock = asyncio.Lock()

    async def take(self) -> None:
        if self.rate <= 0:
            return
        async with self._lock:
            while True:
                now = self._now()
                self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await self._sleep((1 - self.tokens) / self.rate)


class PacingRateLimiter(BaseRateLimiter[int]):
    """``overall``/``per_chat`` are messages per second; 0 turns a limit off (e.g. a local Bot API)."""

    def __init__(
        self,
        overall: float = 30.0,
        per_chat: float = 1.0,
        chat_burst: float = 3.0,
        max_retries: int = 5,
        sleep: Sleep = asyncio.sleep,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._overall = TokenBucket(overall, max(overall, 1), sleep, now)
        self._now = now
        self._per_chat_rate, self._chat_burst = per_chat, chat_burst
        self._chats: dict[object, TokenBucket] = {}
        self._max_retries = max_retries
        self._sleep = sleep

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _chat(self, chat: object) -> TokenBucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            if len(self._chats) > 10_000:
                self._chats.clear()
            bucket = self._chats[chat] = TokenBucket(self._per_chat_rate, self._chat_burst, self._sleep, self._now)
        return bucket

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        for attempt in range(self._max_retries + 1):
            if endpoint in _SENDS:
                await self._overall.take()
                if "chat_id" in data:
                    await self._chat(data["chat_id"]).take()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self._max_retries:
                    raise
                delay = (
                    error.retry_after.total_seconds()
                    if hasattr(error.retry_after, "total_seconds")
                    else float(error.retry_after)
                )
                log.warning("%s: Telegram asked to wait %.1fs (attempt %d)", endpoint, delay, attempt + 1)
                await self._sleep(delay)
            except (TimedOut, NetworkError) as error:
                if attempt == self._max_retries or endpoint == "getUpdates":
                    raise
                delay = min(2**attempt * 0.5, 10)
                log.warning("%s: network error %s, retrying in %.1fs", endpoint, error, delay)
                await self._sleep(delay)
        raise AssertionError("unreachable")
