"""The coordinator's work (优中选优、排序、推荐、退回修改) as pure functions over a unit's cases.

Commands and buttons become a :class:`CaseOp`; :func:`apply_op` turns an operation into rank
changes with the notice's rules held (quota, 1..n without gaps) or a :class:`RuleError`. Buttons
carry what the case looked like when they were drawn, so a button from an old list, or a second
coordinator acting at the same moment, is recognised instead of moving the wrong case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from . import ranking
from .campaign import Campaign, Unit
from .events import Button, Command, Reply
from .form import FORM_STEPS, label
from .models import Case, CaseState, Step
from .numbers import MAX_SMALL, read_case_id, read_number
from .rules import RuleError
from .wording import t

OpKind = Literal["up", "down", "recommend", "withdraw", "rank", "return", "ask_return", "release"]
COMMANDS = {"cases", "up", "down", "recommend", "withdraw", "rank", "return", "release"}
_PRESS_KINDS: dict[str, OpKind] = {
    "up": "up",
    "dn": "down",
    "rec": "recommend",
    "wd": "withdraw",
    "ret": "ask_return",
    "rel": "release",
}
_TYPED_KINDS: dict[str, OpKind] = {
    "up": "up",
    "down": "down",
    "recommend": "recommend",
    "withdraw": "withdraw",
    "release": "release",
}
_DAY = re.compile(r"^(?:(\d{4})\s*[-\u5e74./]\s*)?(\d{1,2})\s*[-\u6708./]\s*(\d{1,2})\s*\u65e5?$")  # 年 月 日


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


def _steps_zh() -> str:
    items = (t("coordinator.step", number=i, label=label(s)) for i, s in enumerate(FORM_STEPS, start=1))
    return t("dialog.sep.items").join(items)


def parse_command(cmd: Command) -> CaseOp | str:
    """A typed coordinator command; a string result is the message explaining what is wrong."""
    words = cmd.arg.split(maxsplit=2)
    if not words:
        return t("coordinator.need_id", name=cmd.name, usage=t("coordinator.usage"))
    case_id = read_case_id(words[0])
    if case_id is None:
        return t("coordinator.bad_id", typed=words[0][:20], name=cmd.name)
    if cmd.name == "rank":
        if len(words) < 2:
            return t("coordinator.rank_usage")
        rank = read_number(words[1], maximum=MAX_SMALL)
        if rank is None:
            return t("coordinator.bad_rank", typed=words[1][:20])
        return CaseOp("rank", case_id, rank=rank)
    if cmd.name == "return":
        return _parse_return(case_id, words[1:])
    kind = _TYPED_KINDS.get(cmd.name)
    if kind is None:
        return t("coordinator.usage")
    return CaseOp(kind, case_id)


def _parse_return(case_id: int, words: Sequence[str]) -> CaseOp | str:
    if len(words) < 2:
        return t("coordinator.return_usage", steps=_steps_zh())
    numbers = words[0]
    for separator in t("coordinator.field_separators"):
        numbers = numbers.replace(separator, ",")
    fields: list[Step] = []
    for token in numbers.split(","):
        number = read_number(token, maximum=len(FORM_STEPS))
        if number is None:
            return t("coordinator.bad_field", token=token.strip()[:20], count=len(FORM_STEPS))
        step = FORM_STEPS[number - 1]
        if step not in fields:
            fields.append(step)
    return CaseOp("return", case_id, fields=tuple(fields), comment=words[1].strip())


def parse_day(text: str, year: int) -> date | None:
    """A date as a coordinator types it: 2024-03-06, 2024年3月6日, 2024/3/6, full-width digits, or
    3月6日 in the campaign's year; None when it is not a real calendar day."""
    match = _DAY.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    try:
        return date(int(match[1] or year), int(match[2]), int(match[3]))
    except ValueError:
        return None


