"""The coordinator's work (优中选优、排序、推荐、退回修改) as pure functions over a unit's cases.

Commands and buttons become a :class:`CaseOp`; :func:`apply_op` turns an operation into rank
changes with the notice's rules held (quota, 1..n without gaps) or a :class:`RuleError`. Buttons
carry what the case looked like when they were drawn, so a button from an old list, or a second
coordinator acting at the same moment, is recognised instead of moving the wrong case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from . import ranking
from .campaign import Campaign, Unit
from .events import Button, Command, Reply
from .form import FORM_STEPS, label
from .models import Case, CaseState, Step
from .rules import RuleError

OpKind = Literal["up", "down", "recommend", "withdraw", "rank", "return", "ask_return"]
COMMANDS = {"cases", "up", "down", "recommend", "withdraw", "rank", "return"}
USAGE = (
    "联络人命令：/cases 查看本单位案例；/up 编号、/down 编号 调整推荐顺序；/rank 编号 位次；"
    "/recommend 编号 推荐；/withdraw 编号 撤回推荐；/return 编号 需修改项目序号 退回意见"
    "（如 /return 12 8,10 请补充实施成效的具体数据）；/summary 下载本单位汇总表。"
)


@dataclass(frozen=True)
class CaseOp:
    kind: OpKind
    case_id: int
    rank: int | None = None
    fields: tuple[Step, ...] = ()
    comment: str = ""
    seen: str | None = None  # the case's state and rank when the button was drawn


def _state_mark(case: Case) -> str:
    return f"{case.state.value}{case.rank or ''}"


def _case_id(text: str) -> int | None:
    text = text.strip().lstrip("#").removeprefix("编号")
    return int(text) if text.isdigit() else None


def parse_command(cmd: Command) -> CaseOp | str:
    """A typed coordinator command; a string result is the message explaining what is wrong."""
    words = cmd.arg.split(maxsplit=2)
    case_id = _case_id(words[0]) if words else None
    if case_id is None:
        return f"请写明案例编号，例如 /{cmd.name} 12。\n{USAGE}"
    if cmd.name == "rank":
        if len(words) < 2 or not words[1].isdigit():
            return "请写明案例编号和新的位次，例如 /rank 12 1。"
        return CaseOp("rank", case_id, rank=int(words[1]))
    if cmd.name == "return":
        return _parse_return(case_id, words[1:])
    return CaseOp(cmd.name, case_id)  # type: ignore[arg-type]


def _parse_return(case_id: int, words: Sequence[str]) -> CaseOp | str:
    if len(words) < 2:
        return (
            "请写明需修改的项目序号和退回意见，例如 /return 12 8,10 请补充实施成效的具体数据。\n"
            + "项目序号："
            + "，".join(f"{i}.{label(s)}" for i, s in enumerate(FORM_STEPS, start=1))
        )
    fields = []
    for token in words[0].replace("，", ",").replace("、", ",").split(","):
        if not token.strip().isdigit() or not 1 <= int(token) <= len(FORM_STEPS):
            return f"项目序号“{token}”无效，应为 1 至 {len(FORM_STEPS)} 之间的数字，多个序号用逗号分隔。"
        step = FORM_STEPS[int(token) - 1]
        if step not in fields:
            fields.append(step)
    return CaseOp("return", case_id, fields=tuple(fields), comment=words[1].strip())


def parse_press(data: str) -> CaseOp | None:
    """``co:<kind>:<case id>:<state and rank when drawn>``."""
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != "co" or not parts[2].isdigit():
        return None
    kinds = {"up": "up", "dn": "down", "rec": "recommend", "wd": "withdraw", "ret": "ask_return"}
    kind = kinds.get(parts[1])
    return CaseOp(kind, int(parts[2]), seen=parts[3]) if kind else None  # type: ignore[arg-type]


def stale(op: CaseOp, case: Case) -> bool:
    return op.seen is not None and op.seen != _state_mark(case)


def apply_op(op: CaseOp, cases: Sequence[Case], quota: int) -> list[ranking.RankChange]:
    if op.kind in ("up", "down"):
        return ranking.move(cases, op.case_id, -1 if op.kind == "up" else 1)
    if op.kind == "rank":
        assert op.rank is not None
        return ranking.set_rank(cases, op.case_id, op.rank)
    if op.kind == "recommend":
        return ranking.recommend(cases, op.case_id, quota)
    if op.kind == "withdraw":
        return ranking.withdraw(cases, op.case_id)
    if op.kind == "return":
        return ranking.send_back(cases, op.case_id)
    raise RuleError("该操作无需修改排序。")


def done_zh(op: CaseOp, case: Case) -> str:
    name = f"《{case.form.name}》"
    return {
        "up": f"已将{name}上移。",
        "down": f"已将{name}下移。",
        "rank": f"已将{name}调整至第 {op.rank} 位。",
        "recommend": f"已推荐{name}。",
        "withdraw": f"已撤回{name}的推荐，该案例保留为候选案例。",
        "return": f"已将{name}退回修改，并通知申报人。",
    }.get(op.kind, "")


def ask_return_zh(case: Case) -> str:
    steps = "，".join(f"{i}.{label(s)}" for i, s in enumerate(FORM_STEPS, start=1))
    return (
        f"退回《{case.form.name}》（编号 {case.id}）修改，请发送：\n/return {case.id} 需修改项目序号 退回意见\n"
        f"例如：/return {case.id} 8,10 请补充实施成效的具体数据\n项目序号：{steps}"
    )


def returned_notice_zh(case: Case, fields: Sequence[Step], comment: str, reopened: bool) -> str:
    names = "、".join(label(s) for s in fields)
    text = f"您提交的案例《{case.form.name}》已被推荐单位退回修改。\n退回意见：{comment}\n需修改：{names}。"
    if reopened:
        return text + "\n已为您打开该案例，请逐项修改后重新核对提交；重新提交后保留原推荐位次。"
    return text + f"\n您当前有另一份草稿在填写，请先提交或放弃该草稿，然后发送 /revise {case.id} 修改本案例。"


# ----------------------------------------------------------------------------- the list


@dataclass
class UnitView:
    unit: Unit
    quota: int
    cases: list[Case] = field(default_factory=list)


def _buttons(case: Case) -> tuple[Button, ...]:
    mark = _state_mark(case)
    ref = f"{case.id}:{mark}"
    if case.state is CaseState.RECOMMENDED:
        return (
            Button(f"↑ {case.id}", f"co:up:{ref}"),
            Button(f"↓ {case.id}", f"co:dn:{ref}"),
            Button(f"撤回 {case.id}", f"co:wd:{ref}"),
            Button(f"退回 {case.id}", f"co:ret:{ref}"),
        )
    if case.state is CaseState.SUBMITTED:
        return (Button(f"推荐 {case.id}", f"co:rec:{ref}"), Button(f"退回 {case.id}", f"co:ret:{ref}"))
    return ()


def render_unit(view: UnitView) -> Reply:
    cases = [c for c in view.cases if c.state is not CaseState.DRAFT]
    shown = sorted(cases, key=lambda c: (c.rank is None, c.rank or 0, c.id))
    used = sum(1 for c in shown if c.state is CaseState.RECOMMENDED)
    lines = [f"【{view.unit.name}】推荐名额 {used}/{view.quota}，共收到 {len(shown)} 个案例："]
    if not shown:
        lines.append("暂无案例。")
    for case in shown:
        place = f"推荐第 {case.rank} 位" if case.rank else case.state.zh
        flags = f"（{'；'.join(case.flags)}）" if case.flags else ""
        lines.append(f"编号 {case.id}：《{case.form.name}》 {place}{flags}")
    rows = tuple(row for row in (_buttons(c) for c in shown) if row)
    return Reply(text="\n".join(lines) + "\n" + USAGE, buttons=rows)


def new_case_note_zh(unit_name: str, name: str, rank: int | None) -> str:
    """What a unit's coordinators are told when a case arrives, with the files attached."""
    place = f"已列入推荐第 {rank} 位。" if rank else "作为候选案例（推荐名额已满）。"
    return f"【新案例】{unit_name}收到案例《{name}》。{place}附推荐表及更新后的汇总表。"


def has_pending_work(campaign: Campaign, unit: Unit, states: Sequence[CaseState]) -> bool:
    """A coordinator still has work while candidates wait to be ranked or the quota has room."""
    recommended = sum(1 for s in states if s is CaseState.RECOMMENDED)
    return CaseState.SUBMITTED in states or recommended < campaign.quota_for(unit)


def overview_zh(campaign: Campaign, stats: Sequence[tuple[Unit, int, int]], deadline_note: str) -> str:
    """/overview for administrators: submitted / recommended / quota of every unit."""
    lines = ["【全省申报情况】", deadline_note] if deadline_note else ["【全省申报情况】"]
    total_s = total_r = 0
    for unit, submitted, recommended in stats:
        total_s, total_r = total_s + submitted, total_r + recommended
        lines.append(f"{unit.name}：已提交 {submitted}，已推荐 {recommended}/{campaign.quota_for(unit)}")
    lines.append(f"合计：已提交 {total_s}，已推荐 {total_r}。")
    return "\n".join(lines)
