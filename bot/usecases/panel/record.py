"""The panel's record as the papers print it, read in one transaction."""

from __future__ import annotations

from bot.storage import Tx
from bot.usecases.panel.plan import current_plan
from dialogs.campaign import Campaign
from dialogs.panel.formal import Decision
from dialogs.panel.record import Approval, PanelRecord, Recusal
from dialogs.panel.result import Entry, results


async def read_record(tx: Tx, campaign: Campaign) -> PanelRecord:
    panel = await tx.panel()
    in_panel = await tx.panel_cases()
    cases = tuple(c for c in await tx.all_cases() if c.id in in_panel)
    rows = await tx.experts(everyone=True)
    active = tuple(r.expert for r in rows if r.active)
    by_id = {r.expert.id: r.expert for r in rows}
    replaced = tuple(
        (r.expert, by_id[r.replaced_by]) for r in rows if r.replaced_by is not None and r.replaced_by in by_id
    )
    plan = await current_plan(tx, campaign)
    ids = {e.id for e in active}
    sheets = tuple(s for s in await tx.scores() if s.expert in ids and s.case_id in in_panel)
    settings = campaign.panel
    found = results(
        [Entry(c.id, c.form.category or "", in_panel[c.id]) for c in cases],
        sheets,
        trim_from=settings.trim_from,
        spread_limit=settings.spread_limit,
        places=settings.places,
    )
    recusals = [Recusal(e, c, reason) for e, c, reason, _ in await tx.recusals() if e in ids]
    recusals += [Recusal(e.id, c.id, automatic=True) for c in cases for e in active if e.unit == c.unit]
    marks = await tx.formal_marks()
    formal: dict[str, int] = {}
    for mark in marks.values():
        if mark.decision is not None:
            formal[mark.decision] = formal.get(mark.decision, 0) + 1
    formal.setdefault(Decision.PASS, len(cases))
    approval = None
    if panel is not None and panel.approved_at is not None:
        approval = Approval(panel.approved_by or "", panel.approved_at.astimezone(campaign.zone))
    return PanelRecord(
        campaign=campaign,
        cases=cases,
        experts=active,
        plan={k: tuple(v) for k, v in plan.items()},
        sheets=sheets,
        results=tuple(found),
        recusals=tuple(recusals),
        reviews=await tx.reviews(),
        selection=tuple(await tx.selection()),
        replaced=replaced,
        entered=frozenset(await tx.entered_by_admin()),
        formal=formal,
        pledged={r.expert.id: r.pledged_at.astimezone(campaign.zone) for r in rows if r.pledged_at is not None},
        started_at=panel.started_at.astimezone(campaign.zone) if panel else None,
        closed_at=panel.closed_at.astimezone(campaign.zone) if panel and panel.closed_at else None,
        approval=approval,
    )
