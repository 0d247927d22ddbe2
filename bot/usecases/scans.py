"""Sealed scans in the chat: `/scan 编号` or `/scan 汇总表`, then a PDF or the pages as photos, then /done.

The pure rules are in :mod:`dialogs.scans`. Which scan the coordinator is sending is kept on the
session in SQLite (``waiting = "scan:<target>:<scan id>"``), so pages sent across a restart still
belong to the same scan. Each page is stored in the transaction that answers it, with the
fingerprint of what the paper showed at that moment; the first page of a new scan replaces the
whole earlier set.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from bot.disk.outputs import recommended
from bot.reading.reader import Reader
from bot.storage import ScanInfo, Store, Tx
from dialogs import scans
from dialogs.campaign import Campaign
from dialogs.errors import FieldError
from dialogs.events import Command, Document, Event, Pictures, PicturesRead, Reply
from dialogs.models import Case, CaseState
from dialogs.scans import ScanTarget
from dialogs.session import Session
from dialogs.wording import t

PDF_BYTES = 20 * 1024 * 1024  # a scanned PDF, as large as a Telegram bot may download


@dataclass(frozen=True)
class Seals:
    """The seal marks /cases shows: per recommended case, and for the 汇总表."""

    cases: dict[int, str]
    summary: str


async def seals_of(tx: Tx, unit: str, cases: list[Case]) -> Seals:
    kept = await tx.scans_of_unit(unit)
    marks = {}
    for case in recommended(cases):
        info = kept.get(ScanTarget(case.id).key(unit))
        marks[case.id] = scans.status_zh(scan_state(info, scans.case_fingerprint(case)))
    if not marks:
        return Seals(marks, "")
    info = kept.get(ScanTarget(None).key(unit))
    summary = scan_state(info, scans.summary_fingerprint(recommended(cases)))
    return Seals(marks, scans.status_zh(summary))


def scan_state(info: ScanInfo | None, current: str) -> scans.Status:
    return scans.status(info.fingerprint if info else None, current)


class Scans:
    def __init__(self, store: Store, campaign: Campaign, reader: Reader) -> None:
        self.store = store
        self.campaign = campaign
        self.reader = reader

    async def start(self, user: str, arg: str | ScanTarget, key: str | None = None) -> list[Reply]:
        """/scan 编号 or /scan 汇总表 (or the button under /cases): ask for the pages."""
        target = scans.parse_target(arg) if isinstance(arg, str) else arg
        if isinstance(target, str):
            return [Reply(target)]
        return await self.store.once(key, user, lambda tx: self._start(tx, user, target))

    async def _unit_of(self, tx: Tx, user: str) -> str | None:
        codes = [u for u, role in await tx.roles_of(user) if role == "coordinator"]
        if not codes:
            return None
        current = (await tx.load_session(user)).unit
        return current if current in codes else codes[0]

    async def _start(self, tx: Tx, user: str, target: ScanTarget) -> list[Reply]:
        unit = await self._unit_of(tx, user)
        if unit is None:
            return [Reply(t("scans.refused"))]
        case = None
        if target.case_id is not None:
            case = await tx.case(target.case_id)
            if case is None or case.unit != unit:
                return [Reply(t("service.coordination.not_found"))]
            if case.state is not CaseState.RECOMMENDED:
                return [Reply(t("scans.not_recommended", name=case.form.name or "", id=case.id))]
        session = await tx.load_session(user)
        waiting = scans.waiting_for(target.key(unit), secrets.token_hex(4))
        await tx.save_session(session.model_copy(update={"waiting": waiting}))
        return [Reply(t("scans.ask", what=scans.what_zh(target, case)), hint="scan_pdf")]

    async def receive(self, user: str, event: Event, key: str | None = None) -> list[Reply]:
        """A page (photo or PDF), /done, or anything else while a scan is awaited."""
        if isinstance(event, Pictures) and event.items and not any(i.data.startswith(b"%PDF") for i in event.items):
            event = await self.reader.pictures(event, self.campaign.limits)  # outside the transaction and the loop

        async def work(tx: Tx) -> list[Reply]:
            return await self._receive(tx, await tx.load_session(user), event)

        return await self.store.once(key, user, work)

    async def _receive(self, tx: Tx, session: Session, event: Event) -> list[Reply]:
        parsed = scans.parse_waiting(session.waiting)
        if parsed is None:
            return [Reply(t("scans.not_waiting"))]
        target, scan_id = parsed
        unit = await self._unit_of(tx, session.user)
        what, fingerprint = await self._paper(tx, target, unit or "")
        if unit is None or fingerprint is None:
            await tx.save_session(session.model_copy(update={"waiting": ""}))
            return [Reply(t("scans.refused") if unit is None else t("service.coordination.not_found"))]
        if isinstance(event, Command) and event.name == "done":
            return await self._done(tx, session, target, scan_id, what)
        if isinstance(event, Document):
            return await self._pdf(tx, session, (target, scan_id, unit, fingerprint), event.data, what)
        if isinstance(event, Pictures) and event.items:  # only an album holding a PDF is still unread here
            pdfs = [item for item in event.items if item.data.startswith(b"%PDF")]
            if pdfs:
                return await self._pdf(tx, session, (target, scan_id, unit, fingerprint), pdfs[-1].data, what)
        if not isinstance(event, PicturesRead) or not event.items:  # an empty album is no page either
            return [Reply(t("scans.need_file"), hint="scan_pdf")]
        refused = next((item.refusal for item in event.items if item.ref is None), None)
        if refused is not None:  # every photo of an album is checked before any is kept: one bad page keeps none
            return [Reply(refused)]
        pages = []
        for page in event.items:
            ext = "png" if page.ref is not None and page.ref.mime == "image/png" else "jpg"
            pages.append(await tx.add_scan_page(target, unit, scan_id, ext, page.data, fingerprint, session.user))
        if len(pages) == 1:
            return [Reply(t("scans.one_page_kept", what=what, page=pages[0]))]
        return [Reply(t("scans.page_kept", what=what, first=pages[0], last=pages[-1]))]

    async def _pdf(
        self, tx: Tx, session: Session, where: tuple[str, str, str, str], data: bytes, what: str
    ) -> list[Reply]:
        """A PDF is the whole scan: it replaces any photos sent for it and ends the upload."""
        target, scan_id, unit, fingerprint = where
        try:
            scans.check_pdf(data, PDF_BYTES)
        except FieldError as error:
            return [Reply(str(error))]
        await tx.drop_scan_pages(target, scan_id)
        await tx.add_scan_page(target, unit, scan_id, "pdf", data, fingerprint, session.user)
        await tx.audit(session.user, "scan", unit=unit, case_id=_case_id(target), detail="pdf")
        await tx.save_session(session.model_copy(update={"waiting": ""}))
        return [Reply(t("scans.pdf_kept", what=what))]

    async def _done(self, tx: Tx, session: Session, target: str, scan_id: str, what: str) -> list[Reply]:
        current = await tx.scan_set(target) == scan_id
        pages = [p for p, _, _ in await tx.scan_pages(target)] if current else []
        await tx.save_session(session.model_copy(update={"waiting": ""}))
        if not pages:
            return [Reply(t("scans.nothing", what=what))]
        unit = (await self._unit_of(tx, session.user)) or ""
        await tx.audit(session.user, "scan", unit=unit, case_id=_case_id(target), detail=str(len(pages)))
        return [Reply(t("scans.done", what=what, pages=len(pages)))]

    async def _paper(self, tx: Tx, target: str, unit: str) -> tuple[str, str | None]:
        """What the scan is of, in words, and the fingerprint of that paper today (None if it is gone)."""
        case_id = _case_id(target)
        if case_id is None:
            cases = recommended(await tx.cases_of_unit(unit))
            return scans.what_zh(ScanTarget(None), None), scans.summary_fingerprint(cases)
        case = await tx.case(case_id)
        if case is None or case.unit != unit:
            return "", None
        return scans.what_zh(ScanTarget(case_id), case), scans.case_fingerprint(case)


def _case_id(target: str) -> int | None:
    kind, _, rest = target.partition(":")
    return int(rest) if kind == "case" and rest.isdigit() else None
