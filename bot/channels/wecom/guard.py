"""The callback listener's own defences: a deadline for every request and a cap on open connections.

Why here and not in nginx: an intranet listener may be reached directly, and aiohttp has none of
this — it waits for a request's headers as long as the client likes (a half-sent request stayed open
150 s; its keep-alive timer is an hour), so 1 100 slow clients used up the process's file limit, a
valid URL verification from WeCom timed out and every refused accept() wrote a line to the log.

Every connection is watched from the moment it is accepted:

- **deadline**: a request must be whole and answered within :data:`DEADLINE` seconds of the
  connection opening, or of the previous answer on it; otherwise the connection is closed (reset
  when a request was under way, closed cleanly when it sat idle, as keep-alive connections do). WeCom
  sends a callback in one piece and gives up on it after 5 s, so 10 s never cuts a request WeCom
  still waits for, while a slowloris holds a place for 10 s at most.
- **cap**: at most :func:`connection_cap` connections are open at once, kept below the process's file
  limit. A connection beyond it closes the one that has waited longest without being answered,
  so a flood of half-open connections cannot keep WeCom's quick requests out; if every open
  connection is being answered, the newcomer is closed instead.
- **quiet**: what was closed is counted and logged as one line a minute at most, never a line per
  connection.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
from collections.abc import Callable
from typing import Any, cast

DEADLINE = 10.0  # seconds for a request: WeCom's own patience is 5 s
MOST_CONNECTIONS = 512  # far more than WeCom opens at once, far fewer than the file limit casebot.service sets
SPARE_FILES = 64  # file descriptors kept free for the inbox database, the pipe, the log and the listener
REPORT_EVERY = 60.0  # seconds between two log lines about closed connections

log = logging.getLogger(__name__)


def _open_now() -> int:
    """Descriptors the process holds already (libraries, the inbox, pipes): counted, not assumed."""
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:  # no /proc: the spare files alone must do
        return 0


def connection_cap(most: int = MOST_CONNECTIONS) -> int:
    """``most``, or fewer where the file limit (RLIMIT_NOFILE) would be reached first, counting what is open."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return most
    return max(1, min(most, soft - _open_now() - SPARE_FILES))


class Guard:
    """Watches the connections of one listener."""

    def __init__(self, deadline: float = DEADLINE, cap: int | None = None, report_every: float = REPORT_EVERY) -> None:
        self.deadline = deadline
        self.cap = connection_cap() if cap is None else cap
        self.report_every = report_every
        self._open: dict[asyncio.BaseTransport, Watched] = {}  # oldest first
        self.closed = {"late": 0, "crowded": 0}  # since the last log line
        self.total = {"late": 0, "crowded": 0}
        self._next_report = 0.0
        self._report: asyncio.TimerHandle | None = None

    @property
    def open(self) -> int:
        return len(self._open)

    def wrap(self, factory: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        """A protocol factory for ``loop.create_server`` that watches what ``factory`` serves."""
        return lambda: Watched(self, factory())

    # -- what the connections tell -----------------------------------------------------------------

    def admit(self, conn: Watched) -> bool:
        assert conn.transport is not None
        if len(self._open) >= self.cap:
            victim = next((c for c in self._open.values() if not c.busy), None)
            if victim is None:
                self._count("crowded")
                return False
            victim.close()
            self._count("crowded")
        self._open[conn.transport] = conn
        return True

    def leave(self, conn: Watched) -> None:
        if conn.transport is not None and self._open.get(conn.transport) is conn:
            del self._open[conn.transport]

    def answering(self, transport: Any, busy: bool) -> None:
        """Called around each request's handler: a connection being answered is not closed to make room;
        after the answer, the deadline starts again for the next request on the connection."""
        conn = self._open.get(transport)
        if conn is not None:
            conn.busy = busy
            if not busy:
                conn.idle = True
                conn.restart()

    def late(self, conn: Watched) -> None:
        self._count("late")
        if conn.idle:
            conn.finish()  # a keep-alive connection with nothing under way: a clean close, the client reconnects
        else:
            conn.close()

    # -- the log ------------------------------------------------------------------------------------

    def _count(self, why: str) -> None:
        self.closed[why] += 1
        self.total[why] += 1
        loop = asyncio.get_running_loop()
        if loop.time() >= self._next_report:
            self.report()
        elif self._report is None:
            self._report = loop.call_at(self._next_report, self.report)

    def report(self) -> None:
        """One line for everything closed since the last one (at most one line per ``report_every``)."""
        self._report = None
        late, crowded = self.closed["late"], self.closed["crowded"]
        if not late and not crowded:
            return
        log.warning(
            "wecom callbacks: closed %d connections that sent no whole request within %g s and %d beyond "
            "the cap of %d open connections (%d open now); next report in %.0f s at the earliest",
            late,
            self.deadline,
            crowded,
            self.cap,
            len(self._open),
            self.report_every,
        )
        self.closed = {"late": 0, "crowded": 0}
        self._next_report = asyncio.get_running_loop().time() + self.report_every


class Watched(asyncio.Protocol):
    """One connection: passes everything to aiohttp's protocol, and closes it when the guard says so."""

    def __init__(self, guard: Guard, inner: asyncio.Protocol) -> None:
        self.guard = guard
        self.inner = inner
        self.transport: asyncio.Transport | None = None
        self.busy = False
        self.idle = True  # no byte of a request since the connection opened or its last answer
        self._timer: asyncio.TimerHandle | None = None
        self._served = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # a TCP listener's transports
        if not self.guard.admit(self):
            self.transport.abort()  # never handed to aiohttp: connection_lost is not passed on either
            return
        self._served = True
        self.restart()
        self.inner.connection_made(transport)

    def restart(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(self.guard.deadline, self.guard.late, self)

    def close(self) -> None:
        """Drop the connection at once (a slow client gets no more of our time); its place is free now."""
        self.guard.leave(self)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.abort()

    def finish(self) -> None:
        """Close an idle connection the polite way (FIN, not RST)."""
        self.guard.leave(self)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.guard.leave(self)
        if self._served:
            self.inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.idle = False
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()
