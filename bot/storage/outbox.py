"""The outbox, receipts and album pieces: what must survive a crash between a commit and what follows it.

Work that a change calls for (files to build, messages to send) is recorded here in the change's own
transaction, so a kill after the commit never loses it; the worker in :mod:`bot.usecases.outbox` carries it
out and marks it done. An item's key is its idempotency key: recording the same key again is a
no-op, so a re-run of whatever records it (the reminders loop) never queues a second message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dialogs.events import PictureIn

from .core import TxCore
from .records import iso, utcnow


@dataclass(frozen=True)
class OutboxItem:
    id: int
    key: str
    kind: str
    payload: str
    attempts: int


@dataclass(frozen=True)
class AlbumPart:
    """One piece of an album: a picture, or the refusal a channel already decided (a PDF in the album);
    or one piece of a text the client cut at its length limit (``text``, sent at ``at``), kept the same
    way until its continuation comes."""

    seq: int
    user: str
    chat: int
    picture: PictureIn | None
    refusal: str | None
    text: str | None = None
    at: datetime | None = None  # when the piece was sent (stored as created_at); read back from the row


class OutboxOps(TxCore):
    async def enqueue(self, key: str, kind: str, payload: str, at: datetime | None = None) -> None:
        """Record work to do after this transaction commits; a key already recorded is left as it is."""
        now = iso(at or utcnow())
        self._write(
            "INSERT OR IGNORE INTO outbox (key, kind, payload, created_at, due_at) VALUES (?, ?, ?, ?, ?)",
            (key, kind, payload, now, now),
        )
        self.enqueued.append(key)

    async def due_items(self, now: datetime, limit: int = 200) -> list[OutboxItem]:
        rows = await self._rows(
            "SELECT id, key, kind, payload, attempts FROM outbox "
            "WHERE done_at IS NULL AND failed_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (iso(now), limit),
        )
        return [OutboxItem(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def items_by_key(self, keys: list[str]) -> list[OutboxItem]:
        marks = ", ".join("?" for _ in keys)
        rows = await self._rows(
            "SELECT id, key, kind, payload, attempts FROM outbox "
            f"WHERE done_at IS NULL AND failed_at IS NULL AND key IN ({marks}) ORDER BY id",
            tuple(keys),
        )
        return [OutboxItem(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def mark_done(self, item_id: int) -> None:
        self._write("UPDATE outbox SET done_at = ? WHERE id = ? AND done_at IS NULL", (iso(utcnow()), item_id))

    async def mark_retry(self, item_id: int, error: str, delay: float, give_up: bool) -> None:
        """One more failed attempt: due again after ``delay`` seconds, or given up for good."""
        now = utcnow()
        self._write(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, due_at = ?, failed_at = ? WHERE id = ?",
            (error[:500], iso(now + timedelta(seconds=delay)), iso(now) if give_up else None, item_id),
        )

    async def next_due(self) -> datetime | None:
        """When the earliest pending item falls due, if any is pending."""
        rows = await self._rows("SELECT MIN(due_at) FROM outbox WHERE done_at IS NULL AND failed_at IS NULL")
        return datetime.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    async def outbox_counts(self) -> dict[str, int]:
        """How many items are pending, done and given up: the backlog the bench and tests watch."""
        rows = await self._rows(
            "SELECT CASE WHEN done_at IS NOT NULL THEN 'done' WHEN failed_at IS NOT NULL THEN 'failed' "
            "ELSE 'pending' END, COUNT(*) FROM outbox GROUP BY 1"
        )
        counts = {"pending": 0, "done": 0, "failed": 0}
        counts.update({r[0]: r[1] for r in rows})
        return counts

    async def outbox_payloads(self, kind: str, pending_only: bool = False) -> list[str]:
        where = " AND done_at IS NULL AND failed_at IS NULL" if pending_only else ""
        rows = await self._rows(f"SELECT payload FROM outbox WHERE kind = ?{where} ORDER BY id", (kind,))
        return [r[0] for r in rows]

    # -- receipts: a submission its author has not yet been told of ---------------------------------

    async def put_receipt(self, user: str, case_id: int, event: str | None) -> None:
        """``event`` is the submission's own event key: its redelivery repeats the reply, and settles it."""
        self._write(
            "INSERT INTO receipts (user, case_id, event, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(user) DO UPDATE SET case_id = excluded.case_id, event = excluded.event, "
            "created_at = excluded.created_at",
            (user, case_id, event, iso(utcnow())),
        )

    async def receipt(self, user: str) -> tuple[int, str | None] | None:
        """Asked at every answer, and almost always empty: a user's receipt is written only by that
        user's own submission, which the store serialises with this transaction, so an empty peek
        holds until the commit and an answer stays one lone statement (see ``TxCore._peek``)."""
        sql = "SELECT case_id, event FROM receipts WHERE user = ?"
        if not await self._peek(sql, (user,)):
            return None
        rows = await self._rows(sql, (user,))
        return (int(rows[0][0]), rows[0][1]) if rows else None

    async def drop_receipt(self, user: str, case_id: int) -> None:
        self._write("DELETE FROM receipts WHERE user = ? AND case_id = ?", (user, case_id))

    # -- album pieces, kept as they arrive ---------------------------------------------------------

    async def put_album_part(self, album: str, part: AlbumPart) -> None:
        picture = part.picture
        self._write(
            "INSERT OR IGNORE INTO album_parts (album, seq, user, chat, refusal, data, caption, filename, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                album,
                part.seq,
                part.user,
                part.chat,
                part.refusal,
                picture.data if picture else None,
                picture.caption if picture else (part.text or ""),  # a text piece's text: the caption column
                picture.filename if picture else "",
                iso(part.at or utcnow()),
            ),
        )

    async def album_parts(self, album: str) -> list[AlbumPart]:
        rows = await self._rows(
            "SELECT seq, user, chat, refusal, data, caption, filename, created_at FROM album_parts "
            "WHERE album = ? ORDER BY seq",
            (album,),
        )
        return [
            AlbumPart(
                r[0],
                r[1],
                r[2],
                None if r[4] is None else PictureIn(bytes(r[4]), r[5], r[6]),
                r[3],
                r[5] if r[4] is None and r[3] is None else None,
                datetime.fromisoformat(r[7]),
            )
            for r in rows
        ]

    async def albums(self) -> list[str]:
        rows = await self._rows("SELECT DISTINCT album FROM album_parts ORDER BY album")
        return [r[0] for r in rows]

    async def drop_album(self, album: str) -> None:
        self._write("DELETE FROM album_parts WHERE album = ?", (album,))
