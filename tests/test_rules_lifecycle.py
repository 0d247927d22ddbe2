"""Returns, the two deadlines, unit lists and the end of personal data, on the running service and
a real SQLite file: a returned case keeps its slot, submitters stop at their cut-off while
coordinators rank until the deadline, nothing is stranded or orphaned, and `casebot purge` ends
what identifies people once the campaign is over."""

from __future__ import annotations

import asyncio
import io
import sqlite3
import zipfile
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.app import App, open_app
from bot.cli import admin, purge
from bot.disk.outputs import OutFile
from bot.settings import Settings
from bot.usecases.reminders import due as due_reminders
from dialogs.events import Command, Pictures, Press, Reply, parse_text
from dialogs.models import CaseState, PictureRef
from tests.test_cli import casebot
from tests.test_rules_service import coordinator, distinct, states, submit, summary_names, text

SHANGHAI = ZoneInfo("Asia/Shanghai")
R, S, B = CaseState.RECOMMENDED, CaseState.SUBMITTED, CaseState.RETURNED


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    """Local time in the campaign's zone on a day of 2024."""
    return datetime(2024, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
async def app24(tmp_path: Path) -> AsyncIterator[App]:
    settings = Settings(campaign="2024", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)
    async with open_app(settings) as running:
        running.service.clock = lambda: at(1)
        running.service.admins = frozenset({"admin"})
        yield running


_SENT: dict[int, list[tuple[str, str]]] = {}


async def told(app: App, user: str) -> str:
    """What reached ``user`` since the last look: notices to other users go through the outbox, which
    is drained here into a recorder, as the running worker would hand them to the user's channel."""
    sent = _SENT.setdefault(id(app), [])

    async def recorder(to: str, replies: Sequence[Reply], files: Sequence[OutFile]) -> None:
        sent.extend((to, r.text) for r in replies)

    app.service.outbox.sender = recorder
    await app.service.outbox.drain()
    mine = [text for to, text in sent if to == user]
    sent[:] = [(to, text) for to, text in sent if to != user]
    return "\n".join(mine)


async def resubmit_phone(app: App, user: str) -> str:
    """The owner answers the reopened 联系方式 and submits again."""
    await app.service.handle(user, parse_text("13812345678"))
    await app.service.handle(user, parse_text("/submit"))
    return text(await app.service.handle(user, parse_text("1")))


# ----------------------------------------------------------------------------- a returned case keeps its slot


async def test_a_return_while_several_submitters_submit_keeps_the_slot_and_the_quota(app24: App) -> None:
    app = app24
    for i in range(3):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    await coordinator(app, "boss", "hefei")
    second = (await app.service.unit_cases("hefei"))[1]
    assert second.rank == 2

    async def give_back() -> None:
        await asyncio.sleep(0)
        await app.service.handle("boss", Command("return", f"{second.id} 7 请提供联系人手机号码"))
        assert "保留推荐名额和推荐位次（第 2 位）" in await told(app, "s1")

    await asyncio.gather(give_back(), *(submit(app, f"n{i}", "hefei", *distinct(3 + i)) for i in range(5)))
    cases = {c.id: c for c in await app.service.unit_cases("hefei")}
    assert (cases[second.id].state, cases[second.id].rank) == (B, 2)
    newcomers = [c for c in cases.values() if c.owner.startswith("n")]
    assert sorted((c.state, c.rank or 0) for c in newcomers) == [(R, 4), (S, 0), (S, 0), (S, 0), (S, 0)]
    assert "第 2 位" in await resubmit_phone(app, "s1")
    after = await app.service.unit_cases("hefei")
    ranks = sorted(c.rank for c in after if c.state is R)
    assert ranks == [1, 2, 3, 4] and next(c for c in after if c.id == second.id).rank == 2
    assert next(c for c in after if c.id == second.id).form.phone == "13812345678"


async def test_a_released_slot_goes_to_a_candidate_and_the_submitter_is_told(app24: App) -> None:
    app = app24
    for i in range(3):
        await submit(app, f"s{i}", "ahtv", *distinct(i))
    await coordinator(app, "boss", "ahtv")
    first, _, third = await app.service.unit_cases("ahtv")
    await app.service.handle("boss", Command("return", f"{first.id} 7 请提供联系人手机号码"))
    full = await app.service.handle("boss", Command("recommend", str(third.id)))
    assert "2/2 已满" in text(full)
    withdraw = await app.service.handle("boss", Command("withdraw", str(first.id)))
    assert f"/release {first.id}" in text(withdraw)
    released = await app.service.handle("boss", Command("release", str(first.id)))
    assert "已释放" in text(released) and "已由本单位联络人释放" in await told(app, "s0")
    assert "已推荐" in text(await app.service.handle("boss", Command("recommend", str(third.id))))
    assert "候选" in await resubmit_phone(app, "s0")


async def test_a_return_not_resubmitted_by_the_cutoff_goes_back_and_the_coordinator_is_told(app24: App) -> None:
    app = app24
    for i in range(2):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    await coordinator(app, "boss", "hefei")
    first = (await app.service.unit_cases("hefei"))[0]
    app.service.clock = lambda: at(7)
    await app.service.handle("boss", Command("return", f"{first.id} 7 请提供联系人手机号码"))
    await app.service.handle("s0", parse_text("13900000000"))  # an unfinished revision
    app.service.clock = lambda: at(9)
    await due_reminders(app.service)  # the loop that also puts back returned cases whose cut-off passed
    notices = {user: await told(app, user) for user in ("boss", "s0")}
    assert "已按原提交内容恢复为“已推荐”" in notices["boss"] and "2024年3月8日 23:59" in notices["boss"]
    assert "修改未被采用" in notices["s0"]
    restored = (await app.service.unit_cases("hefei"))[0]
    assert (restored.id, restored.state, restored.rank) == (first.id, R, 1)
    summary = app.settings.out / "合肥市委网信办" / "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx"
    assert summary_names(summary.read_bytes()) == [distinct(0)[0], distinct(1)[0]]  # the file shows it again
    assert restored.form.phone == first.form.phone  # the last submitted version
    async with app.store.atomic() as tx:
        assert (await tx.load_session("s0")).draft is None
    assert not [d for d in await due_reminders(app.service) if "恢复" in d.replies[0].text]  # once


# ----------------------------------------------------------------------------- two deadlines


async def test_submitters_stop_at_the_campaigns_cutoff_while_coordinators_still_rank(app24: App) -> None:
    app = app24
    await app.service.assign_unit("a", "hefei")
    start = await app.service.handle("a", parse_text("/start"))
    assert "距申报截止（2024年3月8日）还有 7 天" in text(start)
    for i in range(2):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    await coordinator(app, "boss", "hefei")
    listing = await app.service.handle("boss", Command("cases"))
    assert "申报人提交和修改截止：2024年3月8日 23:59；推荐名单确认截止：2024年3月11日 23:59" in text(listing)
    app.service.clock = lambda: at(9)
    await app.service.assign_unit("c", "hefei")
    late = await app.service.handle("c", parse_text("/start"))
    await submit(app, "c", "hefei", *distinct(5))
    assert "2024年3月8日 23:59 截止" in text(late) and len(await app.service.unit_cases("hefei")) == 2
    second = (await app.service.unit_cases("hefei"))[1]
    assert "已将" in text(await app.service.handle("boss", Command("rank", f"{second.id} 1")))


async def test_a_coordinator_sets_an_earlier_cutoff_for_the_unit_only(app24: App) -> None:
    app = app24
    await coordinator(app, "boss", "hefei")
    assert "不能晚于 2024年3月8日" in text(await app.service.handle("boss", Command("cutoff", "2024-03-09")))
    assert "不是有效的日期" in text(await app.service.handle("boss", Command("cutoff", "下周")))
    assert "不能设定" in text(await app.service.handle("someone", Command("cutoff", "2024-03-05")))
    done = await app.service.handle("boss", Command("cutoff", "2024年3月5日"))
    assert "2024年3月5日 23:59" in text(done)
    await app.service.assign_unit("a", "hefei")
    assert "2024年3月5日" in text(await app.service.handle("a", parse_text("/start")))
    app.service.clock = lambda: at(6)
    await app.service.assign_unit("a2", "hefei")
    refused = await app.service.handle("a2", parse_text("/start"))
    await submit(app, "a2", "hefei", *distinct(0))
    assert "2024年3月5日 23:59 截止" in text(refused) and await states(app, "hefei") == []
    elsewhere = await submit(app, "w", "wuhu", *distinct(1))
    assert "已提交" in text(elsewhere)
    async with app.store.atomic() as tx:  # stored, so a restart keeps it, and audited
        assert await tx.cutoffs() == {"hefei": date(2024, 3, 5)}
        assert [(a, d) for _, _, a, _, _, d in await tx.audit_log("hefei")] == [("cutoff", "2024-03-05")]


async def test_a_return_near_the_cutoff_is_taken_before_and_refused_after_with_the_reason(app24: App) -> None:
    app = app24
    for i in range(2):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    await coordinator(app, "boss", "hefei")
    first, second = await app.service.unit_cases("hefei")
    app.service.clock = lambda: at(8, 23, 58)
    asked = await app.service.handle("boss", Press(f"co:ret:{first.id}:recommended1"))
    assert "申报人须在 2024年3月8日 23:59 前重新提交；退回期间本案例保留推荐名额和位次" in text(asked)
    await app.service.handle("boss", Command("return", f"{first.id} 7 请提供联系人手机号码"))
    assert "请于 2024年3月8日 23:59 前重新提交" in await told(app, "s0")
    app.service.clock = lambda: at(9, 0, 1)
    before = await states(app, "hefei")
    late_button = await app.service.handle("boss", Press(f"co:ret:{second.id}:recommended2"))
    assert "不予退回" in text(late_button)
    assert "未在 2024年3月8日 23:59 前重新提交" in await told(app, "s0")  # the first one, not revised, went back
    refused = await app.service.handle("boss", Command("return", f"{second.id} 7 请提供联系人手机号码"))
    assert "不予退回" in text(refused) and "2024年3月8日 23:59" in text(refused) and not await told(app, "s1")
    assert [s for s in await states(app, "hefei") if s[0] == distinct(1)[0]] == [
        s for s in before if s[0] == distinct(1)[0]
    ]


async def test_an_extension_lets_a_returned_case_be_revised_after_the_cutoff(app24: App) -> None:
    app = app24
    for i in range(2):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    await coordinator(app, "boss", "hefei")
    first = (await app.service.unit_cases("hefei"))[0]
    app.service.clock = lambda: at(8, 20)
    await app.service.handle("boss", Command("return", f"{first.id} 7 请提供联系人手机号码"))
    app.service.clock = lambda: at(9)
    assert "截止" in text(await app.service.handle("s0", parse_text("13812345678")))
    extended = await app.service.handle("admin", Command("extend", "2024-03-15 hefei"))
    assert "2024年3月15日" in text(extended)
    assert "第 1 位" in await resubmit_phone(app, "s0")
    app.service.clock = lambda: at(14)
    second = (await app.service.unit_cases("hefei"))[1]
    assert "已将" in text(await app.service.handle("boss", Command("up", str(second.id))))
    app.service.clock = lambda: at(16)
    assert "不能再调整" in text(await app.service.handle("boss", Command("up", str(first.id))))


# ----------------------------------------------------------------------------- 繁体


async def test_the_same_case_in_traditional_characters_is_refused(app24: App) -> None:
    await submit(app24, "a", "hefei", "网络文明进校园系列活动", "组织网络文明志愿者走进全市中小学开展宣讲。")
    response = await submit(app24, "b", "wuhu", "網絡文明進校園系列活動", "組織網絡文明志願者走進全市中小學開展宣講。")
    assert "重复" in text(response) or "高度相似" in text(response)
    assert await states(app24, "wuhu") == []


# ----------------------------------------------------------------------------- unit lists


def unit_list(path: Path, *rows: str) -> Path:
    path.write_text("代码,名称,类型\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


async def test_an_import_that_would_orphan_cases_or_members_is_refused_unless_forced(
    app: App, settings: Settings, tmp_path: Path
) -> None:
    await submit(app, "w", "wuhu", *distinct(0))
    await coordinator(app, "boss", "huaibei")
    short = unit_list(tmp_path / "units.csv", "hefei,合肥市委网信办,市", "xyz,省某厅,其他")
    with pytest.raises(admin.Refused) as refused:
        await admin.import_units(app, short)
    message = str(refused.value)
    assert "wuhu\t芜湖市委网信办：案例 1 个，成员 1 人" in message
    assert "huaibei\t淮北市委网信办：案例 0 个，成员 1 人" in message and "--force" in message
    async with app.store.atomic() as tx:
        assert await tx.units() == [] and await tx.retired_units() == []
    done = await admin.import_units(app, short, force=True)
    assert "已导入 2 个推荐单位" in done and "芜湖市委网信办" in done
    async with open_app(settings) as again:
        assert [u.code for u in again.campaign.units] == ["hefei", "xyz"]
        assert again.campaign.unit("wuhu") is not None and len(await again.service.unit_cases("wuhu")) == 1
        province = await again.outputs.province_file()
        book = openpyxl.load_workbook(io.BytesIO(province.data))
        cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value}
        assert distinct(0)[0] in cells and any("芜湖市委网信办" in c for c in cells)
        archive = zipfile.ZipFile(await admin.export(again, tmp_path / "export.zip"))
        assert any(name.startswith("芜湖市委网信办/") for name in archive.namelist())
    relisted = unit_list(tmp_path / "again.csv", "hefei,合肥市委网信办,市", "wuhu,芜湖市委网信办,市")
    await admin.import_units(app, relisted, force=True)
    async with app.store.atomic() as tx:
        assert [u.code for u in await tx.retired_units()] == ["huaibei"]


def test_the_command_line_refuses_an_orphaning_import_and_takes_it_with_force(tmp_path: Path) -> None:
    settings = Settings(campaign="demo", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)

    async def member() -> None:
        async with open_app(settings) as app:
            await app.service.assign_unit("x", "wuhu")

    asyncio.run(member())
    unit_list(tmp_path / "units.csv", "hefei,合肥市委网信办,市")
    refused = casebot(tmp_path, "units", "import", "units.csv")
    assert refused.returncode == 2 and "wuhu" in refused.stderr and "原名单不变" in refused.stderr
    assert "wuhu" in casebot(tmp_path, "units", "list").stdout
    forced = casebot(tmp_path, "units", "import", "units.csv", "--force")
    assert forced.returncode == 0 and "芜湖市委网信办" in forced.stdout


# ----------------------------------------------------------------------------- purge


def picture(sha: str) -> PictureRef:
    return PictureRef(sha256=sha, mime="image/jpeg", width=10, height=10, size=3)


async def test_purge_removes_personal_data_and_keeps_the_records(app24: App, settings: Settings) -> None:
    app = app24
    for i in range(3):
        await submit(app, f"s{i}", "ahtv", *distinct(i))
    await coordinator(app, "boss", "ahtv")
    await app.service.assign_unit("drafter", "hefei")
    await app.service.handle("drafter", parse_text("/start"))
    await app.service.handle("drafter", parse_text("未完成的案例"))
    first, _, third = await app.service.unit_cases("ahtv")
    async with app.store.atomic() as tx:
        for sha, case in (("a" * 64, first), ("c" * 64, third)):
            await tx.put_picture(sha, b"jpg")
            await tx.update_case(case.id, form=case.form.model_copy(update={"pictures": [picture(sha)]}))
    app.service.clock = lambda: at(11, 23)
    with pytest.raises(admin.Refused, match="尚未结束"):
        await purge.purge(app)
    app.service.clock = lambda: at(1, month=4)
    preview = await purge.purge_preview(app)
    assert "未提交的草稿：1 份" in preview and "未推荐案例的图片：1 张" in preview
    done = await purge.purge(app)
    assert "单位成员的聊天账号：5 个" in done and "已提交案例上的申报人聊天账号：3 个" in done
    async with app.store.atomic() as tx:
        assert await tx.picture("a" * 64) == b"jpg" and await tx.picture("c" * 64) is None
        assert await tx.roles_of("boss") == [] and await tx.users_with_drafts() == []
        cases = await tx.cases_of_unit("ahtv")
        assert [(c.state, c.owner) for c in cases] == [(R, ""), (R, ""), (S, "")]
        assert [a for _, _, a, *_ in await tx.audit_log()][-1] == "purge"
    with sqlite3.connect(settings.db.parent / "db.sqlite3") as raw:
        assert raw.execute("SELECT COUNT(*) FROM sessions").fetchone() == (0,)
        assert raw.execute("SELECT COUNT(*) FROM events").fetchone() == (0,)
        for table in ("outbox", "receipts", "album_parts", "inbox"):  # queued and received messages name chat ids
            assert raw.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
    assert (
        "待发、已发和收到的消息记录" in done
        and "消息记录（发件箱、回执、相册与粘贴分段、企业微信收件箱）：0 条" not in done
    )
    assert list((app.settings.out / "安徽广播电视台").glob("*.xlsx"))  # the files stay


def test_purge_on_the_command_line_asks_first(tmp_path: Path) -> None:
    settings = Settings(campaign="2024", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)

    async def member() -> None:
        async with open_app(settings) as app:
            await app.service.assign_unit("x", "wuhu")

    asyncio.run(member())
    no = casebot(tmp_path, "purge", "--campaign", "2024", stdin="否\n")
    assert no.returncode == 1 and "单位成员的聊天账号：1 个" in no.stdout and "已取消" in no.stdout
    yes = casebot(tmp_path, "purge", "--campaign", "2024", "--yes")
    assert yes.returncode == 0 and "已清除" in yes.stdout and "单位成员的聊天账号：1 个" in yes.stdout
    again = casebot(tmp_path, "purge", "--campaign", "2024", "--yes")
    assert again.returncode == 0 and "单位成员的聊天账号：0 个" in again.stdout
    (tmp_path / "demo").mkdir()
    running = casebot(tmp_path / "demo", "purge", "--yes")  # the demo campaign's deadline is in 2030
    assert running.returncode == 2 and "尚未结束" in running.stderr


async def test_after_the_purge_no_chat_id_is_left_in_the_file_and_phones_only_where_they_belong(
    app24: App, settings: Settings
) -> None:
    """Members joined by invitation on three channels, two submissions, a contact set twice, a return whose
    comment gives a phone, a sealed scan and an administrator's extension; after the purge and its VACUUM
    the file's bytes hold none of the chat ids, the replaced phone nor the comment's phone, and the
    unit's current phone only once (the 汇总表 header). The audit names people by role and unit."""
    from tests.test_rules_service import answers
    from tests.test_scans import photo

    app = app24
    admin_id, submitters, boss, deputy = "tg:900", ("tg:30117", "tg:30118"), "wecom:zhangsan.hf", "term:lihua_hf"
    app.service.admins = frozenset({admin_id})
    await admin.invites(app, "bot", "hefei", reissue=False)
    async with app.store.atomic() as tx:
        codes = {i.role: i.code for i in await tx.invites("hefei")}
    for user, role in ((boss, "coordinator"), (deputy, "coordinator"), *((s, "submitter") for s in submitters)):
        await app.service.handle(user, Command("start", codes[role]))
    for user, (name, summary) in zip(submitters, (distinct(0), distinct(1)), strict=True):
        for line in answers(name, summary):
            await app.service.handle(user, parse_text(line))
    first, second = sorted(await app.service.unit_cases("hefei"), key=lambda c: c.id)
    old_phone, phone, comment_phone = "13812345678", "13912345679", "0551-65551234"
    await app.service.handle(boss, Command("contact", f"王明 {old_phone}"))
    await app.service.handle(deputy, Command("contact", f"李华 {phone}"))
    await app.service.handle(boss, Command("return", f"{first.id} 7 请补充，如有疑问请致电 {comment_phone}（{boss}）"))
    await app.service.handle(deputy, Command("scan", str(second.id)))
    await app.service.handle(deputy, Pictures(items=(photo(),)))
    await app.service.handle(deputy, Command("done"))
    await app.service.handle(admin_id, Command("extend", "2024-03-15 hefei"))
    async with app.store.atomic() as tx:
        actors = {actor for _, actor, *_ in await tx.audit_log()}
    assert {boss, deputy, admin_id, *submitters} <= actors  # the test has something to clear

    app.service.clock = lambda: at(1, month=4)
    assert "去除电话号码的记录：" in await purge.purge_preview(app)
    done = await purge.purge(app)
    assert "操作日志中改写" in done

    db = settings.db.parent / "db.sqlite3"
    raw = b"".join(p.read_bytes() for p in db.parent.glob("db.sqlite3*"))  # the file and any WAL left
    for secret in (admin_id, *submitters, boss, deputy, "30117", "zhangsan.hf", "lihua_hf", old_phone, comment_phone):
        assert secret.encode() not in raw, secret
    assert raw.count(phone.encode()) == 1  # the 汇总表 header's phone, in unit_contacts alone
    assert raw.count(b"0551-62606335") == 2  # each case form's own 联系方式
    async with app.store.atomic() as tx:
        log = await tx.audit_log()
        assert await tx.unit_contact("hefei") == ("李华", phone)
    people = {actor for _, actor, *_ in log} - {"cli", "casebot"}
    assert people == {"联络人（hefei）", "申报人（hefei）", "管理员"}
    submits = [actor for _, actor, action, *_ in log if action == "submit"]
    assert submits == ["申报人（hefei）", "申报人（hefei）"]
    contacts = [detail for _, _, action, _, _, detail in log if action == "contact"]
    assert contacts == ["王明 ［电话已删除］", "李华 ［电话已删除］"]
    returned = next(detail for _, _, action, _, _, detail in log if action == "return")
    assert returned == "请补充，如有疑问请致电 ［电话已删除］（联络人（hefei））"
    assert [action for _, _, action, *_ in log][-2:] == ["pseudonymise", "purge"]
    assert "将操作日志中的聊天账号改写为身份和单位" in await admin.audit(app, None, None)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit SET detail = 'x'")  # the trigger is back

    again = await purge.purge(app)  # a second purge finds nothing more to rewrite
    assert "去除电话号码的记录：0 条" in again
