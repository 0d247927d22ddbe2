"""A unit's members (issue 17.4): the code each joined with is recorded, coordinators (their unit) and
administrators (any unit) list and remove members in the chat and on the command line, a reissue offers
to remove those who joined with the old code, a removed coordinator loses /cases at once, and every
removal is audited."""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path

import aiosqlite
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App, open_app
from bot.settings import Settings as AppSettings
from bot.storage import migrations
from bot.usecases.members import NO, YES
from bot.usecases.response import Response
from dialogs.events import Command, Press, parse_text
from dialogs.wording import t
from tests.helpers import HAPPY
from tests.test_cli import cli

SUBMITTER, COORDINATOR = "sHefeiSubmitter01", "cHefeiCoordinat01"
ADMIN = "tg:1"


def said(response: Response) -> str:
    return "\n".join(r.text for r in response.replies)


async def send(app: App, user: str, message: str) -> Response:
    return await app.service.handle(user, parse_text(message))


@pytest.fixture
async def unit(app: App) -> App:
    """合肥: a coordinator and a submitter who joined by their codes, a submitter made a member directly."""
    async with app.store.atomic() as tx:
        await tx.create_invite(SUBMITTER, "hefei", "submitter")
        await tx.create_invite(COORDINATOR, "hefei", "coordinator")
        await tx.create_invite("cWuhuCoordinato01", "wuhu", "coordinator")
    app.service.admins = frozenset({ADMIN})
    await send(app, "tg:10", f"/start {COORDINATOR}")
    await send(app, "tg:10", "王明 0551-62606335")  # the contact the coordinator is asked for on joining
    await send(app, "wecom:li", SUBMITTER)
    await app.service.assign_unit("term:old", "hefei")
    await send(app, "tg:30", "/start cWuhuCoordinato01")
    return app


async def test_a_coordinator_lists_the_unit_s_members_with_their_codes(unit: App) -> None:
    listed = said(await send(unit, "tg:10", "/members"))
    lines = [line for line in listed.splitlines() if line[:1].isdigit()]
    assert len(lines) == 3
    assert "tg:10" in lines[0] and "联络人" in lines[0] and f"邀请码 {COORDINATOR}（现行）" in lines[0]
    assert "wecom:li" in lines[1] and "申报人" in lines[1] and SUBMITTER in lines[1]
    assert "term:old" in lines[2] and "邀请码未记录" in lines[2]
    assert "/remove" in listed and "tg:30" not in listed  # another unit's members are not shown


@pytest.mark.parametrize(
    ("user", "message", "words"),
    [
        pytest.param("wecom:li", "/members", "仅限", id="a-submitter"),
        pytest.param("tg:999", "/members", "仅限", id="a-stranger"),
        pytest.param("tg:30", "/members hefei", "本单位", id="another-unit-s-coordinator"),
        pytest.param("tg:30", "/remove hefei 1", "本单位", id="another-unit-s-coordinator-removing"),
        pytest.param("tg:999", "/remove 1", "仅限", id="a-stranger-removing"),
    ],
)
async def test_no_one_else_lists_or_removes_a_unit_s_members(unit: App, user: str, message: str, words: str) -> None:
    assert words in said(await send(unit, user, message))
    async with unit.store.atomic() as tx:
        assert len(await tx.members("hefei")) == 3


async def test_a_removal_is_asked_answered_by_number_audited_and_the_member_is_out(unit: App) -> None:
    asked = await send(unit, "tg:10", "/remove 2")
    assert "wecom:li" in said(asked) and "确认" in said(asked)
    assert [b.data for r in asked.replies for row in r.buttons for b in row] == [YES, NO]
    assert "请先答复" in said(await send(unit, "tg:10", "也许"))  # neither yes nor no: still asked
    assert "已将 wecom:li" in said(await send(unit, "tg:10", "1"))  # the first choice, by its number
    async with unit.store.atomic() as tx:
        assert [m.user for m in await tx.members("hefei")] == ["tg:10", "term:old"]
        (entry,) = [e for e in await tx.audit_log("hefei") if e[2] == "remove_member"]  # at, actor, action, …
        assert entry[1] == "tg:10" and "wecom:li" in entry[5]
        assert (await tx.load_session("wecom:li")).unit is None
    answer = said(await send(unit, "wecom:li", "/new"))  # the removed submitter is told how to join again
    assert "邀请码" in answer and "第 1/14 步" not in answer


async def test_no_keeps_the_member(unit: App) -> None:
    await send(unit, "tg:10", "/remove 3")
    assert "未移出" in said(await unit.service.handle("tg:10", Press(NO)))
    async with unit.store.atomic() as tx:
        assert len(await tx.members("hefei")) == 3


async def test_a_removed_coordinator_loses_cases_at_once_and_their_forged_button_does_nothing(unit: App) -> None:
    await send(unit, "tg:10", "/remove 2")  # the coordinator begins to remove the submitter …
    assert "合肥" in said(await send(unit, ADMIN, "/members hefei"))
    await send(unit, ADMIN, "/remove hefei 1")  # … and an administrator removes the coordinator first
    assert "已将 tg:10" in said(await unit.service.handle(ADMIN, Press(YES)))
    assert "仅限" in said(await send(unit, "tg:10", "/cases"))
    assert "仅限" in said(await unit.service.handle("tg:10", Press(YES)))  # the old question's button
    assert "仅限" in said(await send(unit, "tg:10", "/members"))
    async with unit.store.atomic() as tx:
        assert [m.user for m in await tx.members("hefei")] == ["wecom:li", "term:old"]


