"""The stored cases as the publicity's papers and pages show them.

One place decides what of a case is published: its name, applicant, recommending unit and
category for the lists; for the site and the 汇编 the office's publication text where it gave one
(else the form's own), and only the pictures its unit consented to. The contact person, the phone
and the owner's chat id never leave this module: they are simply not copied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.storage import Tx
from dialogs.campaign import Campaign
from dialogs.models import PARTS, Case
from dialogs.wording import t
from exporters.form_table import PART_HEADINGS
from exporters.publicity_notice import ListedCase, collection_name, issuers
from exporters.showcase_site import ShownCase, ShownPicture, Site
from exporters.text import one_line
from exporters.web_pictures import WEB_EDGE, web_picture

PRINT_EDGE = 2400  # the 汇编's pictures: print size, still without their metadata
PART_TITLES = tuple(PART_HEADINGS[step] for step in PARTS)  # 一、背景意义 …, as the 推荐表 heads them


def unit_name(campaign: Campaign, code: str) -> str:
    unit = campaign.unit(code)
    return unit.name if unit is not None else code


async def cases_by_id(tx: Tx, ids: Sequence[int]) -> list[Case]:
    out = []
    for case_id in ids:
        case = await tx.case(case_id)
        if case is not None:
            out.append(case)
    return out


def listed_case(campaign: Campaign, case: Case) -> ListedCase:
    form = case.form
    return ListedCase(
        id=case.id,
        name=one_line(form.name),
        applicant=one_line(form.applicant),
        unit=unit_name(campaign, case.unit),
        category=form.category or "",
    )


async def listed(tx: Tx, campaign: Campaign, ids: Sequence[int]) -> list[ListedCase]:
    return [listed_case(campaign, case) for case in await cases_by_id(tx, ids)]


def site_of(campaign: Campaign) -> Site:
    return Site(
        title=collection_name(campaign),
        issuers=issuers(campaign),
        categories=tuple(c.name for c in campaign.categories),
    )


async def consented_pictures(tx: Tx, case: Case) -> list[tuple[bytes, str]]:
    """The bytes and caption of each picture its unit agreed to publish, in the form's order."""
    consents = await tx.picture_consents(case.id)
    out = []
    for ref in case.form.pictures:
        if not consents.get(ref.sha256, False):
            continue
        data = await tx.picture(ref.sha256)
        if data is not None:
            out.append((data, ref.caption))
    return out


@dataclass(frozen=True)
class Gathered:
    """A final case as read in the transaction; its pictures still as stored (resized after it, see below)."""

    case: ShownCase  # pictures empty
    pictures: tuple[tuple[bytes, str, str], ...]  # (bytes, alt, caption), consented only


async def gather(tx: Tx, campaign: Campaign, ids: Sequence[int]) -> list[Gathered]:
    """What the site and the 汇编 publish of the final cases, read in one transaction."""
    out = []
    for case in await cases_by_id(tx, ids):
        form = case.form
        text = await tx.publication_text(case.id)
        title = text.title if text and text.title else one_line(form.name)
        summary = text.summary if text and text.summary else form.summary or ""
        bodies = list(text.parts) if text and any(text.parts) else form.parts()
        parts = tuple((heading, body) for heading, body in zip(PART_TITLES, bodies, strict=False) if body.strip())
        pictures = []
        for number, (data, caption) in enumerate(await consented_pictures(tx, case), start=1):
            alt = one_line(caption) or t("publicity.picture_alt", title=title, number=number)
            pictures.append((data, alt, one_line(caption)))
        shown_case = ShownCase(
            id=case.id,
            title=title,
            category=form.category or "",
            applicant=one_line(form.applicant),
            unit=unit_name(campaign, case.unit),
            summary=summary,
            parts=parts,
        )
        out.append(Gathered(shown_case, tuple(pictures)))
    return out


def with_pictures(gathered: Sequence[Gathered], edge: int = WEB_EDGE) -> list[ShownCase]:
    """The cases with their pictures resized to ``edge`` (web or print size): CPU work, done outside the
    transaction (and off the event loop by the callers), so the bot is not held up meanwhile."""
    return [
        replace(
            g.case, pictures=tuple(ShownPicture(web_picture(d, edge), alt, caption) for d, alt, caption in g.pictures)
        )
        for g in gathered
    ]
