"""The files on disk: each unit's folder holds its 汇总表 and one 推荐表 per submitted case.

A unit's folder is rebuilt from the database whenever one of its cases changes. A per-unit lock
makes the last rebuild read the database last, so two submissions at the same moment both appear,
and every file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.disk.atomic import write_atomic
from bot.disk.pool import new_pool, start_workers
from bot.storage import Store, Tx
from dialogs import periods
from dialogs.campaign import Campaign, Unit
from dialogs.models import Case, CaseState
from dialogs.wording import t
from exporters.case_list_xlsx import build_case_list_xlsx
from exporters.filenames import case_list_filename, form_filename, province_filename, safe_component, summary_filename
from exporters.form_docx import build_form_docx
from exporters.summary_xlsx import build_province_xlsx, build_summary_xlsx

log = logging.getLogger("casebot.outputs")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BUILDERS = 2  # files built at the same moment without a process pool (threads, under the GIL)
FORM_SUFFIX = form_filename(None, "x").removeprefix("x")  # "-推荐表.docx", as the exporters name every form


def _log_failure(started: asyncio.Future[list[Future[None]]]) -> None:
    """The workers could not be started: said once here; the first file asked for will say it again."""
    if not started.cancelled() and started.exception() is not None:
        log.error("the file builders did not start", exc_info=started.exception())


class UnknownUnit(KeyError):
    """A unit code the campaign does not list; the message names it."""


@dataclass(frozen=True)
class OutFile:
    name: str
    data: bytes
    mime: str
    path: Path | None = None


def listed(cases: list[Case]) -> list[Case]:
    """The cases a unit's files show: everything submitted, never a draft."""
    return [c for c in cases if c.state in (CaseState.SUBMITTED, CaseState.RECOMMENDED)]


def recommended(cases: list[Case]) -> list[Case]:
    return sorted((c for c in cases if c.state is CaseState.RECOMMENDED), key=lambda c: c.rank or 0)


def with_contact(unit: Unit, stored: tuple[str, str] | None) -> Unit:
    """The unit as its files show it: the contact last set in the chat or on the command line wins."""
    if stored is None:
        return unit
    return unit.model_copy(update={"contact": stored[0], "phone": stored[1]})


