"""形式审查 by the office: the 形式审查表, the office's ticks, re-categorising, and the decision.

不予受理 tells the unit's coordinators why. 补正 sends the case back to its unit with a date set
by the admin: the case is returned (its place kept, as a coordinator's return keeps it), the unit's
deadline and cut-off are moved to that date even after the campaign's, and since the form will
change its sealed scan no longer matches, so the unit stamps and scans the paper again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.storage import Store, Tx
from bot.usecases import outbox
from bot.usecases.panel.facts import formal_rows, in_review
from dialogs.campaign import Campaign
from dialogs.errors import FieldError
from dialogs.events import Reply
from dialogs.models import CaseState
from dialogs.numbers import read_case_id
from dialogs.panel.formal import OFFICE_ITEMS, OFFICE_KEYS, Decision, decision_zh, failures, unticked
from dialogs.panel.scores import read_gate
from dialogs.rules import RuleError
from dialogs.validators import category as read_category
from dialogs.wording import t
from exporters.panel_formal_xlsx import build_formal_xlsx

DECISIONS = {"pass": Decision.PASS, "reject": Decision.REJECT, "amend": Decision.AMEND}


def _item_of(text: str) -> str:
    """An office item by its key ("paper") or its Chinese name (纸质材料已收到)."""
    wanted = text.strip().lower()
    for key in OFFICE_ITEMS:
        if wanted in (key.value, t(OFFICE_KEYS[key])):
            return key.value
    names = t("panel.list").join(
        t("panel.check.item_choice", key=k.value, name=t(OFFICE_KEYS[k])) for k in OFFICE_ITEMS
    )
    raise RuleError(t("panel.check.unknown_item", item=text, items=names), code="unknown_item")


async def formal_sheet(store: Store, campaign: Campaign) -> tuple[bytes, str]:
    async with store.atomic() as tx:
        rows = await formal_rows(tx, campaign)
    summary = t(
        "panel.check.summary",
        count=len(rows),
        failing=sum(1 for r in rows if failures(list(r.items))),
        unticked=sum(1 for r in rows if unticked(list(r.items))),
        decided=sum(1 for r in rows if r.decision is not None),
    )
    return build_formal_xlsx(campaign, rows), summary


async def _case_in_review(tx: Tx, text: str) -> int:
    case_id = read_case_id(text)
    if await tx.panel() is not None:
        raise RuleError(t("panel.check.after_start"), code="started")
    if case_id is None or case_id not in {c.id for c in in_review(await tx.all_cases())}:
        raise RuleError(t("panel.check.not_in_review", id=text), code="not_in_review")
    return case_id


async def mark(store: Store, actor: str, case_text: str, item: str, answer: str, on: str = "") -> str:
    key = _item_of(item)
    ok = read_gate(answer).passed
    day = None
    if on:
        try:
            day = date.fromisoformat(on.strip())
        except ValueError:
            raise RuleError(t("panel.check.bad_day", value=on), code="bad_day") from None
    async with store.atomic() as tx:
        case_id = await _case_in_review(tx, case_text)
        await tx.tick(case_id, key, ok, day)
        await tx.audit(actor, "formal_mark", case_id=case_id, detail=f"{key}={'yes' if ok else 'no'} {on}".strip())
    name = t(OFFICE_KEYS[next(k for k in OFFICE_ITEMS if k.value == key)])
    return t("panel.check.marked", id=case_id, item=name, answer=t("panel.check.yes") if ok else t("panel.check.no"))


async def recategorise(store: Store, campaign: Campaign, actor: str, case_text: str, new: str) -> str:
    try:
        chosen = read_category(new, campaign.categories)
    except FieldError:
        raise RuleError(t("panel.check.bad_category", value=new), code="bad_category") from None
    async with store.atomic() as tx:
        case_id = await _case_in_review(tx, case_text)
        case = await tx.case(case_id)
        assert case is not None
        old = case.form.category or ""
        await tx.update_case(case_id, form=case.form.model_copy(update={"category": chosen}))
        await tx.audit(actor, "formal_category", unit=case.unit, case_id=case_id, detail=f"{old} -> {chosen}")
        await outbox.record(tx, f"panel-files:{case_id}:{chosen}", outbox.FilesWork(unit=case.unit, case_id=case_id))
    return t("panel.check.recategorised", id=case_id, old=old, new=chosen)


async def decide(
    store: Store, campaign: Campaign, actor: str, case_text: str, word: str, reason: str, until: str, today: date
) -> str:
    decision = DECISIONS.get(word.strip().lower())
    if decision is None:
        raise RuleError(t("panel.check.bad_decision"), code="bad_decision")
    reason = " ".join(reason.split())
    if decision is Decision.REJECT and not reason:
        raise RuleError(t("panel.check.reject_needs_reason"), code="reason")
    day = None
    if decision is Decision.AMEND:
        try:
            day = date.fromisoformat(until.strip())
        except ValueError:
            day = None
        if day is None or day < today:
            raise RuleError(t("panel.check.amend_needs_day"), code="amend_day")
    async with store.atomic() as tx:
        case_id = await _case_in_review(tx, case_text)
        case = await tx.case(case_id)
        assert case is not None
        note = reason if decision is not Decision.AMEND else f"{reason} {day.isoformat() if day else ''}".strip()
        await tx.decide(case_id, decision, note, actor, day)
        await tx.audit(actor, f"formal_{decision.value}", unit=case.unit, case_id=case_id, detail=note)
        lines = [t("panel.check.decided", id=case_id, decision=decision_zh(decision))]
        notice = ""
        if decision is Decision.REJECT:
            notice = t("panel.check.rejected_notice", name=case.form.name or "", id=case_id, reason=reason)
        elif decision is Decision.AMEND and day is not None:
            await _reopen(tx, campaign, case_id, case.rank, case.unit, reason, day)
            notice = t("panel.check.amend_notice", name=case.form.name or "", id=case_id, reason=reason, day=day)
        if notice:
            for user in await tx.members_of(case.unit, "coordinator"):
                key = f"panel-formal:{case_id}:{decision.value}:{user}:{datetime.now().isoformat()}"
                await outbox.record(tx, key, outbox.message(user, [Reply(notice)]))
            unit = campaign.unit(case.unit)
            lines.append(t("panel.check.told", unit=unit.name if unit else case.unit))
    return "\n".join(lines)


async def _reopen(
    tx: Tx, campaign: Campaign, case_id: int, rank: int | None, unit: str, reason: str, day: date
) -> None:
    """补正: returned with its place kept, the unit's deadline and cut-off moved to ``day``."""
    await tx.hold_rank(case_id, rank)
    await tx.update_case(case_id, state=CaseState.RETURNED, return_comment=reason, revise_fields=[])
    end = datetime.combine(day + timedelta(days=1), time(), campaign.zone) - timedelta(minutes=1)
    await tx.set_extension(unit, end)
    await tx.set_cutoff(unit, day)
