"""The application service: one incoming event in, the stored result and what to send out.

Every channel calls :meth:`Service.handle`. It loads the user's session, lets the pure dialog decide,
carries out the dialog's requests (store a picture, submit a case) and saves everything in one
transaction before any reply leaves, so a crash never loses an accepted answer and a redelivered
event is answered from the record instead of being applied twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.disk.outputs import DOCX, OutFile, Outputs, UnknownUnit
from bot.reading.reader import Reader
from bot.storage import DuplicateEvent, Store, Tx, utcnow
from bot.usecases import submission
from bot.usecases.albums import Albums
from bot.usecases.contacts import WAITING
from bot.usecases.coordination import Coordination
from bot.usecases.dates import UnitDates
from bot.usecases.desk import Desk
from bot.usecases.inbound import encodable, encodable_event
from bot.usecases.members import Members
from bot.usecases.outbox import Outbox, kill_point
from bot.usecases.panel.chat import PanelChat
from bot.usecases.response import Response
from bot.usecases.routes import Routes
from dialogs import access, deadline, machine
from dialogs.campaign import Campaign
from dialogs.events import Command, Document, Event, Pictures, Reply, Text
from dialogs.machine import Accepted, Context, SubmitDraft
from dialogs.models import Case, CaseState, Step
from dialogs.session import Session
from dialogs.wording import t
from exporters.filenames import form_filename
from exporters.form_docx import build_form_docx

log = logging.getLogger(__name__)

CHANNELS = {"tg": "telegram", "wecom": "wecom", "term": "terminal"}  # a user id's prefix: the channel it is on


def _in_unit(session: Session, unit_code: str) -> Session:
    """A copy of ``session`` belonging to a unit; a fresh draft's 推荐单位 follows the unit."""
    session = session.model_copy(deep=True)
    session.unit = unit_code
    if session.draft is not None and not session.draft.case_id:
        session.draft.form.unit = unit_code
    return session


