"""Experts in the chat on the real service: /start 代码, the 承诺书, the conflict question, gates and
points (bad points refused with the maximum named), a comment, confirm, a change, a half-entered score
surviving a restart; and the access rules for experts, coordinators, submitters and admins."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import open_app
from bot.settings import Settings
from bot.usecases.panel import experts, formal, run
from bot.usecases.reminders import due
from dialogs.events import parse_text
from tests.test_rules_service import coordinator, distinct, submit

TODAY = date(2024, 3, 1)


def said(response) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(r.text for r in response.replies)


async def _panel(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Two units' cases recommended and passed; three experts, one from 合肥; the panel open."""
    for i, unit in enumerate(("hefei", "hefei", "wuhu")):
        await submit(app, f"s{i}", unit, *distinct(i))
    await coordinator(app, "boss", "hefei")
    codes = {}
    for name, unit in (("周明远", "hefei"), ("吴晓岚", None), ("郑国华", None)):
        text = await experts.add_expert(app.store, app.campaign, "cli", name, "某单位", unit)
        codes[name] = re.search(r"邀请码：(e\S{16})", text).group(1)  # type: ignore[union-attr]
    async with app.store.atomic() as tx:
        ids = [c.id for c in await tx.all_cases()]
    for case_id in ids:
        await formal.decide(app.store, app.campaign, "cli", str(case_id), "pass", "", "", TODAY)
    await run.start(app.store, app.campaign, "cli", "2099-01-01", TODAY)
    return codes


