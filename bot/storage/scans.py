"""Sealed scans: the pages a coordinator sends back for a 推荐表 or the 汇总表.

A scan is one set of pages (``scan_id``); a page of a new scan replaces the whole earlier set in
the same transaction, so a target never mixes pages of two scans. ``fingerprint`` is what the
scanned paper showed, so a later change can be recognised as needing a new scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core import TxCore
from .records import iso, utcnow


@dataclass(frozen=True)
class ScanInfo:
    target: str  # "case:12" or "summary:hefei"
    pages: int
    ext: str  # "pdf", "jpg" or "png" (of the first page)
    fingerprint: str
    created_at: str


class ScanOps(TxCore):
    async def add_scan_page(
        self, target: str, unit: str, scan_id: str, ext: str, data: bytes, fingerprint: str, by: str
    ) -> int:
        """Keep one page; the first page of a new scan drops the earlier set. Returns the page's number."""
        rows = await self._rows("SELECT scan_id, MAX(page) FROM scans WHERE target = ? GROUP BY scan_id", (target,))
        same = [r for r in rows if r[0] == scan_id]
        if rows and not same:
            self._write("DELETE FROM scans WHERE target = ?", (target,))
        page = int(same[0][1]) + 1 if same else 1
        self._write(
            "INSERT INTO scans (target, page, unit, scan_id, ext, data, fingerprint, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (target, page, unit, scan_id, ext, data, fingerprint, iso(utcnow()), by),
        )
        self._write("UPDATE scans SET fingerprint = ? WHERE target = ?", (fingerprint, target))
        return page

    async def drop_scan_pages(self, target: str, scan_id: str) -> None:
        """Forget the pages of one scan (a PDF replaces photos sent for the same scan)."""
        self._write("DELETE FROM scans WHERE target = ? AND scan_id = ?", (target, scan_id))

    async def scan_set(self, target: str) -> str | None:
        """The scan id of the pages kept for ``target``, if any."""
        rows = await self._rows("SELECT scan_id FROM scans WHERE target = ? LIMIT 1", (target,))
        return rows[0][0] if rows else None

    async def scans_of_unit(self, unit: str) -> dict[str, ScanInfo]:
        rows = await self._rows(
            "SELECT target, COUNT(*), MIN(ext), MAX(fingerprint), MAX(created_at) FROM scans WHERE unit = ? "
            "GROUP BY target",
            (unit,),
        )
        return {r[0]: ScanInfo(r[0], int(r[1]), r[2], r[3], r[4]) for r in rows}

    async def scan_pages(self, target: str) -> list[tuple[int, str, bytes]]:
        rows = await self._rows("SELECT page, ext, data FROM scans WHERE target = ? ORDER BY page", (target,))
        return [(int(r[0]), r[1], bytes(r[2])) for r in rows]
