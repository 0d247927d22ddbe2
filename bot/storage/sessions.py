"""Conversations: each user's session, the events already answered, and the pictures they sent."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.events import Reply
from dialogs.session import Session

from .core import Statement, TxCore
from .records import iso, replies_from_json, replies_to_json, utcnow

RECORD_EVENT = "INSERT INTO events (key, user, replies, created_at) VALUES (?, ?, ?, ?)"
SAVE_SESSION = (
    "INSERT INTO sessions (user, state, updated_at) VALUES (?, ?, ?) "
    "ON CONFLICT(user) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at"
)
ANSWER = "INSERT INTO answers (user, state, key, replies, at) VALUES (?, ?, ?, ?, ?)"


class SessionOps(TxCore):
    def _fuse(self, queue: list[Statement]) -> list[Statement]:
        """A session saved just before its event is recorded, the dialog's every answer, goes as one
        statement into the ``answers`` view, whose trigger does both (migration 5)."""
        queue = super()._fuse(queue)
        if len(queue) >= 2 and queue[-2][0] == SAVE_SESSION and queue[-1][0] == RECORD_EVENT:
            (user, state, _), (key, event_user, replies, at) = queue[-2][1], queue[-1][1]
            if user == event_user:
                return [*queue[:-2], (ANSWER, (user, state, key, replies, at))]
        return queue

    async def replies_of(self, key: str) -> list[Reply] | None:
        """The replies an event got when it was first handled, or None if it never was."""
        rows = await self._rows("SELECT replies FROM events WHERE key = ?", (key,))
        return replies_from_json(rows[0][0]) if rows else None

    async def record_event(self, key: str, user: str, replies: Sequence[Reply]) -> None:
        """Record a handled event with its replies; raises :class:`DuplicateEvent` if it was seen.

        Recording last, in the same transaction, costs one statement on the common path; a
        redelivered event rolls the whole transaction back, so it is applied once.
        """
        self._write(RECORD_EVENT, (key, user, replies_to_json(replies), iso(utcnow())))

    async def load_session(self, user: str) -> Session:
        await self._cache.settled(user)
        cached = self._cache.get(user)
        if cached is not None:
            return cached
        rows = await self._rows("SELECT state FROM sessions WHERE user = ?", (user,))
        session = Session.model_validate_json(rows[0][0]) if rows else Session(user=user)
        self._cache.put(session)
        return session

    async def save_session(self, session: Session) -> None:
        self._write(SAVE_SESSION, (session.user, session.model_dump_json(), iso(utcnow())))
        self.saved_sessions.append(session)
        self._cache.put(session)

    async def put_picture(self, sha256: str, data: bytes) -> None:
        self._write(
            "INSERT OR IGNORE INTO pictures (sha256, data, created_at) VALUES (?, ?, ?)", (sha256, data, iso(utcnow()))
        )

    async def picture(self, sha256: str) -> bytes | None:
        rows = await self._rows("SELECT data FROM pictures WHERE sha256 = ?", (sha256,))
        return bytes(rows[0][0]) if rows else None
