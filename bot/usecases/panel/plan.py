"""Who scores what now: the rules of dialogs.panel.assignment over what the file holds."""

from __future__ import annotations

from dataclasses import replace

from bot.storage import Tx
from dialogs.campaign import Campaign
from dialogs.panel.assignment import Pending, assign


async def current_plan(tx: Tx, campaign: Campaign) -> dict[int, list[int]]:
    """case id → its experts, for the cases in the panel (none before it starts)."""
    in_panel = await tx.panel_cases()
    if not in_panel:
        return {}
    cases = [c for c in await tx.all_cases() if c.id in in_panel]
    experts = [row.expert for row in await tx.experts()]
    if all(group is None for group in in_panel.values()):  # an undivided panel: every expert scores every case
        experts = [replace(e, group=None) for e in experts]
    declined = [(e, c) for e, c, _, _ in await tx.recusals()]
    return assign([Pending(c.id, c.unit, in_panel[c.id]) for c in cases], experts, declined)
