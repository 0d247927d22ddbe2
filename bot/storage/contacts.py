"""The unit's contact (联系人, 电话) for the 汇总表 header, kept apart from the campaign's unit list.

The most recent change wins, whoever made it (a coordinator in the chat, an administrator on the
command line); an imported unit list only fills a contact that is still empty.
"""

from __future__ import annotations

from .core import TxCore
from .records import iso, utcnow


class ContactOps(TxCore):
    async def unit_contact(self, unit: str) -> tuple[str, str] | None:
        rows = await self._rows("SELECT contact, phone FROM unit_contacts WHERE unit = ?", (unit,))
        return (rows[0][0], rows[0][1]) if rows else None

    async def unit_contacts(self) -> dict[str, tuple[str, str]]:
        rows = await self._rows("SELECT unit, contact, phone FROM unit_contacts")
        return {r[0]: (r[1], r[2]) for r in rows}

    async def set_unit_contact(self, unit: str, contact: str, phone: str, by: str) -> None:
        self._write(
            "INSERT INTO unit_contacts (unit, contact, phone, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(unit) DO UPDATE SET contact = excluded.contact, phone = excluded.phone, "
            "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            (unit, contact, phone, iso(utcnow()), by),
        )

    async def fill_unit_contact(self, unit: str, contact: str, phone: str, by: str) -> bool:
        """Set the contact only if the unit has none yet; True if it was set."""
        _, rowcount = await self._run(
            "INSERT OR IGNORE INTO unit_contacts (unit, contact, phone, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)",
            (unit, contact, phone, iso(utcnow()), by),
        )
        return rowcount == 1
