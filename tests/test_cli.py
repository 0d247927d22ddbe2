"""The administrator's command line on a real database: units, invitations, export, backup, audit."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl

from tests.helpers import HAPPY, make_image

ROOT = Path(__file__).resolve().parent.parent


def casebot(tmp: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CASEBOT_CAMPAIGN": "demo",
        "CASEBOT_DB": str(tmp / "db.sqlite3"),
        "CASEBOT_OUT": str(tmp / "out"),
    }
    env.pop("CASEBOT_TELEGRAM_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, cwd=tmp, input=stdin, capture_output=True, text=True, timeout=120
    )


def scripted_form(tmp: Path) -> str:
    picture = tmp / "现场.png"
    picture.write_bytes(make_image("PNG", (320, 240), "orange"))
    lines = [a for a in HAPPY[1:] if a != "1"]  # the unit comes from --unit
    lines[lines.index("/skip")] = f"{picture} | 活动现场"
    return "\n".join([*lines, "/next", "/submit", "1", "/status"]) + "\n"


def test_a_scripted_terminal_session_writes_the_form_and_the_summary(tmp_path: Path) -> None:
    done = casebot(tmp_path, "chat", "--unit", "hefei", "--user", "alice", stdin=scripted_form(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "已列入合肥市委网信办推荐名单第 1 位" in done.stdout
    form = tmp_path / "out" / "合肥市委网信办" / "01-清朗网络共建行动-推荐表.docx"
    assert f"已写入文件：{form}" in done.stdout
    document = docx.Document(form)
    assert len(document.inline_shapes) == 1
    assert "编号 1《清朗网络共建行动》：已推荐" in done.stdout


def test_quick_start_without_a_token_runs_the_terminal_chat(tmp_path: Path) -> None:
    run = casebot(tmp_path, stdin="清朗网络共建行动\n")
    assert run.returncode == 0 and "第 2/14 步" in run.stdout
    assert "未配置 CASEBOT_TELEGRAM_TOKEN" in run.stderr
    assert (tmp_path / "db.sqlite3").exists()


def test_export_backup_and_audit(tmp_path: Path) -> None:
    casebot(tmp_path, "chat", "--unit", "hefei", "--user", "alice", stdin=scripted_form(tmp_path))
    exported = casebot(tmp_path, "export", str(tmp_path / "export"))
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(exported.stdout.strip()) as archive:
        names = archive.namelist()
        assert "合肥市委网信办/01-清朗网络共建行动-推荐表.docx" in names
        assert "合肥市委网信办/图片/01-清朗网络共建行动-图1.png" in names
        province = next(n for n in names if n.endswith("全省.xlsx"))
        sheet = openpyxl.load_workbook(io.BytesIO(archive.read(province))).worksheets[0]
        assert "清朗网络共建行动" in [c.value for row in sheet.iter_rows() for c in row]
    backup = casebot(tmp_path, "backup", str(tmp_path / "copy.sqlite3"))
    assert backup.returncode == 0
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
    audit = casebot(tmp_path, "audit", "--unit", "hefei")
    assert audit.stdout.startswith("时间（Asia/Shanghai）\t操作人\t操作")
    row = next(line for line in audit.stdout.splitlines() if "\t提交\t" in line)
    assert row.split("\t")[1:] == ["term:alice", "提交", "hefei", "1", "已推荐 第 1 位"]


def test_units_import_and_invites_that_can_be_reissued(tmp_path: Path) -> None:
    (tmp_path / "units.csv").write_text(
        "代码,名称,类型,名额\nhefei,合肥市委网信办,市,\nxyz,省某厅,其他,3\n", encoding="utf-8"
    )
    assert casebot(tmp_path, "units", "import", "units.csv").returncode == 0
    listing = casebot(tmp_path, "units", "list").stdout
    assert "xyz\t省某厅\t其他\t名额 3" in listing and "wuhu" not in listing
    first = casebot(tmp_path, "invites", "--unit", "xyz", "--bot", "mybot").stdout
    assert first.count("https://t.me/mybot?start=") == 2
    assert casebot(tmp_path, "invites", "--unit", "xyz", "--bot", "mybot").stdout == first
    again = casebot(tmp_path, "invites", "--unit", "xyz", "--bot", "mybot", "--reissue").stdout
    assert set(again.split()) & set(first.split()) >= {"省某厅"} and again != first


def test_a_bad_unit_list_is_refused_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "units.csv").write_text("名称\n合肥\n", encoding="utf-8")
    bad = casebot(tmp_path, "units", "import", "units.csv")
    assert bad.returncode == 2 and "表头缺少列" in bad.stderr


def test_a_terminal_picture_path_that_is_missing_or_huge_is_not_sent(tmp_path: Path) -> None:
    from bot.channels.terminal import MAX_FILE, to_event

    assert "找不到文件" in str(to_event(str(tmp_path / "没有.jpg")))
    huge = tmp_path / "huge.png"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE + 1)
    assert "文件过大" in str(to_event(str(huge)))
    assert type(to_event("清朗/共建")).__name__ == "Text"
