"""A paste the chat client itself cut into several messages, recognised so it can be joined again.

Telegram's clients cut a text longer than 4 096 characters (counted in UTF-16 code units) into
several messages and send them back to back; each piece but the last is then at, or a little under,
the limit, because the client prefers to cut at a line or sentence end. A piece continues the
previous one when the previous piece was that long and the new one arrived within a few seconds:
a person typing two long messages cannot be that quick. The channel keeps the previous piece and
its time, asks :func:`continues`, and hands the dialog one text made by :func:`join`, so the
dialog stores it as one answer and one undo level.
"""

from __future__ import annotations

from datetime import datetime, timedelta

TELEGRAM_LIMIT = 4096
NEAR = 256  # how far under the limit a client's cut may fall (it looks back for a line or sentence end)
WITHIN = timedelta(seconds=5)


def units(text: str) -> int:
    """The length as Telegram counts it: UTF-16 code units (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def continues(
    previous: str,
    previous_at: datetime,
    new_at: datetime,
    limit: int = TELEGRAM_LIMIT,
    near: int = NEAR,
    within: timedelta = WITHIN,
) -> bool:
    """Whether a text arriving at ``new_at`` is the next piece of ``previous``, cut by the client."""
    gap = new_at - previous_at
    return limit - near <= units(previous) <= limit and timedelta(0) <= gap <= within


def join(previous: str, new: str) -> str:
    """The pieces put back end to end, as pasted: the cut fell inside the text, not between two
    answers, so no paragraph break is added (one the client cut at is kept on its piece)."""
    return previous + new
