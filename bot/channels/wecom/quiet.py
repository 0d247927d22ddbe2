"""A log filter that lets the same line through a few times a minute and counts the rest.

Why: a listener under a flood of connections can log the same complaint thousands of times a second
(asyncio's "socket.accept() out of system resource" wrote 33 MB in 20 s), which fills the disk and
buries everything else. A line is "the same" when it comes from the same logger with the same
message template and level, whatever its arguments; after :data:`BURST` of them in a window the rest
are dropped and counted, and the first one let through after the window says how many were dropped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

BURST = 5  # lines of one kind let through per window
WINDOW = 60.0  # seconds

Key = tuple[str, int, str]


class Repeats(logging.Filter):
    def __init__(self, burst: int = BURST, window: float = WINDOW, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.burst = burst
        self.window = window
        self.clock = clock
        self._seen: dict[Key, tuple[float, int, int]] = {}  # key → (window start, let through, dropped)

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        start, passed, dropped = self._seen.get(key, (now, 0, 0))
        if now - start >= self.window:
            if dropped:
                self._note(record, dropped)
            self._seen[key] = (now, 1, 0)
            self._forget(now)
            return True
        if passed < self.burst:
            self._seen[key] = (start, passed + 1, dropped)
            return True
        self._seen[key] = (start, passed, dropped + 1)
        return False

    def _note(self, record: logging.LogRecord, dropped: int) -> None:
        record.msg = f"{record.msg} [{dropped} more like this in the {self.window:.0f} s before were not logged]"

    def _forget(self, now: float) -> None:
        """Keep the table small: kinds of line not seen for a window are forgotten."""
        if len(self._seen) > 256:
            for key in [
                k for k, (start, _, dropped) in self._seen.items() if now - start >= self.window and not dropped
            ]:
                del self._seen[key]


def quieten(logger: logging.Logger | None = None) -> Repeats:
    """Put one :class:`Repeats` on every handler of ``logger`` (the root logger by default)."""
    repeats = Repeats()
    for handler in (logger or logging.getLogger()).handlers:
        handler.addFilter(repeats)
    return repeats
