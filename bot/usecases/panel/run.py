"""The panel's run, step by step: start, status, close, 复核, 拟入选, 报批审定, a paper sheet entered.

Every step is one transaction with its audit row; a refusal names what is missing and changes
nothing. Nothing goes to 公示 before 报批审定: the state moves open → closed → approved only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.storage import Store, Tx
from bot.usecases import outbox
from bot.usecases.panel.facts import in_review
from bot.usecases.panel.plan import current_plan
from bot.usecases.panel.record import read_record
from dialogs import deadline
from dialogs.campaign import Campaign
from dialogs.events import Reply
from dialogs.numbers import read_case_id
from dialogs.panel.assignment import cases_of
from dialogs.panel.criteria import GroupSetting, PanelSettings
from dialogs.panel.formal import Decision
from dialogs.panel.result import Review, Sheet, by_hand, ineligible, needing_review, top_overall, top_per_category
from dialogs.panel.scores import read_gate, read_points
from dialogs.rules import RuleError
from dialogs.wording import t


def _ids(ids: Sequence[int]) -> str:
    return t("panel.list").join(str(i) for i in ids)


def _day(moment: datetime | date, campaign: Campaign) -> str:
    day = moment.astimezone(campaign.zone).date() if isinstance(moment, datetime) else moment
    return deadline.date_zh(day)


async def start(
    store: Store,
    campaign: Campaign,
    actor: str,
    until: str,
    today: date,
    groups: tuple[GroupSetting, ...] | None = None,
) -> str:
    try:
        end = date.fromisoformat(until.strip())
    except ValueError:
        end = None
    if end is None or end < today:
        raise RuleError(t("panel.run.bad_until", value=until), code="bad_until")
    settings: PanelSettings = campaign.panel
    chosen = settings.groups if groups is None else groups
    if not settings.points:
        raise RuleError(t("panel.run.no_criteria"), code="no_criteria")
    async with store.atomic() as tx:
        panel = await tx.panel()
        if panel is not None:
            raise RuleError(t("panel.run.already", day=_day(panel.started_at, campaign)), code="started")
        experts = [r.expert for r in await tx.experts()]
        if not experts:
            raise RuleError(t("panel.run.no_experts"), code="no_experts")
        marks = await tx.formal_marks()
        shown = in_review(await tx.all_cases())
        undecided = [c.id for c in shown if c.id not in marks or marks[c.id].decision in (None, Decision.AMEND)]
        if undecided:
            raise RuleError(t("panel.run.undecided", ids=_ids(undecided)), code="undecided")
        passed = [c for c in shown if marks[c.id].decision is Decision.PASS]
        if not passed:
            raise RuleError(t("panel.run.no_cases"), code="no_cases")
        if chosen:
            for group in chosen:
                if not any(e.group == group.name for e in experts):
                    raise RuleError(t("panel.run.group_without_expert", group=group.name), code="group")
            for e in experts:
                if e.group not in {g.name for g in chosen}:
                    raise RuleError(t("panel.run.expert_without_group", name=e.name), code="group")
        in_group = PanelSettings(groups=chosen)
        await tx.start_panel(end, actor, [(c.id, in_group.group_of(c.form.category or "")) for c in passed])
        await tx.audit(actor, "panel_start", detail=f"until={end} cases={len(passed)} groups={len(chosen)}")
        plan = await current_plan(tx, campaign)
        for row in await tx.experts():
            if row.user:
                notice = t(
                    "panel.chat.started_notice", day=deadline.date_zh(end), count=len(cases_of(plan, row.expert.id))
                )
                await outbox.record(tx, f"panel-start:{row.expert.id}", outbox.message(row.user, [Reply(notice)]))
    return t("panel.run.started", cases=len(passed), experts=len(experts), day=deadline.date_zh(end))


async def _panel_in(tx: Tx, *states: str) -> None:
    panel = await tx.panel()
    if panel is None:
        raise RuleError(t("panel.run.not_started"), code="not_started")
    if panel.state == "approved" and "approved" not in states:
        by = panel.approved_by or ""
        day = panel.approved_at or panel.started_at
        raise RuleError(t("panel.run.already_approved", day=day.date().isoformat(), by=by), code="approved")
    if panel.state not in states:
        key = "panel.run.not_open" if "open" in states else "panel.run.not_closed"
        raise RuleError(t(key), code=f"not_{states[0]}")


async def status(store: Store, campaign: Campaign) -> str:
    async with store.atomic() as tx:
        panel = await tx.panel()
        if panel is None:
            return t("panel.run.not_started")
        plan = await current_plan(tx, campaign)
        done = {(s.expert, s.case_id) for s in await tx.scores()}
        rows = await tx.experts()
    total = sum(len(ids) for ids in plan.values())
    given = sum(1 for cid, ids in plan.items() for e in ids if (e, cid) in done)
    states = {
        "open": "panel.run.state_open",
        "closed": "panel.run.state_closed",
        "approved": "panel.run.state_approved",
    }
    lines = [
        t(
            "panel.run.status",
            state=t(states[panel.state]),
            day=deadline.date_zh(panel.until),
            cases=len(plan),
            experts=len(rows),
            done=given,
            total=total,
        )
    ]
    for row in rows:
        mine = cases_of(plan, row.expert.id)
        lines.append(
            t(
                "panel.run.expert_progress",
                name=row.expert.name,
                done=sum(1 for c in mine if (row.expert.id, c) in done),
                total=len(mine),
            )
        )
    return "\n".join(lines)


async def close(store: Store, campaign: Campaign, actor: str) -> str:
    async with store.atomic() as tx:
        await _panel_in(tx, "open")
        await tx.set_panel_state("closed")
        await tx.audit(actor, "panel_close")
        record = await read_record(tx, campaign)
    total = sum(len(ids) for ids in record.plan.values())
    flagged = needing_review(record.results, {})
    if not flagged:
        return t("panel.run.closed_clean", cases=len(record.cases), done=len(record.sheets), total=total)
    return t(
        "panel.run.closed",
        cases=len(record.cases),
        done=len(record.sheets),
        total=total,
        flagged=len(flagged),
        ids=_ids(flagged),
    )


async def review(store: Store, actor: str, case_text: str, excluded: bool, reason: str) -> str:
    case_id = read_case_id(case_text)
    reason = " ".join(reason.split())
    if not reason:
        raise RuleError(t("panel.run.review_needs_reason"), code="reason")
    async with store.atomic() as tx:
        await _panel_in(tx, "closed")
        if case_id is None or case_id not in await tx.panel_cases():
            raise RuleError(t("panel.run.unknown_case", id=case_text), code="unknown_case")
        await tx.put_review(Review(case_id, excluded, reason, actor))
        await tx.audit(actor, "panel_review", case_id=case_id, detail=f"{'exclude' if excluded else 'keep'} {reason}")
    decision = t("panel.run.review_exclude") if excluded else t("panel.run.review_keep")
    return t("panel.run.reviewed", id=case_id, decision=decision, reason=reason)


async def select(store: Store, campaign: Campaign, actor: str, words: Sequence[str]) -> str:
    async with store.atomic() as tx:
        await _panel_in(tx, "closed")
        record = await read_record(tx, campaign)
        pending = needing_review(record.results, record.reviews)
        if pending:
            raise RuleError(t("panel.run.pending_reviews", ids=_ids(pending)), code="pending_reviews")
        how = words[0].lower() if words else ""
        count = read_case_id(words[1]) if len(words) == 2 else None
        if how == "top" and count is not None:
            chosen = top_overall(record.results, count, record.reviews)
        elif how == "per-category" and count is not None:
            chosen = top_per_category(record.results, count, record.reviews)
        else:
            ids = [read_case_id(w) for w in words]
            if not ids or any(i is None for i in ids):
                raise RuleError(t("panel.run.bad_select"), code="bad_select")
            wanted = [i for i in ids if i is not None]
            if bad := ineligible(record.results, wanted, record.reviews):
                raise RuleError(t("panel.run.not_eligible", ids=_ids(bad)), code="not_eligible")
            chosen = by_hand(record.results, wanted, record.reviews)
        await tx.set_selection(chosen.chosen)
        await tx.audit(actor, "panel_select", detail=" ".join(words) + " -> " + ",".join(map(str, chosen.chosen)))
    lines = [t("panel.run.selected", count=len(chosen.chosen), ids=_ids(chosen.chosen))]
    if chosen.tied:
        lines.append(t("panel.run.selected_tied", ids=_ids(chosen.tied)))
    return "\n".join(lines)


async def approve(store: Store, campaign: Campaign, actor: str, by: str) -> str:
    by = " ".join(by.split())
    if not by or len(by) > 60:
        raise RuleError(t("panel.run.bad_by"), code="bad_by")
    async with store.atomic() as tx:
        await _panel_in(tx, "closed")
        chosen = await tx.selection()
        if not chosen:
            raise RuleError(t("panel.run.no_selection"), code="no_selection")
        await tx.set_panel_state("approved", by)
        await tx.record_approved_selection(chosen, by)  # what the 公示 publishes, in the panel's order
        await tx.audit(actor, "panel_approve", detail=f"{by} {','.join(map(str, chosen))}")
        panel = await tx.panel()
    assert panel is not None and panel.approved_at is not None
    return t("panel.run.approved", by=by, day=_day(panel.approved_at, campaign), count=len(chosen))


async def enter_sheet(
    store: Store,
    campaign: Campaign,
    actor: str,
    expert_id: int,
    case_text: str,
    gates: Sequence[str],
    points: str,
    reason: str = "",
    comment: str = "",
) -> str:
    """A paper 评分表 entered by the admin for an expert who cannot reach the chat; audited as theirs."""
    settings = campaign.panel
    if len(gates) != len(settings.gates):
        raise RuleError(t("panel.run.gates_count", count=len(settings.gates)), code="gates")
    answers = []
    for text in gates:
        answer = read_gate(text)
        if not answer.passed:
            if not reason.strip():
                raise RuleError(t("panel.run.gate_reason"), code="gate_reason")
            answer = type(answer)(False, " ".join(reason.split()))
        answers.append(answer)
    values = read_points(points, settings.points)
    case_id = read_case_id(case_text)
    async with store.atomic() as tx:
        await _panel_in(tx, "open")
        row = await tx.expert(expert_id)
        if row is None or row.removed:
            raise RuleError(t("panel.experts.unknown", id=expert_id), code="unknown_expert")
        plan = await current_plan(tx, campaign)
        if case_id is None or case_id not in plan:
            raise RuleError(t("panel.run.unknown_case", id=case_text), code="unknown_case")
        if expert_id not in plan[case_id]:
            raise RuleError(t("panel.run.not_given", id=case_id, name=row.expert.name), code="not_given")
        sheet = Sheet(expert_id, case_id, values, tuple(answers), " ".join(comment.split()))
        old = await tx.put_score(sheet, entered_by=actor)
        was = f" was={old.total}" if old is not None else ""
        await tx.audit(actor, "score_paper", case_id=case_id, detail=f"expert={expert_id} total={sheet.total}{was}")
    return t("panel.run.entered", name=row.expert.name, id=case_id, total=sheet.total)
