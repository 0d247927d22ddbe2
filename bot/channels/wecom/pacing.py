"""Outgoing messages paced per member: at most 30 a minute and 1 000 an hour, by waiting.

Why our own count: WeCom silently drops what an application sends to one member beyond those limits;
no error comes back, so the only way not to lose a reply is never to exceed them. A send reserves the
earliest slot that keeps both sliding windows within their limits and sleeps until then, so a burst
(a long review split into many messages) is delayed, never dropped, and stays in order.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Protocol

PER_MINUTE = 30
PER_HOUR = 1000


class Clock(Protocol):
    """Time as the pacer sees it; tests pass one whose sleep only moves the hands."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class Pacer:
    """Sliding-window limits per member (minute and hour), shared by every send to that member."""

    def __init__(self, per_minute: int = PER_MINUTE, per_hour: int = PER_HOUR, clock: Clock | None = None) -> None:
        if per_minute < 1 or per_hour < per_minute:
            raise ValueError("limits must be positive and the hourly one at least the minute one")
        self.per_minute = per_minute
        self.per_hour = per_hour
        self.clock: Clock = clock or MonotonicClock()
        self._sent: dict[str, deque[float]] = {}
        self._reservations = 0

    def reserve(self, member: str) -> float:
        """Book the earliest allowed send time for ``member`` and return it (pure bookkeeping, no waiting)."""
        now = self.clock.now()
        self._forget_idle(now)
        times = self._sent.setdefault(member, deque(maxlen=self.per_hour))
        slot = max(now, times[-1] if times else now)
        if len(times) >= self.per_minute:
            slot = max(slot, times[-self.per_minute] + 60.0)
        if len(times) >= self.per_hour:
            slot = max(slot, times[-self.per_hour] + 3600.0)
        times.append(slot)
        return slot

    async def wait(self, member: str) -> None:
        """Return when a message to ``member`` may be sent; the slot is booked before sleeping."""
        slot = self.reserve(member)
        delay = slot - self.clock.now()
        if delay > 0:
            await self.clock.sleep(delay)

    def _forget_idle(self, now: float) -> None:
        """Drop members idle for over an hour, so the table does not grow with every member ever served."""
        self._reservations += 1
        if self._reservations % 1024:
            return
        for member in [m for m, times in self._sent.items() if not times or times[-1] < now - 3600.0]:
            del self._sent[member]


class NoPacing(Pacer):
    """No waiting at all: for a loopback fake and the benchmark only (CASEBOT_WECOM_PER_MINUTE=0).

    Real WeCom drops what goes past a member's limits without a word, so a real deployment keeps the pacer.
    """

    def __init__(self, clock: Clock | None = None) -> None:
        super().__init__(clock=clock)

    def reserve(self, member: str) -> float:
        return self.clock.now()
