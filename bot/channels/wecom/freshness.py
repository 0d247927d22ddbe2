"""How old a signed callback may be: its ``timestamp`` within :data:`WINDOW` of casebot's clock.

Why: the signature proves WeCom sent a request once, not that it is sending it now. Without a window
a callback recorded anywhere (a proxy's log, a capture) is accepted again whenever it is replayed —
one signed 2001-01-01 was — and once its inbox row is pruned (answered rows are kept 7 days) it is
answered a second time.

Why ±10 minutes: WeCom gives up on a callback after 5 s and tries it again, three times in all, so a
request it really sends is at most some 20 s from the time it signed it. The rest of the window is
for casebot's own clock: an intranet server without NTP drifts by seconds a day and can be minutes
off after months. Ten minutes keeps such a server working while a replay is useful only within it;
the inbox keeps each message's key far longer than that (channel.KEEP_ANSWERED), so a replay inside
the window is a retry, recorded once and answered once. Past :data:`WARN_AT` of skew — far more than
WeCom's own delay, so it is this server's clock — every callback logs a loud warning with the
measured skew, before the clock drifts out of the window and callbacks are refused.

URL verification (GET) is not held to the window: it changes nothing and answers only with the
decrypted echostr the request itself carries.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

WINDOW = 600.0  # seconds either side of casebot's clock
WARN_AT = 120.0  # seconds of skew from which each callback warns

log = logging.getLogger(__name__)


class Stale(ValueError):
    """A signed timestamp outside the window: an old request played again, or a clock far off."""


class Freshness:
    def __init__(
        self, window: float = WINDOW, warn_at: float = WARN_AT, clock: Callable[[], float] = time.time
    ) -> None:
        self.window = window
        self.warn_at = warn_at
        self.clock = clock

    def check(self, timestamp: str) -> float:
        """The skew (casebot's clock minus the signed time, in seconds); raises :class:`Stale` outside the window.

        Call it only after the signature has been checked: only then is ``timestamp`` WeCom's.
        """
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            raise Stale(f"timestamp {timestamp[:20]!r} is not a Unix time")
        skew = self.clock() - int(timestamp)
        if abs(skew) > self.window:
            log.warning(
                "wecom callback refused: signed %.0f s %s casebot's clock, outside the window of ±%.0f s "
                "(a replayed request, or this server's clock is wrong: check NTP)",
                abs(skew),
                "before" if skew > 0 else "after",
                self.window,
            )
            raise Stale(f"timestamp {skew:+.0f} s off")
        if abs(skew) > self.warn_at:
            log.warning(
                "CLOCK SKEW: casebot's clock is %.0f s %s WeCom's; callbacks more than %.0f s off are refused. "
                "Set up NTP on this server (timedatectl set-ntp true, or chrony)",
                abs(skew),
                "ahead of" if skew > 0 else "behind",
                self.window,
            )
        return skew
