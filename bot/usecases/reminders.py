"""Deadline reminders: three days and one day before, to whoever still has work, each sent once.

Each reader is reminded of the date that applies to them: a submitter of the unit's submitters'
cut-off, a coordinator of the deadline (with the cut-off). A reminder falling due is recorded, with its
message in the outbox, in one transaction: the outbox worker sends it at least once, retrying with
backoff if the channel fails, and the record keeps a restart from queueing it again (its outbox key is
the reminder's own). The same loop puts back returned cases whose owners' cut-off passed
(bot/usecases/coordination.py), so none stays stranded.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from bot.usecases.outbox import Sender, message, record
from bot.usecases.panel.reminders import panel_due
from bot.usecases.response import Delivery
from bot.usecases.service import Service
from dialogs import coordinator, deadline
from dialogs.events import Reply
from dialogs.models import Case

log = logging.getLogger(__name__)


def _pending_units(service: Service, cases_by_unit: dict[str, list[Case]]) -> set[str]:
    campaign = service.campaign
    return {u.code for u in campaign.units if coordinator.has_pending_work(campaign, u, cases_by_unit.get(u.code, []))}


async def due(service: Service) -> list[Delivery]:
    """Record the reminders due now, their messages in the outbox (after the notices of cases put back);
    returns them for the record."""
    campaign, now = service.campaign, service.clock()
    if await service.coordination.revert_overdue():
        service.outbox.wake()
    deliveries: list[Delivery] = []
    async with service.store.atomic() as tx:
        by_unit: dict[str, list[Case]] = {}
        for case in await tx.all_cases():
            by_unit.setdefault(case.unit, []).append(case)
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
                await record(tx, f"reminder:{user}:{key}", message(user, [Reply(text)]))
                deliveries.append(Delivery(user, [Reply(text)]))
    deliveries += await panel_due(service.store, campaign, now)  # 评审: experts with cases left
    return deliveries


async def remind_forever(service: Service, send: Sender, every: float) -> None:
    """Record the reminders that fall due and have the outbox send them, each through its user's
    channel, until cancelled."""
    service.outbox.sender = send
    while True:
        try:
            if await due(service):
                await service.outbox.drain()
        except Exception:
            log.exception("sending reminders failed")
        await asyncio.sleep(every)
