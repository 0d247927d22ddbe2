"""Recommendation quotas and 推荐程度排序 within one recommending unit.

The notice allows each city at most 4 recommended cases and other units at most 2 (the numbers
come from the campaign, via ``campaign.quota_for(unit)``), and asks for the recommended cases in
order of preference (附件2 注2). A unit's recommendation is therefore its RECOMMENDED cases with
ranks 1..n, no gaps, no repeats, n ≤ quota; other cases carry no rank.

A case returned for revision from the recommendation keeps its slot: it stays RETURNED with its
rank, counts against the quota, and the others rank around it, so a newcomer arriving meanwhile
becomes a candidate and the resubmission takes its old place. Only the coordinator's explicit
:func:`release` frees the slot; :func:`revert` puts a case that was never resubmitted back.

Every function takes the unit's cases as they are and returns only the changes the storage layer
must write, as :class:`RankChange` rows, or raises :class:`RuleError` with the reply for the user.
Whatever the input order, the result is always a valid recommendation, so a storage layer that
applies the changes inside one transaction can never leave a gap, a repeat or an overfull unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .models import Case, CaseState
from .rules import RuleError
from .wording import t


@dataclass(frozen=True, slots=True)
class RankChange:
    """The new state and rank of one case (rank is None unless the case is recommended)."""

    case_id: int
    state: CaseState
    rank: int | None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a newly submitted case landed, and every row that changed because of it."""

    case_id: int
    state: CaseState
    rank: int | None
    changes: list[RankChange]
    used: int  # recommended cases of the unit afterwards
    quota: int

    def zh(self) -> str:
        """The sentence confirming the submission to the submitter."""
        if self.state is CaseState.RECOMMENDED:
            return t("ranking.placed", rank=self.rank, used=self.used, quota=self.quota)
        return t("ranking.candidate", used=self.used, quota=self.quota)


# ----------------------------------------------------------------------------- helpers


def _index(cases: Sequence[Case]) -> dict[int, Case]:
    """Cases by id; one unit, each id once, or the caller passed the wrong rows."""
    by_id: dict[int, Case] = {}
    units = set()
    for case in cases:
        if case.id in by_id:
            raise ValueError(f"case {case.id} passed twice")
        by_id[case.id] = case
        units.add(case.unit)
    if len(units) > 1:
        raise ValueError(f"cases of several units passed together: {sorted(units)}")
    return by_id


def holds_slot(case: Case) -> bool:
    """Recommended, or returned for revision from the recommendation (its slot kept)."""
    return case.state is CaseState.RECOMMENDED or (case.state is CaseState.RETURNED and case.rank is not None)


def _order(cases: Iterable[Case]) -> list[int]:
    """Ids of the cases holding a slot in their current order: by rank, unranked last, then by id."""
    recommended = [c for c in cases if holds_slot(c)]
    recommended.sort(key=lambda c: (c.rank is None, c.rank or 0, c.id))
    return [c.id for c in recommended]


def _changes(
    by_id: Mapping[int, Case], ranking: Sequence[int], states: Mapping[int, CaseState] | None = None
) -> list[RankChange]:
    """Rows to write so that exactly ``ranking`` holds the slots, 1..n in that order.

    A ranked case is RECOMMENDED, or stays RETURNED (a slot kept during revision) when that is its
    state after ``states``. A case dropped from the recommendation becomes SUBMITTED unless
    ``states`` says otherwise; a case not in ``by_id`` (a new one) is written whatever its target.
    """
    states = states or {}
    target: dict[int, tuple[CaseState, int | None]] = {}
    for case in by_id.values():
        state = states.get(case.id, case.state)
        if state is CaseState.RECOMMENDED:
            state = CaseState.SUBMITTED
        target[case.id] = (state, None)
    for case_id, state in states.items():
        if case_id not in by_id:
            target[case_id] = (state, None)
    for place, case_id in enumerate(ranking, start=1):
        old_case = by_id.get(case_id)
        kept = states.get(case_id, old_case.state if old_case else CaseState.RECOMMENDED)
        target[case_id] = (CaseState.RETURNED if kept is CaseState.RETURNED else CaseState.RECOMMENDED, place)
    out = []
    for case_id in sorted(target):
        state, rank = target[case_id]
        old = by_id.get(case_id)
        if old is None or (old.state, old.rank) != (state, rank):
            out.append(RankChange(case_id, state, rank))
    return out


def _get(by_id: Mapping[int, Case], case_id: int) -> Case:
    try:
        return by_id[case_id]
    except KeyError:
        raise RuleError(t("ranking.not_found"), code="not_found") from None


def _quota_full(used: int, quota: int) -> RuleError:
    if quota <= 0:
        return RuleError(t("ranking.no_quota"), code="quota_full")
    return RuleError(t("ranking.quota_full", used=used, quota=quota), code="quota_full")


def _require_recommended(case: Case) -> None:
    if case.state is not CaseState.RECOMMENDED:
        raise RuleError(
            t("ranking.not_in_list", state=case.state.zh),
            code="not_recommended",
        )


# ----------------------------------------------------------------------------- operations


def renumber(cases: Sequence[Case]) -> list[RankChange]:
    """Ranks 1..n in the current order, no gaps or repeats; cases not recommended lose any rank.

    Used after any change made outside this module (a case deleted, an administrator's edit).
    """
    by_id = _index(cases)
    return _changes(by_id, _order(cases))


