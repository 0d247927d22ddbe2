"""The recommending unit's contact (汇总表 header 联系人 / 电话): asked when a coordinator joins, changed by
/contact or on the command line (the most recent change wins, audited), refused when bad, printed in
the unit's 汇总表 and the province export, and named as missing until it is set."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import App, open_app
from bot.cli import admin
from bot.cli import main as cli
from bot.settings import Settings
from dialogs.campaign import Campaign
from dialogs.contact import parse_contact
from dialogs.errors import FieldError
from dialogs.events import Command, Text
from tests.test_rules_service import coordinator, distinct, submit, text

LETTERHEAD = "0551-62606335（办）、13812345678"


@pytest.mark.parametrize(
    ("typed", "name", "phone"),
    [
        (f"王明 {LETTERHEAD}", "王明", "0551-62606335、13812345678"),
        ("联系人：王明，电话：13812345678", "王明", "13812345678"),
        ("王  明　0551—62606335", "王明", "0551-62606335"),
        ("欧阳晓明、（0551）62606335转8001", "欧阳晓明", "0551-62606335转8001"),
        ("Li Ming +86 138 1234 5678", "Li Ming", "13812345678"),
    ],
)
def test_a_contact_is_read_as_an_office_writes_it(campaign: Campaign, typed: str, name: str, phone: str) -> None:
    assert parse_contact(typed, campaign.limits) == (name, phone)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "请写明联系人姓名和电话"),
        ("   ", "请写明联系人姓名和电话"),
        ("王明", "请在姓名之后写明电话"),
        ("13812345678", "请先写联系人姓名"),
        ("王明 62606335", "区号"),
        ("王明 138123456", "位"),
        ("王明 0551-62606335、13812345678、13912345678", "最多"),
        ("王明😀 13812345678", "不含数字或符号"),
        ("王" * 21 + " 13812345678", "不超过 20 字"),
    ],
)
def test_a_bad_contact_is_refused_in_chinese(campaign: Campaign, typed: str, says: str) -> None:
    with pytest.raises(FieldError) as refused:
        parse_contact(typed, campaign.limits)
    assert says in str(refused.value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_read_or_refused_never_raises_otherwise(text_in: str) -> None:
    from bot.settings import load_campaign

    limits = load_campaign("2024").limits
    try:
        name, phone = parse_contact(text_in, limits)
    except FieldError as error:
        assert str(error)
    else:
        assert name and phone


async def invite(app: App, code: str, unit: str, role: str = "coordinator") -> str:
    async with app.store.atomic() as tx:
        await tx.create_invite(code, unit, role)
    return code


def header(data: bytes) -> tuple[str, str, str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return sheet.cell(3, 1).value, sheet.cell(4, 1).value, sheet.cell(5, 1).value


async def test_a_coordinator_joining_is_asked_and_a_bad_answer_changes_nothing(app: App) -> None:
    await submit(app, "alice", "hefei", "清朗网络共建行动")
    joined = await app.service.handle("boss", Command("start", await invite(app, "c-hefei", "hefei")))
    assert "联络人" in text(joined)
    assert joined.replies[-1].text.startswith("请填写合肥市委网信办的联系人和电话")

    bad = await app.service.handle("boss", Text("王明 62606335"))
    assert "区号" in text(bad)
    async with app.store.atomic() as tx:
        assert await tx.unit_contact("hefei") is None
        assert (await tx.load_session("boss")).waiting == "contact"

    good = await app.service.handle("boss", Text(f"王明 {LETTERHEAD}"))
    assert "已保存合肥市委网信办的联系人和电话：王明，0551-62606335、13812345678" in text(good)
    summary = await app.service.handle("boss", Command("summary"))
    assert header(summary.files[0].data) == (
        "推荐单位：合肥市委网信办",
        "联系人：王明",
        "电话：0551-62606335、13812345678",
    )
    assert "尚缺" not in text(summary)
    # the question is answered: the next text is not taken as a contact again
    async with app.store.atomic() as tx:
        assert (await tx.load_session("boss")).waiting == ""
        log = await tx.audit_log("hefei")
    assert [entry[2] for entry in log].count("contact") == 1


async def test_until_it_is_set_summary_says_what_is_missing_and_the_header_is_blank(app: App) -> None:
    await submit(app, "alice", "hefei", "清朗网络共建行动")
    await coordinator(app, "boss", "hefei")
    summary = await app.service.handle("boss", Command("summary"))
    assert "合肥市委网信办汇总表表头尚缺联系人、电话" in text(summary)
    assert header(summary.files[0].data)[1:] == ("联系人：", "电话：")
    names = [f.name for f in summary.files]
    assert names == [
        "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx",
        "2024年全部申报案例（存档）-合肥市委网信办.xlsx",
    ]
    assert len(openpyxl.load_workbook(io.BytesIO(summary.files[0].data)).worksheets) == 1


async def test_contact_shows_changes_and_the_latest_change_wins_whoever_made_it(app: App) -> None:
    await coordinator(app, "boss", "hefei")
    await coordinator(app, "deputy", "hefei")
    shown = await app.service.handle("boss", Command("contact"))
    assert "尚未填写" in text(shown) and "/contact 王明" in text(shown)

    await app.service.handle("boss", Command("contact", "王明 0551-62606335"))
    await app.service.handle("deputy", Command("contact", "李华 13912345678"))
    shown = await app.service.handle("boss", Command("contact"))
    assert "联系人：李华" in text(shown) and "电话：13912345678" in text(shown)

    assert "张三" in await cli.set_from_cli(app.store, app.campaign, "hefei", ["张三", "0551-62606336"])
    async with app.store.atomic() as tx:
        assert await tx.unit_contact("hefei") == ("张三", "0551-62606336")
        actors = [(e[1], e[2]) for e in await tx.audit_log("hefei") if e[2] == "contact"]
    assert actors == [("boss", "contact"), ("deputy", "contact"), ("cli", "contact")]
    assert "设置联系人和电话" in await admin.audit(app, "hefei", None)

    refused = await app.service.handle("deputy", Command("contact", "李华 1391234"))
    assert "位" in text(refused)
    async with app.store.atomic() as tx:
        assert await tx.unit_contact("hefei") == ("张三", "0551-62606336")


async def test_only_a_coordinator_may_set_the_contact(app: App) -> None:
    await app.service.assign_unit("alice", "hefei")
    refused = await app.service.handle("alice", Command("contact", "王明 13812345678"))
    assert "只有本单位联络人" in text(refused)
    async with app.store.atomic() as tx:
        assert await tx.unit_contact("hefei") is None


async def test_a_second_coordinator_is_not_asked_once_the_contact_is_set(app: App) -> None:
    await app.service.handle("boss", Command("start", await invite(app, "c1", "hefei")))
    await app.service.handle("boss", Text("王明 13812345678"))
    again = await app.service.handle("deputy", Command("start", await invite(app, "c2", "hefei")))
    assert "请填写" not in text(again)
    # a submitter joining is never asked
    sub = await app.service.handle("alice", Command("start", await invite(app, "s1", "hefei", "submitter")))
    assert "请填写合肥" not in text(sub)


async def test_another_command_ends_the_question_and_the_dialog_goes_on(app: App) -> None:
    await app.service.handle("boss", Command("start", await invite(app, "c1", "hefei")))
    await app.service.handle("boss", Command("cases"))
    async with app.store.atomic() as tx:
        assert (await tx.load_session("boss")).waiting == ""


async def test_the_question_survives_a_restart(settings: Settings) -> None:
    async with open_app(settings) as app:
        await app.service.handle("boss", Command("start", await invite(app, "c1", "hefei")))
    async with open_app(settings) as app:
        done = await app.service.handle("boss", Text("王明 13812345678"))
        assert "已保存" in text(done)


def test_the_command_line_sets_or_refuses_with_exit_code_2(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--campaign", "demo", "--db", str(settings.db), "--out", str(settings.out)]
    assert cli.main(["units", "contact", "hefei", "王明", "0551-62606335", *common]) == 0
    assert "已设置合肥市委网信办的联系人和电话：王明，0551-62606335" in capsys.readouterr().out
    assert cli.main(["units", "contact", "hefei", "王明", "62606335", *common]) == 2
    assert "区号" in capsys.readouterr().err
    assert cli.main(["units", "contact", "nowhere", "王明", "13812345678", *common]) == 2
    assert "casebot units list" in capsys.readouterr().err
    assert cli.main(["units", "contact", "hefei", *common]) == 2
    assert "用法：casebot units contact" in capsys.readouterr().err


async def test_an_import_fills_only_empty_contacts_and_the_province_export_prints_them(
    app: App, tmp_path: Path
) -> None:
    await submit(app, "alice", "hefei", *distinct(0))
    await submit(app, "bob", "wuhu", *distinct(1))
    await coordinator(app, "boss", "hefei")
    await app.service.handle("boss", Command("contact", "王明 0551-62606335"))
    listing = tmp_path / "units.csv"
    listing.write_text(
        "代码,名称,类型,联系人,电话\nhefei,合肥市委网信办,市,赵六,0551-60000000\nwuhu,芜湖市委网信办,市,钱七,0553-3888888\n",
        encoding="utf-8",
    )
    await admin.import_units(app, listing)
    async with app.store.atomic() as tx:
        assert await tx.unit_contact("hefei") == ("王明", "0551-62606335")
        assert await tx.unit_contact("wuhu") == ("钱七", "0553-3888888")
    province = await app.outputs.province_file()
    sheet = openpyxl.load_workbook(io.BytesIO(province.data)).worksheets[0]
    rows = {row[1]: (row[2], row[3]) for row in sheet.iter_rows(min_row=4, max_row=5, values_only=True)}
    assert rows["合肥市委网信办"] == ("王明", "0551-62606335")
    assert rows["芜湖市委网信办"] == ("钱七", "0553-3888888")


async def test_answering_with_the_command_ends_the_question_too(app: App) -> None:
    await app.service.handle("boss", Command("start", await invite(app, "c1", "hefei")))
    await app.service.handle("boss", Command("contact", "王明 13812345678"))
    async with app.store.atomic() as tx:
        assert (await tx.load_session("boss")).waiting == ""
