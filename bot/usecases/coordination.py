"""Coordinators and administrators: carrying out what dialogs/coordinator.py decides.

Every operation reads the unit's cases, applies the pure rule and writes the new ranks inside one
transaction, so two coordinators acting at once, or a submission arriving during a reorder, can
never leave a gap, a repeated 序号 or a unit over its quota. The unit's files are rebuilt after.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.disk.outputs import Outputs
from bot.storage import DuplicateEvent, Store, Tx, utcnow
from bot.usecases.dates import UnitDates
from bot.usecases.outbox import FilesWork, message, record
from bot.usecases.scans import seals_of
from dialogs import access, coordinator, deadline, ranking
from dialogs.campaign import Campaign, Unit
from dialogs.coordinator import CaseOp, UnitView
from dialogs.events import Reply
from dialogs.machine import Context, reopen
from dialogs.models import Case, CaseState
from dialogs.rules import RuleError
from dialogs.session import Pending, Session
from dialogs.wording import t

OwnerContext = Callable[[Session], Context]


@dataclass
class Result:
    replies: list[Reply]
    notify: list[tuple[str, Reply]]  # (user, message) for other users, sent after the commit
    enqueued: list[str] = field(default_factory=list)  # outbox keys the operation recorded


# What changes the unit's list; refused once the coordinators' deadline is over.
_CHANGES = {"up", "down", "recommend", "withdraw", "rank", "return", "ask_return", "release"}


class Coordination:
    def __init__(
        self,
        store: Store,
        campaign: Campaign,
        outputs: Outputs,
        dates: UnitDates | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.campaign = campaign
        self.outputs = outputs
        self.dates = dates or UnitDates(campaign)
        self.clock = clock

    async def _units(self, tx: Tx, user: str, is_admin: bool) -> tuple[Unit, ...]:
        roles = await tx.roles_of(user)
        return access.summary_scope(self.campaign, roles, is_admin).units

    async def list_cases(self, user: str, is_admin: bool) -> Result:
        swept = await self.revert_overdue()
        async with self.store.atomic() as tx:
            units = await self._units(tx, user, is_admin)
            views = [await self._unit_view(tx, u) for u in units]
        if not views:
            return Result([Reply(t("access.refused_cases"), hint="join")], [], swept)
        if is_admin:
            views = [v for v in views if v.cases] or views[:1]
        return Result([coordinator.render_unit(v) for v in views], [], swept)

    async def operate(
        self, user: str, op: CaseOp, is_admin: bool, ctx_for_owner: OwnerContext, key: str | None = None
    ) -> Result:
        swept = await self.revert_overdue()
        try:
            async with self.store.atomic() as tx:
                result = await self._operate(tx, user, op, is_admin, ctx_for_owner)
                if key is not None:
                    await tx.record_event(key, user, result.replies)
            result.enqueued = tx.enqueued
        except DuplicateEvent:
            async with self.store.atomic() as tx:
                return Result(await tx.replies_of(key or "") or [], [], swept)
        result.enqueued[:0] = swept
        return result

    async def _operate(self, tx: Tx, user: str, op: CaseOp, is_admin: bool, ctx_for_owner: OwnerContext) -> Result:
        case = await tx.case(op.case_id)
        units = {u.code for u in await self._units(tx, user, is_admin)}
        if not units:  # a submitter's /up 1: the command is not theirs, whatever case it names
            return Result([Reply(t("access.refused_cases"), hint="join")], [])
        if case is None or case.unit not in units:
            return Result([Reply(t("service.coordination.not_found"))], [])
        if coordinator.stale(op, case):
            return Result([Reply(t("service.coordination.stale"))] + await self._view(tx, case.unit), [])
        dates, now = self.dates.for_unit(case.unit), self.clock()
        refusal = None if dates.coordinators_open(now) else deadline.coordinator_closed_zh(dates)
        if refusal is None and op.kind in ("return", "ask_return"):
            refusal = deadline.return_refusal_zh(dates, now)
        if op.kind in _CHANGES and refusal is not None:
            return Result([Reply(refusal)], [])
        if op.kind == "ask_return":
            return Result([Reply(coordinator.ask_return_zh(case, deadline.moment_zh(dates.cutoff)))], [])
        unit = self.campaign.unit(case.unit)
        assert unit is not None
        cases = await tx.cases_of_unit(case.unit)
        try:
            changes = coordinator.apply_op(op, cases, self.campaign.quota_for(unit))
        except RuleError as error:
            return Result([Reply(str(error))], [])
        await tx.set_ranks((c.case_id, c.state, c.rank) for c in changes)
        notify = []
        if op.kind == "return":
            notify = await self._return(tx, case, op, ctx_for_owner, deadline.moment_zh(dates.cutoff))
        elif op.kind == "release":
            notify = [(case.owner, Reply(coordinator.released_notice_zh(case)))]
        await tx.audit(user, op.kind, unit=case.unit, case_id=case.id, detail=op.comment or str(op.rank or ""))
        replies = [Reply(coordinator.done_zh(op, case))] + await self._view(tx, case.unit)
        await self._record(tx, op, case, notify)
        return Result(replies, [])

    async def _record(self, tx: Tx, op: CaseOp, case: Case, notify: list[tuple[str, Reply]]) -> None:
        """The unit's files and the messages to others, recorded in the outbox with the change itself."""
        token = uuid.uuid4().hex[:12]
        await record(tx, f"files:{case.unit}:{op.kind}:{token}", FilesWork(unit=case.unit))
        by_user: dict[str, list[Reply]] = {}
        for target, reply in notify:
            by_user.setdefault(target, []).append(reply)
        for target, replies in by_user.items():
            await record(tx, f"{op.kind}:{case.id}:{token}:{target}", message(target, replies))

    async def _view(self, tx: Tx, unit_code: str) -> list[Reply]:
        unit = self.campaign.unit(unit_code)
        assert unit is not None
        return [coordinator.render_unit(await self._unit_view(tx, unit))]

    async def _unit_view(self, tx: Tx, unit: Unit) -> UnitView:
        """The unit's cases with the dates that apply to its coordinators and the seal marks of their
        scans (已盖章 / 未盖章)."""
        cases = await tx.cases_of_unit(unit.code)
        seals = await seals_of(tx, unit.code, cases)
        note = deadline.coordinator_note_zh(self.campaign, self.dates.for_unit(unit.code), self.clock())
        return UnitView(
            unit, self.campaign.quota_for(unit), cases, note=note, seals=seals.cases, summary_seal=seals.summary
        )

    async def _return(
        self, tx: Tx, case: Case, op: CaseOp, ctx_for_owner: OwnerContext, until: str
    ) -> list[tuple[str, Reply]]:
        """Mark the case returned (a recommended one keeps its slot, see dialogs/ranking.py) and
        reopen it for its submitter when free; the notice says by when it must come back."""
        await tx.hold_rank(case.id, case.rank)
        await tx.update_case(
            case.id, state=CaseState.RETURNED, return_comment=op.comment, revise_fields=[s.value for s in op.fields]
        )
        returned = await tx.case(case.id)
        assert returned is not None
        session = await tx.load_session(case.owner)
        free = session.draft is None
        notice = coordinator.returned_notice_zh(returned, op.fields, op.comment, reopened=free, until=until)
        if not free:
            return [(case.owner, Reply(notice))]
        out = reopen(session, returned, ctx_for_owner(session), notice=notice)
        await tx.save_session(out.session)
        return [(case.owner, r) for r in out.replies]

    async def revert_overdue(self) -> list[str]:
        """Put back, as last submitted, every returned case whose owner's cut-off is over: its slot
        and rank if it kept them, else as a candidate; its draft is dropped. The owner's and the
        coordinators' notices and the unit's rebuild go into the outbox in the same transaction, so
        nothing stays stranded. Runs before coordinators' work and with the reminders; returns the
        outbox keys it recorded."""
        now = self.clock()
        async with self.store.atomic() as tx:
            for case_id in await tx.returned_case_ids():
                case = await tx.case(case_id)
                if case is None or self.dates.for_unit(case.unit).submitters_open(now):
                    continue
                changes = ranking.revert(await tx.cases_of_unit(case.unit), case.id)
                await tx.set_ranks((c.case_id, c.state, c.rank) for c in changes)
                await tx.hold_rank(case.id, None)
                await tx.update_case(case.id, return_comment="", revise_fields=[])
                state = next((c.state for c in changes if c.case_id == case.id), CaseState.SUBMITTED)
                session = await tx.load_session(case.owner)
                if session.draft is not None and session.draft.case_id == case.id:
                    await tx.save_session(
                        session.model_copy(update={"draft": None, "pending": Pending.NONE, "choices": []})
                    )
                when = deadline.moment_zh(self.dates.for_unit(case.unit).cutoff)
                to_owner, to_coordinators = coordinator.reverted_notices_zh(case, state, when)
                token = uuid.uuid4().hex[:12]
                await record(tx, f"files:{case.unit}:revert:{token}", FilesWork(unit=case.unit))
                await record(tx, f"revert:{case.id}:{token}:{case.owner}", message(case.owner, [Reply(to_owner)]))
                for member in await tx.members_of(case.unit, "coordinator"):
                    work = message(member, [Reply(to_coordinators)], summaries=[case.unit])
                    await record(tx, f"revert:{case.id}:{token}:{member}", work)
                await tx.audit("casebot", "revert", unit=case.unit, case_id=case.id, detail=state.value)
        return tx.enqueued

    async def set_cutoff(self, user: str, arg: str) -> Result:
        """/cutoff 日期: an earlier submitters' cut-off for the coordinator's unit."""
        async with self.store.atomic() as tx:
            units = [u for u, role in await tx.roles_of(user) if role == "coordinator"]
        if not units:
            return Result([Reply(t("coordinator.cutoff_unit"))], [])
        unit, now = units[0], self.clock()
        dates = self.dates.for_unit(unit)
        note = deadline.coordinator_note_zh(self.campaign, dates, now)
        if not arg.strip():
            return Result([Reply(t("coordinator.cutoff_usage", dates=note))], [])
        day = coordinator.parse_day(arg, self.campaign.year)
        if day is None:
            return Result([Reply(t("coordinator.bad_cutoff", typed=arg.strip()[:20]))], [])
        today = now.astimezone(self.campaign.zone).date()
        refusal = deadline.cutoff_refusal_zh(self.campaign, dates, day, today)
        if refusal is None and not dates.coordinators_open(now):
            refusal = deadline.coordinator_closed_zh(dates)
        if refusal is not None:
            return Result([Reply(refusal)], [])
        async with self.store.atomic() as tx:
            await tx.set_cutoff(unit, day)
            await tx.audit(user, "cutoff", unit=unit, detail=day.isoformat())
        self.dates.cutoffs[unit] = day
        note = deadline.coordinator_note_zh(self.campaign, self.dates.for_unit(unit), now)
        return Result([Reply(t("coordinator.cutoff_set", day=deadline.date_zh(day), dates=note))], [])

    async def overview(self, note: str) -> Reply:
        async with self.store.atomic() as tx:
            cases = await tx.all_cases()
        stats = []
        for unit in self.campaign.units:
            mine = [c for c in cases if c.unit == unit.code]
            submitted = sum(1 for c in mine if c.state in (CaseState.SUBMITTED, CaseState.RECOMMENDED))
            stats.append((unit, submitted, sum(1 for c in mine if c.state is CaseState.RECOMMENDED)))
        return Reply(coordinator.overview_zh(self.campaign, stats, note))

    async def extend(self, user: str, arg: str) -> tuple[Reply, str | None, date | None]:
        """/extend YYYY-MM-DD [unit code]: a later deadline for everyone or one unit."""
        words = arg.split()
        try:
            day = date.fromisoformat(words[0]) if words else None
        except ValueError:
            day = None
        scope = words[1] if len(words) > 1 else "*"
        if day is None or (scope != "*" and self.campaign.unit(scope) is None):
            return Reply(t("service.coordination.extend_usage")), None, None
        notice = self.campaign.deadline_at.date()
        first, last = notice + timedelta(days=1), notice + timedelta(days=366)
        if not first <= day <= last:  # an earlier day shortens nothing; 9999-12-31 overflowed the clock
            range_zh = {"deadline": deadline.date_zh(notice), "first": first.isoformat(), "last": last.isoformat()}
            return Reply(t("service.coordination.extend_range", **range_zh)), None, None
        until = deadline.extension_until(self.campaign, day)
        async with self.store.atomic() as tx:
            await tx.set_extension(scope, until)
            await tx.audit(user, "extend", unit=None if scope == "*" else scope, detail=day.isoformat())
        self.dates.extensions[scope] = until
        unit = self.campaign.unit(scope)
        when = deadline.date_zh(day)
        if unit is None:
            return Reply(t("service.coordination.extended_all", day=when)), scope, day
        return Reply(t("service.coordination.extended_unit", unit=unit.name, day=when)), scope, day
