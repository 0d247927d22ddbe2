"""The terminal as a submitter meets it: the real `casebot chat` process, typed at a pseudo-terminal
(prompt_toolkit: a bracketed paste is one message, Alt+Enter and Ctrl+J break lines, Ctrl+C and Ctrl+D
leave with the draft kept) or fed a script (one line per message, <<< … >>> for a multi-line one).
No line of any length crashes it; picture paths may be quoted, spaced or start with ~."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx
import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.terminal import MAX_PATH_BYTES, to_event
from dialogs.events import Command, Document, Pictures, Text
from tests.helpers import HAPPY, make_image

pytestmark = pytest.mark.slow
PART = "网络文明志愿者深入社区开展宣讲，引导群众文明上网、理性表达，共同营造清朗网络空间"  # 40 字


def env_for(tmp: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CASEBOT_CAMPAIGN": "demo",
        "CASEBOT_DB": str(tmp / "db.sqlite3"),
        "CASEBOT_OUT": str(tmp / "out"),
        "HOME": str(tmp),
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer cursor position requests
        "TERM": "xterm",
    }
    for key in [k for k in env if k.startswith(("CASEBOT_TELEGRAM", "CASEBOT_WECOM"))]:
        del env[key]
    return env


def chat(tmp: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--unit", "hefei", "--user", "alice"],
        env=env_for(tmp),
        cwd=tmp,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


TO_CONTENT = [a for a in HAPPY[1:9] if a != "1"] + ["/next"]  # name … summary, then on to 背景意义


# -- what a line becomes --------------------------------------------------------------------------------------


def test_a_long_paragraph_is_text_and_never_reaches_the_file_system() -> None:
    line = "网络文明建设" * 100  # 600 字, 1 800 bytes: once "File name too long"
    assert to_event(line) == Text(line)
    assert to_event("/" + "a" * 5000) == Command(name="a" * 5000)
    assert to_event("a/" * MAX_PATH_BYTES) == Text("a/" * MAX_PATH_BYTES)
    assert to_event("清朗/共建") == Text("清朗/共建")
    assert to_event("照片\x00.png") == "找不到文件：照片\x00.png"
    assert to_event("~nosuchuser/a.png") == "找不到文件：~nosuchuser/a.png"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_no_line_makes_the_terminal_raise(line: str) -> None:
    assert isinstance(to_event(line), Text | Command | Pictures | Document | str)


@pytest.mark.parametrize(
    "typed",
    ['"{path}"', "'{path}'", "{path}", "{escaped}", "~/现场 照片.png", '"~/现场 照片.png" | 活动现场'],
)
def test_picture_paths_quoted_spaced_or_from_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    picture = tmp_path / "现场 照片.png"
    picture.write_bytes(make_image())
    event = to_event(typed.format(path=picture, escaped=str(picture).replace(" ", "\\ ")))
    assert isinstance(event, Pictures) and event.items[0].data == picture.read_bytes()
    assert event.items[0].caption == ("活动现场" if "|" in typed else "")


def test_missing_files_and_folders_are_named(tmp_path: Path) -> None:
    assert to_event(f'"{tmp_path}/没有 这张.jpg"') == f"找不到文件：{tmp_path}/没有 这张.jpg"
    assert to_event("~/没有.png") == f"找不到文件：{Path('~/没有.png').expanduser()}"
    assert to_event(f"'{tmp_path}'") == f"这是文件夹，不是文件：{tmp_path}"


def test_a_word_file_path_is_a_document(tmp_path: Path) -> None:
    path = tmp_path / "去年 推荐表.docx"
    document = docx.Document()
    document.add_paragraph("一、背景意义")
    document.save(str(path))
    assert to_event(f"'{path}'") == Document(data=path.read_bytes(), filename="去年 推荐表.docx")


# -- scripted standard input ----------------------------------------------------------------------------------


def test_a_10000_character_line_is_refused_clearly_and_the_session_goes_on(tmp_path: Path) -> None:
    done = chat(tmp_path, "网" * 10_000 + "\n清朗网络共建行动\n")
    assert done.returncode == 0, done.stderr
    assert "案例名称不超过 60 字，现为 10000 字" in done.stdout and "Traceback" not in done.stderr
    assert "第 2/14 步" in done.stdout  # the next line was the answer


def test_a_scripted_multi_line_message_between_markers_is_one_message(tmp_path: Path) -> None:
    block = ["<<<", PART, "", PART, ">>>"]
    done = chat(tmp_path, "\n".join([*TO_CONTENT, *block, "/review"]) + "\n")
    assert done.returncode == 0, done.stderr
    assert "已记录“一、背景意义”：内容 80/2000 字" in done.stdout  # both paragraphs, one reply
    assert done.stdout.count("已补充") == 0


def test_an_unclosed_block_is_still_sent_and_said(tmp_path: Path) -> None:
    done = chat(tmp_path, "\n".join([*TO_CONTENT, "<<<", PART, PART]) + "\n")
    assert "输入在 >>> 之前结束" in done.stdout and "内容 80/2000 字" in done.stdout


def test_quoted_and_spaced_picture_paths_reach_the_form(tmp_path: Path) -> None:
    first, second = tmp_path / "活动 现场.png", tmp_path / "宣讲 课堂.png"
    first.write_bytes(make_image("PNG", (320, 240), "orange"))
    second.write_bytes(make_image("PNG", (300, 200), "green"))
    answers = [a for a in HAPPY[1:] if a != "1"]
    at = answers.index("/skip")
    answers[at : at + 1] = [f'"{tmp_path}/没有.png"', f'"{first}" | 活动现场', "'~/宣讲 课堂.png'"]
    done = chat(tmp_path, "\n".join([*answers, "/submit", "1"]) + "\n")
    assert done.returncode == 0, done.stderr
    assert f"找不到文件：{tmp_path}/没有.png" in done.stdout
    assert "共已附 1/2 张" in done.stdout and "共已附 2/2 张" in done.stdout
    form = tmp_path / "out" / "合肥市委网信办" / "01-清朗网络共建行动-推荐表.docx"
    assert len(docx.Document(str(form)).inline_shapes) == 2


# -- an interactive terminal ----------------------------------------------------------------------------------


def spawn(tmp: Path) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bot", "chat", "--unit", "hefei", "--user", "alice"],
        env=env_for(tmp),
        cwd=str(tmp),
        encoding="utf-8",
        dimensions=(50, 200),
        timeout=60,
    )
    return child


def prompted(child: pexpect.spawn) -> None:
    """The prompt is up: prompt_toolkit turns bracketed paste on each time it asks."""
    child.expect_exact("\x1b[?2004h")


def test_a_pasted_2000_zi_case_content_arrives_as_one_message(tmp_path: Path) -> None:
    assert chat(tmp_path, "\n".join(TO_CONTENT) + "\n").returncode == 0
    paste = "\r\n".join([PART * 10, PART * 10, PART * 20, PART * 10])  # four paragraphs, 2 000 字
    child = spawn(tmp_path)
    child.expect_exact("第 9/14 步")
    child.expect_exact("Ctrl+J 换行")  # the keys are said once, at the start
    prompted(child)
    child.send("\x1b[200~" + paste + "\x1b[201~")
    child.send("\r")
    child.expect_exact("已记录“一、背景意义”：内容 2000/2000 字（背景意义 2000，")
    # Alt+Enter (Esc, Enter) and Ctrl+J break the line; Enter sends both lines as one message
    prompted(child)
    child.send("补充一句\x1b\r再补一句\r")
    child.expect_exact("超出 8 字")  # 2 008 字 in all: the two lines came together, kept and marked
    prompted(child)
    child.send("第三句\n第四句\r")
    child.expect_exact("超出 14 字")  # appended too: nothing sent is thrown away
    prompted(child)
    child.sendcontrol("d")
    child.expect_exact("草稿已保存")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_leaves_saying_the_draft_is_kept(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    child.expect_exact("第 1/14 步")
    prompted(child)
    child.send("清朗网络共建行动\r")
    child.expect_exact("第 2/14 步")
    prompted(child)
    child.sendcontrol("c")
    child.expect_exact("草稿已保存")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    again = chat(tmp_path, "")
    assert "第 2/14 步" in again.stdout  # the answer before Ctrl+C was kept


def test_a_word_file_given_by_path_fills_the_form_after_confirmation(tmp_path: Path) -> None:
    from tests.test_importing import hand_made

    (tmp_path / "去年 推荐表.docx").write_bytes(hand_made())
    (tmp_path / "旧表.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    done = chat(tmp_path, "'~/旧表.doc'\n'~/去年 推荐表.docx'\n1\n/review\n")
    assert done.returncode == 0, done.stderr
    assert "另存为" in done.stdout and "已读取文件“去年 推荐表.docx”" in done.stdout
    assert "1. 导入\n2. 不导入\n请回复序号。" in done.stdout
    assert "已导入 10 项" in done.stdout
    assert "联系方式：0551-62606335、13812345678" in done.stdout.split("已导入 10 项")[1]  # on the review


def test_a_file_that_cannot_be_read_is_said_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    picture = tmp_path / "现场.png"
    picture.write_bytes(make_image())

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert to_event(str(picture)) == f"无法读取文件：{picture}。请检查是否有读取该文件的权限。"


def test_the_preview_form_is_written_to_a_file_whose_path_is_printed(tmp_path: Path) -> None:
    answers = [a for a in HAPPY[1:] if a != "1"]  # through the pictures step to the review
    done = chat(tmp_path, "\n".join([*answers, "/preview"]) + "\n")
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "out" / "终端文件"
    written = [
        line.removeprefix("已写入文件：") for line in done.stdout.splitlines() if line.startswith("已写入文件：")
    ]
    previews = [Path(p) for p in written if Path(p).name.startswith("预览")]
    assert len(previews) == 1 and previews[0].parent == folder, done.stdout
    form = docx.Document(str(previews[0]))
    assert "清朗网络共建行动" in "\n".join(
        cell.text for table in form.tables for row in table.rows for cell in row.cells
    )
    assert not list(folder.glob(".*.tmp"))  # written atomically: no temporary file left behind


def test_what_the_terminal_says_is_true_at_the_terminal(tmp_path: Path) -> None:
    """Pictures are given by path, /next after /edit goes back to the review, a picture at the review is told
    the way to the pictures, a submitter's coordinator command says who may use it, the submitted form is a
    written file, and leaving after the submission speaks of no draft."""
    picture = tmp_path / "现场.png"
    picture.write_bytes(make_image("PNG", (320, 240), "orange"))
    answers = [a for a in HAPPY[1:] if a != "1"]  # through the pictures step to the review
    script = [*answers, f"'{picture}'", "/edit 9", "1", "/next", "/up 1", "/submit", "1"]
    done = chat(tmp_path, "\n".join(script) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "请输入图片文件的路径（JPG、PNG、HEIC 等常见格式均可）" in out and "请直接发送图片" not in out
    assert "当前为核对环节，图片未添加。如需添加或更换图片，请发送 /edit 13" in out
    edited = out.split("> /edit 9")[1].split("> /next")[0]
    assert "保留原有内容返回核对请发送 /next" in edited and "/next（返回核对）" in edited
    assert "进入下一项" not in edited and "/next（下一项）" not in edited
    refused = out.split("> /up 1")[1].split("> /submit")[0]
    assert "案例管理仅限推荐单位联络人使用" in refused and "发送“/start 邀请码”加入" in refused
    assert "未找到该案例" not in refused and "邀请链接" not in refused
    submitted = out.split("> 1")[-1]
    assert "推荐表已生成，文件已写入下方所列路径" in submitted and "已写入文件：" in submitted
    assert "请查收" not in submitted
    assert out.rstrip().endswith("（输入结束。）") and "已填写的内容均已保存" not in submitted
