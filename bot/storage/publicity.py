"""公示 and 公布 in the campaign's file: the approved list, the 公示期, objections, the final list,
what is published of each case, and who was told.

The publicity starts from the approved 拟入选 list in ``approved_selection``, which the panel's
报批审定 fills (:meth:`PublicityOps.record_approved_selection`); everything after it is keyed by
case id. The objector's name, contact and letter are personal data, kept apart from what the rules need
(:class:`dialogs.publicity.objections.Objection`) and blanked by the purge.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dialogs.publicity.objections import Objection, ObjectionState, Period

from .core import TxCore
from .records import iso, utcnow


@dataclass(frozen=True)
class PublicityState:
    period: Period
    started_by: str
    final_at: datetime | None
    final_by: str | None

    @property
    def final(self) -> bool:
        return self.final_at is not None


@dataclass(frozen=True)
class PublicationText:
    """The office's edited title and text of a case for publication; the form itself is never changed."""

    case_id: int
    title: str
    summary: str
    parts: tuple[str, ...]  # the four parts, '' where the office gave none
    source: str  # "paste" or the .docx's file name


def _objection(r: tuple[object, ...]) -> Objection:
    return Objection(
        id=int(str(r[0])),
        case_id=int(str(r[1])),
        received_on=date.fromisoformat(str(r[2])),
        content=str(r[3]),
        state=ObjectionState(str(r[4])),
        notes=str(r[5]),
        reason=str(r[6]),
    )


_OBJECTION = "SELECT id, case_id, received_on, content, state, notes, reason FROM objections"


