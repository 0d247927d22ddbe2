"""Deadline reminders: three days and one day before, to whoever still has work, each sent once.

What was sent is recorded in SQLite before the message leaves, so a restart never sends a
reminder twice (a send that fails after the record is logged, not repeated).
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
    """Record and return the reminders due now."""
    campaign, now = service.campaign, service.clock()
    deliveries: list[Delivery] = []
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
            ext = service.extension_for(unit)
            for key in deadline.due_reminders(campaign, now, ext, await tx.reminders_sent(user)):
                if await tx.mark_reminder(user, key):
                    text = deadline.reminder_text_zh(
                        kind,
                        deadline.days_left(campaign, now, ext),
                        deadline.effective_deadline(campaign, ext),
                    )
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