class Outputs:
    def __init__(self, store: Store, campaign: Campaign, root: Path) -> None:
        self.store = store
        self.campaign = campaign
        self.root = root
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._asked: defaultdict[str, int] = defaultdict(int)  # rebuilds of each unit asked for so far
        self._covered: defaultdict[str, int] = defaultdict(int)  # … and how many of them a rebuild has met
        self._written: dict[int, tuple[str, datetime]] = {}  # case → the name and version last written
        # Building is CPU work under the GIL: a few at a time finish in arrival order, where fifty
        # threads at once would all finish at the end.
        self._building = asyncio.Semaphore(BUILDERS)
        self._pool: ProcessPoolExecutor | None = None
        self._workers = 1
        self._warming: asyncio.Future[list[Future[None]]] | None = None  # warm(): the workers being started

    async def start(self, workers: int | None = None) -> None:
        """Build in a pool of processes, one per core: python-docx and openpyxl hold the GIL, so
        threads take turns on one core while fifty submissions wait. The workers fork from a server
        that has imported the exporters already; they start with the first file, or at :meth:`warm`."""
        self._workers = workers or os.cpu_count() or 1
        self._pool = new_pool(self._workers)
        self._building = asyncio.Semaphore(self._workers + 1)  # one waiting in the queue: no worker idles between jobs

    def warm(self) -> None:
        """Start the workers now, not in the first submitter's time: for the running bot, not for a
        command that ends in a moment. In a thread, so the channels start meanwhile."""
        pool = self._pool
        if pool is None or self._warming is not None:
            return
        self._warming = asyncio.ensure_future(asyncio.to_thread(start_workers, pool, self._workers))
        self._warming.add_done_callback(_log_failure)

    async def _warmed(self) -> None:
        """Wait (without holding up the loop) until :meth:`warm` has started the workers, if it was asked to."""
        if self._warming is not None and not self._warming.done():
            await asyncio.wait({self._warming})

    async def close(self) -> None:
        await self._warmed()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def _build(self, builder: Callable[..., bytes], *args: object, **kwargs: object) -> bytes:
        """One file's bytes, built in the pool when it runs (in a thread otherwise), a few at a time
        so they finish in arrival order."""
        async with self._building:
            return await self._run(builder, *args, **kwargs)

    async def _run(self, builder: Callable[..., bytes], *args: object, **kwargs: object) -> bytes:
        await self._warmed()  # a submit now would wait, on the loop, for the thread starting the workers
        if self._pool is None:
            return await asyncio.to_thread(builder, *args, **kwargs)
        job = functools.partial(builder, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, job)

    def unit_dir(self, unit: Unit) -> Path:
        return self.root / safe_component(unit.name)

    def _unit(self, code: str) -> Unit:
        unit = self.campaign.unit(code)
        if unit is None:
            raise UnknownUnit(t("service.unknown_unit", code=code))
        return unit

    async def form_file(self, case: Case) -> OutFile:
        async with self.store.atomic() as tx:
            pictures = [await tx.picture(p.sha256) or b"" for p in case.form.pictures]
        data = await self._build(
            build_form_docx,
            case.form,
            self.campaign,
            pictures=pictures,
            on=(case.submitted_at or case.updated_at).astimezone(self.campaign.zone).date(),
        )
        return OutFile(name=self.form_name(case), data=data, mime=DOCX)

    def form_name(self, case: Case) -> str:
        index = case.rank if case.state is CaseState.RECOMMENDED else None
        name = form_filename(index, case.form.name or t("service.files.unnamed", id=case.id))
        return name if index is not None else t("service.files.candidate", name=name)

    async def write_form(self, case: Case) -> OutFile:
        made = await self.form_file(case)
        path = self.unit_dir(self._unit(case.unit)) / made.name
        await asyncio.to_thread(write_atomic, path, made.data)
        self._written[case.id] = (made.name, case.updated_at)
        return OutFile(made.name, made.data, made.mime, path)

    def unit_name(self, code: str) -> str:
        unit = self.campaign.unit(code)
        return unit.name if unit else code

    async def unit_of(self, tx: Tx, unit_code: str) -> Unit:
        """The campaign's unit with its stored contact overlaid, as the 汇总表 header prints it."""
        return with_contact(self._unit(unit_code), await tx.unit_contact(unit_code))

    async def summary_file(self, unit_code: str) -> OutFile:
        """The official 汇总表 (附件2): the recommended cases only, in rank order."""
        async with self._building:
            unit, cases = await self._read_unit(unit_code)
            return await self._summary(unit, cases)

    async def _read_unit(self, unit_code: str) -> tuple[Unit, list[Case]]:
        async with self.store.atomic() as tx:
            return await self.unit_of(tx, unit_code), await tx.cases_of_unit(unit_code)

    async def _summary(self, unit: Unit, cases: list[Case]) -> OutFile:
        data = await self._run(
            build_summary_xlsx,
            self.campaign,
            unit,
            recommended(cases),
            period_in_remarks=self.campaign.period_in_remarks,
            period_display=periods.display,
        )
        return OutFile(name=summary_filename(self.campaign, unit), data=data, mime=XLSX)

    async def case_list_file(self, unit_code: str) -> OutFile:
        """Every submitted case of the unit with its state: the unit's own record, sent beside the 汇总表."""
        unit, cases = await self._read_unit(unit_code)
        return await self._case_list(unit, cases)

    async def _case_list(self, unit: Unit, cases: list[Case]) -> OutFile:
        data = await self._build(build_case_list_xlsx, self.campaign, unit, listed(cases))
        return OutFile(name=case_list_filename(self.campaign, unit), data=data, mime=XLSX)

    def case_list_path(self, unit_code: str) -> Path:
        """Where the unit's 存档 list of every case is kept, beside its 汇总表."""
        unit = self._unit(unit_code)
        return self.unit_dir(unit) / case_list_filename(self.campaign, unit)

    async def province_file(self) -> OutFile:
        async with self.store.atomic() as tx:
            cases = await tx.all_cases()
            contacts = await tx.unit_contacts()
        per_unit = [
            (with_contact(u, contacts.get(u.code)), recommended([c for c in cases if c.unit == u.code]))
            for u in self.campaign.units
        ]
        # units taken off the list by a forced import keep their cases, under the old name
        per_unit += [
            (u, rec)
            for u in self.campaign.retired_units
            if (rec := recommended([c for c in cases if c.unit == u.code]))
        ]
        data = await self._build(
            build_province_xlsx,
            self.campaign,
            per_unit,
            period_in_remarks=self.campaign.period_in_remarks,
            period_display=periods.display,
        )
        return OutFile(name=province_filename(self.campaign), data=data, mime=XLSX)

    async def rebuild_summary(self, unit_code: str) -> OutFile:
        """Rewrite the unit's 汇总表 and rename its 推荐表 files to the current ranks."""
        summary, _ = await self.rebuild_unit(unit_code)
        return summary

    async def rebuild_unit(self, unit_code: str, fresh: int | None = None) -> tuple[OutFile, list[Path]]:
        """The unit's folder as the database says: its 汇总表, every listed case's 推荐表 under its current
        name (the one of case ``fresh`` rewritten, its content having changed), nothing stale. Running it
        twice leaves the same files, which is what lets the outbox repeat it after a crash."""
        self._asked[unit_code] += 1
        mine = self._asked[unit_code]
        async with self._locks[unit_code]:
            folder = self.unit_dir(self._unit(unit_code))
            if self._covered[unit_code] >= mine:  # a rebuild that read the database after our commit ran
                forms = await self._write_fresh(unit_code, fresh)
                return await self.current_summary(unit_code), forms
            # A build slot first, then the database: read as late as can be, the one rebuild covers
            # every submission of the unit committed while it waited for a slot.
            async with self._building:
                asked = self._asked[unit_code]  # every rebuild asked for so far is met by what we read now
                unit, cases = await self._read_unit(unit_code)
                made = await self._summary(unit, cases)
            path = folder / made.name
            listing = asyncio.ensure_future(self._case_list(unit, cases))  # the same read: the two agree
            forms = await self._sync_forms(unit_code, folder, fresh)
            await asyncio.to_thread(write_atomic, path, made.data)
            record = await listing
            await asyncio.to_thread(write_atomic, folder / record.name, record.data)
            self._covered[unit_code] = max(self._covered[unit_code], asked)
            return OutFile(made.name, made.data, made.mime, path), [path, *forms]

    async def _write_fresh(self, unit_code: str, fresh: int | None) -> list[Path]:
        """Only the changed case's 推荐表: the summary and the names are already as the database says."""
        if fresh is None:
            return []
        async with self.store.atomic() as tx:
            case = await tx.case(fresh)
        if case is None or case.unit != unit_code or not listed([case]) or self._current(case):
            return []
        made = await self.write_form(case)
        return [made.path] if made.path is not None else []

    async def _sync_forms(self, unit_code: str, folder: Path, fresh: int | None = None) -> list[Path]:
        async with self.store.atomic() as tx:
            cases = listed(await tx.cases_of_unit(unit_code))
        wanted = {self.form_name(c): c for c in cases}
        for stale in folder.glob("*" + FORM_SUFFIX):
            if stale.name not in wanted:
                stale.unlink(missing_ok=True)
        due = [
            c for name, c in wanted.items() if not (folder / name).exists() or (c.id == fresh and not self._current(c))
        ]
        made = await asyncio.gather(*(self.write_form(c) for c in due))  # built side by side in the pool
        return [m.path for m in made if m.path is not None]

    def _current(self, case: Case) -> bool:
        """Its 推荐表 on disk was written by this process from this very version of the case."""
        path = self.unit_dir(self._unit(case.unit)) / self.form_name(case)
        return self._written.get(case.id) == (path.name, case.updated_at) and path.exists()

    async def current_form(self, case_id: int) -> OutFile | None:
        """A case's 推荐表 as it stands in its unit's folder (built there if missing); None once it is
        no longer submitted."""
        async with self.store.atomic() as tx:
            case = await tx.case(case_id)
        if case is None or not listed([case]):
            return None
        path = self.unit_dir(self._unit(case.unit)) / self.form_name(case)
        if path.exists():
            return OutFile(path.name, await asyncio.to_thread(path.read_bytes), DOCX, path)
        return await self.write_form(case)

    async def current_summary(self, unit_code: str) -> OutFile:
        """The unit's 汇总表 from its folder, rebuilt if it is not there."""
        path = self.unit_dir(self._unit(unit_code)) / summary_filename(self.campaign, self._unit(unit_code))
        if path.exists():
            return OutFile(path.name, await asyncio.to_thread(path.read_bytes), XLSX, path)
        return await self.rebuild_summary(unit_code)
