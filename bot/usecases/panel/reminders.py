"""The reminder before the panel's deadline, to each expert with cases still unscored, sent once per
day set in the campaign file (``remind_days``), through the outbox like the campaign's reminders."""

from __future__ import annotations

from datetime import datetime

from bot.storage import Store
from bot.usecases.outbox import message, record
from bot.usecases.panel.plan import current_plan
from bot.usecases.response import Delivery
from dialogs import deadline
from dialogs.campaign import Campaign
from dialogs.events import Reply
from dialogs.panel.assignment import cases_of, reminder_due
from dialogs.wording import t


async def panel_due(store: Store, campaign: Campaign, now: datetime) -> list[Delivery]:
    today = now.astimezone(campaign.zone).date()
    deliveries: list[Delivery] = []
    async with store.atomic() as tx:
        panel = await tx.panel()
        if panel is None or panel.state != "open":
            return []
        plan = await current_plan(tx, campaign)
        done = {(s.expert, s.case_id) for s in await tx.scores()}
        for row in await tx.experts():
            if row.user is None:
                continue
            left = [c for c in cases_of(plan, row.expert.id) if (row.expert.id, c) not in done]
            if not left:
                continue
            key = reminder_due(panel.until, today, campaign.panel.remind_days, await tx.reminders_sent(row.user))
            if key is not None and await tx.mark_reminder(row.user, key):
                text = t("panel.chat.remind", day=deadline.date_zh(panel.until), left=len(left))
                await record(tx, f"reminder:{row.user}:{key}", message(row.user, [Reply(text)]))
                deliveries.append(Delivery(row.user, [Reply(text)]))
    return deliveries
