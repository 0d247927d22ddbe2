"""Deadline reminders: three days and one day before, to whoever still has work, each sent once.

Each reader is reminded of the date that applies to them: a submitter of the unit's submitters'
cut-off, a coordinator of the deadline (with the cut-off). What was sent is recorded in SQLite
before the message leaves, so a restart never sends a reminder twice. The same loop puts back
returned cases whose owners' cut-off passed (bot/coordination.py), so none stays stranded.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Literal

from dialogs import coordinator, deadline
from dialogs.events import Reply
from dialogs.models import CaseState

from .service import Delivery, Service

if TYPE_CHECKING:
    from .channels.registry import Channels

log = logging.getLogger(__name__)


def _pending_units(service: Service, cases_by_unit: dict[str, list[CaseState]]) -> set[str]:
    campaign = service.campaign
    return {u.code for u in campaign.units if coordinator.has_pending_work(campaign, u, cases_by_unit.get(u.code, []))}


async def due(service: Service) -> list[Delivery]:
    """Record and return the reminders due now, after the notices of cases put back."""
    campaign, now = service.campaign, service.clock()
    deliveries = [Delivery(user, [reply]) for user, reply in await service.coordination.revert_overdue()]
    async with service.store.atomic() as tx:
        by_unit: dict[str, list[CaseState]] = {}
        for case in await tx.all_cases():
            by_unit.setdefault(case.unit, []).append(case.state)
        pending = _pending_units(service, by_unit)
        recipients: list[tuple[str, str | None, Literal["submitter", "coordinator"]]] = [
            (user, unit, "submitter") for user, unit in await tx.users_with_drafts()
        ]
        recipients += [(user, unit, "coordinator") for user, unit in await tx.coordinators() if unit in pending]
        for user, unit, kind in recipients:
            dates = service.dates.for_unit(unit)
            closes, prefix = (dates.cutoff, "s") if kind == "submitter" else (dates.deadline, "d")
            key = deadline.due_reminder_for(campaign, closes, now, await tx.reminders_sent(user), prefix)
            if key is not None and await tx.mark_reminder(user, key):
                text = deadline.reminder_for_zh(kind, dates, deadline.days_until(campaign, closes, now))
                deliveries.append(Delivery(user, [Reply(text)]))
    return deliveries


async def remind_forever(service: Service, channels: Channels, every: float) -> None:
    """Send the reminders that fall due, each through its user's channel, until cancelled."""
    while True:
        try:
            await channels.deliver_all(await due(service))
        except Exception:
            log.exception("sending reminders failed")
        await asyncio.sleep(every)