async def test_a_removed_submitter_s_draft_is_refused_at_submit(unit: App) -> None:
    for answer in [a for a in HAPPY[1:] if a != "1"]:
        await send(unit, "wecom:li", answer)
    await send(unit, ADMIN, "/remove hefei 2")
    await unit.service.handle(ADMIN, Press(YES))
    await send(unit, "wecom:li", "/submit")
    await send(unit, "wecom:li", "确认")
    async with unit.store.atomic() as tx:
        assert await tx.all_cases() == []


async def test_members_from_before_the_migration_are_listed_as_code_unknown(
    settings: AppSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:9])
    async with aiosqlite.connect(settings.db) as db:
        await migrations.migrate(db)
        await db.execute("INSERT INTO members VALUES ('tg:77', 'hefei', 'coordinator', '2024-02-01T00:00:00+00:00')")
        await db.commit()
    monkeypatch.undo()
    async with open_app(settings) as app:
        (member,) = [m for m in await _members(app) if m.user == "tg:77"]
        assert member.invite is None
        assert "邀请码未记录" in said(await send(app, "tg:77", "/members"))


async def _members(app: App) -> list:  # type: ignore[type-arg]
    async with app.store.atomic() as tx:
        return await tx.members()


# -- the command line --------------------------------------------------------------------------------------------


async def _joined(tmp: Path) -> None:
    settings = AppSettings(campaign="demo", db=tmp / "db.sqlite3", out=tmp / "out", _env_file=None)
    async with open_app(settings) as app:
        async with app.store.atomic() as tx:
            await tx.create_invite(COORDINATOR, "hefei", "coordinator")
        await send(app, "tg:10", f"/start {COORDINATOR}")
        await app.service.assign_unit("term:old", "hefei")


async def _after_reissue(tmp: Path) -> tuple[str, list[str], str]:
    settings = AppSettings(campaign="demo", db=tmp / "db.sqlite3", out=tmp / "out", _env_file=None)
    async with open_app(settings) as app:
        leaked = said(await send(app, "tg:66", f"/start {COORDINATOR}"))
        async with app.store.atomic() as tx:
            assert await tx.roles_of("tg:66") == []
            still = [m.user for m in await tx.members("hefei")]
        return leaked, still, said(await send(app, "tg:10", "/cases"))


def test_the_command_line_lists_and_removes_members(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_joined(tmp_path))
    listed = cli(tmp_path, monkeypatch, capsys, "members", "list", "--unit", "hefei")
    assert listed.code == 0 and "tg:10" in listed.out and COORDINATOR in listed.out and "邀请码未记录" in listed.out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer: nobody is removed
    kept = cli(tmp_path, monkeypatch, capsys, "members", "remove", "tg:10", "--unit", "hefei")
    assert kept.code == 1 and "未移出" in kept.out
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    removed = cli(tmp_path, monkeypatch, capsys, "members", "remove", "tg:10", "--unit", "hefei")
    assert removed.code == 0 and "已从" in removed.out
    missing = cli(tmp_path, monkeypatch, capsys, "members", "remove", "tg:10", "--unit", "hefei", "--yes")
    assert missing.code == 2 and "不是" in missing.err
    audit = cli(tmp_path, monkeypatch, capsys, "audit", "--unit", "hefei")
    assert "移出成员" in audit.out
    assert cli(tmp_path, monkeypatch, capsys, "members", "list", "--unit", "nowhere").code == 2


@pytest.mark.parametrize("how", ["--remove-old", "answered-yes", "not-answered"])
def test_a_reissue_offers_to_remove_those_who_joined_with_the_leaked_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    asyncio.run(_joined(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n" if how == "answered-yes" else ""))
    flags = ["--remove-old"] if how == "--remove-old" else []
    ran = cli(tmp_path, monkeypatch, capsys, "invites", "--unit", "hefei", "--reissue", *flags)
    assert ran.code == 0 and "旧邀请码" in ran.out and "tg:10" in ran.out
    leaked, still, cases = asyncio.run(_after_reissue(tmp_path))
    assert "无效" in leaked  # the leaked code, tried by a newcomer
    if how == "not-answered":
        assert still == ["tg:10", "term:old"] and "仅限" not in cases
    else:
        assert still == ["term:old"] and "仅限" in cases


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arg=st.text(max_size=40), answer=st.text(max_size=20))
async def test_any_remove_argument_and_any_answer_but_yes_removes_nobody(unit: App, arg: str, answer: str) -> None:
    """Whatever follows /remove, and whatever is answered: a member goes only after a yes, and is audited."""
    async with unit.store.atomic() as tx:
        before = len(await tx.members("hefei"))
    await unit.service.handle("tg:10", Command("remove", arg))
    reply = await unit.service.handle("tg:10", parse_text(answer) if answer.strip() else Command("members"))
    assert reply.replies
    async with unit.store.atomic() as tx:
        after = len(await tx.members("hefei"))
        removals = [e for e in await tx.audit_log("hefei") if e[2] == "remove_member"]
    assert after + len(removals) == 3  # no membership changes but audited removals
    if after < before:
        assert re.sub(r"[\W_]+$", "", answer.strip()) in t("members.yes_words").split()
