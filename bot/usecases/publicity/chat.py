"""The publicity in the chat: the admins' /publicity, /showcase and /compilation, and the coordinators'
answers about their pictures (/consent, or the buttons of the question sent when the list is final).

The same use cases as the command line, with the words of the chat: "/publicity notice 2024-04-03 5",
"/publicity objection add 12 2024-04-08 姓名 联系方式 异议内容…", "/publicity objection check 1 核查情况…",
"/publicity objection decide 1 成立 理由…", "/publicity final", "/publicity announce", and
"/publicity text 12 发布标题" with the pasted publication text on the lines after it. The admin gets
the notices and the 汇编 as files; the site stays on the server and its path is told, as a site does
not fit a chat's file limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bot.disk.office import OfficeError
from bot.disk.outputs import DOCX, OutFile
from bot.storage import Store
from bot.usecases.publicity import PublicityRefused
from bot.usecases.publicity import objections as steps
from bot.usecases.publicity.compilation import write_compilation
from bot.usecases.publicity.consent import give_consent, parse_command, parse_press, set_text
from bot.usecases.publicity.showcase import write_showcase
from bot.usecases.publicity.stages import announce, start_notice
from bot.usecases.publicity.telling import CONSENT_PREFIX
from dialogs.campaign import Campaign
from dialogs.events import Command, Press, Reply
from dialogs.wording import t

COMMANDS = ("publicity", "showcase", "compilation", "consent")
_DATE = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_MIME = {".docx": DOCX, ".pdf": "application/pdf", ".txt": "text/plain", ".html": "text/html"}


@dataclass
class Answer:
    replies: list[Reply]
    files: list[OutFile] = field(default_factory=list)
    recorded: bool = False  # messages went into the outbox: wake it


def is_ours(event: object) -> bool:
    if isinstance(event, Press):
        return event.data.startswith(CONSENT_PREFIX)
    return isinstance(event, Command) and event.name in COMMANDS


def _day(text: str) -> date | None:
    match = _DATE.match(text.strip())
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _files(paths: list[Path]) -> list[OutFile]:
    return [OutFile(p.name, p.read_bytes(), _MIME.get(p.suffix, "application/octet-stream"), p) for p in paths]


@dataclass
class PublicityChat:
    store: Store
    campaign: Campaign
    root: Path  # the output folder; the publicity's files go in a folder of their own under it
    clock: Callable[[], datetime]

    @property
    def folder(self) -> Path:
        return self.root / t("publicity.chat.folder")

    def today(self) -> date:
        return self.clock().astimezone(self.campaign.zone).date()

    async def answer(self, user: str, event: Command | Press, is_admin: bool) -> Answer:
        """Whatever the input, a Chinese answer: a refusal changes nothing."""
        try:
            if isinstance(event, Press):
                parsed = parse_press(event.data)
                if parsed is None:
                    return Answer([Reply(t("publicity.consent.usage"))])
                return Answer([Reply(await give_consent(self.store, user, *parsed, is_admin))])
            if event.name == "consent":
                parsed = parse_command(event)
                if parsed is None:
                    return Answer([Reply(t("publicity.consent.usage"))])
                return Answer([Reply(await give_consent(self.store, user, *parsed, is_admin))])
            if not is_admin:
                return Answer([Reply(t("access.admin_only"))])
            return await self._admin(event)
        except (PublicityRefused, OfficeError) as error:
            return Answer([Reply(str(error))])

    async def _admin(self, event: Command) -> Answer:
        if event.name == "showcase":
            target = self.folder / t("publicity.chat.site_folder")
            paths = await write_showcase(self.store, self.campaign, target)
            cases = sum(1 for p in paths if p.parent.name == "cases")
            return Answer([Reply(t("publicity.showcase.written", path=target, cases=cases, files=len(paths)))])
        if event.name == "compilation":
            month = self.today()
            ym = t("publicity.year_month", year=month.year, month=month.month)
            book = await write_compilation(self.store, self.campaign, self.folder, ym)
            note = (
                t("publicity.compilation.written_pdf", pdf=book.pdf) if book.pdf else t("publicity.compilation.no_pdf")
            )
            paths = [book.docx] + ([book.pdf] if book.pdf else [])
            return Answer([Reply(t("publicity.compilation.written", docx=book.docx.name) + "\n" + note)], _files(paths))
        words = event.arg.split(maxsplit=1)
        action, rest = (words[0].lower(), words[1] if len(words) > 1 else "") if words else ("", "")
        if action == "notice":
            return await self._notice(rest)
        if action == "objection":
            return await self._objection(rest)
        if action == "final":
            final, told = await steps.finalise(self.store, self.campaign, self.today(), "chat")
            ids = t("publicity.sep").join(map(str, final))
            return Answer([Reply(t("publicity.cli.final_done", cases=len(final), ids=ids, told=told))], recorded=True)
        if action == "text":
            return await self._text(rest)
        if action == "announce":
            made = await announce(self.store, self.campaign, self.today(), self.folder)
            return Answer([Reply(t("publicity.cli.announce_done", cases=made.cases))], _files(made.paths))
        return Answer([Reply(await self._status())])

    async def _notice(self, rest: str) -> Answer:
        words = rest.split()
        start = _day(words[0]) if words else None
        if start is None or len(words) != 2 or not words[1].isdigit():
            return Answer([Reply(t("publicity.chat.notice_usage"))])
        made = await start_notice(self.store, self.campaign, start, int(words[1]), "chat", self.folder)
        text = t("publicity.cli.notice_done", period=made.period.zh(), cases=made.cases, told=made.told)
        return Answer([Reply(text)], _files(made.paths), recorded=True)

    async def _objection(self, rest: str) -> Answer:
        words = rest.split(maxsplit=1)
        op, rest = (words[0].lower(), words[1] if len(words) > 1 else "") if words else ("", "")
        if op == "add":
            parts = rest.split(maxsplit=4)
            received = _day(parts[1]) if len(parts) > 1 else None
            if len(parts) != 5 or not parts[0].isdigit() or received is None:
                return Answer([Reply(t("publicity.chat.objection_usage"))])
            made = await steps.add_objection(self.store, int(parts[0]), received, parts[2], parts[3], parts[4], "chat")
            return Answer([Reply(t("publicity.cli.objection_added", id=made, case=int(parts[0])))])
        parts = rest.split(maxsplit=2 if op == "decide" else 1)
        if op == "check" and len(parts) == 2 and parts[0].isdigit():
            found = await steps.check_objection(self.store, int(parts[0]), parts[1], "chat")
            return Answer([Reply(t("publicity.cli.objection_checked", id=found.id, case=found.case_id))])
        decisions = t("publicity.cli.decisions").split()
        if op == "decide" and len(parts) == 3 and parts[0].isdigit() and parts[1] in decisions:
            upheld = parts[1] == decisions[0]
            found = await steps.decide_objection(self.store, int(parts[0]), upheld, parts[2], "chat")
            key = "publicity.cli.upheld" if upheld else "publicity.cli.rejected"
            return Answer([Reply(t(key, id=found.id, case=found.case_id))])
        return Answer([Reply(t("publicity.chat.objection_usage"))])

    async def _text(self, rest: str) -> Answer:
        """/publicity text 编号 发布标题, then on the next lines the pasted text (简介, then the four parts)."""
        head, _, body = rest.partition("\n")
        words = head.split(maxsplit=1)
        if not words or not words[0].isdigit():
            return Answer([Reply(t("publicity.chat.text_usage"))])
        title = words[1] if len(words) > 1 else ""
        data = body.encode() if body.strip() else None
        text = await set_text(self.store, int(words[0]), title, data, "", "chat")
        shown = text.title or t("publicity.cli.form_title")
        return Answer([Reply(t("publicity.cli.text_done", case=int(words[0]), title=shown))])

    async def _status(self) -> str:
        async with self.store.atomic() as tx:
            state = await tx.publicity_state()
            approved = await tx.approved_selection()
            objections = await tx.objections()
        if state is None:
            return t("publicity.chat.status_none", approved=len(approved)) + "\n" + t("publicity.chat.usage")
        open_count = sum(1 for o in objections if o.state.open)
        key = "publicity.chat.status_final" if state.final else "publicity.chat.status_running"
        return (
            t(key, period=state.period.zh(), objections=len(objections), open=open_count)
            + "\n"
            + t("publicity.chat.usage")
        )