class PublicityOps(TxCore):
    # -- the panel's result: the approved 拟入选 list ----------------------------------------------------

    async def record_approved_selection(self, case_ids: Sequence[int], by: str) -> None:
        """The 报批审定 list, in its order, replacing any earlier one (the panel calls this)."""
        now = iso(utcnow())
        self._write("DELETE FROM approved_selection")
        for position, case_id in enumerate(case_ids, start=1):
            self._write(
                "INSERT INTO approved_selection (case_id, position, approved_by, approved_at) VALUES (?, ?, ?, ?)",
                (case_id, position, by, now),
            )

    async def approved_selection(self) -> list[int]:
        rows = await self._rows("SELECT case_id FROM approved_selection ORDER BY position")
        return [int(r[0]) for r in rows]

    # -- the 公示 -----------------------------------------------------------------------------------

    async def start_publicity(self, period: Period, listed: Sequence[int], by: str) -> None:
        now = iso(utcnow())
        self._write(
            "INSERT INTO publicity (id, start_day, days, end_day, started_by, started_at) VALUES (1, ?, ?, ?, ?, ?)",
            (period.start.isoformat(), period.days, period.end.isoformat(), by, now),
        )
        for position, case_id in enumerate(listed, start=1):
            self._write("INSERT INTO publicity_list (case_id, position) VALUES (?, ?)", (case_id, position))

    async def publicity_state(self) -> PublicityState | None:
        rows = await self._rows("SELECT start_day, days, end_day, started_by, final_at, final_by FROM publicity")
        if not rows:
            return None
        r = rows[0]
        period = Period(start=date.fromisoformat(r[0]), days=int(r[1]), end=date.fromisoformat(r[2]))
        return PublicityState(period, r[3], datetime.fromisoformat(r[4]) if r[4] else None, r[5])

    async def publicity_list(self) -> list[int]:
        """The cases as the 公示 listed them."""
        return [int(r[0]) for r in await self._rows("SELECT case_id FROM publicity_list ORDER BY position")]

    # -- objections ----------------------------------------------------------------------------------

    async def add_objection(
        self, case_id: int, received_on: date, name: str, contact: str, content: str, by: str
    ) -> int:
        lastrowid, _ = await self._run(
            "INSERT INTO objections (case_id, received_on, objector_name, objector_contact, content, state, "
            "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, 'received', ?, ?)",
            (case_id, received_on.isoformat(), name, contact, content, by, iso(utcnow())),
        )
        assert lastrowid is not None
        return lastrowid

    async def objection(self, objection_id: int) -> Objection | None:
        rows = await self._rows(f"{_OBJECTION} WHERE id = ?", (objection_id,))
        return _objection(rows[0]) if rows else None

    async def objections(self) -> list[Objection]:
        return [_objection(r) for r in await self._rows(f"{_OBJECTION} ORDER BY id")]

    async def objector(self, objection_id: int) -> tuple[str, str] | None:
        """Who objected, and how to reach them: for the office's reply, never for a file that is published."""
        rows = await self._rows("SELECT objector_name, objector_contact FROM objections WHERE id = ?", (objection_id,))
        return (rows[0][0], rows[0][1]) if rows else None

    async def check_objection(self, objection_id: int, notes: str) -> None:
        """核查 notes, added to any earlier ones."""
        self._write(
            "UPDATE objections SET state = 'checking', "
            "notes = CASE WHEN notes = '' THEN ? ELSE notes || char(10) || ? END WHERE id = ?",
            (notes, notes, objection_id),
        )

    async def decide_objection(self, objection_id: int, upheld: bool, reason: str, by: str) -> None:
        self._write(
            "UPDATE objections SET state = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
            ("upheld" if upheld else "rejected", reason, by, iso(utcnow()), objection_id),
        )

    # -- the final list ----------------------------------------------------------------------------------

    async def add_by_hand(self, case_id: int, reason: str, by: str) -> None:
        self._write(
            "INSERT INTO publicity_additions (case_id, reason, added_by, added_at) VALUES (?, ?, ?, ?)",
            (case_id, reason, by, iso(utcnow())),
        )

    async def additions(self) -> list[int]:
        return [int(r[0]) for r in await self._rows("SELECT case_id FROM publicity_additions ORDER BY added_at")]

    async def finalise(self, case_ids: Sequence[int], by: str) -> None:
        self._write("UPDATE publicity SET final_at = ?, final_by = ? WHERE id = 1", (iso(utcnow()), by))
        for position, case_id in enumerate(case_ids, start=1):
            self._write("INSERT INTO final_list (case_id, position) VALUES (?, ?)", (case_id, position))

    async def final_list(self) -> list[int]:
        return [int(r[0]) for r in await self._rows("SELECT case_id FROM final_list ORDER BY position")]

    # -- what is published of each case ----------------------------------------------------------------

    async def set_publication_text(self, text: PublicationText, by: str) -> None:
        self._write(
            "INSERT INTO publication_texts (case_id, title, summary, parts, source, updated_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET title = excluded.title, "
            "summary = excluded.summary, parts = excluded.parts, source = excluded.source, "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (
                text.case_id,
                text.title,
                text.summary,
                json.dumps(list(text.parts), ensure_ascii=False),
                text.source,
                by,
                iso(utcnow()),
            ),
        )

    async def publication_text(self, case_id: int) -> PublicationText | None:
        rows = await self._rows(
            "SELECT title, summary, parts, source FROM publication_texts WHERE case_id = ?", (case_id,)
        )
        if not rows:
            return None
        r = rows[0]
        return PublicationText(case_id, r[0], r[1], tuple(json.loads(r[2])), r[3])

    async def set_picture_consent(self, case_id: int, sha256: str, consent: bool, by: str) -> None:
        self._write(
            "INSERT INTO picture_consents (case_id, sha256, consent, given_by, given_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(case_id, sha256) DO UPDATE SET consent = excluded.consent, given_by = excluded.given_by, "
            "given_at = excluded.given_at",
            (case_id, sha256, 1 if consent else 0, by, iso(utcnow())),
        )

    async def picture_consents(self, case_id: int) -> dict[str, bool]:
        """Each picture's answer; a picture with none is not consented to."""
        rows = await self._rows("SELECT sha256, consent FROM picture_consents WHERE case_id = ?", (case_id,))
        return {r[0]: bool(r[1]) for r in rows}

    # -- who was told ------------------------------------------------------------------------------------

    async def record_told(self, key: str, stage: str, user: str) -> bool:
        """Note that ``user`` is told (the message itself goes through the outbox under the same key);
        False when this key was told before."""
        _, count = await self._run(
            "INSERT OR IGNORE INTO publicity_told (key, stage, user, told_at) VALUES (?, ?, ?, ?)",
            (key, stage, user, iso(utcnow())),
        )
        return count == 1

    async def told(self, stage: str) -> list[tuple[str, str]]:
        rows = await self._rows("SELECT key, user FROM publicity_told WHERE stage = ? ORDER BY key", (stage,))
        return [(r[0], r[1]) for r in rows]

    async def publicity_open(self) -> bool:
        """A 公示 started and not yet made final: the purge must wait (objectors, consents, notices)."""
        rows = await self._rows("SELECT 1 FROM publicity WHERE final_at IS NULL")
        return bool(rows)


async def approved_selection(tx: PublicityOps) -> list[int]:
    """The approved (报批审定) 拟入选 list the publicity starts from, in the panel's order."""
    return await tx.approved_selection()