async def test_an_expert_scores_in_the_chat_and_a_restart_loses_nothing(tmp_path: Path) -> None:
    settings = Settings(campaign="demo", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)
    async with open_app(settings) as app:
        app.service.admins = frozenset({"admin"})
        codes = await _panel(app)
        handle = app.service.handle
        # 吴晓岚 joins by sending the code itself, as WeCom users do
        joined = await handle("wu", parse_text(codes["吴晓岚"]))
        assert "吴晓岚您好" in said(joined) and "共有 3 个案例" in said(joined)
        assert "已被其他账号使用" in said(await handle("intruder", parse_text(f"/start {codes['吴晓岚']}")))
        first = await handle("wu", parse_text("/score"))
        assert "评审承诺" in said(first) and "同意" in said(first)
        opened = await handle("wu", parse_text("同意"))
        assert "已记录您对评审承诺的确认" in said(opened) and "第 1/3 个案例" in said(opened)
        assert opened.files and opened.files[0].name.endswith(".docx")  # the 推荐表, pictures inside
        assert "利害关系" in said(opened)
        assert "一票否决项 1/2" in said(await handle("wu", parse_text("无")))
        assert "一票否决项 2/2" in said(await handle("wu", parse_text("是")))
        assert "请评分" in said(await handle("wu", parse_text("是")))
        refused = await handle("wu", parse_text("18 45 36"))
        assert "“互联网特征”满分 40 分，不能给 45 分" in said(refused)
        assert "请填写“互联网特征”的分数" in said(await handle("wu", parse_text("18")))
    # a restart in the middle of the points
    async with open_app(settings) as app:
        app.service.admins = frozenset({"admin"})
        handle = app.service.handle
        assert "请填写“创新示范”的分数" in said(await handle("wu", parse_text("35")))
        assert "评审意见" in said(await handle("wu", parse_text("36")))
        confirm = await handle("wu", parse_text("案例特色鲜明。"))
        assert "合计：89 分（满分 100 分）" in said(confirm) and "评审意见：案例特色鲜明。" in said(confirm)
        saved = await handle("wu", parse_text("确认"))
        assert "合计 89 分" in said(saved)
        # a change until close
        again = await handle("wu", parse_text("/score 1"))
        assert "第 1/3 个案例" in said(again) and "一票否决项 1/2" in said(again)  # cleared once, not asked again
        await handle("wu", parse_text("是"))
        assert "理由" in said(await handle("wu", parse_text("否")))
        await handle("wu", parse_text("数据来源不明"))
        await handle("wu", parse_text("10 20 20"))
        await handle("wu", parse_text("无"))
        assert "合计 50 分" in said(await handle("wu", parse_text("确认")))
        # 回避 on the second case
        await handle("wu", parse_text("/score"))
        assert "回避申明" in said(await handle("wu", parse_text("回避 曾参与该案例的策划")))
        progress = said(await handle("wu", parse_text("/scores")))
        assert "已完成 1/2" in progress and "50 分" in progress

        # access: an expert asking for a case not theirs; 周明远 (合肥) is not given 合肥's cases
        await handle("zhou", parse_text(f"/start {codes['周明远']}"))
        assert "未分配给您" in said(await handle("zhou", parse_text("/score 1")))
        assert "未分配给您" in said(await handle("zhou", parse_text("/score 99")))
        zhou = said(await handle("zhou", parse_text("/scores")))
        assert "已完成 0/1" in zhou and "50 分" not in zhou  # never another's scores
        # coordinators and submitters never see scores; /panel is the office's
        for user in ("boss", "s0"):
            assert "仅限评审专家" in said(await handle(user, parse_text("/scores")))
            assert "仅限评审专家" in said(await handle(user, parse_text("/panel status")))
        # the day before the panel's deadline, experts with cases left are reminded, once
        app.service.clock = lambda: datetime(2098, 12, 31, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
        sent = [d for d in await due(app.service) if "尚未评分" in d.replies[0].text]
        assert sorted(d.user for d in sent) == ["wu", "zhou"]
        assert "还有 1 个案例尚未评分" in sent[0].replies[0].text
        assert not [d for d in await due(app.service) if "尚未评分" in d.replies[0].text]
        status = said(await handle("admin", parse_text("/panel status")))
        assert "已完成评分 1/" in status
        closed = said(await handle("admin", parse_text("/panel close")))
        assert "评审已结束" in closed
        assert "评分不能再更改" in said(await handle("wu", parse_text("/score 1")))
        async with app.store.atomic() as tx:
            log = await tx.audit_log()
        actions = [a for _, _, a, *_ in log]
        assert actions.count("score") == 2 and "pledge" in actions and "recuse" in actions and "expert_join" in actions
        assert any("was=89" in detail for *_, detail in log)


async def test_the_office_runs_the_panel_from_the_chat_in_the_command_lines_words(tmp_path: Path) -> None:
    settings = Settings(campaign="demo", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)
    async with open_app(settings) as app:
        app.service.admins = frozenset({"admin"})
        for i, unit in enumerate(("hefei", "wuhu")):
            await submit(app, f"s{i}", unit, *distinct(i))
        await experts.add_expert(app.store, app.campaign, "cli", "吴晓岚", "某单位")
        handle = app.service.handle

        async def panel(words: str) -> str:
            return said(await handle("admin", parse_text(f"/panel {words}")))

        checked = await handle("admin", parse_text("/panel check"))
        assert "形式审查表：2 个案例" in said(checked) and checked.files[0].name.endswith(".xlsx")
        assert "尚未完成形式审查" in await panel("start --until 2099-01-01")
        assert "须写明理由" in await panel("decide 2 reject")
        assert "已记为符合" in await panel("mark 1 paper 是 --on 2024-03-10")
        assert "补正" in await panel("decide 2 amend --reason 推荐意见未盖章 --until 2099-01-01")
        assert "通过" in await panel("decide 1 pass")
        assert "通过" in await panel("decide 2 pass")
        assert "2 个案例，1 名专家" in await panel("start --until 2099-01-01")
        assert "满分 40 分，不能给 41 分" in await panel('enter 1 1 --gates 是,是 --points "18 41 36"')
        assert "合计 89 分" in await panel('enter 1 1 --gates 是,是 --points "18 35 36"')
        assert "用法与命令行" in await panel("fly away")
        assert "用法与命令行" in await panel('review 1 keep --reason "unbalanced')
        async with app.store.atomic() as tx:
            actions = [a for _, _, a, *_ in await tx.audit_log()]
        assert actions.count("score_paper") == 1 and "formal_amend" in actions and "panel_start" in actions
