"""Telling everyone who took part: at the 公示's start, and again when the list is final.

Each submitter hears about their own case (拟入选 with the 公示期, or 未入选), each coordinator about
all of their unit's cases; when the list is final, the 入选 ones again, and each coordinator is
asked, picture by picture, whether it may be published. Every message is recorded in the outbox in
the transaction that starts the 公示 or makes the list final, under a key naming its stage, case or
unit and recipient: running a step again, or a restart after a kill, never tells anyone twice
(the outbox sends it at least once; a kill between the send and its mark repeats that one).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.storage import Tx
from bot.usecases.outbox import message, record
from bot.usecases.publicity.reading import cases_by_id, unit_name
from dialogs.campaign import Campaign
from dialogs.events import Button, Reply
from dialogs.models import Case, CaseState
from dialogs.publicity.objections import Period
from dialogs.wording import t
from exporters.text import one_line

CONSENT_PREFIX = "pc:"  # a coordinator's answer about one picture: pc:<case>:<picture number>:<1|0>


async def participants(tx: Tx, listed: Sequence[int]) -> list[Case]:
    """The cases the 评审 looked at: every recommended case, and any listed one entered otherwise."""
    cases = [c for c in await tx.all_cases() if c.state is CaseState.RECOMMENDED]
    known = {c.id for c in cases}
    return cases + [c for c in await cases_by_id(tx, listed) if c.id not in known]


async def _tell(tx: Tx, key: str, stage: str, user: str, replies: list[Reply]) -> int:
    if not user or not await tx.record_told(key, stage, user):
        return 0
    await record(tx, key, message(user, replies))
    return 1


def _line(case: Case, key: str) -> str:
    return t(key, name=one_line(case.form.name), id=case.id)


async def tell_notice(tx: Tx, campaign: Campaign, period: Period, listed: Sequence[int]) -> int:
    """The 公示 has started: every submitter and coordinator told once; returns how many messages were recorded."""
    on_list = set(listed)
    cases = await participants(tx, listed)
    told = 0
    for case in cases:
        key = "publicity.tell.listed" if case.id in on_list else "publicity.tell.not_listed"
        text = t(key, name=one_line(case.form.name), id=case.id, period=period.zh())
        told += await _tell(tx, f"publicity:notice:case:{case.id}", "notice", case.owner, [Reply(text)])
    for unit in sorted({c.unit for c in cases}):
        mine = [c for c in cases if c.unit == unit]
        lines = [_line(c, "publicity.tell.line_listed" if c.id in on_list else "publicity.tell.line_not") for c in mine]
        text = t("publicity.tell.unit", unit=unit_name(campaign, unit), period=period.zh(), lines="\n".join(lines))
        for user in await tx.members_of(unit, "coordinator"):
            told += await _tell(tx, f"publicity:notice:unit:{unit}:{user}", "notice", user, [Reply(text)])
    return told


def consent_question(case: Case) -> Reply | None:
    """One picture a row: may it be published? None when the case has no picture."""
    pictures = case.form.pictures
    if not pictures:
        return None
    rows = []
    for number in range(1, len(pictures) + 1):
        data = f"{CONSENT_PREFIX}{case.id}:{number}"
        rows.append(
            (
                Button(label=t("publicity.consent.yes", number=number), data=f"{data}:1"),
                Button(label=t("publicity.consent.no", number=number), data=f"{data}:0"),
            )
        )
    captions = "\n".join(
        t("publicity.consent.item", number=n, caption=one_line(ref.caption) or t("publicity.consent.no_caption"))
        for n, ref in enumerate(pictures, start=1)
    )
    text = t("publicity.consent.ask", name=one_line(case.form.name), id=case.id, items=captions)
    return Reply(text, buttons=tuple(rows))


async def tell_final(tx: Tx, campaign: Campaign, final: Sequence[int]) -> int:
    """The list is final: the 入选 ones told again, their coordinators asked about each picture."""
    cases = await cases_by_id(tx, final)
    told = 0
    for case in cases:
        text = t("publicity.tell.final", name=one_line(case.form.name), id=case.id)
        told += await _tell(tx, f"publicity:final:case:{case.id}", "final", case.owner, [Reply(text)])
    for unit in sorted({c.unit for c in cases}):
        mine = [c for c in cases if c.unit == unit]
        lines = "\n".join(_line(c, "publicity.tell.line_final") for c in mine)
        replies = [Reply(t("publicity.tell.final_unit", unit=unit_name(campaign, unit), lines=lines))]
        replies += [q for c in mine if (q := consent_question(c)) is not None]
        for user in await tx.members_of(unit, "coordinator"):
            told += await _tell(tx, f"publicity:final:unit:{unit}:{user}", "final", user, replies)
    return told
