"""Cases: the entries themselves, their state, their place in the unit's order, their flags."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from dialogs.models import Case, CaseForm, CaseState

from .core import Row, TxCore
from .records import iso, utcnow

COLUMNS = (
    "id, owner, unit, state, rank, form, flags, return_comment, created_at, submitted_at, "
    "updated_at, held_rank, revise_fields"
)


def _case(r: Row) -> Case:
    return Case(
        id=r[0],
        owner=r[1],
        unit=r[2],
        state=CaseState(r[3]),
        rank=r[4],
        form=CaseForm.model_validate_json(r[5]),
        flags=json.loads(r[6]),
        return_comment=r[7],
        created_at=datetime.fromisoformat(r[8]),
        submitted_at=datetime.fromisoformat(r[9]) if r[9] else None,
        updated_at=datetime.fromisoformat(r[10]),
        held_rank=r[11],
        revise_fields=json.loads(r[12]),
    )


class CaseOps(TxCore):
    async def insert_case(
        self,
        owner: str,
        unit: str,
        state: CaseState,
        rank: int | None,
        form: CaseForm,
        flags: Sequence[str] = (),
        at: datetime | None = None,
    ) -> int:
        at = at or utcnow()
        lastrowid, _ = await self._run(
            "INSERT INTO cases (owner, unit, state, rank, form, flags, created_at, submitted_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                owner,
                unit,
                state.value,
                rank,
                form.model_dump_json(),
                json.dumps(list(flags), ensure_ascii=False),
                iso(at),
                iso(at),
                iso(at),
            ),
        )
        assert lastrowid is not None
        return lastrowid

    async def update_case(
        self,
        case_id: int,
        *,
        form: CaseForm | None = None,
        state: CaseState | None = None,
        flags: Sequence[str] | None = None,
        return_comment: str | None = None,
        revise_fields: Sequence[str] | None = None,
        submitted: bool = False,
    ) -> None:
        sets, args = ["updated_at = ?"], [iso(utcnow())]
        for column, value in (
            ("form", form.model_dump_json() if form else None),
            ("state", state.value if state else None),
            ("flags", json.dumps(list(flags), ensure_ascii=False) if flags is not None else None),
            ("return_comment", return_comment),
            ("revise_fields", json.dumps(list(revise_fields)) if revise_fields is not None else None),
        ):
            if value is not None:
                sets.append(f"{column} = ?")
                args.append(value)
        if submitted:
            sets.append("submitted_at = ?")
            args.append(iso(utcnow()))
        self._write(f"UPDATE cases SET {', '.join(sets)} WHERE id = ?", (*args, case_id))

    async def set_ranks(self, changes: Iterable[tuple[int, CaseState, int | None]]) -> None:
        """Apply rank changes in two passes so the unique (unit, rank) index never sees a clash."""
        changes = list(changes)
        now = iso(utcnow())
        for case_id, _, _ in changes:
            self._write("UPDATE cases SET rank = NULL WHERE id = ?", (case_id,))
        for case_id, state, rank in changes:
            self._write(
                "UPDATE cases SET state = ?, rank = ?, updated_at = ? WHERE id = ?", (state.value, rank, now, case_id)
            )

    async def hold_rank(self, case_id: int, rank: int | None) -> None:
        self._write("UPDATE cases SET held_rank = ? WHERE id = ?", (rank, case_id))

    async def case(self, case_id: int) -> Case | None:
        rows = await self._cases("WHERE id = ?", (case_id,))
        return rows[0] if rows else None

    async def cases_of_owner(self, owner: str) -> list[Case]:
        return await self._cases("WHERE owner = ? ORDER BY id", (owner,))

    async def cases_of_unit(self, unit: str) -> list[Case]:
        return await self._cases("WHERE unit = ? ORDER BY rank IS NULL, rank, id", (unit,))

    async def all_cases(self) -> list[Case]:
        return await self._cases("ORDER BY unit, rank IS NULL, rank, id", ())

    async def _cases(self, where: str, args: tuple[object, ...]) -> list[Case]:
        return [_case(r) for r in await self._rows(f"SELECT {COLUMNS} FROM cases {where}", args)]

    async def add_flag(self, case_id: int, flag: str) -> None:
        case = await self.case(case_id)
        if case is not None and flag not in case.flags:
            await self.update_case(case_id, flags=[*case.flags, flag])
