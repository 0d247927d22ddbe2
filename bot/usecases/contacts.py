"""The unit's contact in the chat: asked when a coordinator joins, shown and changed by /contact.

The pure reading and wording are in :mod:`dialogs.contact`; this module stores the result in the
same transaction as its audit entry, so the most recent change wins, whoever made it, and every
change can be traced. A coordinator asked for the contact has ``waiting = "contact"`` on the
session in SQLite, so the question survives a restart.
"""

from __future__ import annotations

from bot.disk.outputs import UnknownUnit, with_contact
from bot.storage import Store, Tx
from dialogs import contact
from dialogs.campaign import Campaign, Unit
from dialogs.errors import FieldError
from dialogs.events import Reply
from dialogs.wording import t

WAITING = "contact"


class Contacts:
    def __init__(self, store: Store, campaign: Campaign) -> None:
        self.store = store
        self.campaign = campaign

    async def _coordinated(self, tx: Tx, user: str) -> Unit | None:
        """The unit ``user`` coordinates (the session's unit when several); None for anyone else."""
        codes = [u for u, role in await tx.roles_of(user) if role == "coordinator"]
        if not codes:
            return None
        current = (await tx.load_session(user)).unit
        code = current if current in codes else codes[0]
        return self.campaign.unit(code)

    async def needs_asking(self, tx: Tx, unit_code: str) -> Unit | None:
        """The unit, if its 汇总表 header still lacks the contact or the phone."""
        base = self.campaign.unit(unit_code)
        if base is None:
            return None
        unit = with_contact(base, await tx.unit_contact(unit_code))
        return unit if contact.missing(unit.contact, unit.phone) else None

    async def command(self, user: str, arg: str, key: str | None = None) -> list[Reply]:
        """/contact shows the header's contact; /contact 姓名 电话 changes it."""
        return await self.store.once(key, user, lambda tx: self._command(tx, user, arg))

    async def _command(self, tx: Tx, user: str, arg: str) -> list[Reply]:
        unit = await self._coordinated(tx, user)
        if unit is None:
            return [Reply(t("contact.not_coordinator"))]
        if not arg.strip():
            shown = with_contact(unit, await tx.unit_contact(unit.code))
            return [Reply(contact.show_zh(unit.name, shown.contact, shown.phone))]
        replies, taken = await self._save(tx, user, unit, arg)
        session = await tx.load_session(user)
        if taken and session.waiting == WAITING:  # /contact 姓名 电话 answers the question asked on joining
            await tx.save_session(session.model_copy(update={"waiting": ""}))
        return replies

    async def answer(self, user: str, text: str, key: str | None = None) -> list[Reply]:
        """A coordinator's reply to the question asked on joining."""

        async def work(tx: Tx) -> list[Reply]:
            unit = await self._coordinated(tx, user)
            session = await tx.load_session(user)
            replies, taken = [Reply(t("contact.not_coordinator"))], True
            if unit is not None:
                replies, taken = await self._save(tx, user, unit, text)
            if taken:
                await tx.save_session(session.model_copy(update={"waiting": ""}))
            return replies

        return await self.store.once(key, user, work)

    async def _save(self, tx: Tx, user: str, unit: Unit, text: str) -> tuple[list[Reply], bool]:
        """Store the contact read from ``text``; the refusal, and False, when it cannot be read."""
        try:
            name, phone = contact.parse_contact(text, self.campaign.limits)
        except FieldError as error:
            return [Reply(str(error))], False
        await tx.set_unit_contact(unit.code, name, phone, user)
        await tx.audit(user, "contact", unit=unit.code, detail=f"{name} {phone}")
        return [Reply(contact.saved_zh(unit.name, name, phone))], True


async def set_from_cli(store: Store, campaign: Campaign, code: str, words: list[str]) -> str:
    """`casebot units contact CODE 姓名 电话`: what was set, or a FieldError / UnknownUnit saying why not."""
    unit = campaign.unit(code)
    if unit is None:
        raise UnknownUnit(t("service.unknown_unit", code=code))
    if not words:
        raise FieldError(t("contact.cli.usage"))
    name, phone = contact.parse_contact(" ".join(words), campaign.limits)
    async with store.atomic() as tx:
        await tx.set_unit_contact(unit.code, name, phone, "cli")
        await tx.audit("cli", "contact", unit=unit.code, detail=f"{name} {phone}")
    return t("contact.cli.saved", unit=unit.name, contact=name, phone=phone)
