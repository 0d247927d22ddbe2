"""The plain values that cross the storage boundary, and how they are written into a row.

Kept apart from the SQL so the service can build and compare them without a database.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from dialogs.events import Button, Reply


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """Timestamps are stored as ISO 8601 text, which sorts as time does."""
    return moment.isoformat() if moment else None


def replies_to_json(replies: Sequence[Reply]) -> str:
    return json.dumps(
        [
            {
                "text": r.text,
                "buttons": [[[b.label, b.data] for b in row] for row in r.buttons],
                "transient": r.transient,
                **({"hint": r.hint} if r.hint else {}),
            }
            for r in replies
        ],
        ensure_ascii=False,
    )


def replies_from_json(text: str) -> list[Reply]:
    return [
        Reply(
            text=item["text"],
            buttons=tuple(tuple(Button(label=lbl, data=d) for lbl, d in row) for row in item["buttons"]),
            transient=item.get("transient", False),
            hint=item.get("hint", ""),
        )
        for item in json.loads(text)
    ]


class DuplicateEvent(Exception):
    """An incoming event that was handled before (a channel's retry)."""


@dataclass(frozen=True)
class Member:
    user: str
    unit: str
    role: str  # submitter | coordinator
    joined_at: str
    invite: str | None  # the code joined with; None: joined before codes were recorded, or made a member directly


@dataclass(frozen=True)
class Invite:
    code: str
    unit: str
    role: str  # submitter | coordinator
