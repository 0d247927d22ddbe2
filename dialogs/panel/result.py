"""The panel's result: each case's score, the flags that send it to 复核, and the rankings.

A case's score is the mean of its experts' totals. Where a case received ``trim_from`` (5) scores
or more, one highest and one lowest are dropped first (去掉一个最高分和一个最低分), counted on the
scores the case actually received, so an expert's 回避 never leaves the rule applied to a score
that does not exist. The mean is rounded to 2 decimals (half up, as a calculator does) before
ranking, so the rank printed agrees with the score printed. Ranks are competition ranks (1, 2, 2,
4): equal scores share a place, and a tie that straddles the cut-off line is flagged rather than
broken by an order nobody chose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .scores import GateAnswer, total

CENT = Decimal("0.01")


class Flag(StrEnum):
    GATE = "gate"  # a gate answered "no" by an expert
    SPREAD = "spread"  # max − min of the totals over the set value
    TIE = "tie"  # equal score across the cut-off line
    UNSCORED = "unscored"  # no score received


@dataclass(frozen=True)
class Sheet:
    """One expert's finished score of one case."""

    expert: int
    case_id: int
    points: tuple[Decimal, ...]
    gates: tuple[GateAnswer, ...] = ()
    comment: str = ""

    @property
    def total(self) -> Decimal:
        return total(self.points)

    @property
    def vetoed(self) -> bool:
        return any(not g.passed for g in self.gates)


@dataclass(frozen=True)
class Entry:
    """A case as the ranking sees it."""

    case_id: int
    category: str
    group: str | None = None


@dataclass(frozen=True)
class CaseResult:
    case_id: int
    category: str
    group: str | None
    totals: tuple[Decimal, ...]  # every total received, highest first
    counted: tuple[Decimal, ...]  # those the mean is taken of
    score: Decimal | None
    spread: Decimal
    flags: frozenset[Flag] = frozenset()
    rank: int | None = None  # overall
    category_rank: int | None = None
    group_rank: int | None = None

    @property
    def trimmed(self) -> bool:
        return len(self.counted) < len(self.totals)


def mean_score(totals: Sequence[Decimal], trim_from: int) -> tuple[Decimal | None, tuple[Decimal, ...]]:
    """The score and the totals it is the mean of; None for a case without scores."""
    ordered = tuple(sorted(totals, reverse=True))
    if not ordered:
        return None, ()
    counted = ordered[1:-1] if len(ordered) >= trim_from else ordered
    mean = sum(counted, Decimal(0)) / len(counted)
    return mean.quantize(CENT, rounding=ROUND_HALF_UP), counted


def competition_ranks(scores: Mapping[int, Decimal | None]) -> dict[int, int]:
    """Rank 1 for the highest; equal scores share a rank; unscored cases get none."""
    ordered = sorted(((s, cid) for cid, s in scores.items() if s is not None), key=lambda p: (-p[0], p[1]))
    ranks: dict[int, int] = {}
    previous: Decimal | None = None
    place = 0
    for position, (score, cid) in enumerate(ordered, start=1):
        if score != previous:
            place, previous = position, score
        ranks[cid] = place
    return ranks


def tied_at_cut(scores: Mapping[int, Decimal | None], places: int) -> set[int]:
    """The cases whose equal score straddles the ``places``-th place: some in, some out."""
    ordered = sorted((s for s in scores.values() if s is not None), reverse=True)
    if places <= 0 or len(ordered) <= places:
        return set()
    line = ordered[places - 1]
    if ordered[places] != line:
        return set()
    return {cid for cid, s in scores.items() if s == line}


def results(
    entries: Iterable[Entry],
    sheets: Iterable[Sheet],
    *,
    trim_from: int,
    spread_limit: Decimal,
    places: int = 0,
) -> list[CaseResult]:
    """Every case's result, ranked overall, within its category and within its group; best first."""
    by_case: dict[int, list[Sheet]] = {}
    for sheet in sheets:
        by_case.setdefault(sheet.case_id, []).append(sheet)
    cases = list(entries)
    drafts: dict[int, CaseResult] = {}
    for entry in cases:
        mine = by_case.get(entry.case_id, [])
        totals = tuple(sorted((s.total for s in mine), reverse=True))
        score, counted = mean_score(totals, trim_from)
        spread = totals[0] - totals[-1] if totals else Decimal(0)
        flags = set()
        if not totals:
            flags.add(Flag.UNSCORED)
        if any(s.vetoed for s in mine):
            flags.add(Flag.GATE)
        if spread > spread_limit:
            flags.add(Flag.SPREAD)
        drafts[entry.case_id] = CaseResult(
            entry.case_id, entry.category, entry.group, totals, counted, score, spread, frozenset(flags)
        )
    scores = {cid: r.score for cid, r in drafts.items()}
    overall = competition_ranks(scores)
    tied = tied_at_cut(scores, places)
    within_category = _ranks_within(drafts.values(), lambda r: r.category)
    within_group = _ranks_within(drafts.values(), lambda r: r.group or "")
    final = [
        CaseResult(
            r.case_id,
            r.category,
            r.group,
            r.totals,
            r.counted,
            r.score,
            r.spread,
            r.flags | ({Flag.TIE} if r.case_id in tied else set()),
            overall.get(r.case_id),
            within_category.get(r.case_id),
            within_group.get(r.case_id) if r.group is not None else None,
        )
        for r in drafts.values()
    ]
    return sorted(final, key=order_key)


