"""The 公示 started from the approved list, and the 公布 once the list is final: their papers and notices.

Why the files are built after the commit from what is stored, not from what the command was given:
a kill between the two is then repaired by running the command again, which finds the same 公示
recorded, builds the same files and records no message a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.disk.atomic import write_atomic
from bot.storage import Store
from bot.storage.publicity import approved_selection
from bot.usecases.outbox import kill_point
from bot.usecases.publicity import PublicityRefused
from bot.usecases.publicity.reading import listed
from bot.usecases.publicity.telling import tell_notice
from dialogs.campaign import Campaign
from dialogs.publicity.calendar import CalendarError
from dialogs.publicity.objections import Period
from dialogs.wording import t
from exporters.notice_docx import build_notice_docx
from exporters.notice_plain import notice_html, notice_text
from exporters.publicity_notice import Notice, announcement, publicity_notice


@dataclass(frozen=True)
class Published:
    period: Period
    paths: list[Path]
    cases: int
    told: int  # messages recorded now (0 when the step ran before)


def notice_files(notice: Notice, out: Path) -> list[Path]:
    """The notice as .docx, .txt and .html in ``out``, named by its title."""
    paths = [out / f"{notice.title}{suffix}" for suffix in (".docx", ".txt", ".html")]
    for path, data in zip(
        paths, (build_notice_docx(notice), notice_text(notice).encode(), notice_html(notice).encode()), strict=True
    ):
        write_atomic(path, data)
    return paths


def period_of(campaign: Campaign, start: date, days: int) -> Period:
    """The 公示期 from ``start`` (or the first working day after it) for ``days`` 工作日."""
    try:
        first = campaign.calendar.first_working_day(start)
        return Period(start=first, days=days, end=campaign.calendar.period_end(first, days))
    except CalendarError as error:
        raise PublicityRefused(str(error)) from error


async def start_notice(store: Store, campaign: Campaign, start: date, days: int, by: str, out: Path) -> Published:
    """Record the 公示期 and the list (the approved selection), tell everyone, write the 公示 notice."""
    period = period_of(campaign, start, days)
    async with store.atomic() as tx:
        state = await tx.publicity_state()
        if state is not None and state.period != period:
            raise PublicityRefused(t("publicity.notice.already", period=state.period.zh()))
        if state is None:
            approved = await approved_selection(tx)
            if not approved:
                raise PublicityRefused(t("publicity.notice.nothing_approved"))
            missing = [i for i in approved if await tx.case(i) is None]
            if missing:
                raise PublicityRefused(
                    t("publicity.notice.unknown_cases", ids=t("publicity.sep").join(map(str, missing)))
                )
            await tx.start_publicity(period, approved, by)
            await tx.audit(by, "publicity-notice", detail=f"{period.start} {period.days} {period.end} {approved}")
        ids = await tx.publicity_list()
        told = await tell_notice(tx, campaign, period, ids)
        cases = await listed(tx, campaign, ids)
    kill_point("publicity-committed")
    notice = publicity_notice(campaign, cases, period.start, period.end, period.days, issued_on=period.start)
    return Published(period, notice_files(notice, out), len(cases), told)


async def announce(store: Store, campaign: Campaign, issued_on: date, out: Path) -> Published:
    """The 公布 notice of the final list."""
    async with store.atomic() as tx:
        state = await tx.publicity_state()
        if state is None or not state.final:
            raise PublicityRefused(t("publicity.announce.not_final"))
        cases = await listed(tx, campaign, await tx.final_list())
    notice = announcement(campaign, cases, issued_on, state.period.end)
    return Published(state.period, notice_files(notice, out), len(cases), 0)
