"""The words of the 公示 and the 公布 notices, once, for the .docx, the plain text and the HTML fragment.

The province's office publishes the same notice three ways: a signed Word file for its records,
plain text for an e-mail or a chat, and a fragment to paste into a government website's editor.
So the notice is built here as structure (title, paragraphs, the list by category, the issuers
and the date) and each format only lays it out. The words are the office's own, printed as they
stand, like the words on the 推荐表.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from dialogs.campaign import Campaign

from .text import one_line

T = TypeVar("T")
COLUMNS = ("序号", "案例名称", "申报单位", "推荐单位")


@dataclass(frozen=True)
class ListedCase:
    """A case as the notices list it: nothing about the people behind it."""

    id: int
    name: str
    applicant: str
    unit: str  # the recommending unit's name
    category: str


@dataclass(frozen=True)
class Notice:
    title: str
    salutation: str
    paragraphs: tuple[str, ...]
    list_title: str
    groups: tuple[tuple[str, tuple[ListedCase, ...]], ...]  # (category, its cases), in the campaign's order
    issuers: tuple[str, ...]
    issued_on: date

    @property
    def count(self) -> int:
        return sum(len(cases) for _, cases in self.groups)

    def rows(self) -> list[tuple[str, tuple[tuple[str, str, str, str], ...]]]:
        """Each category with its rows (序号 running through the whole list), as every format prints them."""
        out, number = [], 0
        for category, cases in self.groups:
            rows = []
            for case in cases:
                number += 1
                rows.append((str(number), one_line(case.name), one_line(case.applicant), one_line(case.unit)))
            out.append((category, tuple(rows)))
        return out


def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def collection_name(campaign: Campaign) -> str:
    """ "2024年全省网络文明建设优秀案例": the campaign's title without "征集展示活动" (and a demo's mark)."""
    title = campaign.title.split("（")[0]
    return title.removesuffix("征集展示活动") or title


def grouped(campaign: Campaign, cases: list[ListedCase]) -> tuple[tuple[str, tuple[ListedCase, ...]], ...]:
    """The cases under the campaign's categories in its order; a category with none is left out."""
    groups = grouped_by([c.name for c in campaign.categories], cases, lambda c: c.category)
    return tuple((name, tuple(members)) for name, members in groups)


def issuers(campaign: Campaign) -> tuple[str, ...]:
    return tuple(part for part in campaign.issuer.replace("\u3000", " ").split() if part) or (campaign.title,)


def _where_to_object(campaign: Campaign) -> str:
    sub = campaign.submission
    office = sub.office or issuers(campaign)[0]
    ways = []
    if sub.phone:
        ways.append(f"联系电话：{sub.phone}")
    if sub.mailbox:
        ways.append(f"电子邮箱：{sub.mailbox}")
    if sub.address:
        ways.append(f"通信地址：{sub.address}")
    return f"受理单位：{office}。" + ("；".join(ways) + "。" if ways else "")


def publicity_notice(
    campaign: Campaign, cases: list[ListedCase], start: date, end: date, days: int, issued_on: date
) -> Notice:
    """关于……拟入选名单的公示: the list, the 公示期, where to object and under which rule."""
    name = collection_name(campaign)
    office = campaign.submission.office or issuers(campaign)[0]
    groups = grouped(campaign, cases)
    count = sum(len(g) for _, g in groups)
    return Notice(
        title=f"关于{name}拟入选名单的公示",
        salutation="",
        paragraphs=(
            f"根据{campaign.title}有关安排，经各地各单位申报推荐、专家评审，并按程序报批审定，"
            f"确定{name}拟入选名单（共{count}个案例），现予以公示。",
            f"公示期为{day_text(start)}至{day_text(end)}（{days}个工作日）。",
            f"公示期间，对拟入选案例如有异议，请以书面形式向{office}反映。反映情况应实事求是、具体明确；"
            "以个人名义反映的，须署真实姓名并提供有效联系方式；以单位名义反映的，须加盖单位公章。"
            "匿名、冒名或超过公示期的异议不予受理。对反映人的信息予以保密。",
            _where_to_object(campaign),
        ),
        list_title=f"{name}拟入选名单",
        groups=groups,
        issuers=issuers(campaign),
        issued_on=issued_on,
    )


def announcement(campaign: Campaign, cases: list[ListedCase], issued_on: date, end: date | None) -> Notice:
    """关于……名单的公布: the final list, after a 公示 without (upheld) objection."""
    name = collection_name(campaign)
    groups = grouped(campaign, cases)
    count = sum(len(g) for _, g in groups)
    shown = f"经{day_text(end)}公示期满，" if end is not None else "经公示，"
    return Notice(
        title=f"关于{name}名单的公布",
        salutation="",
        paragraphs=(
            f"根据{campaign.title}有关安排，经各地各单位申报推荐、专家评审、按程序报批审定并在网上公示，"
            f"{shown}确定{count}个案例为{name}，现予以公布。",
            "希望入选单位珍惜荣誉、再接再厉，持续深化网络文明建设实践；各地各单位要加强对优秀案例的宣传推介，"
            "学习借鉴先进经验做法，放大示范效应，推动全省网络文明建设走深走实。",
        ),
        list_title=f"{name}名单",
        groups=groups,
        issuers=issuers(campaign),
        issued_on=issued_on,
    )


def grouped_by(order: Sequence[str], items: Sequence[T], category: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Items under the given categories in that order, then any other category; empty ones left out."""
    names = list(order) + sorted({category(i) for i in items} - set(order))
    return [(name, members) for name in names if (members := [i for i in items if category(i) == name])]
