"""The session cache: keeps hot conversations from being re-read and re-parsed on every answer.

Bounded (least recently used goes first) so memory levels off however many drafts pile up. A
transaction that fails forgets the sessions it put here, so the cache never shows what the file
does not hold.
"""

from __future__ import annotations

from collections import OrderedDict

from dialogs.session import Session


class SessionCache:
    def __init__(self, size: int) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._size = size

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
