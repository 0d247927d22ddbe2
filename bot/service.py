"""The application service: one incoming event in, the stored result and what to send out.

Every channel calls :meth:`Service.handle`. It loads the user's session, lets the pure dialog decide,
carries out the dialog's requests (store a picture, submit a case) and saves everything in one
transaction before any reply leaves, so a crash never loses an accepted answer and a redelivered
event is answered from the record instead of being applied twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dialogs import access, coordinator, deadline, machine, ranking
from dialogs.campaign import Campaign
from dialogs.coordinator import CaseOp
from dialogs.events import Command, Event, Press, Reply, Text
from dialogs.machine import Accepted, Context, NearDuplicate, Refused, SubmitDraft, SubmitResult
from dialogs.models import Case, CaseState
from dialogs.session import Session
from dialogs.similarity import check_duplicate, duplicate_refusal_zh, near_duplicate_question_zh
from dialogs.wording import t

from .coordination import Coordination, Result
from .outputs import OutFile, Outputs, UnknownUnit
from .storage import DuplicateEvent, Store, Tx, utcnow

log = logging.getLogger(__name__)


@dataclass
class Delivery:
    """Something for another user, such as a unit's coordinators told of a new case."""

    user: str
    replies: list[Reply] = field(default_factory=list)
    files: list[OutFile] = field(default_factory=list)


@dataclass
class Response:
    replies: list[Reply] = field(default_factory=list)
    files: list[OutFile] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # files rewritten on disk, for channels that show paths
    duplicate: bool = False


def _in_unit(session: Session, unit_code: str) -> Session:
    """A copy of ``session`` belonging to a unit; a fresh draft's 推荐单位 follows the unit."""
    session = session.model_copy(deep=True)
    session.unit = unit_code
    if session.draft is not None and not session.draft.case_id:
        session.draft.form.unit = unit_code
    return session