def place_new(cases: Sequence[Case], new_case_id: int, quota: int, previous_rank: int | None = None) -> Placement:
    """Place a case that is being submitted (or resubmitted after return).

    A resubmitted case that kept its slot is recommended in that slot. Otherwise, while the unit
    has room, the case is recommended at the end of the list, or at ``previous_rank`` (clamped to
    the list; cases returned before slots were kept carry it). A unit without room keeps the case
    as a SUBMITTED candidate. ``cases`` may or may not already contain the new case.
    """
    by_id = _index(cases)
    held = _order(cases)
    if new_case_id in held:
        changes = _changes(by_id, held, {new_case_id: CaseState.RECOMMENDED})
        return Placement(
            new_case_id, CaseState.RECOMMENDED, held.index(new_case_id) + 1, changes, used=len(held), quota=quota
        )
    ranking = [i for i in held if i != new_case_id]
    if len(ranking) < quota:
        at = len(ranking) if previous_rank is None else min(max(previous_rank, 1) - 1, len(ranking))
        ranking.insert(at, new_case_id)
        state, rank = CaseState.RECOMMENDED, at + 1
    else:
        state, rank = CaseState.SUBMITTED, None
    changes = _changes(by_id, ranking, {new_case_id: state})
    return Placement(new_case_id, state, rank, changes, used=len(ranking), quota=quota)


def recommend(cases: Sequence[Case], case_id: int, quota: int) -> list[RankChange]:
    """Add a submitted candidate to the end of the unit's recommendation, within the quota."""
    by_id = _index(cases)
    case = _get(by_id, case_id)
    if case.state is CaseState.RECOMMENDED:
        raise RuleError(t("ranking.already", rank=case.rank), code="already_recommended")
    if case.state is not CaseState.SUBMITTED:
        raise RuleError(t("ranking.not_submitted", state=case.state.zh), code="not_submitted")
    ranking = _order(cases)
    if len(ranking) >= quota:
        raise _quota_full(len(ranking), quota)
    return _changes(by_id, [*ranking, case_id])


def withdraw(cases: Sequence[Case], case_id: int) -> list[RankChange]:
    """Take a case out of the recommendation (it stays a SUBMITTED candidate); later ones move up."""
    by_id = _index(cases)
    case = _get(by_id, case_id)
    if case.state is not CaseState.RECOMMENDED:
        raise RuleError(t("ranking.not_to_withdraw", state=case.state.zh), code="not_recommended")
    return _changes(by_id, [i for i in _order(cases) if i != case_id])


def send_back(cases: Sequence[Case], case_id: int) -> list[RankChange]:
    """Return a submitted or recommended case for revision (RETURNED). A recommended one keeps its
    rank and slot, so nobody moves and the quota stays counted; a candidate had no slot to keep."""
    by_id = _index(cases)
    case = _get(by_id, case_id)
    if case.state not in (CaseState.SUBMITTED, CaseState.RECOMMENDED):
        raise RuleError(t("ranking.not_to_return", state=case.state.zh), code="not_submitted")
    return _changes(by_id, _order(cases), {case_id: CaseState.RETURNED})


def release(cases: Sequence[Case], case_id: int) -> list[RankChange]:
    """Free the slot a case under revision keeps (it stays RETURNED, unranked); later ones move up.
    On resubmission it is placed like a newcomer."""
    by_id = _index(cases)
    case = _get(by_id, case_id)
    if case.state is not CaseState.RETURNED or case.rank is None:
        raise RuleError(t("ranking.not_held", state=case.state.zh), code="not_held")
    return _changes(by_id, [i for i in _order(cases) if i != case_id])


def revert(cases: Sequence[Case], case_id: int) -> list[RankChange]:
    """A returned case that was not resubmitted in time goes back as it was last submitted: into its
    kept slot as RECOMMENDED, or, with no slot (a candidate, or released), a SUBMITTED candidate."""
    by_id = _index(cases)
    case = _get(by_id, case_id)
    if case.state is not CaseState.RETURNED:
        return []
    if case.rank is None:
        return [RankChange(case_id, CaseState.SUBMITTED, None)]
    return _changes(by_id, _order(cases), {case_id: CaseState.RECOMMENDED})


def set_rank(cases: Sequence[Case], case_id: int, new_rank: int) -> list[RankChange]:
    """Put a recommended case at ``new_rank`` (1 = most recommended); the others keep their order."""
    by_id = _index(cases)
    _require_recommended(_get(by_id, case_id))
    ranking = [i for i in _order(cases) if i != case_id]
    count = len(ranking) + 1
    if not 1 <= new_rank <= count:
        raise RuleError(t("ranking.bad_rank", count=count, rank=new_rank), code="bad_rank")
    ranking.insert(new_rank - 1, case_id)
    return _changes(by_id, ranking)


def move(cases: Sequence[Case], case_id: int, delta: int) -> list[RankChange]:
    """Move a recommended case up (``delta`` < 0) or down (> 0), stopping at either end.

    Moving past an end is not an error: the result is simply no change (an empty list).
    """
    by_id = _index(cases)
    _require_recommended(_get(by_id, case_id))
    ranking = _order(cases)
    at = ranking.index(case_id)
    ranking.pop(at)
    ranking.insert(min(max(at + delta, 0), len(ranking)), case_id)
    return _changes(by_id, ranking)


def apply(cases: Sequence[Case], changes: Iterable[RankChange]) -> list[Case]:
    """The cases with ``changes`` applied (copies); for tests and previews, storage writes rows."""
    by_id = {c.case_id: c for c in changes}
    return [
        c.model_copy(update={"state": by_id[c.id].state, "rank": by_id[c.id].rank}) if c.id in by_id else c
        for c in cases
    ]
