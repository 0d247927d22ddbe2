"""The command line on a real database: the terminal, units, invitations, export, backup, audit, all in Chinese."""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest

from bot.cli.argparse_zh import chinese
from bot.cli.main import COMMANDS, build_parser
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
    # the reply lists every file the submission wrote into the unit's folder: 推荐表, 汇总表, 存档
    listed = {line.removeprefix("已写入文件：") for line in done.stdout.splitlines() if line.startswith("已写入文件：")}
    folder = form.parent
    assert {str(path) for path in folder.iterdir()} <= listed
    assert len(list(folder.iterdir())) == 3, sorted(p.name for p in folder.iterdir())
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
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        stored = db.execute("SELECT at FROM audit WHERE action = 'submit'").fetchone()[0]
    local = datetime.fromisoformat(stored).astimezone(ZoneInfo("Asia/Shanghai"))
    assert row.split("\t")[0] == local.strftime("%Y-%m-%d %H:%M:%S")  # stored in UTC, shown in the campaign's zone


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


# -- the command line speaks Chinese -------------------------------------------------------------------------


def cli(tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    """`casebot ARGS` in this process (quicker than a subprocess for the many error cases)."""
    from bot.cli.main import main

    monkeypatch.chdir(tmp)
    for name, value in (("CAMPAIGN", "demo"), ("DB", str(tmp / "db.sqlite3")), ("OUT", str(tmp / "out"))):
        monkeypatch.setenv(f"CASEBOT_{name}", value)
    for name in ("TELEGRAM_TOKEN", "BOT_USERNAME"):
        monkeypatch.delenv(f"CASEBOT_{name}", raising=False)
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return Ran(code, out, err)


@dataclass
class Ran:
    code: int
    out: str
    err: str


ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "invalid", "required", "argument")


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_every_help_is_chinese_and_explains_every_argument(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = cli(tmp_path, monkeypatch, capsys, *command, "--help")
    assert ran.code == 0 and ran.out.startswith("用法：casebot")
    assert "选项：" in ran.out and "显示本帮助并退出" in ran.out
    assert not any(word in ran.out for word in ENGLISH), ran.out
    with chinese():
        parser = build_parser()
    if command:
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = commands.choices[command[0]]
    for action in parser._actions:
        assert action.help, f"{command}: {action.dest} has no explanation"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["audit", "--case", "abc"], "参数 --case：案例编号应为正整数，如 12，而不是“abc”"),
        (["audit", "--case", "0"], "案例编号应为正整数"),
        (["units", "frob"], "参数 操作：无效的选择：'frob'（可选：'list', 'import', 'contact'）"),
        (["backup"], "缺少必需的参数：目标"),
        (["--frob"], "无法识别的参数：--frob"),
        (["invites", "--unit"], "参数 --unit：须跟一个值"),
        (["units", "import"], "请指定要导入的文件，例如：casebot units import 名单.xlsx"),
    ],
)
def test_usage_errors_are_chinese(
    args: list[str], said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = cli(tmp_path, monkeypatch, capsys, *args)
    assert ran.code == 2 and said in ran.err
    assert not any(word in ran.err for word in ENGLISH), ran.err
    assert not (tmp_path / "db.sqlite3").exists()  # refused before anything was opened


def test_argparse_speaks_english_again_outside_the_command_line() -> None:
    assert "usage:" in argparse.ArgumentParser(prog="x").format_usage()


@pytest.mark.parametrize(
    "args", [["chat", "--unit", "nosuch"], ["invites", "--unit", "nosuch"], ["audit", "--unit", "nosuch"]]
)
def test_an_unknown_unit_code_points_to_the_unit_list(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    ran = cli(tmp_path, monkeypatch, capsys, *args)
    assert ran.code == 2
    assert ran.err.strip() == "未知推荐单位代码：nosuch。运行 casebot units list 可查看全部推荐单位代码。"


def _bad_xlsx(path: Path) -> None:
    path.write_bytes(b"not a workbook")


@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("名单.xlsx", None, "找不到文件：名单.xlsx"),
        ("名单.xlsx", _bad_xlsx, "无法读取 名单.xlsx：不是有效的 .xlsx 文件"),
        (
            "名单.csv",
            lambda p: p.write_bytes("代码,名称,类型\n".encode("gbk")),
            "无法读取 名单.csv：不是 UTF-8 编码的 CSV 文件",
        ),
        (
            "名单.xls",
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0"),
            "无法读取 名单.xls：只支持 .xlsx 和 .csv 文件，不支持“.xls”",
        ),
        ("名单.csv", lambda p: p.write_text("名称\n合肥\n", encoding="utf-8"), "名单.csv：表头缺少列"),
        ("名单", lambda p: p.mkdir(), "无法读取 名单：只支持 .xlsx 和 .csv 文件"),
    ],
)
def test_a_unit_list_that_cannot_be_read_names_the_file_and_the_problem(
    name: str,
    make: object,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if callable(make):
        make(tmp_path / name)
    ran = cli(tmp_path, monkeypatch, capsys, "units", "import", name)
    assert ran.code == 2 and said in ran.err, ran.err
    listing = cli(tmp_path, monkeypatch, capsys, "units", "list")
    assert "wuhu" in listing.out  # the campaign's own list still stands


def test_backup_never_overwrites_a_file_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "backup.sqlite3"
    precious.write_bytes(b"last week's backup")
    ran = cli(tmp_path, monkeypatch, capsys, "backup", "backup.sqlite3")
    assert ran.code == 2 and "文件 backup.sqlite3 已存在，未备份。如确需覆盖，请加 --force。" in ran.err
    assert precious.read_bytes() == b"last week's backup"
    forced = cli(tmp_path, monkeypatch, capsys, "backup", "backup.sqlite3", "--force")
    assert forced.code == 0
    with sqlite3.connect(precious) as copy:
        assert copy.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


def test_invites_print_codes_and_links_only_for_the_configured_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = cli(tmp_path, monkeypatch, capsys, "invites", "--unit", "hefei")
    rows = [line.split("\t") for line in plain.out.splitlines()[1:3]]
    assert [r[:2] for r in rows] == [["合肥市委网信办", "申报人"], ["合肥市委网信办", "联络人"]]
    assert "t.me" not in plain.out and "casebot chat" in plain.out  # no one else's bot; the terminal says how
    codes = [r[2] for r in rows]
    linked = cli(tmp_path, monkeypatch, capsys, "invites", "--unit", "hefei", "--bot", "@hf_case_bot")
    assert [line.split("\t")[3] for line in linked.out.splitlines()[1:3]] == [
        f"https://t.me/hf_case_bot?start={code}" for code in codes
    ]
    assert "打开邀请链接，或向 @hf_case_bot 发送 /start 邀请码" in linked.out
    monkeypatch.setenv("CASEBOT_TELEGRAM_TOKEN", "123:abc")
    from bot.cli.main import main

    assert main(["invites", "--unit", "hefei"]) == 0
    token_only = capsys.readouterr().out
    assert "t.me" not in token_only and "设置 CASEBOT_BOT_USERNAME" in token_only


def test_invites_say_how_a_code_is_used_on_wecom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in {
        "CORP_ID": "ww123",
        "AGENT_ID": "1000002",
        "SECRET": "s",
        "TOKEN": "t",
        "AES_KEY": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    }.items():
        monkeypatch.setenv(f"CASEBOT_WECOM_{name}", value)
    from bot.cli.main import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CASEBOT_DB", str(tmp_path / "db.sqlite3"))
    assert main(["invites", "--unit", "hefei"]) == 0
    assert "企业微信：在本应用中发送 /start 邀请码，或直接发送邀请码" in capsys.readouterr().out


def test_sigterm_stops_the_running_channels_cleanly(tmp_path: Path) -> None:
    """`casebot` waiting for input stops at SIGTERM with exit code 0, its answers saved."""
    import signal

    env = {**os.environ, "CASEBOT_CAMPAIGN": "demo", "CASEBOT_DB": str(tmp_path / "db.sqlite3")}
    env.pop("CASEBOT_TELEGRAM_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("清朗网络共建行动\n")
        process.stdin.flush()
        for line in process.stdout:  # the answer is stored once the next step is shown
            if "第 2/14 步" in line:
                break
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "已填写的内容均已保存" in out
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert "清朗网络共建行动" in str(db.execute("SELECT * FROM sessions").fetchall())
