"""The session cache: keeps hot conversations from being re-read and re-parsed on every answer.

Bounded (least recently used goes first) so memory levels off however many drafts pile up. A
transaction that fails forgets the sessions it put here, so the cache never shows what the file
does not hold.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Iterable
from functools import partial

from dialogs.session import Session


class SessionCache:
    def __init__(self, size: int) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._size = size
        self._unsettled: dict[str, asyncio.Future[None]] = {}

    def get(self, user: str) -> Session | None:
        session = self._sessions.get(user)
        if session is not None:
            self._sessions.move_to_end(user)
        return session

    def put(self, session: Session) -> None:
        self._sessions[session.user] = session
        self._sessions.move_to_end(session.user)
        while len(self._sessions) > self._size:
            self._sessions.popitem(last=False)

    def forget(self, user: str) -> None:
        self._sessions.pop(user, None)

    def unsettled(self, users: Iterable[str], commit: asyncio.Future[None]) -> None:
        """The cached sessions of these users wait for ``commit``, which may yet fail."""
        for user in users:
            self._unsettled[user] = commit
            commit.add_done_callback(partial(self._settle, user))

    def _settle(self, user: str, commit: asyncio.Future[None]) -> None:
        if self._unsettled.get(user) is commit:
            del self._unsettled[user]

    async def settled(self, user: str) -> None:
        """Wait until the user's cached session is committed, or forgotten because its commit failed,
        so no transaction builds on an answer that may not stand (a redelivered event)."""
        commit = self._unsettled.get(user)
        if commit is not None:
            await asyncio.wait([commit])

    def clear(self) -> None:
        """Forget every cached session: for when the file was changed behind the store's back."""
        self._sessions.clear()