class Service:
    def __init__(
        self, store: Store, campaign: Campaign, outputs: Outputs, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.store = store
        self.campaign = campaign
        self.outputs = outputs
        self.clock = clock
        self.admins: frozenset[str] = frozenset()
        self.coordination = Coordination(store, campaign, outputs)
        self._extensions: dict[str, datetime] = {}
        self._deadline_cache: dict[tuple[datetime | None, datetime], tuple[bool, str, str]] = {}

    async def start(self) -> None:
        """Read what the service keeps in memory; called from the application's start-up hook."""
        async with self.store.atomic() as tx:
            self._extensions = await tx.extensions()

    # -- context -----------------------------------------------------------------------------

    def extension_for(self, unit: str | None) -> datetime | None:
        candidates = [d for d in (self._extensions.get("*"), self._extensions.get(unit or "")) if d]
        return max(candidates) if candidates else None

    def context(self, session: Session) -> Context:
        now = self.clock()
        unit = session.unit or (session.draft.form.unit if session.draft else None)
        is_open, note, closed = self._deadline_view(self.extension_for(unit), now)
        return Context(campaign=self.campaign, now=now, is_open=is_open, deadline_note=note, closed_message=closed)

    def _deadline_view(self, ext: datetime | None, now: datetime) -> tuple[bool, str, str]:
        """The deadline as every prompt shows it; the same for a whole minute, so computed once."""
        minute = now.replace(second=0, microsecond=0)
        key = (ext, minute)
        cached = self._deadline_cache.get(key)
        if cached is None:
            is_open = deadline.is_open(self.campaign, minute, ext)
            note = deadline.header_zh(self.campaign, minute, ext) if is_open else ""
            cached = (is_open, note, deadline.closed_zh(self.campaign, ext))
            if len(self._deadline_cache) > 256:
                self._deadline_cache.clear()
            self._deadline_cache[key] = cached
        return cached

    # -- the entry point ---------------------------------------------------------------------

    async def handle(self, user: str, event: Event, key: str | None = None) -> Response:
        routed = await self._route(user, event, key)
        if routed is not None:
            return routed
        try:
            response, submitted = await self._handle(user, event, key)
        except DuplicateEvent:
            async with self.store.atomic() as tx:
                earlier = await tx.replies_of(key or "")
            return Response(replies=earlier or [], duplicate=True)
        if submitted is not None:
            await self._after_submit(user, submitted, response)
        return response

    async def _handle(self, user: str, event: Event, key: str | None) -> tuple[Response, Accepted | None]:
        """Everything one event changes, in one transaction; the event is recorded last."""
        response = Response()
        async with self.store.atomic() as tx:
            session = await tx.load_session(user)
            role = None
            if isinstance(event, Text) and (code := access.join_code(event.text, session.unit is not None)):
                event = Command("start", code)  # a bare invitation code from a user of no unit
            if isinstance(event, Command) and event.name == "start" and event.arg:
                session, role = await self._join(tx, session, event.arg, response)
            ctx = self.context(session)
            if role == "coordinator" or (
                isinstance(event, Command)
                and event.name == "help"
                and any(r == "coordinator" for _, r in await tx.roles_of(user))
            ):
                response.replies.append(Reply(t("coordinator.usage")))
            # a coordinator who just joined is shown the coordinator's commands, not put into a new form
            out = (
                machine.Outcome(session, changed=True) if role == "coordinator" else machine.handle(session, event, ctx)
            )
            submitted = await self._carry_out(tx, out, ctx, response)
            if out.changed or session is not out.session:
                await tx.save_session(out.session)
            response.replies[:0] = out.replies
            if key is not None:
                await tx.record_event(key, user, response.replies)
        return response, submitted

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
            elif isinstance(action, SubmitDraft):
                result = await self._submit(tx, out.session, action, ctx)
                follow = machine.after_submit(out.session, result, ctx)
                out.session, out.changed = follow.session, True
                out.replies.extend(follow.replies)
                if isinstance(result, Accepted):
                    accepted = result
        return accepted

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
        await tx.add_member(session.user, unit.code, invite.role)
        await tx.audit(session.user, "join", unit=unit.code, detail=invite.role)
        session = _in_unit(session, unit.code)
        response.replies.append(Reply(access.joined_zh(unit, invite.role)))
        return session, invite.role

    # -- submission ----------------------------------------------------------------------------

    async def _submit(self, tx: Tx, session: Session, action: SubmitDraft, ctx: Context) -> SubmitResult:
        form = action.draft.form
        unit = self.campaign.unit(form.unit or "")
        if unit is None:
            return Refused(t("dialog.bad_unit"))
        if not deadline.is_open(self.campaign, ctx.now, self.extension_for(unit.code)):
            return Refused(deadline.closed_zh(self.campaign, self.extension_for(unit.code)))
        others = [(c.id, c.form) for c in await tx.all_cases() if c.state is not CaseState.DRAFT]
        verdict = check_duplicate(form, others, self.campaign.duplicates, self_id=action.draft.case_id)
        if verdict.kind == "clear":
            return Refused(duplicate_refusal_zh())
        if verdict.kind == "near" and not action.accept_near:
            return NearDuplicate(near_duplicate_question_zh())
        flags = [t("service.duplicate_flag", case=m) for m in verdict.matches] if verdict.kind == "near" else []
        case_id = await self._store_case(tx, session.user, unit.code, action, flags)
        for other in verdict.matches if verdict.kind == "near" else ():
            await tx.add_flag(other, t("service.duplicate_flag", case=case_id))
        unit_cases = await tx.cases_of_unit(unit.code)
        previous = next((c.held_rank for c in unit_cases if c.id == case_id), None)
        placement = ranking.place_new(unit_cases, case_id, self.campaign.quota_for(unit), previous_rank=previous)
        await tx.set_ranks((c.case_id, c.state, c.rank) for c in placement.changes)
        await tx.hold_rank(case_id, None)
        await tx.audit(
            session.user,
            "resubmit" if action.draft.case_id else "submit",
            unit=unit.code,
            case_id=case_id,
            detail=f"{placement.state.value} {placement.rank or ''}".strip(),
        )
        return Accepted(
            case_id=case_id,
            name=form.name or "",
            unit_name=unit.name,
            recommended=placement.state is CaseState.RECOMMENDED,
            rank=placement.rank,
            quota=placement.quota,
            used=placement.used,
        )

    async def _store_case(self, tx: Tx, owner: str, unit: str, action: SubmitDraft, flags: list[str]) -> int:
        draft = action.draft
        if draft.case_id is not None:
            await tx.update_case(
                draft.case_id,
                form=draft.form,
                state=CaseState.SUBMITTED,
                submitted=True,
                return_comment="",
                flags=flags or None,
            )
            return draft.case_id
        return await tx.insert_case(owner, unit, CaseState.SUBMITTED, None, draft.form, flags)

    async def _after_submit(self, user: str, accepted: Accepted, response: Response) -> None:
        """Build and send the files once the case is safely stored; a failure here loses nothing."""
        try:
            async with self.store.atomic() as tx:
                case = await tx.case(accepted.case_id)
                coordinators = await tx.members_of(case.unit, "coordinator") if case else []
            if case is None:
                return
            form_file = await self.outputs.write_form(case)
            summary_file = await self.outputs.rebuild_summary(case.unit)
        except Exception:
            log.exception("building files for case %s failed", accepted.case_id)
            response.replies.append(Reply(t("dialog.files_failed")))
            return
        response.files.append(form_file)
        response.written.extend(p for p in (form_file.path, summary_file.path) if p is not None)
        note = Reply(
            coordinator.new_case_note_zh(
                accepted.unit_name, accepted.name, accepted.rank if accepted.recommended else None
            )
        )
        for member in coordinators:
            if member != user:
                response.deliveries.append(Delivery(member, [note], [form_file, summary_file]))

    # -- coordinators and administrators --------------------------------------------------------

    async def _route(self, user: str, event: Event, key: str | None) -> Response | None:
        """Events for the coordinator's and administrator's work, which the submission dialog never sees."""
        is_admin = user in self.admins
        op: CaseOp | str | None = None
        if isinstance(event, Press) and event.data.startswith("co:"):
            op = coordinator.parse_press(event.data) or t("service.stale_case_button")
        elif isinstance(event, Command):
            if event.name == "summary":
                return await self.summary(user)
            if event.name == "cases":
                return self._response_of(await self.coordination.list_cases(user, is_admin))
            if event.name in coordinator.COMMANDS:
                op = coordinator.parse_command(event)
            elif event.name in ("overview", "extend"):
                return await self._admin(user, event, is_admin)
        if op is None:
            return None
        if isinstance(op, str):
            return Response(replies=[Reply(op)])
        result = await self.coordination.operate(user, op, is_admin, self.context, key)
        response = self._response_of(result)
        if result.rebuilt_unit:
            await self.outputs.rebuild_summary(result.rebuilt_unit)
        return response

    @staticmethod
    def _response_of(result: Result) -> Response:
        deliveries: dict[str, Delivery] = {}
        for target, reply in result.notify:
            deliveries.setdefault(target, Delivery(target)).replies.append(reply)
        return Response(replies=result.replies, deliveries=list(deliveries.values()))

    async def _admin(self, user: str, event: Command, is_admin: bool) -> Response:
        if not is_admin:
            return Response(replies=[Reply(t("access.admin_only"))])
        if event.name == "overview":
            is_open, note, closed = self._deadline_view(self.extension_for(None), self.clock())
            return Response(replies=[await self.coordination.overview(note if is_open else closed)])
        reply, scope, day = await self.coordination.extend(user, event.arg)
        if scope is not None and day is not None:
            self._extensions[scope] = deadline.extension_until(self.campaign, day)
        return Response(replies=[reply])

    async def summary(self, user: str) -> Response:
        """/summary: a coordinator gets the unit's 汇总表, an administrator every unit's."""
        async with self.store.atomic() as tx:
            roles = await tx.roles_of(user)
        scope = access.summary_scope(self.campaign, roles, user in self.admins)
        if scope.empty:
            return Response(replies=[Reply(t("access.refused"))])
        if scope.everything:
            made = await self.outputs.province_file()
            return Response(replies=[Reply(access.summary_caption_zh(scope))], files=[made])
        files = [await self.outputs.summary_file(u.code) for u in scope.units]
        return Response(replies=[Reply(access.summary_caption_zh(scope))], files=files)

    # -- reading for coordinators ----------------------------------------------------------------

    async def unit_cases(self, unit: str) -> list[Case]:
        async with self.store.atomic() as tx:
            return await tx.cases_of_unit(unit)
