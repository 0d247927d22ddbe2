"""`casebot publicity …`, `casebot showcase`, `casebot compilation` on a real database file, in Chinese."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import open_app
from bot.settings import Settings
from tests.publicity_data import LETTER, OBJECTOR, OBJECTOR_PHONE, cast
from tests.test_cli import Ran, cli


def prepared(tmp: Path) -> list[int]:
    async def go() -> list[int]:
        settings = Settings(campaign="demo", db=tmp / "db.sqlite3", out=tmp / "out", _env_file=None)
        async with open_app(settings) as app:
            people = await cast(app)
            async with app.store.atomic() as tx:
                await tx.record_approved_selection(people.ids[:3], by="省委网信办")
            return people.ids

    return asyncio.run(go())


def test_the_whole_publicity_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = prepared(tmp_path)

    def run(*args: str) -> Ran:
        return cli(tmp_path, monkeypatch, capsys, *args)

    ran = run("publicity", "notice", "--start", "2024-04-03", "--days", "5", "notice")
    assert ran.code == 0 and "2024年4月3日至2024年4月10日（5个工作日）" in ran.out and "通知 7 条" in ran.out
    assert (tmp_path / "notice" / "关于2024年全省网络文明建设优秀案例拟入选名单的公示.docx").is_file()
    letter = tmp_path / "letter.txt"
    letter.write_text(LETTER, encoding="utf-8")
    ran = run(
        "publicity",
        "objection",
        "add",
        str(ids[1]),
        "--received",
        "2024-04-08",
        "--name",
        OBJECTOR,
        "--contact",
        OBJECTOR_PHONE,
        "--file",
        str(letter),
    )
    assert ran.code == 0 and "已登记第 1 号异议" in ran.out
    ran = run("publicity", "final", "--today", "2024-04-11")
    assert ran.code == 2 and "异议编号：1" in ran.err
    assert run("publicity", "objection", "decide", "1", "成立", "--reason", "属实").code == 2  # not checked yet
    assert run("publicity", "objection", "check", "1", "调取台账核实。").code == 0
    ran = run("publicity", "objection", "decide", "1", "成立", "--reason", "申报数据与实际不符。")
    assert ran.code == 0 and "撤出名单" in ran.out
    assert "异议成立" in run("publicity", "objection", "list").out
    assert run("showcase", "site").code == 2  # not final yet: nothing written
    assert not (tmp_path / "site").exists()
    ran = run("publicity", "final", "--today", "2024-04-11")
    assert ran.code == 0 and f"编号：{ids[0]}、{ids[2]}" in ran.out
    ran = run("publicity", "announce", "announce", "--date", "2024-04-12")
    assert ran.code == 0 and "共 2 个案例" in ran.out
    ran = run("showcase", "site")
    assert ran.code == 0 and "共 2 个案例" in ran.out and (tmp_path / "site" / "index.html").is_file()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["publicity", "notice", "--start", "4月3日", "--days", "5", "x"], "日期应写作 2024-04-03"),
        (["publicity", "notice", "--start", "2024-04-03", "--days", "0", "x"], "工作日数应为正整数"),
        (["publicity", "notice", "--start", "2024-04-03", "--days", "99", "x"], "1 至 60 个工作日"),
        (["publicity", "notice", "--start", "2024-04-03", "--days", "5", "x"], "尚无报批审定"),
        (["publicity", "objection", "decide", "1", "也许", "--reason", "x"], "无效的选择"),
        (["publicity", "final"], "公示尚未开始"),
        (["compilation", "book"], "名单尚未确定"),
    ],
)
def test_bad_publicity_commands_are_refused_in_chinese(
    args: list[str], said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = cli(tmp_path, monkeypatch, capsys, *args)
    assert ran.code == 2 and said in ran.err, ran.err