def scan_press(data: str) -> int | None:
    """The case id of a ``sc:<case id>`` button (send the sealed scan of this 推荐表); None for anything else."""
    kind, _, rest = data.partition(":")
    return read_number(rest) if kind == "sc" and rest.isascii() else None


def parse_press(data: str) -> CaseOp | None:
    """``co:<kind>:<case id>:<state and rank when drawn>``; None for anything else."""
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != "co":
        return None
    kind = _PRESS_KINDS.get(parts[1])
    case_id = read_number(parts[2]) if parts[2].isascii() else None
    if kind is None or case_id is None:
        return None
    return CaseOp(kind, case_id, seen=parts[3])


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
        held = next((c for c in cases if c.id == op.case_id and c.state is CaseState.RETURNED and c.rank), None)
        if held is not None:
            raise RuleError(t("ranking.not_to_withdraw_held", rank=held.rank, id=held.id), code="held")
        return ranking.withdraw(cases, op.case_id)
    if op.kind == "release":
        return ranking.release(cases, op.case_id)
    if op.kind == "return":
        return ranking.send_back(cases, op.case_id)
    raise RuleError(t("coordinator.no_rank_change"))


def done_zh(op: CaseOp, case: Case) -> str:
    name = case.form.name or ""
    if op.kind == "up":
        return t("coordinator.done.up", name=name)
    if op.kind == "down":
        return t("coordinator.done.down", name=name)
    if op.kind == "rank":
        return t("coordinator.done.rank", name=name, rank=op.rank)
    if op.kind == "recommend":
        return t("coordinator.done.recommend", name=name)
    if op.kind == "withdraw":
        return t("coordinator.done.withdraw", name=name)
    if op.kind == "return":
        return t("coordinator.done.return", name=name)
    if op.kind == "release":
        return t("coordinator.done.release", name=name)
    return ""


def ask_return_zh(case: Case, until: str) -> str:
    """How to return a case, with the date its owner must resubmit by (``until``, in words)."""
    slot = t("coordinator.ask_slot_kept") if case.state is CaseState.RECOMMENDED else t("coordinator.ask_slot_none")
    return t("coordinator.ask_return", name=case.form.name or "", id=case.id, steps=_steps_zh(), until=until, slot=slot)


def returned_notice_zh(case: Case, fields: Sequence[Step], comment: str, reopened: bool, until: str) -> str:
    """The owner's notice of a return: what to change, whether the slot is kept, and by when
    (``until``, the submitters' cut-off in words) it must come back."""
    names = t("dialog.sep.list").join(label(s) for s in fields)
    lines = [t("coordinator.returned.notice", name=case.form.name or "", comment=comment, fields=names)]
    if case.rank is not None:
        lines.append(t("coordinator.returned.kept", rank=case.rank))
    else:
        lines.append(t("coordinator.returned.unranked"))
    lines.append(t("coordinator.returned.until", when=until))
    if reopened:
        lines.append(t("coordinator.returned.reopened"))
    else:
        lines.append(t("coordinator.returned.busy", id=case.id))
    return "\n".join(lines)


def released_notice_zh(case: Case) -> str:
    return t("coordinator.returned.released", name=case.form.name or "", id=case.id)


def reverted_notices_zh(case: Case, state: CaseState, when: str) -> tuple[str, str]:
    """(to the owner, to the coordinators) when a returned case is put back as last submitted."""
    name = case.form.name or ""
    return (
        t("coordinator.returned.reverted_owner", name=name, id=case.id, when=when),
        t("coordinator.returned.reverted_coordinator", name=name, id=case.id, when=when, state=state.zh),
    )


# ----------------------------------------------------------------------------- the list


@dataclass
class UnitView:
    unit: Unit
    quota: int
    cases: list[Case] = field(default_factory=list)
    note: str = ""  # the dates that apply to the unit's coordinators
    seals: dict[int, str] = field(default_factory=dict)  # recommended case id → 已盖章 / 未盖章 / …
    summary_seal: str = ""  # the same for the 汇总表; empty: not shown


