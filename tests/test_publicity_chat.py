"""The publicity in the chat: an admin runs it with /publicity, /showcase and /compilation; a
coordinator answers for each picture of the unit's final cases; everyone else is refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App
from dialogs.events import Command, Press
from tests.helpers import texts
from tests.publicity_data import LETTER, OBJECTOR_PHONE, by_user, cast, pending

ADMIN = "tg:900"


async def say(app: App, user: str, name: str, arg: str = "") -> str:
    return texts((await app.service.handle(user, Command(name=name, arg=arg))).replies)


async def test_an_admin_runs_the_publicity_in_the_chat_and_a_coordinator_consents(app: App, tmp_path: Path) -> None:
    app.service.admins = frozenset({ADMIN})
    app.service.clock = lambda: datetime(2024, 4, 11, 2, 0, tzinfo=UTC)  # type: ignore[method-assign]
    people = await cast(app)
    first, second = people.ids[0], people.ids[1]
    async with app.store.atomic() as tx:
        await tx.record_approved_selection(people.ids[:3], by="省委网信办")

    for command in ("publicity", "showcase", "compilation"):
        assert "仅限省级管理员" in await say(app, "tg:501", command, "notice 2024-04-03 5")
    async with app.store.atomic() as tx:
        assert await tx.publicity_state() is None
    assert "用法" in await say(app, ADMIN, "publicity", "notice 4月3日")
    response = await app.service.handle(ADMIN, Command(name="publicity", arg="notice 2024-04-03 5"))
    assert "2024年4月3日至2024年4月10日" in texts(response.replies)
    assert sorted(f.name.rsplit(".", 1)[1] for f in response.files) == ["docx", "html", "txt"]
    assert len(by_user(await pending(app))) == 7

    said = await say(app, ADMIN, "publicity", f"objection add {second} 2024-04-08 郑秀英 {OBJECTOR_PHONE} {LETTER}")
    assert "已登记第 1 号异议" in said
    assert "用法" in await say(app, ADMIN, "publicity", "objection add 2 昨天 郑秀英")
    assert "异议编号：1" in await say(app, ADMIN, "publicity", "final")
    assert "待处理 1 条" in await say(app, ADMIN, "publicity")
    await say(app, ADMIN, "publicity", "objection check 1 调取台账，注册人数与申报不符。")
    assert "撤出名单" in await say(app, ADMIN, "publicity", "objection decide 1 成立 申报数据与实际不符。")
    assert "名单已确定" in await say(app, ADMIN, "publicity", "final")

    # the coordinator of 合肥 was asked about each picture of the final case: press one, type the other
    asked = [m for m in await pending(app) if m.user == "tg:501"][-1]
    buttons = [data for say_ in asked.says for row in say_.buttons for _, data in row]
    assert f"pc:{first}:1:1" in buttons and f"pc:{first}:2:0" in buttons
    assert not any(f"pc:{second}:" in b for b in buttons)  # the withdrawn case is not asked about
    pressed = await app.service.handle("tg:501", Press(data=f"pc:{first}:1:1"))
    assert "同意公开" in texts(pressed.replies)
    assert "不是本单位" in texts((await app.service.handle("wecom:wangm", Press(data=f"pc:{first}:2:1"))).replies)
    assert "不同意公开" in await say(app, "tg:501", "consent", f"{first} 2 不同意")
    assert "用法" in await say(app, "tg:501", "consent", "一 二 三")

    assert "用法" in await say(app, ADMIN, "publicity", "text 十二 标题")
    pasted = (
        f"text {first} 清风e路：网络文明志愿服务进万家\n蜀山区整合各方力量开展志愿服务。\n二、主要做法\n组建队伍42支。"
    )
    assert "清风e路：网络文明志愿服务进万家" in await say(app, ADMIN, "publicity", pasted)
    site = await say(app, ADMIN, "showcase")
    assert "展示网站已生成" in site and "共 2 个案例" in site
    folder = Path(app.settings.out) / "公示与展示" / "展示网站"
    assert sorted(p.name for p in (folder / "pictures").iterdir()) == [f"case-{first}-1.png"]
    page = (folder / "cases" / f"case-{first}.html").read_text(encoding="utf-8")
    assert "清风e路：网络文明志愿服务进万家" in page and "组建队伍42支。" in page and "二、主要做法" in page
    announced = await app.service.handle(ADMIN, Command(name="publicity", arg="announce"))
    assert any("名单的公布" in f.name for f in announced.files)


WORDS = st.sampled_from(
    [
        "notice",
        "objection",
        "add",
        "check",
        "decide",
        "final",
        "announce",
        "成立",
        "不成立",
        "1",
        "2024-04-08",
        "2024-02-30",
        "9999-99-99",
        "郑秀英",
        "同意",
        "-1",
        "０",
        " ",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["publicity", "consent", "showcase"]), words=st.lists(WORDS | st.text(max_size=30), max_size=7)
)
async def test_whatever_is_typed_gets_a_chinese_answer_and_no_exception(app: App, name: str, words: list[str]) -> None:
    app.service.admins = frozenset({ADMIN})
    for user in (ADMIN, "tg:501"):
        reply = await say(app, user, name, " ".join(words))
        assert re.search(r"[\u4e00-\u9fff]", reply), reply