def order_key(result: CaseResult) -> tuple[int, Decimal, int]:
    """Best first; unscored cases last; equal scores by case number, so the order is stable."""
    if result.score is None:
        return (1, Decimal(0), result.case_id)
    return (0, -result.score, result.case_id)


def _ranks_within(items: Iterable[CaseResult], key: Callable[[CaseResult], str]) -> dict[int, int]:
    parts: dict[str, dict[int, Decimal | None]] = {}
    for r in items:
        parts.setdefault(key(r), {})[r.case_id] = r.score
    ranks: dict[int, int] = {}
    for scores in parts.values():
        ranks |= competition_ranks(scores)
    return ranks


@dataclass(frozen=True)
class Review:
    """A 复核 decision: the flagged case's score stands, or the case is kept out of 拟入选."""

    case_id: int
    excluded: bool
    reason: str
    by: str = ""


def needing_review(found: Sequence[CaseResult], reviews: Mapping[int, Review]) -> list[int]:
    """Flagged cases (a gate "no", a spread, a tie at the cut-off) with no 复核 decision yet."""
    watched = {Flag.GATE, Flag.SPREAD, Flag.TIE}
    return [r.case_id for r in found if r.flags & watched and r.case_id not in reviews]


@dataclass(frozen=True)
class Selection:
    """The 拟入选 cases in rank order, and the cases tied at a cut-off left for the admin to settle."""

    chosen: tuple[int, ...]
    tied: tuple[int, ...] = field(default=())


def _eligible(found: Sequence[CaseResult], reviews: Mapping[int, Review]) -> list[CaseResult]:
    return [r for r in found if r.score is not None and not (r.case_id in reviews and reviews[r.case_id].excluded)]


def _top(pool: Sequence[CaseResult], places: int) -> tuple[list[int], list[int]]:
    scores = {r.case_id: r.score for r in pool}
    tied = tied_at_cut(scores, places)
    ordered = sorted(pool, key=order_key)
    chosen = [r.case_id for r in ordered[:places] if r.case_id not in tied]
    return chosen, [r.case_id for r in ordered if r.case_id in tied]


def top_overall(found: Sequence[CaseResult], places: int, reviews: Mapping[int, Review]) -> Selection:
    chosen, tied = _top(_eligible(found, reviews), places)
    return Selection(tuple(chosen), tuple(tied))


def top_per_category(found: Sequence[CaseResult], places: int, reviews: Mapping[int, Review]) -> Selection:
    chosen: list[int] = []
    tied: list[int] = []
    pool = _eligible(found, reviews)
    for category in dict.fromkeys(r.category for r in pool):
        c, t_ = _top([r for r in pool if r.category == category], places)
        chosen += c
        tied += t_
    order = {r.case_id: i for i, r in enumerate(sorted(pool, key=order_key))}
    return Selection(tuple(sorted(chosen, key=order.__getitem__)), tuple(sorted(tied, key=order.__getitem__)))


def by_hand(found: Sequence[CaseResult], ids: Sequence[int], reviews: Mapping[int, Review]) -> Selection:
    """The admin's own list, kept in rank order; the caller refuses ids that are not eligible."""
    pool = {r.case_id for r in _eligible(found, reviews)}
    order = {r.case_id: i for i, r in enumerate(sorted(found, key=order_key))}
    chosen = sorted(dict.fromkeys(i for i in ids if i in pool), key=order.__getitem__)
    return Selection(tuple(chosen))


def ineligible(found: Sequence[CaseResult], ids: Sequence[int], reviews: Mapping[int, Review]) -> list[int]:
    pool = {r.case_id for r in _eligible(found, reviews)}
    return [i for i in ids if i not in pool]
