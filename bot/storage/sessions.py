"""Conversations: each user's session, the events already answered, and the pictures they sent."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.events import Reply
from dialogs.session import Session

from .core import RECORD_EVENT, TxCore
from .records import iso, replies_from_json, replies_to_json, utcnow


class SessionOps(TxCore):
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
        cached = self._cache.get(user)
        if cached is not None:
            return cached
        rows = await self._rows("SELECT state FROM sessions WHERE user = ?", (user,))
        session = Session.model_validate_json(rows[0][0]) if rows else Session(user=user)
        self._cache.put(session)
        return session

    async def save_session(self, session: Session) -> None:
        self._write(
            "INSERT INTO sessions (user, state, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(user) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            (session.user, session.model_dump_json(), iso(utcnow())),
        )
        self.saved_sessions.append(session)
        self._cache.put(session)

    async def put_picture(self, sha256: str, data: bytes) -> None:
        self._write(
            "INSERT OR IGNORE INTO pictures (sha256, data, created_at) VALUES (?, ?, ?)", (sha256, data, iso(utcnow()))
        )

    async def picture(self, sha256: str) -> bytes | None:
        rows = await self._rows("SELECT data FROM pictures WHERE sha256 = ?", (sha256,))
        return bytes(rows[0][0]) if rows else None
