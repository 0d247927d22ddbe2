"""A submission inside its transaction: the rules, the stored case, its place, and the work that follows.

Why apart from the service: the submission is where a crash costs most, so everything it must leave
behind is written here, in the one transaction: the case and its place, the unit's files to build
and the coordinators' notices (as outbox records, see :mod:`bot.usecases.outbox`), and the receipt that tells
its author the case went in should the reply never reach them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from bot.storage import Tx
from bot.usecases.outbox import FilesWork, message, record
from dialogs import access, coordinator, deadline, ranking
from dialogs.campaign import Campaign
from dialogs.events import Command, Event, Reply
from dialogs.machine import Accepted, Context, NearDuplicate, Refused, SubmitDraft, SubmitResult
from dialogs.models import CaseState
from dialogs.session import Session
from dialogs.similarity import check_duplicate, duplicate_refusal_zh, near_duplicate_question_zh
from dialogs.wording import t

DatesOf = Callable[[str], deadline.Deadlines]


async def submit(
    tx: Tx, campaign: Campaign, session: Session, action: SubmitDraft, ctx: Context, dates_of: DatesOf
) -> SubmitResult:
    form = action.draft.form
    unit = campaign.unit(form.unit or "")
    if unit is None:
        return Refused(t("dialog.bad_unit"))
    if not ctx.units_open and not any(code == unit.code for code, _ in await tx.roles_of(session.user)):
        return Refused(access.invitation_zh(ctx.channel))  # a unit's quota is its invited members' only
    dates = dates_of(unit.code)
    if not dates.submitters_open(ctx.now):
        return Refused(deadline.submitter_closed_zh(dates))
    others = [(c.id, c.form) for c in await tx.all_cases() if c.state is not CaseState.DRAFT]
    verdict = check_duplicate(form, others, campaign.duplicates, self_id=action.draft.case_id)
    if verdict.kind == "clear":
        return Refused(duplicate_refusal_zh())
    if verdict.kind == "near" and not action.accept_near:
        return NearDuplicate(near_duplicate_question_zh())
    flags = [t("service.duplicate_flag", case=m) for m in verdict.matches] if verdict.kind == "near" else []
    case_id = await _store_case(tx, session.user, unit.code, action, flags)
    for other in verdict.matches if verdict.kind == "near" else ():
        await tx.add_flag(other, t("service.duplicate_flag", case=case_id))
    unit_cases = await tx.cases_of_unit(unit.code)
    previous = next((c.held_rank for c in unit_cases if c.id == case_id), None)
    placement = ranking.place_new(unit_cases, case_id, campaign.quota_for(unit), previous_rank=previous)
    await tx.set_ranks((c.case_id, c.state, c.rank) for c in placement.changes)
    await tx.hold_rank(case_id, None)
    await tx.audit(
        session.user,
        "resubmit" if action.draft.case_id else "submit",
        unit=unit.code,
        case_id=case_id,
        detail=f"{placement.state.value} {placement.rank or ''}".strip(),
    )
    note = Reply(coordinator.new_case_note_zh(unit.name, form.name or "", placement.rank))
    await _record_work(tx, session.user, unit.code, case_id, note)
    return Accepted(
        case_id=case_id,
        name=form.name or "",
        unit_name=unit.name,
        recommended=placement.state is CaseState.RECOMMENDED,
        rank=placement.rank,
        quota=placement.quota,
        used=placement.used,
    )


async def _record_work(tx: Tx, user: str, unit_code: str, case_id: int, note: Reply) -> None:
    """The unit's files to rebuild, and the coordinators' notice with the new 推荐表 and 汇总表."""
    token = uuid.uuid4().hex[:12]
    await record(tx, f"files:{unit_code}:{case_id}:{token}", FilesWork(unit=unit_code, case_id=case_id))
    for member in await tx.members_of(unit_code, "coordinator"):
        if member != user:
            work = message(member, [note], forms=[case_id], summaries=[unit_code])
            await record(tx, f"notice:{case_id}:{token}:{member}", work)


async def _store_case(tx: Tx, owner: str, unit: str, action: SubmitDraft, flags: list[str]) -> int:
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


async def receipt(tx: Tx, campaign: Campaign, session: Session, event: Event) -> tuple[int, Reply, bool] | None:
    """A submission whose author may not have seen its reply (the process died after the commit): the
    case, the words that say it was received with its number and place, and whether they are the
    whole answer (no draft open: instead of a blank form) or go before it."""
    pending = await tx.receipt(session.user)
    if pending is None:
        return None
    case_id = pending[0]
    case = await tx.case(case_id)
    if case is None:
        await tx.drop_receipt(session.user, case_id)
        return None
    unit = campaign.unit(case.unit)
    unit_name = unit.name if unit else case.unit
    if case.state is CaseState.RECOMMENDED:
        place = t("outbox.place.recommended", unit=unit_name, rank=case.rank)
    elif case.state is CaseState.SUBMITTED:
        place = t("outbox.place.candidate", unit=unit_name)
    else:
        place = t("outbox.place.other")
    told = Reply(t("outbox.received", name=case.form.name or "", case=case.id, place=place))
    alone = session.draft is None and not (isinstance(event, Command) and event.name in ("new", "status"))
    return case_id, told, alone
