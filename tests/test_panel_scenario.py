"""评审 end to end on real processes (`python -m bot …`), as the office would run it.

Cases from 3 units (stored as the chat stores them) and one the admin enters from a .docx; 形式审查:
one 不予受理, one 补正 resubmitted by its submitter in the chat; 5 experts: 周 tied to 合肥 (never
given its cases), 吴 scoring in the chat (bad points refused with the maximum, a score changed, the
process killed in the middle and nothing lost), 郑 declaring 回避 in the chat, 王 replaced mid-way by
钱, 冯 whose paper sheets the admin enters; the result (去掉最高最低, a spread, a gate "no", a tie),
复核, 拟入选, 报批; the papers opened by LibreOffice; and the access rules for every role.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.disk.office import convert_all_to_pdf, pdf_to_text, soffice_path
from bot.disk.samples import sample_campaign, sample_form
from bot.storage import Store
from dialogs.models import CaseState
from exporters.form_docx import build_form_docx

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(soffice_path() is None or shutil.which("pdftotext") is None, reason="needs LibreOffice"),
]

# (owner, unit, name); ids 1..5 in this order, 6 is the admin's import
CASES = (
    ("h1", "hefei", "合肥网络文明实践行动"),
    ("h2", "hefei", "合肥清朗校园计划"),
    ("w1", "wuhu", "芜湖网络素养课堂"),
    ("w2", "wuhu", "芜湖网上邻里节"),
    ("a1", "ahwang", "安徽网正能量传播工程"),
)


class Bot:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.env = {
            **os.environ,
            "CASEBOT_CAMPAIGN": "demo",
            "CASEBOT_DB": str(tmp / "db.sqlite3"),
            "CASEBOT_OUT": str(tmp / "out"),
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("CASEBOT_TELEGRAM_TOKEN", None)

    def __call__(self, *args: str, ok: bool = True) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            env=self.env,
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if ok:
            assert done.returncode == 0, (args, done.stdout, done.stderr)
        else:
            assert done.returncode == 2, (args, done.stdout, done.stderr)
            return done.stderr
        return done.stdout

    def chat(self, user: str, lines: list[str], unit: str | None = None) -> str:
        extra = ["--unit", unit] if unit else []
        done = subprocess.run(
            [sys.executable, "-m", "bot", "chat", "--user", user, *extra],
            env=self.env,
            cwd=self.tmp,
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def chat_until_killed(self, user: str, lines: list[str], marker: str) -> str:
        """Send ``lines``; once ``marker`` is printed, kill the process outright (SIGKILL, as a power cut)."""
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--user", user],
            env=self.env,
            cwd=self.tmp,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("\n".join(lines) + "\n")
        process.stdin.flush()
        seen = []
        for line in process.stdout:
            seen.append(line)
            if marker in line:
                break
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        return "".join(seen)


def _seed(tmp: Path) -> None:
    async def seed() -> None:
        async with Store(tmp / "db.sqlite3") as store, store.atomic() as tx:
            ranks: dict[str, int] = {}
            for owner, unit, name in CASES:
                ranks[unit] = ranks.get(unit, 0) + 1
                form = sample_form([]).model_copy(update={"name": name, "unit": unit, "summary": f"{name}。" * 20})
                await tx.insert_case(f"term:{owner}", unit, CaseState.RECOMMENDED, ranks[unit], form)
                await tx.add_member(f"term:{owner}", unit, "submitter")
            await tx.add_member("term:boss", "hefei", "coordinator")

    asyncio.run(seed())


def _code(text: str) -> str:
    found = re.search(r"邀请码：(e\S{16})", text)
    assert found is not None, text
    return found.group(1)


GATES_OK = ["是", "是"]


def _score_lines(points: str, *, first: bool = False) -> list[str]:
    """Answers for one case in the chat: no conflict (only the first time), both gates, points, no comment, confirm."""
    return [*(["无"] if first else []), *GATES_OK, points, "无", "确认"]


def test_a_whole_panel_on_real_processes(tmp_path: Path) -> None:
    bot = Bot(tmp_path)
    _seed(tmp_path)
    out = tmp_path / "papers"

    # a case that came by e-mail, entered from its .docx
    word = tmp_path / "安徽网邮寄案例.docx"
    form = sample_form([]).model_copy(update={"name": "安徽网清朗网络直播间", "unit": "ahwang"})
    word.write_bytes(build_form_docx(form, sample_campaign()))
    assert "已录入案例 6《安徽网清朗网络直播间》" in bot("panel", "import", str(word), "--unit", "ahwang")

    # 形式审查
    assert "形式审查表：6 个案例" in bot("panel", "check", str(out))
    bot("panel", "mark", "1", "paper", "是", "--on", "2024-03-10")
    bot("panel", "decide", "2", "reject", "--reason", "案例实施时间不符合要求")
    bot("panel", "decide", "4", "amend", "--reason", "推荐意见未盖章", "--until", "2099-12-31")
    assert "已作结论 2 个" in bot("panel", "check", str(out))
    formal = openpyxl.load_workbook(out / "2024年形式审查表.xlsx").active
    decided = {r[1]: r[-2] for r in formal.iter_rows(min_row=4, values_only=True) if isinstance(r[1], int)}
    assert decided[2] == "不予受理" and decided[4] == "补正" and decided[1] == "未审查"
    # the unit's submitter resubmits in the chat
    resubmitted = bot.chat("w2", ["/cancel", "1", "/revise 4", "/review", "/submit", "1", "/status"], unit="wuhu")
    assert "编号 4" in resubmitted and "退回修改" not in resubmitted.split("/status")[-1][-200:]
    for case in ("1", "3", "4", "5", "6"):
        bot("panel", "decide", case, "pass")

    # experts
    names = (("周明远", ["--unit", "hefei"]), ("吴晓岚", []), ("郑国华", []), ("王静怡", []), ("冯立新", []))
    codes = {name: _code(bot("experts", "add", name, "--org", "某大学", *extra)) for name, extra in names}
    assert "5 个案例，5 名专家" in bot("panel", "start", "--until", "2099-12-31")

    # 吴 in the chat: joins, pledges, scores case 1 with a refused line, killed in the middle of case 3
    first = bot.chat_until_killed(
        "wu",
        [
            "/start " + codes["吴晓岚"],
            "/score",
            "同意",
            "无",
            "是",
            "是",
            "18 45 36",
            "18 35 36",
            "无",
            "确认",
            "/score",
            "无",
            "是",
            "是",
            "18",
        ],
        "请填写“互联网特征”的分数",
    )
    assert "“互联网特征”满分 40 分，不能给 45 分" in first and "合计 89 分" in first
    after = bot.chat("wu", ["35", "36", "无", "确认", "/score 1", *GATES_OK, "17 35 36", "无", "确认", "/scores"])
    assert "请填写“创新示范”的分数" in after and "已保存您对案例 3 的评分，合计 89 分" in after
    assert "合计 88 分" in after  # case 1 changed from 89 to 88
    wu_rest = bot.chat(
        "wu",
        [
            "/score",
            *_score_lines("16 31 30", first=True),
            "/score",
            *_score_lines("16 31 30", first=True),
            "/score",
            *_score_lines("16 31 30", first=True),
        ],
    )
    assert "您已完成全部" not in wu_rest or "合计" in wu_rest
    # 郑 in the chat: declares 回避 on case 3, scores the rest; asks for others' scores and a case not his
    zheng = bot.chat(
        "zheng",
        [
            "/start " + codes["郑国华"],
            "/score",
            "同意",
            *_score_lines("16 32 32", first=True),  # case 1
            "/score",
            "回避 本人曾参与该案例的策划",  # case 3
            "/score",
            "无",
            "是",
            "否",
            "案例涉及的部分数据来源不明",
            "15 30 30",
            "无",
            "确认",  # case 4: a gate "no"
            "/score",
            *_score_lines("16 31 30", first=True),  # case 5
            "/score",
            *_score_lines("16 31 30", first=True),  # case 6
            "/score 2",  # rejected at 形式审查: not given to anyone
            "/scores",
        ],
    )
    assert "已记录您对案例 3 的回避申明" in zheng and "案例 2 未分配给您" in zheng
    assert "88 分" not in zheng.split("/scores")[-1]  # only his own scores
    # 周 (合肥) is never given 合肥's case 1; the admin enters his, 王's, 冯's paper sheets
    assert "未分配给专家 周明远" in bot(
        "panel", "enter", "1", "1", "--gates", "是,是", "--points", "18 35 36", ok=False
    )
    paper = {
        "1": {"3": "18 36 36", "4": "17 31 30", "5": "17 31 31", "6": "17 31 30"},
        "5": {"1": "18 36 36", "3": "17 35 35", "4": "16 31 30", "5": "16 31 30", "6": "16 31 30"},
        "4": {"1": "18 35 35"},  # 王 scores one case, then is replaced
    }
    for expert, sheets in paper.items():
        for case, points in sheets.items():
            bot("panel", "enter", expert, case, "--gates", "是,是", "--points", points)
    assert "王静怡 的评审任务已转交 钱卫东" in bot("experts", "replace", "4", "钱卫东", "--org", "某研究院")
    for case, points in {"1": "18 36 35", "3": "19 38 38", "4": "16 31 30", "5": "16 31 30", "6": "2 5 5"}.items():
        bot("panel", "enter", "6", case, "--gates", "是,是", "--points", points)

    # access: a coordinator and a submitter asking for scores are refused
    for user in ("boss", "h1"):
        assert "仅限评审专家" in bot.chat(user, ["/scores", "/panel status"])

    status = bot("panel", "status")
    assert "案例 5 个，专家 5 名" in status, status
    closed = bot("panel", "close")
    assert "需复核的案例" in closed
    bot("panel", "results", str(out))
    summary_path = out / "2024年评审汇总表.xlsx"
    sheet = openpyxl.load_workbook(summary_path).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    header = [c.value for c in sheet[3]]
    flags, final = header.index("标记"), header.index("最终得分")
    assert "否决" in rows[4][flags]  # 郑's gate "no"
    assert "分差大" in rows[6][flags]  # 钱's 12 against the others' 69~70
    trimmed = header.index("去掉的最高分、最低分")
    assert rows[6][trimmed] and rows[1][trimmed] is None  # case 1 had 4 scores (周 excluded): nothing dropped
    # case 1: 吴 88, 郑 80, 冯 90, 钱 89 (王's 88 left with him) → 86.75, nothing dropped;
    # case 3: 郑 回避, so 4 scores 89 90 87 95 → 90.25; case 4 and 5: 75 77 77 77 78 and 77 77 79 77 77 →
    # one highest and one lowest dropped → 77.00 both; case 6: 77 77 77 78 12 → 78 and 12 dropped → 77.00
    assert [rows[i][final] for i in (1, 3, 4, 5, 6)] == [86.75, 90.25, 77.0, 77.0, 77.0]
    # reviews, selection (case 4 and 5 … tie handled by hand), 报批
    for case in re.findall(r"\d+", closed.split("：")[-1]):
        decision = "exclude" if case == "4" else "keep"
        bot("panel", "review", case, decision, "--reason", "经复核研究决定")
    # case 4 excluded by 复核; 5 and 6 tie across the third place: the admin settles it by hand
    top = bot("panel", "select", "top", "3")
    assert "拟入选案例 2 个：3、1" in top and "另有案例 5、6 在分数线处并列" in top
    bot("panel", "review", "5", "keep", "--reason", "与案例 6 并列，经研究一并列入")
    assert "拟入选案例 4 个：3、1、5、6" in bot("panel", "select", "6", "5", "1", "3")
    assert "经复核不列入" in bot("panel", "select", "3", "4", ok=False)
    assert "请写明审定人的姓名" in bot("panel", "approve", ok=False)
    assert "已记录报批审定：李处长" in bot("panel", "approve", "--by", "李处长")
    assert "已于" in bot("panel", "select", "top", "2", ok=False)
    paths = [Path(p.split("已生成：")[1]) for p in bot("panel", "results", str(out)).splitlines() if "已生成" in p]
    assert len(paths) == 8
    report = "\n".join(p.text for p in docx.Document(out / "2024年评审情况报告.docx").paragraphs)
    assert "王静怡因故不再参加评审，其评审任务由专家钱卫东承担" in report and "专家郑国华申明回避" in report
    pdfs = convert_all_to_pdf(paths, tmp_path / "pdf")
    texts = "".join(re.sub(r"\s+", "", pdf_to_text(p)) for p in pdfs)
    assert "评审汇总表" in texts and "拟入选名单" in texts and "评审专家（签名）" in texts
    # the audit holds every step
    audit = bot("audit")
    for action in (
        "录入纸质或邮件报送的案例",
        "形式审查补正",
        "专家确认评审承诺",
        "回避",
        "专家评分",
        "更换评审专家",
        "报批审定",
    ):
        assert action in audit, action
