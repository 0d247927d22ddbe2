"""One queue per user, worked in order; different users are worked at the same time.

Why: a user's second message must see what the first one did (an answer, then /next), while a slow
answer for one user (a submission that builds its .docx) must not hold up anyone else. A worker
exists only while its user has something queued, so idle users cost nothing. At most ``at_once``
items are worked at the same moment: the event loop also answers WeCom's callbacks, and each of their
steps waits behind everything else that is ready to run, so a crowd of half-done answers would slow
every acknowledgement while making no answer come sooner (the database takes one write at a time).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

Item = TypeVar("Item")


class Lanes(Generic[Item]):
    def __init__(self, work: Callable[[Item], Awaitable[None]], at_once: int = 16) -> None:
        self._work = work
        self._slots = asyncio.Semaphore(at_once)
        self._queues: dict[str, deque[Item]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._closed = False

    def put(self, lane: str, item: Item) -> None:
        """Queue ``item`` behind everything already queued for ``lane``."""
        if self._closed:
            return  # stopping: the inbox keeps it for the next start
        self._queues.setdefault(lane, deque()).append(item)
        if lane not in self._workers:
            self._workers[lane] = asyncio.get_running_loop().create_task(self._drain(lane))

    @property
    def busy(self) -> int:
        return len(self._workers)

    async def _drain(self, lane: str) -> None:
        queue = self._queues[lane]
        try:
            while queue:
                item = queue.popleft()
                try:
                    async with self._slots:
                        await self._work(item)
                except Exception:  # the work logs its own failures; a lane never stops on one
                    log.exception("work in lane %s failed", lane)
        finally:
            del self._workers[lane]
            if not queue:
                del self._queues[lane]

    async def idle(self) -> None:
        """Return once every lane is empty (for tests and the benchmark)."""
        while self._workers:
            await asyncio.gather(*self._workers.values(), return_exceptions=True)

    async def close(self, timeout: float) -> None:
        """Take nothing more; let the items being worked finish within ``timeout``, then cancel the rest."""
        self._closed = True
        for queue in self._queues.values():
            queue.clear()  # not started: still unanswered in the inbox
        workers = list(self._workers.values())
        if not workers:
            return
        _, late = await asyncio.wait(workers, timeout=timeout)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
