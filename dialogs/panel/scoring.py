"""The expert's scoring conversation: pure, its state a small value the shell keeps on the expert's row.

/score opens the next case (or /score 编号 a given one): the 承诺书 first if not yet confirmed, then
"no conflict or 回避" for a case not yet cleared, the gates one by one (a "no" with its reason),
the points all at once ("18 35 36") or one by one, an optional comment, and a confirmation. Each
answer moves the state one step and is kept at once, so a half-entered score survives a restart.
What the shell must do (record the pledge, a clearance, a 回避, the finished score) comes back as
an :class:`Act`; what the expert may see (only the cases given to them, only their own scores) is
decided by the shell before this is called.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from ..errors import FieldError
from ..wording import t
from .criteria import PanelSettings
from .result import Sheet
from .scores import GateAnswer, read_gate, read_point, read_points, total

Step = Literal["pledge", "conflict", "gate", "reason", "points", "comment", "confirm"]


class Scoring(BaseModel):
    """Where the expert is: the case, the step, and what they answered so far."""

    case_id: int | None = None
    step: Step | None = None
    gates: list[tuple[bool, str]] = []
    points: list[str] = []
    comment: str = ""
    then: int | None = None  # the case /score 编号 asked for while the 承诺书 was pending


@dataclass(frozen=True)
class CaseView:
    """What the expert sees of a case: its one-screen summary, and where it stands in their list."""

    case_id: int
    summary: str
    position: int
    count: int


@dataclass(frozen=True)
class Act:
    kind: Literal["pledge", "clear", "recuse", "save"]
    case_id: int = 0
    reason: str = ""
    sheet: Sheet | None = None


@dataclass
class Turn:
    state: Scoring
    replies: list[str] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    open_case: int | None = None  # the shell sends this case's 推荐表 and summary


def begin(state: Scoring, case: CaseView, settings: PanelSettings, pledged: bool, cleared: bool) -> Turn:
    """Open ``case``: the 承诺书 first if need be, then the conflict question or the first gate."""
    if not pledged:
        return Turn(Scoring(step="pledge", then=case.case_id), [t("panel.chat.pledge", pledge=settings.pledge)])
    header = t("panel.chat.case_header", position=case.position, count=case.count, id=case.case_id)
    turn = Turn(Scoring(case_id=case.case_id), [header, case.summary], open_case=case.case_id)
    if not cleared:
        turn.state.step = "conflict"
        turn.replies.append(t("panel.chat.conflict"))
        return turn
    return _first_question(turn, settings)


def _first_question(turn: Turn, settings: PanelSettings) -> Turn:
    turn.state.gates, turn.state.points = [], []
    if settings.gates:
        turn.state.step = "gate"
        turn.replies.append(_gate_question(settings, 0))
    else:
        turn.state.step = "points"
        turn.replies.append(_points_question(settings))
    return turn


def _gate_question(settings: PanelSettings, index: int) -> str:
    gate = settings.gates[index]
    return t("panel.chat.gate", number=index + 1, count=len(settings.gates), name=gate.name, words=gate.words)


def _points_question(settings: PanelSettings) -> str:
    listed = t("panel.list").join(t("panel.chat.criterion", name=c.name, most=c.max) for c in settings.points)
    return t("panel.chat.points", criteria=listed)


def answer(state: Scoring, text: str, settings: PanelSettings, expert: int) -> Turn:
    """One typed answer at the current step; a bad one is refused with the reason and changes nothing."""
    step = state.step
    turn = Turn(state.model_copy(deep=True))
    try:
        if step == "pledge":
            return _pledge(turn, text)
        if step == "conflict":
            return _conflict(turn, text, settings)
        if step == "gate":
            return _gate(turn, text, settings)
        if step == "reason":
            return _reason(turn, text, settings)
        if step == "points":
            return _points(turn, text, settings)
        if step == "comment":
            turn.state.comment = "" if _is_none(text) else " ".join(text.split())[:500]
            return _confirm(turn, settings)
        if step == "confirm":
            return _confirmed(turn, text, settings, expert)
    except FieldError as error:
        return Turn(state, [str(error)])
    return Turn(state, [t("panel.chat.nothing_open")])


def _is_none(text: str) -> bool:
    return text.strip() in _words("panel.chat.none_words") or text.strip().lower() == "/skip"


def _words(key: str) -> tuple[str, ...]:
    return tuple(w for w in t(key).split("|") if w)


def _pledge(turn: Turn, text: str) -> Turn:
    if text.strip() not in _words("panel.chat.agree_words"):
        return Turn(turn.state, [t("panel.chat.pledge_again")])
    turn.acts.append(Act("pledge"))
    turn.replies.append(t("panel.chat.pledged"))
    turn.state = Scoring(then=turn.state.then)  # the shell opens the case asked for, or the next one
    return turn


def _conflict(turn: Turn, text: str, settings: PanelSettings) -> Turn:
    case_id = turn.state.case_id or 0
    stripped = unicodedata.normalize("NFKC", text).strip()
    for word in sorted(_words("panel.chat.recuse_words"), key=len, reverse=True):
        if stripped.startswith(word):
            reason = stripped[len(word) :].lstrip(t("panel.gate.reason_lead")).strip()
            turn.acts.append(Act("recuse", case_id, reason))
            turn.replies.append(t("panel.chat.recused", id=case_id))
            turn.state = Scoring()
            return turn
    if stripped not in _words("panel.chat.clear_words"):
        return Turn(turn.state, [t("panel.chat.conflict_again")])
    turn.acts.append(Act("clear", case_id))
    return _first_question(turn, settings)


def _gate(turn: Turn, text: str, settings: PanelSettings) -> Turn:
    got = read_gate(text)
    turn.state.gates.append((got.passed, got.reason))
    if not got.passed and not got.reason:
        turn.state.step = "reason"
        turn.replies.append(t("panel.chat.reason"))
        return turn
    return _after_gate(turn, settings)


def _reason(turn: Turn, text: str, settings: PanelSettings) -> Turn:
    reason = " ".join(text.split())
    if not reason or len(reason) > 1000:
        raise FieldError(t("panel.chat.reason"))
    turn.state.gates[-1] = (False, reason)
    return _after_gate(turn, settings)


def _after_gate(turn: Turn, settings: PanelSettings) -> Turn:
    done = len(turn.state.gates)
    if done < len(settings.gates):
        turn.state.step = "gate"
        turn.replies.append(_gate_question(settings, done))
    else:
        turn.state.step = "points"
        turn.replies.append(_points_question(settings))
    return turn


def _points(turn: Turn, text: str, settings: PanelSettings) -> Turn:
    criteria = settings.points
    have = len(turn.state.points)
    tokens = text.split()
    if have == 0 and len(tokens) != 1 or len(criteria) == 1:
        values: Sequence[Decimal] = read_points(text, criteria)
        turn.state.points = [str(v) for v in values]
    else:
        turn.state.points.append(str(read_point(text, criteria[have])))
        if len(turn.state.points) < len(criteria):
            nxt = criteria[len(turn.state.points)]
            turn.replies.append(t("panel.chat.next_point", name=nxt.name, most=nxt.max))
            return turn
    turn.state.step = "comment"
    turn.replies.append(t("panel.chat.comment"))
    return turn


def sheet_of(state: Scoring, expert: int) -> Sheet:
    gates = tuple(GateAnswer(p, r) for p, r in state.gates)
    return Sheet(expert, state.case_id or 0, tuple(Decimal(p) for p in state.points), gates, state.comment)


def _confirm(turn: Turn, settings: PanelSettings) -> Turn:
    state = turn.state
    lines = [
        t("panel.chat.gate_line", name=g.name, answer=_yes_no(p, r))
        for g, (p, r) in zip(settings.gates, state.gates, strict=True)
    ]
    lines += [
        t("panel.chat.point_line", name=c.name, given=p, most=c.max)
        for c, p in zip(settings.points, state.points, strict=True)
    ]
    score = total([Decimal(p) for p in state.points])
    lines.append(t("panel.chat.total_line", total=score, most=settings.total_max))
    if state.comment:
        lines.append(t("panel.chat.comment_line", comment=state.comment))
    state.step = "confirm"
    turn.replies.append(t("panel.chat.confirm", id=state.case_id, lines="\n".join(lines)))
    return turn


def _yes_no(passed: bool, reason: str) -> str:
    return t("panel.chat.yes") if passed else t("panel.chat.no", reason=reason)


def _confirmed(turn: Turn, text: str, settings: PanelSettings, expert: int) -> Turn:
    word = text.strip()
    if word in _words("panel.chat.redo_words"):
        turn.replies.append(t("panel.chat.redo"))
        return _first_question(turn, settings)
    if word not in _words("panel.chat.agree_words"):
        return Turn(turn.state, [t("panel.chat.confirm_again")])
    sheet = sheet_of(turn.state, expert)
    turn.acts.append(Act("save", sheet.case_id, sheet=sheet))
    turn.replies.append(t("panel.chat.saved", id=sheet.case_id, total=sheet.total))
    turn.state = Scoring()
    return turn
