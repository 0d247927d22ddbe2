"""Coordinators and administrators: carrying out what dialogs/coordinator.py decides.

Every operation reads the unit's cases, applies the pure rule and writes the new ranks inside one
transaction, so two coordinators acting at once, or a submission arriving during a reorder, can
never leave a gap, a repeated 序号 or a unit over its quota. The unit's files are rebuilt after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dialogs import access, coordinator, deadline
from dialogs.campaign import Campaign, Unit
from dialogs.coordinator import CaseOp, UnitView
from dialogs.events import Reply
from dialogs.machine import Context, reopen
from dialogs.models import Case, CaseState
from dialogs.rules import RuleError
from dialogs.session import Session
from dialogs.wording import t

from .outputs import Outputs
from .scans import seals_of
from .storage import DuplicateEvent, Store, Tx

OwnerContext = Callable[[Session], Context]


@dataclass
class Result:
    replies: list[Reply]
    notify: list[tuple[str, Reply]]  # (user, message) for other users
    rebuilt_unit: str | None = None


class Coordination:
    def __init__(self, store: Store, campaign: Campaign, outputs: Outputs) -> None:
        self.store = store
        self.campaign = campaign
        self.outputs = outputs

    async def _units(self, tx: Tx, user: str, is_admin: bool) -> tuple[Unit, ...]:
        roles = await tx.roles_of(user)
        return access.summary_scope(self.campaign, roles, is_admin).units

    async def list_cases(self, user: str, is_admin: bool) -> Result:
        async with self.store.atomic() as tx:
            units = await self._units(tx, user, is_admin)
            views = [await self._unit_view(tx, u) for u in units]
        if not views:
            return Result([Reply(t("access.refused_cases"))], [])
        if is_admin:
            views = [v for v in views if v.cases] or views[:1]
        return Result([coordinator.render_unit(v) for v in views], [])

    async def operate(
        self, user: str, op: CaseOp, is_admin: bool, ctx_for_owner: OwnerContext, key: str | None = None
    ) -> Result:
        try:
            async with self.store.atomic() as tx:
                result = await self._operate(tx, user, op, is_admin, ctx_for_owner)
                if key is not None:
                    await tx.record_event(key, user, result.replies)
        except DuplicateEvent:
            async with self.store.atomic() as tx:
                return Result(await tx.replies_of(key or "") or [], [])
        return result

    async def _operate(self, tx: Tx, user: str, op: CaseOp, is_admin: bool, ctx_for_owner: OwnerContext) -> Result:
        case = await tx.case(op.case_id)
        units = {u.code for u in await self._units(tx, user, is_admin)}
        if case is None or case.unit not in units:
            return Result([Reply(t("service.coordination.not_found"))], [])
        if coordinator.stale(op, case):
            return Result([Reply(t("service.coordination.stale"))] + await self._view(tx, case.unit), [])
        if op.kind == "ask_return":
            return Result([Reply(coordinator.ask_return_zh(case))], [])
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
            notify = await self._return(tx, case, op, ctx_for_owner)
        await tx.audit(user, op.kind, unit=case.unit, case_id=case.id, detail=op.comment or str(op.rank or ""))
        replies = [Reply(coordinator.done_zh(op, case))] + await self._view(tx, case.unit)
        return Result(replies, notify, rebuilt_unit=case.unit)

    async def _view(self, tx: Tx, unit_code: str) -> list[Reply]:
        unit = self.campaign.unit(unit_code)
        assert unit is not None
        return [coordinator.render_unit(await self._unit_view(tx, unit))]

    async def _unit_view(self, tx: Tx, unit: Unit) -> UnitView:
        """The unit's cases with the seal marks of their scans (已盖章 / 未盖章)."""
        cases = await tx.cases_of_unit(unit.code)
        seals = await seals_of(tx, unit.code, cases)
        return UnitView(unit, self.campaign.quota_for(unit), cases, seals.cases, seals.summary)

    async def _return(self, tx: Tx, case: Case, op: CaseOp, ctx_for_owner: OwnerContext) -> list[tuple[str, Reply]]:
        """Mark the case returned, keep its place, and reopen it for its submitter when free."""
        await tx.hold_rank(case.id, case.rank)
        await tx.update_case(
            case.id, state=CaseState.RETURNED, return_comment=op.comment, revise_fields=[s.value for s in op.fields]
        )
        returned = await tx.case(case.id)
        assert returned is not None
        session = await tx.load_session(case.owner)
        free = session.draft is None
        notice = coordinator.returned_notice_zh(returned, op.fields, op.comment, reopened=free)
        if not free:
            return [(case.owner, Reply(notice))]
        out = reopen(session, returned, ctx_for_owner(session), notice=notice)
        await tx.save_session(out.session)
        return [(case.owner, r) for r in out.replies]

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
        until = deadline.extension_until(self.campaign, day)
        async with self.store.atomic() as tx:
            await tx.set_extension(scope, until)
            await tx.audit(user, "extend", unit=None if scope == "*" else scope, detail=day.isoformat())
        unit = self.campaign.unit(scope)
        when = deadline.date_zh(day)
        if unit is None:
            return Reply(t("service.coordination.extended_all", day=when)), scope, day
        return Reply(t("service.coordination.extended_unit", unit=unit.name, day=when)), scope, day
