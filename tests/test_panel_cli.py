"""`casebot experts …` and `casebot panel …` on a real file: a whole panel from 形式审查 to 报批审定,
every refusal in Chinese and changing nothing, every step in the audit log."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.cli.main import main
from bot.disk.samples import sample_form
from bot.storage import Store
from dialogs.models import CaseState

UNITS = ("hefei", "hefei", "wuhu", "wuhu", "ahwang", "ahwang")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEBOT_CAMPAIGN", "demo")
    monkeypatch.setenv("CASEBOT_DB", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("CASEBOT_OUT", str(tmp_path / "out"))
    monkeypatch.delenv("CASEBOT_TELEGRAM_TOKEN", raising=False)

    async def seed() -> None:
        async with Store(tmp_path / "db.sqlite3") as store, store.atomic() as tx:
            ranks: dict[str, int] = {}
            for n, unit in enumerate(UNITS, start=1):
                ranks[unit] = ranks.get(unit, 0) + 1
                form = sample_form().model_copy(update={"name": f"示范案例第{n}号", "unit": unit})
                await tx.insert_case(f"u{n}", unit, CaseState.RECOMMENDED, ranks[unit], form)

    asyncio.run(seed())
    return tmp_path


def cb(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_experts_add_prints_the_invitation_code_from_the_real_command(env: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "experts", "add", "周明远", "--org", "合肥市社会科学院", "--unit", "hefei"],
        env=os.environ.copy(),
        cwd=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "已添加评审专家：周明远（合肥市社会科学院）。邀请码：e" in done.stdout
    assert "不参加该单位推荐案例的评审" in done.stdout


def test_a_whole_panel_on_the_command_line(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = env / "papers"
    for name in ("周明远", "吴晓岚", "郑国华", "王静怡", "冯立新"):
        extra = ["--unit", "hefei"] if name == "周明远" else []
        assert cb(capsys, "experts", "add", name, "--org", "某单位", *extra)[0] == 0
    code, text, _ = cb(capsys, "experts", "list")
    assert code == 0 and text.count("未加入") == 5 and "来自合肥市委网信办" in text

    # the panel cannot start before 形式审查
    code, _, err = cb(capsys, "panel", "start", "--until", "2099-01-01")
    assert code == 2 and "尚未完成形式审查" in err
    code, text, _ = cb(capsys, "panel", "check", str(out))
    assert code == 0 and "形式审查表：6 个案例" in text
    sheet = openpyxl.load_workbook(out / "2024年形式审查表.xlsx").active
    assert sheet.max_row >= 9

    assert cb(capsys, "panel", "mark", "1", "paper", "是", "--on", "2024-03-10")[0] == 0
    code, _, err = cb(capsys, "panel", "mark", "1", "纸张", "是")
    assert code == 2 and "无法识别" in err
    code, _, err = cb(capsys, "panel", "decide", "6", "reject")
    assert code == 2 and "须写明理由" in err
    assert cb(capsys, "panel", "decide", "6", "reject", "--reason", "申报主体不符合条件")[0] == 0
    code, _, err = cb(capsys, "panel", "decide", "5", "amend", "--until", "2000-01-01")
    assert code == 2 and "补正期限" in err
    code, text, _ = cb(capsys, "panel", "decide", "5", "amend", "--reason", "推荐意见未盖章", "--until", "2099-01-01")
    assert code == 0 and "补正" in text
    for case in ("1", "2", "3", "4"):
        assert cb(capsys, "panel", "decide", case, "pass")[0] == 0
    code, _, err = cb(capsys, "panel", "start", "--until", "2099-01-01")
    assert code == 2 and "5" in err  # still under 补正
    assert cb(capsys, "panel", "decide", "5", "pass")[0] == 0

    code, _, err = cb(capsys, "panel", "start", "--until", "明天")
    assert code == 2 and "无法识别" in err
    code, text, _ = cb(capsys, "panel", "start", "--until", "2099-01-01")
    assert code == 0 and "5 个案例，5 名专家" in text, text
    code, _, err = cb(capsys, "panel", "decide", "1", "reject", "--reason", "迟来")
    assert code == 2 and "评审已开始" in err

    # paper sheets entered for everyone; 周明远 is never given 合肥's cases
    code, _, err = cb(capsys, "panel", "enter", "1", "1", "--gates", "是,是", "--points", "18 35 36")
    assert code == 2 and "未分配给专家 周明远" in err
    code, _, err = cb(capsys, "panel", "enter", "2", "1", "--gates", "是,是", "--points", "21 35 36")
    assert code == 2 and "“内容真实”满分 20 分，不能给 21 分" in err
    code, _, err = cb(capsys, "panel", "enter", "2", "1", "--gates", "是,否", "--points", "18 35 36")
    assert code == 2 and "须写明理由" in err
    scores = {1: (18, 35, 36), 2: (16, 30, 30), 3: (15, 30, 30), 4: (12, 25, 24), 5: (17, 33, 33)}
    for expert in range(1, 6):
        for case, (a, b, c) in scores.items():
            if expert == 1 and case <= 2:
                continue
            bump = 40 - c if (expert, case) == (2, 5) else 0  # one high outlier
            points = f"{a} {b} {c + bump}" if (expert, case) != (3, 4) else "2 2 2"  # and one low: a spread
            gates = "是,否" if (expert, case) == (4, 3) else "是,是"
            code, _, err = cb(
                capsys,
                "panel",
                "enter",
                str(expert),
                str(case),
                "--gates",
                gates,
                "--points",
                points,
                "--reason",
                "导向存疑",
            )
            assert code == 0, err
    code, text, _ = cb(capsys, "panel", "status")
    assert code == 0 and "已完成评分 23/23 份" in text
    code, _, err = cb(capsys, "panel", "results", str(out))
    assert code == 2 and "评审尚未结束" in err
    code, text, _ = cb(capsys, "panel", "close")
    assert code == 0 and "需复核的案例" in text
    code, _, err = cb(capsys, "panel", "select", "top", "3")
    assert code == 2 and "尚待复核" in err
    assert cb(capsys, "panel", "review", "3", "exclude", "--reason", "导向问题属实")[0] == 0
    assert cb(capsys, "panel", "review", "4", "keep", "--reason", "系个别专家打分偏低")[0] == 0
    code, text, _ = cb(capsys, "panel", "select", "top", "3")
    assert code == 0 and "拟入选案例 3 个" in text, text
    code, _, err = cb(capsys, "panel", "approve")
    assert code == 2 and "审定人" in err
    code, text, _ = cb(capsys, "panel", "approve", "--by", "李处长")
    assert code == 0 and "已记录报批审定：李处长" in text
    code, text, err = cb(capsys, "publicity", "notice", "--start", "2024-04-03", "--days", "5", str(out / "公示"))
    assert code == 0, err  # the 公示 starts from the approved list, in its order
    notice = (out / "公示" / "关于2024年全省网络文明建设优秀案例拟入选名单的公示.txt").read_text(encoding="utf-8-sig")
    named = [name for name in ("示范案例第1号", "示范案例第5号", "示范案例第2号") if name in notice]
    assert named == ["示范案例第1号", "示范案例第5号", "示范案例第2号"] and "示范案例第3号" not in notice
    code, _, err = cb(capsys, "panel", "select", "top", "2")
    assert code == 2 and "已于" in err
    code, text, _ = cb(capsys, "panel", "results", str(out))
    assert code == 0 and text.count("已生成") == 8  # 汇总表, 5 评分表, 拟入选名单, 报告
    report = "\n".join(p.text for p in docx.Document(out / "2024年评审情况报告.docx").paragraphs)
    assert "不予受理1个" in report and "审定：李处长" in report
    listed = openpyxl.load_workbook(out / "2024年拟入选名单.xlsx").active
    assert [listed.cell(row=r, column=2).value for r in (5, 6, 7)] == [
        "示范案例第1号",
        "示范案例第5号",
        "示范案例第2号",
    ]

    code, text, _ = cb(capsys, "audit")
    assert code == 0
    for action in (
        "添加评审专家",
        "形式审查不予受理",
        "形式审查补正",
        "开始评审",
        "录入纸质评分表",
        "复核",
        "报批审定",
    ):
        assert action in text, action
    assert text.count("录入纸质评分表") == 23
