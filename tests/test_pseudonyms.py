"""What the purge makes of the people and phones in the records it keeps (bot/storage/pseudonyms.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.disk.samples import sample_form
from bot.storage import Store
from bot.storage.pseudonyms import Pseudonyms
from dialogs.models import CaseState

GONE = "［电话已删除］"


def names() -> Pseudonyms:
    known = Pseudonyms(admins=frozenset({"tg:900"}), members={"boss"})
    known.add("wecom:zhangsan", "hefei", "coordinator")
    known.add("wecom:zhangsan", "hefei", "submitter")
    known.add("tg:301", "wuhu", "submitter")
    known.add("boss", "hefei", "coordinator")
    return known


@pytest.mark.parametrize(
    ("actor", "unit", "action", "label"),
    [
        ("wecom:zhangsan", "hefei", "scan", "联络人（hefei）"),  # both roles: the one that acts for the unit
        ("wecom:zhangsan", "hefei", "submit", "申报人（hefei）"),  # only a submitter submits
        ("tg:301", "wuhu", "join", "申报人（wuhu）"),
        ("tg:301", None, "contact", "申报人（wuhu）"),  # no unit on the row: the unit they belonged to
        ("tg:900", None, "extend", "管理员"),
        ("tg:555", "hefei", "withdraw", "用户（hefei）"),  # a chat id nobody knows any more
        ("term:alice", None, "contact", "用户"),
        ("boss", "hefei", "contact", "联络人（hefei）"),  # a member under a bare id (the tests' ids)
        ("cli", "hefei", "contact", "cli"),
        ("casebot", "hefei", "revert", "casebot"),
        ("联络人（hefei）", "hefei", "contact", "联络人（hefei）"),  # a second purge leaves a label as it is
    ],
)
def test_a_person_is_named_by_role_and_unit(actor: str, unit: str | None, action: str, label: str) -> None:
    assert names().label(actor, unit, action) == label


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ("王明 13812345678", f"王明 {GONE}"),
        ("王明 0551-62606335、13812345678", f"王明 {GONE}、{GONE}"),
        ("请致电 0551 6260 6335 转 8001", f"请致电 {GONE} 转 8001"),
        ("请致电（0551）62606335", f"请致电{GONE}"),
        ("+86 138 1234 5678", f"{GONE}"),
        ("2024-03-15", "2024-03-15"),  # a deadline
        ("recommended 3", "recommended 3"),
        ("12 个单位，来自 units.xlsx", "12 个单位，来自 units.xlsx"),
        ("第 1234567 号文件", f"第 {GONE} 号文件"),  # seven digits in a row: taken as a phone, to be safe
        ("退回：见 wecom:zhangsan 的说明", "退回：见 联络人（hefei） 的说明"),
    ],
)
def test_a_detail_keeps_no_phone_and_no_chat_id(detail: str, expected: str) -> None:
    assert names().detail(detail, "hefei") == expected


def test_the_purge_counts_are_not_phones() -> None:
    assert names().detail("0 2 0 4 2 30 0 12 9", None, "purge") == "0 2 0 4 2 30 0 12 9"


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text(alphabet="王明李华，。请致电 ", max_size=20))
def test_any_mobile_number_in_any_text_is_taken_out(phone: str, words: str) -> None:
    assert phone not in names().detail(f"{words}{phone}{words}", "hefei")


async def test_the_panel_and_the_publicity_keep_no_chat_id_of_who_acted(tmp_path: Path) -> None:
    """The 评审 and 公示 records outlive the purge; who started, decided or consented is named by role."""
    async with Store(tmp_path / "db.sqlite3") as store:
        async with store.atomic() as tx:
            case = await tx.insert_case("tg:301", "hefei", CaseState.RECOMMENDED, 1, sample_form())
            await tx.record_approved_selection([case], "李处长")
            await tx.set_picture_consent(case, "ab" * 32, True, "wecom:zhangsan")
        async with store.atomic() as tx:
            names = Pseudonyms(admins=frozenset({"tg:900"}))
            names.add("wecom:zhangsan", "hefei", "coordinator")
            await tx.pseudonymise(names)
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        (given,) = db.execute("SELECT given_by FROM picture_consents").fetchone()
        (approver,) = db.execute("SELECT approved_by FROM approved_selection").fetchone()
    assert given == "联络人（hefei）"
    assert approver == "李处长"  # a name the office typed, not a chat account: it stays
