"""Pastes the Telegram client cut at its 4 096-character limit, put back together before the dialog sees them.

A text at (or a little under) the limit is probably the first piece of a longer paste, so it is held
for a few seconds: the next text of the chat, sent that soon, is its continuation, and the pieces go
to the dialog as one text (one answer, one undo level, one heading split). Anything else from the
chat, or the end of the wait, hands the held text over on its own first, so order is kept.

Held pieces are stored as they arrive, beside album pieces (key ``tg:paste:<chat>``), for the same
reason: Telegram counts an update as delivered once the next batch is fetched, so a piece held only
in memory would be lost by a crash; a restart answers it. The joined text's event key is that of its
last piece's update, so a redelivery (which always repeats the later pieces) is applied once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.usecases.albums import Albums
from dialogs.events import Text, parse_text
from dialogs.paste import NEAR, TELEGRAM_LIMIT, WITHIN, continues, join, units

from ...storage import AlbumPart

log = logging.getLogger("casebot.telegram")

PREFIX = "tg:paste:"
# Answer a joined text: (user, chat, text, event key, paste key whose stored pieces the answer removes).
Answer = Callable[[str, int, str, str, str], Awaitable[None]]


def paste_key(chat: int) -> str:
    return f"{PREFIX}{chat}"


def near_limit(text: str) -> bool:
    """A length the client's cut leaves: at the limit or a little under it."""
    return TELEGRAM_LIMIT - NEAR <= units(text) <= TELEGRAM_LIMIT


class Pastes:
    def __init__(self, albums: Albums, answer: Answer, wait: float = WITHIN.total_seconds()) -> None:
        """``wait``: seconds a piece is held for the next (CASEBOT_PASTE_WAIT); a piece sent later is not its
        continuation."""
        self.albums = albums
        self.answer = answer
        self.wait = wait
        self._within = timedelta(seconds=wait)
        self._timers: dict[str, asyncio.TimerHandle] = {}  # paste → the wait for its next piece
        self._locks: dict[str, asyncio.Lock] = {}  # a chat's updates and its timer's flush, one at a time
        self._tasks: set[asyncio.Task[None]] = set()
        self._held: set[str] = set()  # pastes with stored pieces: other chats' updates skip the database

    async def take(self, update_id: int, user: str, chat: int, text: str | None, at: datetime) -> bool:
        """Called for every update of a private chat, before the channel handles it. True: the text is
        held (or joined and answered), nothing more to do. False: any held paste has been answered,
        and the channel handles the update itself."""
        key = paste_key(chat)
        if key not in self._held and (text is None or not near_limit(text)):
            return False  # the common case: nothing held, nothing to hold
        async with self._lock(key):
            held = await self.albums.parts(key)
            last = held[-1] if held else None
            if last is not None and text is not None and last.text is not None and last.at is not None:
                if continues(last.text, last.at, at, within=self._within):
                    await self._keep(key, update_id, user, chat, text, at)
                    if not near_limit(text):
                        await self._flush(key)
                    return True
            if held:
                await self._flush(key)
            if text is not None and near_limit(text) and isinstance(parse_text(text), Text):
                await self._keep(key, update_id, user, chat, text, at)
                return True
        return False

    async def resume(self) -> None:
        """Wait again for the pastes a crash left held, then answer them."""
        for key in await self.albums.waiting():
            if key.startswith(PREFIX) and key not in self._timers:
                self._held.add(key)
                self._wait(key)

    async def _keep(self, key: str, update_id: int, user: str, chat: int, text: str, at: datetime) -> None:
        part = AlbumPart(seq=update_id, user=user, chat=chat, picture=None, refusal=None, text=text, at=at)
        await self.albums.keep(key, part)  # a redelivered piece (same update) is stored once
        self._held.add(key)
        self._wait(key)

    def _wait(self, key: str) -> None:
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self._timers[key] = asyncio.get_running_loop().call_later(self.wait, self._start_flush, key)

    def _start_flush(self, key: str) -> None:
        self._timers.pop(key, None)
        task = asyncio.ensure_future(self._flush_when_free(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush_when_free(self, key: str) -> None:
        async with self._lock(key):
            if key in self._timers:  # a piece came while this waited for the lock: wait for its next one
                return
            await self._flush(key)

    async def _flush(self, key: str) -> None:
        """Answer the held pieces as one text; the answer's transaction removes them."""
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self._held.discard(key)
        parts = await self.albums.parts(key)
        pieces = [p.text for p in parts if p.text is not None]
        if not pieces:
            await self.albums.forget(key)
            return
        text = pieces[0]
        for piece in pieces[1:]:
            text = join(text, piece)
        last = parts[-1]
        await self.answer(last.user, last.chat, text, f"tg:{last.seq}", key)

    def _lock(self, key: str) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())
