"""A campaign's dates and its end: units' own cut-offs, units taken off the list, and the purge.

The purge removes what identifies people in chat once a campaign is over, and keeps what the
campaign produced: the submitted cases (their forms, with the contact the form itself names), the
audit trail (append-only by design: the purge alone rewrites its chat ids to role and unit and takes
out its phone numbers, see :mod:`.pseudonyms`) and the files on disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from dialogs.campaign import Unit

from .pseudonyms import PseudonymOps
from .records import iso, utcnow

# The pictures a recommended case shows: kept by the purge, as they are part of the exports.
_KEPT_PICTURES = (
    "SELECT json_extract(p.value, '$.sha256') FROM cases, json_each(cases.form, '$.pictures') AS p "
    "WHERE cases.state = 'recommended'"
)


@dataclass(frozen=True)
class UnitUse:
    """What hangs on a unit: why it cannot silently leave the list."""

    code: str
    cases: int
    members: int


@dataclass(frozen=True)
class Purged:
    """What :meth:`LifecycleOps.purge` removed, counted before it went."""

    drafts: int
    conversations: int
    pictures: int
    members: int
    owners: int
    events: int
    reminders: int
    messages: int  # the outbox, receipts, held album and paste pieces, the WeCom inbox: all name chat ids
    objectors: int = 0  # the 公示's objections whose objector's name, contact and letter are blanked
    rewritten: int = 0  # audit rows whose chat ids became role + unit, or whose phone was taken out


class LifecycleOps(PseudonymOps):
    # -- the submitters' cut-off a coordinator sets for the unit ------------------------------------

    async def cutoffs(self) -> dict[str, date]:
        rows = await self._rows("SELECT unit, day FROM cutoffs")
        return {r[0]: date.fromisoformat(r[1]) for r in rows}

    async def set_cutoff(self, unit: str, day: date) -> None:
        self._write(
            "INSERT INTO cutoffs (unit, day, set_at) VALUES (?, ?, ?) "
            "ON CONFLICT(unit) DO UPDATE SET day = excluded.day, set_at = excluded.set_at",
            (unit, day.isoformat(), iso(utcnow())),
        )

    async def returned_case_ids(self) -> list[int]:
        """Cases under revision, for the sweep that puts back those not resubmitted in time."""
        return [r[0] for r in await self._rows("SELECT id FROM cases WHERE state = 'returned' ORDER BY id")]

    # -- units taken off the list, their cases kept --------------------------------------------------

    async def unit_use(self, codes: Sequence[str]) -> list[UnitUse]:
        """Cases (any state) and members of each unit, for the units that have any."""
        out = []
        for code in codes:
            cases = (await self._rows("SELECT COUNT(*) FROM cases WHERE unit = ?", (code,)))[0][0]
            members = (await self._rows("SELECT COUNT(*) FROM members WHERE unit = ?", (code,)))[0][0]
            if cases or members:
                out.append(UnitUse(code, int(cases), int(members)))
        return out

    async def retire_units(self, units: Sequence[Unit]) -> None:
        for unit in units:
            self._write(
                "INSERT INTO retired_units (code, data, retired_at) VALUES (?, ?, ?) "
                "ON CONFLICT(code) DO UPDATE SET data = excluded.data, retired_at = excluded.retired_at",
                (unit.code, unit.model_dump_json(), iso(utcnow())),
            )

    async def unretire_units(self, codes: Sequence[str]) -> None:
        """Units listed again are active again."""
        for code in codes:
            self._write("DELETE FROM retired_units WHERE code = ?", (code,))

    async def retired_units(self) -> list[Unit]:
        rows = await self._rows("SELECT data FROM retired_units ORDER BY retired_at, code")
        return [Unit.model_validate_json(r[0]) for r in rows]

    # -- the end of personal data ----------------------------------------------------------------------

    async def purge_preview(self, admins: Iterable[str] = ()) -> Purged:
        """What :meth:`purge` would remove, without removing it."""

        async def count(sql: str) -> int:
            return int((await self._rows(sql))[0][0])

        return Purged(
            drafts=await count(
                "SELECT (SELECT COUNT(*) FROM sessions WHERE json_extract(state, '$.draft') IS NOT NULL) "
                "+ (SELECT COUNT(*) FROM cases WHERE state = 'draft')"
            ),
            conversations=await count("SELECT COUNT(*) FROM sessions"),
            pictures=await count(f"SELECT COUNT(*) FROM pictures WHERE sha256 NOT IN ({_KEPT_PICTURES})"),
            members=await count("SELECT COUNT(*) FROM members"),
            owners=await count("SELECT COUNT(*) FROM cases WHERE owner <> '' AND state <> 'draft'"),
            events=await count("SELECT COUNT(*) FROM events"),
            reminders=await count("SELECT COUNT(*) FROM reminders"),
            messages=await count(
                "SELECT (SELECT COUNT(*) FROM outbox) + (SELECT COUNT(*) FROM receipts) "
                "+ (SELECT COUNT(*) FROM album_parts) + (SELECT COUNT(*) FROM inbox)"
            ),
            objectors=await count(
                "SELECT COUNT(*) FROM objections WHERE objector_name <> '' OR objector_contact <> ''"
            ),
            rewritten=len(await self.audit_rewrites(await self.pseudonyms(admins))),
        )

    async def purge(self, admins: Iterable[str] = ()) -> Purged:
        """Remove drafts, conversations (they hold drafts and chat identities), pictures no
        recommended case shows, members, the owners' chat identities on the cases, the recorded
        replies, the reminders' recipients, and the messages queued, held or received (outbox,
        receipts, album and paste pieces, the WeCom inbox), who was told of the 公示, and the objectors'
        names, contacts and letters (the 核查 notes and the decision's reason stay); name the people in the
        records kept (audit, contacts' and scans' authors) by role and unit. Returns what was there."""
        admins = frozenset(admins)
        removed = await self.purge_preview(admins)
        await self.pseudonymise(await self.pseudonyms(admins))  # before the members who say who was what go
        self._write("DELETE FROM cases WHERE state = 'draft'")
        self._write("DELETE FROM sessions")
        self._write(f"DELETE FROM pictures WHERE sha256 NOT IN ({_KEPT_PICTURES})")
        self._write("DELETE FROM members")
        self._write("UPDATE experts SET user = NULL, conversation = '{}'")  # 评审's chat identities
        self._write("UPDATE cases SET owner = ''")
        self._write("DELETE FROM events")
        self._write("DELETE FROM reminders")
        for table in ("outbox", "receipts", "album_parts", "inbox", "publicity_told"):
            self._write(f"DELETE FROM {table}")
        # the letter itself goes too: it is signed and names its writer; the notes and the reason say what was decided
        self._write("UPDATE objections SET objector_name = '', objector_contact = '', content = ''")
        self._write("UPDATE picture_consents SET given_by = ''")
        self._cache.clear()
        return removed
