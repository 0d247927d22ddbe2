"""The coordinator's desk beyond ranking: the unit's contact, sealed scans and the 报送包.

:meth:`Desk.route` takes the events that belong here (``/contact``, ``/scan``, ``/done``,
``/package``, the scan button under /cases, and whatever answers a pending question) and leaves
every other event to the service. A pending question lives on the session in SQLite (``waiting``);
reading it comes from the session cache, so the submitters' dialog pays no extra trip for it. Any
other command ends the wait, so a coordinator is never stuck in a question.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.disk.outputs import OutFile, Outputs
from bot.reading.reader import Reader
from bot.storage import Store
from bot.usecases.contacts import WAITING, Contacts
from bot.usecases.members import REMOVING
from bot.usecases.package import contents_zh, write_package
from bot.usecases.scans import Scans
from dialogs import contact, coordinator
from dialogs.campaign import Campaign
from dialogs.events import Command, Document, Event, Pictures, Press, Reply, Text
from dialogs.models import CaseState
from dialogs.session import Session
from dialogs.wording import t

log = logging.getLogger(__name__)


@dataclass
class Answer:
    replies: list[Reply]
    files: list[OutFile] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


class Desk:
    def __init__(
        self,
        store: Store,
        campaign: Campaign,
        outputs: Outputs,
        extension_for: Callable[[str | None], datetime | None],
        reader: Reader,
    ) -> None:
        self.store = store
        self.campaign = campaign
        self.outputs = outputs
        self.extension_for = extension_for
        self.contacts = Contacts(store, campaign)
        self.scans = Scans(store, campaign, reader)
        # the largest file the user's channel can send (its Limits.file_bytes); the runner sets it
        self.file_limit: Callable[[str], int | None] = lambda user: None

    def asked_on_join(self, session: Session) -> list[Reply]:
        """The contact question for a coordinator who just joined a unit without one (see ``_join``)."""
        if session.waiting != WAITING:
            return []
        return [Reply(contact.ask_zh(self.outputs.unit_name(session.unit or "")))]

    async def unit_files(self, codes: list[str]) -> tuple[list[OutFile], list[Reply]]:
        """/summary for a coordinator: each unit's official 汇总表 and its case list, and what the header lacks."""
        files, notes = [], []
        for code in codes:
            files += [await self.outputs.summary_file(code), await self.outputs.case_list_file(code)]
            async with self.store.atomic() as tx:
                shown = await self.outputs.unit_of(tx, code)
            if missing := contact.missing_zh(shown.name, shown.contact, shown.phone):
                notes.append(Reply(missing))
        return files, notes

    async def route(self, user: str, event: Event, key: str | None) -> Answer | None:
        waiting = await self._waiting(user, event, key)
        if waiting is not None:
            return waiting
        if isinstance(event, Press) and (case_id := coordinator.scan_press(event.data)) is not None:
            return Answer(await self.scans.start(user, str(case_id), key))
        if not isinstance(event, Command):
            return None
        if event.name == "contact":
            return Answer(await self.contacts.command(user, event.arg, key))
        if event.name == "scan":
            return Answer(await self.scans.start(user, event.arg, key))
        if event.name == "done":
            return Answer([Reply(t("scans.not_waiting"))])
        if event.name == "package":
            return await self.package(user)
        return None

    async def end_question(self, user: str, event: Event) -> bool:
        """Any other command ends a coordinator's open question (the contact, the pages of a scan);
        True when it did, so the service counts the event as a change."""
        if not isinstance(event, Command) or event.name in ("scan", "contact", "done"):
            return False
        async with self.store.atomic() as tx:
            current = await tx.load_session(user)
            if not current.waiting:
                return False
            await tx.save_session(current.model_copy(update={"waiting": ""}))
        return True

    async def _waiting(self, user: str, event: Event, key: str | None) -> Answer | None:
        async with self.store.atomic() as tx:
            session = await tx.load_session(user)
        if not session.waiting or session.waiting.startswith(REMOVING):  # a removal's question: see members
            return None
        scanning = session.waiting != WAITING
        if isinstance(event, Command) and not (scanning and event.name == "done"):
            return None  # another command: see end_question
        if not scanning:
            return Answer(await self.contacts.answer(user, event.text, key)) if isinstance(event, Text) else None
        if isinstance(event, (Text, Pictures, Document, Command)):
            return Answer(await self.scans.receive(user, event, key))
        return None

    async def package(self, user: str) -> Answer:
        """/package: the coordinator's 报送包, in numbered parts where the channel cannot send it whole."""
        async with self.store.atomic() as tx:
            units = [u for u, role in await tx.roles_of(user) if role == "coordinator"]
            current = (await tx.load_session(user)).unit
            code = current if current in units else (units[0] if units else None)
            cases = await tx.cases_of_unit(code) if code else []
        if code is None:
            return Answer([Reply(t("package.refused"))])
        name = self.outputs.unit_name(code)
        if not any(c.state is CaseState.RECOMMENDED for c in cases):
            return Answer([Reply(t("package.empty", unit=name))])
        limit = self.file_limit(user)
        try:
            made, parts = await write_package(self.outputs, code, limit=limit, extension=self.extension_for(code))
        except Exception:
            log.exception("building the package of %s failed", code)
            return Answer([Reply(t("package.failed"))])
        shown = parts[0].name if len(parts) == 1 else made.stem
        lines = [t("package.made", unit=name, name=shown, contents=contents_zh(made))]
        if len(parts) > 1 and limit:
            lines.append(t("package.parts", mb=limit // 1024 // 1024, total=len(parts)))
        if made.todo:
            lines.append(t("package.todo_title"))
            lines.extend(t("package.todo_item", text=line) for line in made.todo)
        return Answer([Reply("\n".join(lines))], parts, [p.path for p in parts if p.path])
