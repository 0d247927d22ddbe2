"""Objections during the 公示, the admin's additions by hand, and making the list final.

Each step asks the rules (:mod:`dialogs.publicity.objections`) and writes in the same transaction,
audited; the objector's name and contact go into storage only, and into no audit line.
"""

from __future__ import annotations

from datetime import date

from bot.storage import Store, Tx
from bot.usecases.outbox import kill_point
from bot.usecases.publicity import PublicityRefused
from bot.usecases.publicity.telling import tell_final
from dialogs.campaign import Campaign
from dialogs.publicity import objections as rules
from dialogs.wording import t


async def _period(tx: Tx) -> rules.Period | None:
    state = await tx.publicity_state()
    return state.period if state is not None else None


async def add_objection(
    store: Store, case_id: int, received_on: date, name: str, contact: str, content: str, by: str
) -> int:
    async with store.atomic() as tx:
        state = await tx.publicity_state()
        if state is not None and state.final:
            raise PublicityRefused(t("publicity.refuse.already_final"))
        listed = await tx.publicity_list()
        refusal = rules.may_record(await _period(tx), listed, case_id, received_on, name, contact, content)
        if refusal is not None:
            raise PublicityRefused(refusal)
        objection_id = await tx.add_objection(case_id, received_on, name.strip(), contact.strip(), content.strip(), by)
        await tx.audit(by, "objection-add", case_id=case_id, detail=f"#{objection_id} {received_on}")
    return objection_id


async def check_objection(store: Store, objection_id: int, notes: str, by: str) -> rules.Objection:
    async with store.atomic() as tx:
        refusal = rules.may_check(await tx.objection(objection_id), notes)
        if refusal is not None:
            raise PublicityRefused(refusal)
        await tx.check_objection(objection_id, notes.strip())
        found = await tx.objection(objection_id)
        assert found is not None
        await tx.audit(by, "objection-check", case_id=found.case_id, detail=f"#{objection_id}")
    return found


async def decide_objection(store: Store, objection_id: int, upheld: bool, reason: str, by: str) -> rules.Objection:
    async with store.atomic() as tx:
        refusal = rules.may_decide(await tx.objection(objection_id), reason)
        if refusal is not None:
            raise PublicityRefused(refusal)
        await tx.decide_objection(objection_id, upheld, reason.strip(), by)
        found = await tx.objection(objection_id)
        assert found is not None
        await tx.audit(
            by, "objection-upheld" if upheld else "objection-rejected", case_id=found.case_id, detail=f"#{objection_id}"
        )
    return found


async def add_by_hand(store: Store, case_id: int, reason: str, by: str) -> None:
    """A case the admin adds to the list (after a withdrawal, say): recorded with the reason, never automatic."""
    async with store.atomic() as tx:
        state = await tx.publicity_state()
        if state is None:
            raise PublicityRefused(t("publicity.refuse.not_started"))
        if state.final:
            raise PublicityRefused(t("publicity.refuse.already_final"))
        if await tx.case(case_id) is None:
            raise PublicityRefused(t("publicity.add.unknown", id=case_id))
        objections = await tx.objections()
        if case_id in rules.withdrawn(objections):
            raise PublicityRefused(t("publicity.add.withdrawn", id=case_id))
        current = rules.final_list(await tx.publicity_list(), objections, await tx.additions())
        if case_id in current:
            raise PublicityRefused(t("publicity.add.listed", id=case_id))
        if not reason.strip():
            raise PublicityRefused(t("publicity.add.no_reason"))
        await tx.add_by_hand(case_id, reason.strip(), by)
        await tx.audit(by, "publicity-add", case_id=case_id, detail=reason.strip()[:200])


async def finalise(store: Store, campaign: Campaign, today: date, by: str) -> tuple[list[int], int]:
    """The list made final (after the 公示期, no objection open): the final cases and the messages recorded."""
    async with store.atomic() as tx:
        state = await tx.publicity_state()
        objections = await tx.objections()
        refusal = rules.may_finalise(state.period if state else None, today, objections, bool(state and state.final))
        if refusal is not None:
            raise PublicityRefused(refusal)
        final = rules.final_list(await tx.publicity_list(), objections, await tx.additions())
        await tx.finalise(final, by)
        await tx.audit(by, "publicity-final", detail=" ".join(map(str, final)))
        told = await tell_final(tx, campaign, final)
    kill_point("publicity-final-committed")
    return final, told
