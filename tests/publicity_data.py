"""Test data of the publicity scenarios: recommended cases from three units with real-length texts,
their submitters and coordinators, pictures, and the approved list the panel would record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.app import App
from bot.usecases.outbox import MessageWork
from dialogs.models import CaseForm, CaseState, PictureRef
from tests.helpers import (
    SAMPLE_BACKGROUND,
    SAMPLE_LESSONS,
    SAMPLE_PRACTICE,
    SAMPLE_RESULTS,
    SAMPLE_SUMMARY,
    make_image,
)

# What must never reach the site: the forms' contact people and phones, the chat ids, the objector.
CONTACTS = ("李明", "周婷婷", "孙建国", "吴小凡")
PHONES = ("0551-65100000", "13805510001", "0561-3021234", "0558—5120000")
OBJECTOR, OBJECTOR_PHONE = "郑秀英", "13955100099"
LETTER = (
    "本人实名反映：该案例申报材料称“注册志愿者1.2万余名”，据本人了解，该区实际注册志愿者不足三千人，"
    "所列“线上话题阅读量超过3.6亿次”亦无第三方数据佐证。请予以核查。联系人：郑秀英，电话13955100099。"
)


@dataclass(frozen=True)
class Cast:
    ids: list[int]  # case ids in insertion order
    owners: dict[int, str]  # case id → submitter chat id
    coordinators: dict[str, str]  # unit → coordinator chat id
    pictures: dict[int, list[bytes]]


ROWS = (
    # unit, name, applicant, category, contact, phone, owner, pictures
    ("hefei", "“清风e路”网络文明志愿服务行动", "合肥市蜀山区委网信办", "网络空间文明创建", 0, "tg:101", 2),
    ("hefei", "“指尖上的文明课堂”青少年网络素养教育", "合肥市包河区教育体育局", "网络空间文明创建", 1, "tg:102", 1),
    ("huaibei", "“淮北好网民”网络正能量传播工程", "淮北市委网信办", "网络空间道德建设", 2, "wecom:sunjg", 0),
    ("bozhou", "“药都清风”网络生态治理专项行动", "亳州市谯城区委网信办", "网络空间生态治理", 3, "tg:104", 0),
)
COORDINATORS = {"hefei": "tg:501", "huaibei": "wecom:wangm", "bozhou": "tg:503"}


async def cast(app: App) -> Cast:
    """Four recommended cases (the first has two pictures, the second one), coordinators for each unit."""
    ids, owners, pictures = [], {}, {}
    colours = ("red", "green", "blue")
    async with app.store.atomic() as tx:
        for unit, coordinator in COORDINATORS.items():
            await tx.add_member(coordinator, unit, "coordinator")
        rank: dict[str, int] = {}
        for unit, name, applicant, category, who, owner, count in ROWS:
            datas = [make_image("PNG", (1600 + 10 * n, 900), colours[n]) for n in range(count)]
            refs = []
            for n, data in enumerate(datas):
                sha = hashlib.sha256(data).hexdigest()
                await tx.put_picture(sha, data)
                refs.append(
                    PictureRef(
                        sha256=sha,
                        mime="image/png",
                        width=1600 + 10 * n,
                        height=900,
                        size=len(data),
                        caption=f"活动现场图{n + 1}",
                    )
                )
            form = CaseForm(
                name=name,
                applicant=applicant,
                category=category,
                unit=unit,
                period="2022-03",
                contact=CONTACTS[who],
                phone=PHONES[who],
                summary=SAMPLE_SUMMARY,
                background=SAMPLE_BACKGROUND,
                practice=SAMPLE_PRACTICE,
                results=SAMPLE_RESULTS,
                lessons=SAMPLE_LESSONS,
                pictures=refs,
            )
            rank[unit] = rank.get(unit, 0) + 1
            case_id = await tx.insert_case(owner, unit, CaseState.RECOMMENDED, rank[unit], form)
            await tx.add_member(owner, unit, "submitter")
            ids.append(case_id)
            owners[case_id] = owner
            pictures[case_id] = datas
    return Cast(ids, owners, dict(COORDINATORS), pictures)


async def pending(app: App) -> list[MessageWork]:
    return await app.service.outbox.pending_messages()


def by_user(messages: list[MessageWork]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in messages:
        out.setdefault(m.user, []).append("\n".join(s.text for s in m.says))
    return out