def _buttons(case: Case) -> tuple[Button, ...]:
    mark = _state_mark(case)
    ref = f"{case.id}:{mark}"
    if case.state is CaseState.RECOMMENDED:
        return (
            Button(f"↑ {case.id}", f"co:up:{ref}"),
            Button(f"↓ {case.id}", f"co:dn:{ref}"),
            Button(t("coordinator.button.withdraw", id=case.id), f"co:wd:{ref}"),
            Button(t("coordinator.button.return", id=case.id), f"co:ret:{ref}"),
            Button(t("coordinator.button.scan", id=case.id), f"sc:{case.id}"),
        )
    if case.state is CaseState.SUBMITTED:
        return (
            Button(t("coordinator.button.recommend", id=case.id), f"co:rec:{ref}"),
            Button(t("coordinator.button.return", id=case.id), f"co:ret:{ref}"),
        )
    if case.state is CaseState.RETURNED and case.rank is not None:
        return (Button(t("coordinator.button.release", id=case.id), f"co:rel:{ref}"),)
    return ()


def render_unit(view: UnitView) -> Reply:
    cases = [c for c in view.cases if c.state is not CaseState.DRAFT]
    shown = sorted(cases, key=lambda c: (c.rank is None, c.rank or 0, c.id))
    used = sum(1 for c in shown if c.rank is not None)
    lines = [t("coordinator.list.title", unit=view.unit.name, used=used, quota=view.quota, count=len(shown))]
    if view.note:
        lines.append(view.note)
    if not shown:
        lines.append(t("coordinator.list.empty"))
    for case in shown:
        place = case.state.zh
        if case.rank is not None and case.state is CaseState.RETURNED:
            place = t("coordinator.list.held", rank=case.rank)
        elif case.rank is not None:
            place = t("coordinator.list.rank", rank=case.rank)
        flags = t("coordinator.list.flags", flags=t("dialog.sep.items").join(case.flags)) if case.flags else ""
        seal = t("coordinator.list.seal", seal=view.seals[case.id]) if case.id in view.seals else ""
        lines.append(
            t("coordinator.list.line", id=case.id, name=case.form.name or "", place=place, seal=seal, flags=flags)
        )
    if view.summary_seal:
        lines.append(t("coordinator.list.summary_seal", seal=view.summary_seal))
    rows = tuple(row for row in (_buttons(c) for c in shown) if row)
    return Reply(text="\n".join(lines) + "\n" + t("coordinator.usage"), buttons=rows)


def new_case_note_zh(unit_name: str, name: str, rank: int | None) -> str:
    """What a unit's coordinators are told when a case arrives, with the files attached."""
    place = t("coordinator.new_case.ranked", rank=rank) if rank else t("coordinator.new_case.candidate")
    return t("coordinator.new_case.note", unit=unit_name, name=name, place=place)


def has_pending_work(campaign: Campaign, unit: Unit, cases: Sequence[Case]) -> bool:
    """A coordinator still has work while candidates wait to be ranked or the quota has room; a slot
    kept for a case under revision is not room (its case comes back to it)."""
    used = sum(1 for case in cases if ranking.holds_slot(case))
    return any(case.state is CaseState.SUBMITTED for case in cases) or used < campaign.quota_for(unit)


def overview_zh(campaign: Campaign, stats: Sequence[tuple[Unit, int, int]], deadline_note: str) -> str:
    """/overview for administrators: submitted / recommended / quota of every unit."""
    lines = [t("coordinator.overview.title")] + ([deadline_note] if deadline_note else [])
    total_s = total_r = 0
    for unit, submitted, recommended in stats:
        total_s, total_r = total_s + submitted, total_r + recommended
        quota = campaign.quota_for(unit)
        lines.append(
            t("coordinator.overview.line", unit=unit.name, submitted=submitted, recommended=recommended, quota=quota)
        )
    lines.append(t("coordinator.overview.total", submitted=total_s, recommended=total_r))
    return "\n".join(lines)
