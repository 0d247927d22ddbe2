"""`casebot purge`: personal data has an end.

Once a campaign is over for every unit (extensions included), what identifies people in chat is no
longer needed: drafts, conversations, pictures of cases that were not recommended, members' chat
identities. The submitted records, the audit log (its chat ids rewritten to role and unit, its
phone numbers taken out) and the exports stay (bot/storage/lifecycle.py and pseudonyms.py say
exactly what goes). The command line asks before it removes anything.
"""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from bot.cli.admin import Refused
from bot.storage.lifecycle import Purged
from dialogs import deadline
from dialogs.wording import t


async def purge_refusal(app: App) -> str | None:
    """Why personal data cannot be purged yet: the campaign is not over for every unit."""
    last = app.service.dates.latest_deadline()
    if app.service.clock() < last + timedelta(minutes=1):
        return t("admin.purge.not_over", when=deadline.moment_zh(last))
    async with app.store.atomic() as tx:
        if await tx.publicity_open():
            return t("admin.purge.publicity_open")
        panel, marks = await tx.panel(), await tx.formal_marks()  # 评审 keeps the experts' identities until 报批审定
    if (panel is not None and panel.state != "approved") or (panel is None and marks):
        return t("panel.purge_refused")
    return None


def _purged_lines(removed: Purged) -> list[str]:
    return [
        t("admin.purge.drafts", count=removed.drafts),
        t("admin.purge.conversations", count=removed.conversations),
        t("admin.purge.pictures", count=removed.pictures),
        t("admin.purge.members", count=removed.members),
        t("admin.purge.owners", count=removed.owners),
        t("admin.purge.events", count=removed.events),
        t("admin.purge.reminders", count=removed.reminders),
        t("admin.purge.messages", count=removed.messages),
        t("admin.purge.objectors", count=removed.objectors),
        t("admin.purge.rewritten", count=removed.rewritten),
    ]


async def purge_preview(app: App) -> str:
    """What ``casebot purge`` would remove, for the question it asks first."""
    async with app.store.atomic() as tx:
        removed = await tx.purge_preview(app.service.admins)
    return "\n".join([t("admin.purge.will_remove"), *_purged_lines(removed), t("admin.purge.keeps")])


async def purge(app: App) -> str:
    """Remove the campaign's personal data (see bot/storage/lifecycle.py), then compact the file so
    the removed rows do not linger in free pages."""
    refusal = await purge_refusal(app)
    if refusal is not None:
        raise Refused(refusal)
    await app.service.coordination.revert_overdue()
    async with app.store.atomic() as tx:
        removed = await tx.purge(app.service.admins)
        await tx.audit("cli", "purge", detail=" ".join(str(n) for n in vars(removed).values()))
    await app.store.compact()
    return "\n".join([t("admin.purge.removed"), *_purged_lines(removed), t("admin.purge.keeps")])
