"""The notice's rules held by the running service on a real SQLite file: quotas, ranking, no
duplicates, the deadline, return for revision, reminders, and who may see what."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from bot.app import App, open_app
from bot.settings import Settings
from bot.usecases.reminders import due as due_reminders
from bot.usecases.response import Response
from dialogs.events import Command, Press, parse_text
from dialogs.models import CaseState
from tests.helpers import HAPPY


def answers(name: str, summary: str | None = None) -> list[str]:
    """A whole form for a submitter whose unit is fixed (no 推荐单位 step)."""
    body = [a for a in HAPPY if a != "1"]  # drop the unit choice
    body[1] = name
    if summary is not None:
        body[body.index(HAPPY[8])] = summary
    return body + ["/submit", "1"]


SAMPLES = [
    ("清朗网络共建行动", "联合属地平台集中整治网络谣言和不良信息，建立举报快速处置机制。"),
    ("指尖上的文明课堂", "面向中小学生开设网络素养公开课，教师与家长共同参与线上学习。"),
    ("法润网络普法直播", "律师团队每周在线直播解读典型案例，网民现场提问互动踊跃。"),
    ("护苗成长守护计划", "为未成年人上网设置守护模式，社区志愿者入户指导家庭使用。"),
    ("红色记忆云展馆", "将革命文物数字化后在线展出，三维漫游让观众身临其境参观。"),
    ("非遗匠人直播间", "邀请非遗传承人在短视频平台展示技艺，带动手工产品销售增收。"),
    ("银发族数字助老", "组织大学生志愿者教老年人使用智能手机，解决出行就医难题。"),
    ("乡村振兴主播培训", "培训农民掌握电商直播技能，打造本地农产品网络品牌矩阵。"),
    ("网络诚信承诺行动", "引导商户在线签署诚信经营承诺书，消费纠纷率明显下降。"),
    ("正能量短视频大赛", "征集身边好人好事短视频作品，优秀作品获千万次播放转发。"),
    ("网络公益接力跑", "以线上捐步方式为山区学校募集图书，参与企业配捐物资。"),
    ("文明上网评议团", "招募网民代表定期评议平台内容生态，意见建议纳入整改清单。"),
]


def distinct(i: int) -> tuple[str, str]:
    return SAMPLES[i]


async def submit(app: App, user: str, unit: str, name: str, summary: str | None = None) -> Response:
    await app.service.assign_unit(user, unit)
    response = Response()
    for line in answers(name, summary):
        response = await app.service.handle(user, parse_text(line))
    return response


def text(response: Response) -> str:
    return "\n".join(r.text for r in response.replies)


async def coordinator(app: App, user: str, unit: str) -> None:
    await app.service.assign_unit(user, unit, role="coordinator")


async def states(app: App, unit: str) -> list[tuple[str, CaseState, int | None]]:
    async with app.store.atomic() as tx:
        return [(c.form.name or "", c.state, c.rank) for c in await tx.cases_of_unit(unit)]


def summary_names(data: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = next(r for r in range(1, 15) if sheet.cell(r, 1).value == "序号")
    names = []
    for row in range(header + 1, sheet.max_row + 1):
        if isinstance(sheet.cell(row, 1).value, int):
            names.append(sheet.cell(row, 2).value)
    return names


async def test_a_submitted_case_is_recommended_and_its_files_written(app: App, settings: Settings) -> None:
    response = await submit(app, "alice", "hefei", "清朗网络共建行动")
    assert "已列入合肥市委网信办推荐名单第 1 位" in text(response)
    assert response.files[0].name == "01-清朗网络共建行动-推荐表.docx"
    folder = settings.out / "合肥市委网信办"
    assert (folder / "01-清朗网络共建行动-推荐表.docx").exists()
    summary = folder / "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx"
    assert summary_names(summary.read_bytes()) == ["清朗网络共建行动"]


async def test_the_fifth_case_of_a_city_is_a_candidate_and_cannot_be_recommended(app: App) -> None:
    for i in range(5):
        response = await submit(app, f"s{i}", "hefei", *distinct(i))
    assert "推荐名额 4/4 已满" in text(response)
    await coordinator(app, "boss", "hefei")
    rows = await states(app, "hefei")
    assert [r[2] for r in rows] == [1, 2, 3, 4, None] and rows[4][1] is CaseState.SUBMITTED
    fifth = (await app.service.unit_cases("hefei"))[4].id
    refused = await app.service.handle("boss", Command("recommend", str(fifth)))
    assert "本单位推荐名额 4/4 已满" in text(refused)
    assert await states(app, "hefei") == rows


async def test_the_third_case_of_another_unit_cannot_be_recommended(app: App) -> None:
    for i in range(3):
        await submit(app, f"s{i}", "ahtv", *distinct(i))
    await coordinator(app, "boss", "ahtv")
    third = (await app.service.unit_cases("ahtv"))[2]
    assert third.state is CaseState.SUBMITTED
    refused = await app.service.handle("boss", Command("recommend", str(third.id)))
    assert "本单位推荐名额 2/2 已满" in text(refused)


async def test_rank_changes_are_reflected_in_the_rebuilt_summary(app: App, settings: Settings) -> None:
    for i in range(3):
        await submit(app, f"s{i}", "wuhu", *distinct(i))
    await coordinator(app, "boss", "wuhu")
    cases = await app.service.unit_cases("wuhu")
    listing = await app.service.handle("boss", Command("cases"))
    up = next(
        b.data for r in listing.replies for row in r.buttons for b in row if b.data.startswith(f"co:up:{cases[2].id}:")
    )
    await app.service.handle("boss", Press(up))
    again = await app.service.handle("boss", Press(up))  # the same button twice: the second is stale
    assert "已失效" in text(again)
    summary = settings.out / "芜湖市委网信办" / "2024年网络文明建设优秀案例推荐汇总表-芜湖市委网信办.xlsx"
    names = [c.form.name for c in cases]
    assert summary_names(summary.read_bytes()) == [names[0], names[2], names[1]]
    await app.service.handle("boss", Command("rank", f"{cases[2].id} 1"))
    await app.service.handle("boss", Command("withdraw", str(cases[0].id)))
    assert summary_names(summary.read_bytes()) == [names[2], names[1]]
    files = sorted(p.name for p in summary.parent.glob("*.docx"))
    assert files == sorted([f"01-{names[2]}-推荐表.docx", f"02-{names[1]}-推荐表.docx", f"候选-{names[0]}-推荐表.docx"])


async def test_the_same_case_sent_from_two_units_is_refused(app: App) -> None:
    await submit(app, "a", "hefei", "清朗网络共建行动")
    response = await submit(app, "b", "wuhu", "清朗网络 共建行动！")
    assert "已有相同或高度相似的案例" in text(response) or "重复" in text(response)
    assert "合肥" not in text(response)
    assert await states(app, "wuhu") == []


async def test_a_near_duplicate_asks_first_and_flags_both(app: App) -> None:
    await submit(app, "a", "hefei", "指尖上的网络文明进校园活动", "组织网络文明志愿者走进全市中小学开展宣讲。")
    response = await submit(
        app, "b", "wuhu", "指尖上的网络文明进社区活动", "依托新时代文明实践站在社区开展网络安全讲座。"
    )
    assert "相近" in text(response) and await states(app, "wuhu") == []
    assert "合肥" not in text(response)
    confirm = await app.service.handle("b", parse_text("1"))
    assert "已提交" in text(confirm)
    [mine] = await app.service.unit_cases("wuhu")
    [theirs] = await app.service.unit_cases("hefei")
    assert mine.flags and theirs.flags


async def test_a_coordinator_gets_the_summary_and_a_submitter_is_refused(app: App) -> None:
    await submit(app, "alice", "hefei", "清朗网络共建行动")
    await coordinator(app, "boss", "hefei")
    got = await app.service.handle("boss", Command("summary"))
    assert got.files and summary_names(got.files[0].data) == ["清朗网络共建行动"]
    refused = await app.service.handle("alice", Command("summary"))
    assert not refused.files and "联络人" in text(refused)
    other = await app.service.handle("carol", Command("cases"))
    assert "清朗" not in text(other)


async def test_a_coordinator_cannot_touch_another_units_case(app: App) -> None:
    await submit(app, "alice", "hefei", "清朗网络共建行动")
    await coordinator(app, "boss", "wuhu")
    [case] = await app.service.unit_cases("hefei")
    response = await app.service.handle("boss", Command("withdraw", str(case.id)))
    assert "无权" in text(response) and "清朗" not in text(response)


async def test_a_returned_case_reopens_at_the_named_field_and_keeps_its_row(app: App, settings: Settings) -> None:
    for i in range(2):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    await coordinator(app, "boss", "hefei")
    first = (await app.service.unit_cases("hefei"))[0]
    response = await app.service.handle("boss", Command("return", f"{first.id} 7 请提供联系人手机号码"))
    assert "退回" in text(response)
    told = "\n".join(say.text for m in await app.service.outbox.pending_messages() if m.user == "s0" for say in m.says)
    assert "请提供联系人手机号码" in told and "第 7/14 步" in told
    assert (await states(app, "hefei"))[0][1:] == (CaseState.RETURNED, 1)  # its slot is kept
    reply = await app.service.handle("s0", parse_text("13812345678"))
    assert "第 14/14 步" in text(reply)
    await app.service.handle("s0", parse_text("/submit"))
    done = await app.service.handle("s0", parse_text("1"))
    assert "第 1 位" in text(done)
    cases = await app.service.unit_cases("hefei")
    assert [(c.id, c.rank) for c in cases] == [(first.id, 1), (cases[1].id, 2)]
    assert cases[0].form.phone == "13812345678"
    summary = settings.out / "合肥市委网信办" / "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx"
    assert summary_names(summary.read_bytes()) == [distinct(0)[0], distinct(1)[0]]


@pytest.fixture
async def app2024(tmp_path: Path) -> AsyncIterator[App]:
    settings = Settings(campaign="2024", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)
    async with open_app(settings) as running:
        running.service.clock = lambda: datetime(2024, 3, 12, 1, 0, tzinfo=UTC)  # 09:00 on 3月12日
        running.service.admins = frozenset({"admin"})
        yield running


async def test_after_the_deadline_submissions_are_refused_until_extended(app2024: App) -> None:
    app = app2024
    await app.service.assign_unit("a", "hefei")
    response = await app.service.handle("a", parse_text("/start"))
    assert "2024年3月8日 23:59" in text(response) and "截止" in text(response)
    refused = await app.service.handle("a", Command("extend", "2024-03-15"))
    assert "管理员" in text(refused)
    extended = await app.service.handle("admin", Command("extend", "2024-03-15"))
    assert "2024年3月15日" in text(extended)
    done = await submit(app, "a", "hefei", "清朗网络共建行动")
    assert "已提交" in text(done)


async def test_reminders_are_sent_once_across_a_restart(tmp_path: Path) -> None:
    settings = Settings(campaign="2024", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)
    early = lambda: datetime(2024, 3, 1, 1, 0, tzinfo=UTC)  # noqa: E731
    async with open_app(settings) as app:
        app.service.clock = early
        await app.service.assign_unit("drafter", "hefei")
        await app.service.handle("drafter", parse_text("/start"))
        await coordinator(app, "boss", "hefei")
        assert await due_reminders(app.service) == []
        app.service.clock = lambda: datetime(2024, 3, 5, 2, 0, tzinfo=UTC)  # 3月5日 10:00: 3 days to the cut-off
        [sent] = await due_reminders(app.service)
        assert sent.user == "drafter" and "2024年3月8日 23:59" in sent.replies[0].text
        assert "还有 3 天" in sent.replies[0].text and "3月11日" not in sent.replies[0].text
        app.service.clock = lambda: datetime(2024, 3, 8, 2, 0, tzinfo=UTC)  # 3月8日 10:00
        sent_now = {d.user: d.replies[0].text for d in await due_reminders(app.service)}
        assert sorted(sent_now) == ["boss", "drafter"]
        assert "今天是申报截止日" in sent_now["drafter"]
        assert "还有 3 天" in sent_now["boss"] and "2024年3月11日 23:59" in sent_now["boss"]
    async with open_app(settings) as app:
        app.service.clock = lambda: datetime(2024, 3, 8, 5, 0, tzinfo=UTC)
        assert await due_reminders(app.service) == []
        app.service.clock = lambda: datetime(2024, 3, 10, 2, 0, tzinfo=UTC)
        assert [d.user for d in await due_reminders(app.service)] == ["boss"]
        assert await due_reminders(app.service) == []


async def test_many_submitters_and_two_coordinators_at_once_keep_the_rules(app: App) -> None:
    """Real concurrent tasks on one database file: the quota holds, 序号 1..n, every case present."""
    await coordinator(app, "boss1", "hefei")
    await coordinator(app, "boss2", "hefei")
    for i in range(4):
        await submit(app, f"early{i}", "hefei", *distinct(i))

    async def shuffle(boss: str) -> None:
        for _ in range(15):
            cases = await app.service.unit_cases("hefei")
            for case in cases:
                verb = "withdraw" if case.state is CaseState.RECOMMENDED and case.id % 2 else "recommend"
                await app.service.handle(boss, Command(verb, str(case.id)))
                await app.service.handle(boss, Command("up", str(case.id)))

    await asyncio.gather(
        *(submit(app, f"late{i}", "hefei", *distinct(i + 4)) for i in range(8)),
        shuffle("boss1"),
        shuffle("boss2"),
    )
    cases = await app.service.unit_cases("hefei")
    assert len(cases) == 12
    ranks = sorted(c.rank for c in cases if c.state is CaseState.RECOMMENDED)
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 4
    assert all(c.rank is None for c in cases if c.state is not CaseState.RECOMMENDED)


async def test_two_submissions_at_the_same_moment_both_appear_in_the_file(app: App, settings: Settings) -> None:
    await asyncio.gather(submit(app, "a", "hefei", *distinct(0)), submit(app, "b", "hefei", *distinct(1)))
    summary = settings.out / "合肥市委网信办" / "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx"
    assert sorted(summary_names(summary.read_bytes())) == sorted([distinct(0)[0], distinct(1)[0]])
    assert not list(summary.parent.glob("*.tmp*"))


async def test_after_the_cutoff_coordinators_still_rank_and_after_the_deadline_only_download(app2024: App) -> None:
    app = app2024
    app.service.clock = lambda: datetime(2024, 3, 1, 1, 0, tzinfo=UTC)
    for i in range(2):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    await coordinator(app, "boss", "hefei")
    app.service.clock = lambda: datetime(2024, 3, 10, 1, 0, tzinfo=UTC)  # after the cut-off, before the deadline
    second = (await app.service.unit_cases("hefei"))[1]
    moved = await app.service.handle("boss", Command("up", str(second.id)))
    assert "已将" in text(moved)
    assert "仍可调整推荐排序" in text(moved)  # the list states the coordinators' dates
    late = await app.service.handle("s0", parse_text("/new"))
    assert "2024年3月8日 23:59 截止" in text(late)
    app.service.clock = lambda: datetime(2024, 3, 20, 1, 0, tzinfo=UTC)
    before = await states(app, "hefei")
    refused = await app.service.handle("boss", Command("up", str(second.id)))
    assert "不能再调整" in text(refused) and await states(app, "hefei") == before
    got = await app.service.handle("boss", Command("summary"))
    assert summary_names(got.files[0].data) == [distinct(1)[0], distinct(0)[0]]


async def test_the_overview_counts_every_unit_for_administrators_only(app2024: App) -> None:
    app = app2024
    app.service.clock = lambda: datetime(2024, 3, 1, 1, 0, tzinfo=UTC)
    for i in range(3):
        await submit(app, f"s{i}", "ahtv", *distinct(i))
    overview = text(await app.service.handle("admin", Command("overview")))
    assert "安徽广播电视台：已提交 3，已推荐 2/2" in overview and "推荐名单确认截止：2024年3月11日" in overview
    assert "合肥市委网信办：已提交 0，已推荐 0/4" in overview
    assert "管理员" in text(await app.service.handle("s0", Command("overview")))


async def test_an_invitation_revoked_by_reissue_no_longer_admits(app: App) -> None:
    from bot.cli import admin

    first = await admin.invites(app, "bot", "hefei", reissue=False)
    old = first.splitlines()[0].rpartition("start=")[2]
    await admin.invites(app, "bot", "hefei", reissue=True)
    refused = await app.service.handle("x", Command("start", old))
    assert "无效或已被撤销" in text(refused)
    async with app.store.atomic() as tx:
        assert await tx.roles_of("x") == []
