"""评审 in the campaign's file: experts, the panel, 形式审查, 回避, scores, 复核, the selection, 报批.

Experts are a table of their own (``members.role`` is for the units' people). Their scoring
conversation (a half-entered score among it) is kept on their row, written in the same
transaction as the answer it follows, so a restart loses nothing. Each write here is one step of
the panel; the use cases audit it in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from dialogs.panel.assignment import Expert
from dialogs.panel.formal import Decision, Marks
from dialogs.panel.result import Review, Sheet
from dialogs.panel.scores import GateAnswer

from .core import Row, TxCore
from .records import iso, utcnow

_EXPERT = "id, name, org, unit, grp, code, user, pledged_at, conversation, replaced_by, removed_at"


@dataclass(frozen=True)
class ExpertRow:
    expert: Expert
    code: str
    user: str | None
    pledged_at: datetime | None
    conversation: dict[str, object]
    replaced_by: int | None
    removed: bool

    @property
    def active(self) -> bool:
        return not self.removed


@dataclass(frozen=True)
class PanelState:
    state: str  # open | closed | approved
    until: date
    started_at: datetime
    closed_at: datetime | None
    approved_at: datetime | None
    approved_by: str | None


@dataclass(frozen=True)
class FormalMark:
    marks: Marks
    decision: Decision | None
    note: str
    amend_until: date | None


def _expert(r: Row) -> ExpertRow:
    return ExpertRow(
        Expert(r[0], r[1], r[2], unit=r[3], group=r[4]),
        r[5],
        r[6],
        datetime.fromisoformat(r[7]) if r[7] else None,
        json.loads(r[8]),
        r[9],
        r[10] is not None,
    )


class PanelOps(TxCore):
    # -- experts -------------------------------------------------------------------------------------

    async def add_expert(self, name: str, org: str, unit: str | None, group: str | None, code: str) -> int:
        rowid, _ = await self._run(
            "INSERT INTO experts (name, org, unit, grp, code, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (name, org, unit, group, code, iso(utcnow())),
        )
        assert rowid is not None
        return rowid

    async def experts(self, *, everyone: bool = False) -> list[ExpertRow]:
        where = "" if everyone else " WHERE removed_at IS NULL"
        rows = await self._rows(f"SELECT {_EXPERT} FROM experts{where} ORDER BY id")
        return [_expert(r) for r in rows]

    async def expert(self, expert_id: int) -> ExpertRow | None:
        rows = await self._rows(f"SELECT {_EXPERT} FROM experts WHERE id = ?", (expert_id,))
        return _expert(rows[0]) if rows else None

    async def expert_by_code(self, code: str) -> ExpertRow | None:
        rows = await self._rows(f"SELECT {_EXPERT} FROM experts WHERE code = ? AND removed_at IS NULL", (code,))
        return _expert(rows[0]) if rows else None

    async def expert_of_user(self, user: str) -> ExpertRow | None:
        rows = await self._peek(f"SELECT {_EXPERT} FROM experts WHERE user = ? AND removed_at IS NULL", (user,))
        return _expert(rows[0]) if rows else None

    async def bind_expert(self, expert_id: int, user: str) -> None:
        self._write("UPDATE experts SET user = ? WHERE id = ?", (user, expert_id))

    async def remove_expert(self, expert_id: int, replaced_by: int | None = None) -> None:
        """Out of the panel; their user is freed (so it may join again as another), their row kept."""
        self._write(
            "UPDATE experts SET removed_at = ?, replaced_by = ?, user = NULL WHERE id = ?",
            (iso(utcnow()), replaced_by, expert_id),
        )

    async def set_expert_group(self, expert_id: int, group: str | None) -> None:
        self._write("UPDATE experts SET grp = ? WHERE id = ?", (group, expert_id))

    async def pledge(self, expert_id: int) -> None:
        self._write("UPDATE experts SET pledged_at = ? WHERE id = ? AND pledged_at IS NULL", (iso(utcnow()), expert_id))

    async def save_conversation(self, expert_id: int, state: Mapping[str, object]) -> None:
        self._write(
            "UPDATE experts SET conversation = ? WHERE id = ?", (json.dumps(state, ensure_ascii=False), expert_id)
        )

    # -- the panel -----------------------------------------------------------------------------------

    async def panel(self) -> PanelState | None:
        rows = await self._rows(
            "SELECT state, until, started_at, closed_at, approved_at, approved_by FROM panel WHERE id = 1"
        )
        if not rows:
            return None
        r = rows[0]
        return PanelState(
            r[0],
            date.fromisoformat(r[1]),
            datetime.fromisoformat(r[2]),
            datetime.fromisoformat(r[3]) if r[3] else None,
            datetime.fromisoformat(r[4]) if r[4] else None,
            r[5],
        )

    async def start_panel(self, until: date, by: str, cases: Sequence[tuple[int, str | None]]) -> None:
        self._write(
            "INSERT INTO panel (id, state, until, started_at, started_by) VALUES (1, 'open', ?, ?, ?)",
            (until.isoformat(), iso(utcnow()), by),
        )
        for case_id, group in cases:
            self._write("INSERT INTO panel_cases (case_id, grp) VALUES (?, ?)", (case_id, group))

    async def add_panel_case(self, case_id: int, group: str | None) -> None:
        self._write("INSERT OR IGNORE INTO panel_cases (case_id, grp) VALUES (?, ?)", (case_id, group))

    async def panel_cases(self) -> dict[int, str | None]:
        rows = await self._rows("SELECT case_id, grp FROM panel_cases ORDER BY case_id")
        return {r[0]: r[1] for r in rows}

    async def set_panel_state(self, state: str, by: str | None = None) -> None:
        now = iso(utcnow())
        if state == "closed":
            self._write("UPDATE panel SET state = 'closed', closed_at = ? WHERE id = 1", (now,))
        elif state == "approved":
            self._write("UPDATE panel SET state = 'approved', approved_at = ?, approved_by = ? WHERE id = 1", (now, by))

    async def set_until(self, until: date) -> None:
        self._write("UPDATE panel SET until = ? WHERE id = 1", (until.isoformat(),))

    # -- 形式审查 ------------------------------------------------------------------------------------

    async def formal_marks(self) -> dict[int, FormalMark]:
        rows = await self._rows("SELECT case_id, ticks, paper_on, decision, note, amend_until FROM formal_checks")
        return {
            r[0]: FormalMark(
                Marks(json.loads(r[1]), date.fromisoformat(r[2]) if r[2] else None),
                Decision(r[3]) if r[3] else None,
                r[4],
                date.fromisoformat(r[5]) if r[5] else None,
            )
            for r in rows
        }

    async def tick(self, case_id: int, item: str, ok: bool, paper_on: date | None = None) -> None:
        self._write("INSERT OR IGNORE INTO formal_checks (case_id) VALUES (?)", (case_id,))
        self._write(
            "UPDATE formal_checks SET ticks = json_set(ticks, '$.' || ?, json(?)) WHERE case_id = ?",
            (item, "true" if ok else "false", case_id),
        )
        if paper_on is not None:
            self._write("UPDATE formal_checks SET paper_on = ? WHERE case_id = ?", (paper_on.isoformat(), case_id))

    async def decide(self, case_id: int, decision: Decision, note: str, by: str, until: date | None = None) -> None:
        self._write("INSERT OR IGNORE INTO formal_checks (case_id) VALUES (?)", (case_id,))
        self._write(
            "UPDATE formal_checks SET decision = ?, note = ?, amend_until = ?, decided_at = ?, decided_by = ? "
            "WHERE case_id = ?",
            (decision.value, note, until.isoformat() if until else None, iso(utcnow()), by, case_id),
        )

    # -- 回避 and clearances ---------------------------------------------------------------------------

    async def recuse(self, expert: int, case_id: int, reason: str, by: str) -> None:
        self._write(
            "INSERT OR REPLACE INTO recusals (expert, case_id, reason, declared_by, at) VALUES (?, ?, ?, ?, ?)",
            (expert, case_id, reason, by, iso(utcnow())),
        )
        self._write("DELETE FROM scores WHERE expert = ? AND case_id = ?", (expert, case_id))

    async def recusals(self) -> list[tuple[int, int, str, str]]:
        rows = await self._rows("SELECT expert, case_id, reason, declared_by FROM recusals ORDER BY at")
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    async def clear(self, expert: int, case_id: int) -> None:
        self._write(
            "INSERT OR IGNORE INTO clearances (expert, case_id, at) VALUES (?, ?, ?)", (expert, case_id, iso(utcnow()))
        )

    async def cleared(self, expert: int) -> set[int]:
        rows = await self._rows("SELECT case_id FROM clearances WHERE expert = ?", (expert,))
        return {r[0] for r in rows}

    # -- scores ----------------------------------------------------------------------------------------

    async def put_score(self, sheet: Sheet, entered_by: str) -> Sheet | None:
        """Keep a finished score; returns the one it replaces, for the audit."""
        old = await self.score(sheet.expert, sheet.case_id)
        self._write(
            "INSERT OR REPLACE INTO scores (expert, case_id, gates, points, comment, entered_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                sheet.expert,
                sheet.case_id,
                json.dumps([[g.passed, g.reason] for g in sheet.gates], ensure_ascii=False),
                json.dumps([str(p) for p in sheet.points]),
                sheet.comment,
                entered_by,
                iso(utcnow()),
            ),
        )
        return old

    async def score(self, expert: int, case_id: int) -> Sheet | None:
        rows = await self._rows(
            "SELECT expert, case_id, gates, points, comment FROM scores WHERE expert = ? AND case_id = ?",
            (expert, case_id),
        )
        return _sheet(rows[0]) if rows else None

    async def scores(self, expert: int | None = None) -> list[Sheet]:
        sql, args = "SELECT expert, case_id, gates, points, comment FROM scores", ()
        if expert is not None:
            sql, args = sql + " WHERE expert = ?", (expert,)  # type: ignore[assignment]
        rows = await self._rows(sql + " ORDER BY case_id, expert", args)
        return [_sheet(r) for r in rows]

    async def entered_by_admin(self) -> set[tuple[int, int]]:
        rows = await self._rows("SELECT expert, case_id FROM scores WHERE entered_by <> 'expert'")
        return {(r[0], r[1]) for r in rows}

    async def move_scores(self, old: int) -> int:
        """A replaced expert's scores leave the panel (the new expert scores those cases again)."""
        _, count = await self._run("DELETE FROM scores WHERE expert = ?", (old,))
        return count

    # -- 复核, selection --------------------------------------------------------------------------------

    async def put_review(self, review: Review) -> None:
        self._write(
            "INSERT OR REPLACE INTO panel_reviews (case_id, excluded, reason, decided_by, at) VALUES (?, ?, ?, ?, ?)",
            (review.case_id, int(review.excluded), review.reason, review.by, iso(utcnow())),
        )

    async def reviews(self) -> dict[int, Review]:
        rows = await self._rows("SELECT case_id, excluded, reason, decided_by FROM panel_reviews")
        return {r[0]: Review(r[0], bool(r[1]), r[2], r[3]) for r in rows}

    async def set_selection(self, ids: Sequence[int]) -> None:
        self._write("DELETE FROM panel_selection")
        for position, case_id in enumerate(ids, start=1):
            self._write("INSERT INTO panel_selection (case_id, position) VALUES (?, ?)", (case_id, position))

    async def selection(self) -> list[int]:
        rows = await self._rows("SELECT case_id FROM panel_selection ORDER BY position")
        return [r[0] for r in rows]


def _sheet(r: Row) -> Sheet:
    gates = tuple(GateAnswer(bool(p), str(reason)) for p, reason in json.loads(r[2]))
    return Sheet(r[0], r[1], tuple(Decimal(p) for p in json.loads(r[3])), gates, r[4])
