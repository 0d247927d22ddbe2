"""The experts: added with an invitation code, listed with their progress, removed or replaced.

A replaced expert's cases go to the new one, who scores them all again: ranks are fair only when
the same people score the cases compared, so the old expert's scores leave the panel (kept in the
audit) rather than being mixed with the new expert's.
"""

from __future__ import annotations

import secrets

from bot.storage import Store, Tx
from bot.usecases.panel.plan import current_plan
from dialogs.campaign import Campaign
from dialogs.numbers import read_case_id
from dialogs.panel.assignment import cases_of
from dialogs.rules import RuleError
from dialogs.wording import t

NAME_MAX = 60


def new_code() -> str:
    """An expert's invitation code: "e" and 16 URL-safe characters (see dialogs.panel.access)."""
    return f"e{secrets.token_urlsafe(12)}"


def _check(campaign: Campaign, name: str, org: str, unit: str | None, group: str | None) -> tuple[str, str]:
    name, org = " ".join(name.split()), " ".join(org.split())
    if not name or not org or len(name) > NAME_MAX or len(org) > NAME_MAX:
        raise RuleError(t("panel.experts.bad_name"), code="bad_name")
    if unit is not None and campaign.unit(unit) is None:
        raise RuleError(t("panel.experts.unknown_unit", code=unit), code="unknown_unit")
    groups = [g.name for g in campaign.panel.groups]
    if group is not None and group not in groups:
        raise RuleError(
            t("panel.experts.unknown_group", group=group, groups=t("panel.list").join(groups)), code="unknown_group"
        )
    return name, org


async def _open(tx: Tx) -> None:
    panel = await tx.panel()
    if panel is not None and panel.state != "open":
        raise RuleError(t("panel.experts.after_close"), code="closed")


async def add_expert(
    store: Store, campaign: Campaign, actor: str, name: str, org: str, unit: str | None = None, group: str | None = None
) -> str:
    name, org = _check(campaign, name, org, unit, group)
    code = new_code()
    async with store.atomic() as tx:
        await _open(tx)
        expert_id = await tx.add_expert(name, org, unit, group, code)
        await tx.audit(actor, "expert_add", unit=unit, detail=f"{expert_id} {name} {org}")
    lines = [t("panel.experts.added", name=name, org=org, code=code)]
    if unit is not None:
        found = campaign.unit(unit)
        lines.append(t("panel.experts.tied", unit=found.name if found else unit))
    return "\n".join(lines)


async def list_experts(store: Store, campaign: Campaign) -> str:
    async with store.atomic() as tx:
        rows = await tx.experts()
        plan = await current_plan(tx, campaign)
        done = {(s.expert, s.case_id) for s in await tx.scores()}
    if not rows:
        return t("panel.experts.none")
    lines = []
    for row in rows:
        e = row.expert
        mine = cases_of(plan, e.id)
        unit = campaign.unit(e.unit) if e.unit else None
        lines.append(
            t(
                "panel.experts.line",
                id=e.id,
                name=e.name,
                org=e.org,
                unit=t("panel.experts.unit", unit=unit.name) if unit else "",
                group=t("panel.experts.group", group=e.group) if e.group else "",
                code=row.code,
                joined=t("panel.experts.joined") if row.user else t("panel.experts.not_joined"),
                done=sum(1 for c in mine if (e.id, c) in done),
                total=len(mine),
            )
        )
    return "\n".join(lines)


async def remove_expert(store: Store, actor: str, expert_id: int) -> str:
    async with store.atomic() as tx:
        await _open(tx)
        row = await tx.expert(expert_id)
        if row is None or row.removed:
            raise RuleError(t("panel.experts.unknown", id=expert_id), code="unknown_expert")
        await tx.remove_expert(expert_id)
        count = await tx.move_scores(expert_id)
        await tx.audit(actor, "expert_remove", detail=f"{expert_id} {row.expert.name} scores={count}")
    return t("panel.experts.removed", name=row.expert.name)


async def replace_expert(
    store: Store, campaign: Campaign, actor: str, expert_id: int, name: str, org: str, unit: str | None = None
) -> str:
    async with store.atomic() as tx:
        await _open(tx)
        row = await tx.expert(expert_id)
        if row is None or row.removed:
            raise RuleError(t("panel.experts.unknown", id=expert_id), code="unknown_expert")
        name, org = _check(campaign, name, org, unit, None)
        code = new_code()
        new_id = await tx.add_expert(name, org, unit, row.expert.group, code)
        await tx.remove_expert(expert_id, replaced_by=new_id)
        count = await tx.move_scores(expert_id)
        await tx.audit(
            actor, "expert_replace", detail=f"{expert_id} {row.expert.name} -> {new_id} {name} scores={count}"
        )
    return t("panel.experts.replaced", old=row.expert.name, new=name, count=count, code=code)


async def exclude(store: Store, actor: str, expert_id: int, case_text: str, reason: str) -> str:
    """An exclusion the admin adds (a conflict the office knows of): the expert is not given the case."""
    case_id = read_case_id(case_text)
    async with store.atomic() as tx:
        await _open(tx)
        row = await tx.expert(expert_id)
        if row is None or row.removed:
            raise RuleError(t("panel.experts.unknown", id=expert_id), code="unknown_expert")
        if case_id is None or case_id not in await tx.panel_cases():
            raise RuleError(t("panel.run.unknown_case", id=case_text), code="unknown_case")
        had = await tx.score(expert_id, case_id)
        await tx.recuse(expert_id, case_id, " ".join(reason.split()), actor)
        await tx.audit(actor, "recuse", case_id=case_id, detail=f"expert={expert_id} {reason}".strip())
    more = t("panel.cli.recused_more") if had is not None else ""
    return t("panel.cli.recused", name=row.expert.name, id=case_id, more=more)