class Service(Routes):
    def __init__(
        self, store: Store, campaign: Campaign, outputs: Outputs, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.store = store
        self.campaign = campaign
        self.outputs = outputs
        self.clock = clock
        self.admins: frozenset[str] = frozenset()
        self.dates = UnitDates(campaign)
        self.coordination = Coordination(store, campaign, outputs, self.dates, clock=lambda: self.clock())
        self.reader = Reader()  # Word files and pictures, each read in a process of its own
        self.desk = Desk(store, campaign, outputs, self.extension_for, self.reader)  # contact, sealed scans, 报送包
        self.outbox = Outbox(store, outputs)
        self.members = Members(store, campaign)  # /members, /remove
        self.albums = Albums(store)
        self.panel_chat = PanelChat(store, campaign, outputs, lambda: self.admins, lambda: self.clock())
        self._deadline_cache: dict[tuple[deadline.Deadlines, datetime], tuple[bool, str, str]] = {}

    async def start(self) -> None:
        """Read what the service keeps in memory; called from the application's start-up hook."""
        async with self.store.atomic() as tx:
            await self.dates.load(tx)

    # -- context -----------------------------------------------------------------------------

    def extension_for(self, unit: str | None) -> datetime | None:
        return self.dates.extension_for(unit)

    def context(self, session: Session) -> Context:
        """The dialog is the submitter's: it is open until the unit's submitters' cut-off."""
        now = self.clock()
        unit = session.unit or (session.draft.form.unit if session.draft else None)
        dates = self.dates.for_unit(unit)
        is_open, note, closed = self._deadline_view(dates, now)
        channel = CHANNELS.get(session.user.partition(":")[0], "")
        return Context(
            campaign=self.campaign,
            units_open=self.campaign.open_units or channel == "terminal",  # the operator at the server chooses
            channel=channel,
            now=now,
            is_open=is_open,
            deadline_note=note,
            closed_message=closed,
            days_left=deadline.days_until(self.campaign, dates.cutoff, now),
        )

    def _deadline_view(self, dates: deadline.Deadlines, now: datetime) -> tuple[bool, str, str]:
        """The cut-off as every prompt shows it; the same for a whole minute, so computed once."""
        minute = now.replace(second=0, microsecond=0)
        key = (dates, minute)
        cached = self._deadline_cache.get(key)
        if cached is None:
            is_open = dates.submitters_open(minute)
            note = deadline.submitter_header_zh(self.campaign, dates, minute) if is_open else ""
            cached = (is_open, note, deadline.submitter_closed_zh(dates))
            if len(self._deadline_cache) > 256:
                self._deadline_cache.clear()
            self._deadline_cache[key] = cached
        return cached

    # -- the entry point ---------------------------------------------------------------------

    async def handle(self, user: str, event: Event, key: str | None = None, album: str | None = None) -> Response:
        user, event = encodable(user), encodable_event(event)
        key = encodable(key) if key is not None else None
        ended = await self.desk.end_question(user, event)
        routed = await self._route(user, event, key)
        if routed is not None:
            routed.changed = routed.changed or ended
            return routed
        if isinstance(event, Document):  # a submitter's Word file: read in the shell, judged by the dialog
            event = await self.reader.form(event.data, event.filename)
        elif isinstance(event, Pictures):  # decoded and encoded afresh outside the loop
            event = await self.reader.pictures(event, self.campaign.limits)
        try:
            response, submitted, enqueued = await self._handle(user, event, key, album)
        except DuplicateEvent:
            async with self.store.atomic() as tx:
                earlier = await tx.replies_of(key or "")
                if album is not None:
                    await tx.drop_album(album)
                receipt = await tx.receipt(user)
            response = Response(replies=earlier or [], duplicate=True, changed=ended)
            if receipt is not None and key is not None and receipt[1] == key:  # the submission's own replies
                response.on_sent = self._settle(user, receipt[0])
            return response
        if submitted is not None:
            kill_point("committed")
            await self._after_submit(submitted, enqueued, response)
            response.on_sent = self._settle(user, submitted.case_id)
        if enqueued:
            self.outbox.wake()
        response.changed = response.changed or ended
        return response

    def _settle(self, user: str, case_id: int) -> Callable[[], Awaitable[None]]:
        async def settle() -> None:
            async with self.store.atomic() as tx:
                await tx.drop_receipt(user, case_id)

        return settle

    async def _handle(
        self, user: str, event: Event, key: str | None, album: str | None = None
    ) -> tuple[Response, Accepted | None, list[str]]:
        """Everything one event changes, in one transaction; the event is recorded last."""
        response = Response()
        async with self.store.atomic() as tx:
            if album is not None:
                await tx.drop_album(album)
            session = await tx.load_session(user)
            role = None
            if isinstance(event, Text) and (code := access.join_code(event.text, session.unit is not None)):
                event = Command("start", code)  # a bare invitation code from a user of no unit
            if isinstance(event, Command) and event.name == "start" and event.arg:
                session, role = await self._join(tx, session, event.arg, response)
            ctx = self.context(session)
            if isinstance(event, (Text, Command)) and (session.draft is None or session.draft.step is Step.NAME):
                # a coordinator's stray text is asked about before it starts a case (dialogs.stray)
                if any(r == "coordinator" for _, r in await tx.roles_of(user)):
                    ctx = dataclasses.replace(ctx, coordinator=True)
            got = await submission.receipt(tx, self.campaign, session, event) if role is None else None
            told, stop = (got[1], got[2]) if got else (None, False)
            if got is not None:
                response.on_sent = self._settle(user, got[0])
            if stop and told is not None:
                response.replies.append(told)
                if key is not None:
                    await tx.record_event(key, user, response.replies)
                return response, None, []
            if role == "coordinator" or (
                isinstance(event, Command)
                and event.name == "help"
                and any(r == "coordinator" for _, r in await tx.roles_of(user))
            ):
                response.replies.append(Reply(t("coordinator.usage")))
            response.replies.extend(self.desk.asked_on_join(session) if role == "coordinator" else [])
            # a coordinator who just joined is shown the coordinator's commands, not put into a new form
            out = (
                machine.Outcome(session, changed=True) if role == "coordinator" else machine.handle(session, event, ctx)
            )
            submitted = await self._carry_out(tx, out, ctx, response)
            if submitted is not None:  # stands until the reply has left: see submission.receipt
                await tx.put_receipt(user, submitted.case_id, key)
            # a refusal writes nothing: the stored session stays byte for byte what it was
            response.changed = out.changed or role is not None or submitted is not None or out.session != session
            if response.changed:
                await tx.save_session(out.session)
            if isinstance(event, Command) and event.name == "start" and event.arg:
                response.replies.extend(out.replies)  # "您已加入…" first, then the first question
                if told:
                    response.replies.insert(0, told)
            else:
                response.replies[:0] = [told, *out.replies] if told else out.replies
            if key is not None:
                await tx.record_event(key, user, response.replies)
        return response, submitted, tx.enqueued

    async def _carry_out(self, tx: Tx, out: machine.Outcome, ctx: Context, response: Response) -> Accepted | None:
        accepted = None
        for action in out.actions:
            if isinstance(action, machine.StorePicture):
                await tx.put_picture(action.sha256, action.data)
            elif isinstance(action, machine.ShowStatus):
                cases = await tx.cases_of_owner(out.session.user)
                out.replies.append(machine.render_status(out.session, cases, ctx))
            elif isinstance(action, machine.OpenCase):
                case = await tx.case(action.case_id)
                revisable = case is not None and case.owner == out.session.user and case.state is CaseState.RETURNED
                if case is None or not revisable:
                    out.replies.append(Reply(t("dialog.not_revisable")))
                else:
                    follow = machine.reopen(out.session, case, ctx)
                    out.session, out.changed = follow.session, out.changed or follow.changed
                    out.replies.extend(follow.replies)
            elif isinstance(action, machine.PreviewForm):
                response.files.append(await self._preview(tx, action, ctx))
            elif isinstance(action, SubmitDraft):
                result = await submission.submit(tx, self.campaign, out.session, action, ctx, self.dates.for_unit)
                follow = machine.after_submit(out.session, result, ctx)
                out.session, out.changed = follow.session, True
                out.replies.extend(follow.replies)
                if isinstance(result, Accepted):
                    accepted = result
        return accepted

    async def _preview(self, tx: Tx, action: machine.PreviewForm, ctx: Context) -> OutFile:
        """The 推荐表 of a draft, built by the same exporter as the final one, named as a preview."""
        form = action.draft.form
        pictures = [await tx.picture(p.sha256) or b"" for p in form.pictures]
        on = ctx.now.astimezone(self.campaign.zone).date()
        data = await asyncio.to_thread(build_form_docx, form, self.campaign, pictures=pictures, on=on)
        name = t("dialog.preview.file", name=form_filename(None, form.name or t("dialog.unnamed_draft")))
        return OutFile(name=name, data=data, mime=DOCX)

    async def assign_unit(self, user: str, unit_code: str, role: str = "submitter") -> None:
        """Make ``user`` a member of a unit directly, as the terminal's --unit option does."""
        if self.campaign.unit(unit_code) is None:
            raise UnknownUnit(t("service.unknown_unit", code=unit_code))
        async with self.store.atomic() as tx:
            session = await tx.load_session(user)
            await tx.add_member(user, unit_code, role)
            if session.unit != unit_code:
                await tx.save_session(_in_unit(session, unit_code))

    # -- joining a unit through an invitation --------------------------------------------------

    async def _join(self, tx: Tx, session: Session, code: str, response: Response) -> tuple[Session, str | None]:
        invite = await tx.invite(code)
        unit = self.campaign.unit(invite.unit) if invite else None
        if invite is None or unit is None:
            response.replies.append(Reply(t("access.bad_invite")))
            return session, None
        await tx.add_member(session.user, unit.code, invite.role, invite.code)
        await tx.audit(session.user, "join", unit=unit.code, detail=invite.role)
        session = _in_unit(session, unit.code)
        if invite.role == "coordinator" and await self.desk.contacts.needs_asking(tx, unit.code):
            session = session.model_copy(update={"waiting": WAITING})  # the next message is the contact
        response.replies.append(Reply(access.joined_zh(unit, invite.role)))
        return session, invite.role

    # -- submission ----------------------------------------------------------------------------

    async def _after_submit(self, accepted: Accepted, enqueued: list[str], response: Response) -> None:
        """Build the files at once (the outbox holds the work, so a failure or a kill here loses nothing)
        and give the author the 推荐表; the coordinators' notices go through the outbox worker."""
        await self.outbox.run_keys(enqueued)
        async with self.store.atomic() as tx:
            unfinished = [i for i in await tx.items_by_key(enqueued) if i.kind == "files"]
        try:
            if unfinished:
                raise RuntimeError(f"files of case {accepted.case_id} wait for a retry")
            form_file = await self.outputs.current_form(accepted.case_id)
            async with self.store.atomic() as tx:
                case = await tx.case(accepted.case_id)
            summary_file = await self.outputs.current_summary(case.unit) if case else None
        except Exception:
            log.exception("building files for case %s failed", accepted.case_id)
            form_file = summary_file = None
        if form_file is None or summary_file is None:
            response.replies.append(Reply(t("dialog.files_failed")))
            return
        response.files.append(form_file)
        # every file the submission wrote: the 推荐表, the 汇总表 and the 存档 list of the unit's cases
        written = (form_file.path, summary_file.path, self.outputs.case_list_path(case.unit) if case else None)
        response.written.extend(p for p in written if p is not None and p.exists())

    # -- reading for coordinators ----------------------------------------------------------------

    async def unit_cases(self, unit: str) -> list[Case]:
        async with self.store.atomic() as tx:
            return await tx.cases_of_unit(unit)
