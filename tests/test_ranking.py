"""推荐名额 and 按照推荐程度进行排序: quotas per unit, and ranks 1..n with no gaps or repeats."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.settings import load_campaign
from dialogs.coordinator import has_pending_work
from dialogs.models import Case, CaseForm, CaseState
from dialogs.ranking import (
    RankChange,
    apply,
    move,
    place_new,
    recommend,
    release,
    renumber,
    revert,
    send_back,
    set_rank,
    withdraw,
)
from dialogs.rules import RuleError

CAMPAIGN = load_campaign("2024")
CITY_QUOTA = CAMPAIGN.quota_for(CAMPAIGN.unit("hefei"))
OTHER_QUOTA = CAMPAIGN.quota_for(CAMPAIGN.unit("ahnews"))
T0 = datetime(2024, 3, 1, tzinfo=UTC)

R, S, D, B = CaseState.RECOMMENDED, CaseState.SUBMITTED, CaseState.DRAFT, CaseState.RETURNED


def case(case_id: int, state: CaseState = S, rank: int | None = None, unit: str = "hefei") -> Case:
    return Case(
        id=case_id,
        owner=f"user{case_id}",
        unit=unit,
        state=state,
        rank=rank,
        form=CaseForm(name=f"案例{case_id}"),
        created_at=T0,
        updated_at=T0,
    )


def unit_with(recommended: int, candidates: int = 0, unit: str = "hefei") -> list[Case]:
    cases = [case(i, R, i, unit) for i in range(1, recommended + 1)]
    cases += [case(100 + i, S, None, unit) for i in range(1, candidates + 1)]
    return cases


def holds(c: Case) -> bool:
    """Recommended, or returned for revision with its slot kept."""
    return c.state is R or (c.state is B and c.rank is not None)


def ranking(cases: list[Case]) -> list[int]:
    """Ids of the cases holding a slot, in rank order."""
    return [c.id for c in sorted((c for c in cases if holds(c)), key=lambda c: c.rank or 0)]


def assert_valid(cases: list[Case], quota: int) -> None:
    ranks = sorted(c.rank or 0 for c in cases if holds(c))
    assert ranks == list(range(1, len(ranks) + 1)), f"gap or repeat: {ranks}"
    assert len(ranks) <= quota, f"over quota: {len(ranks)}/{quota}"
    assert all(c.rank is None for c in cases if c.state in (S, D))


# ----------------------------------------------------------------------------- quotas


def test_the_notice_quotas_are_4_for_a_city_and_2_for_another_unit():
    assert (CITY_QUOTA, OTHER_QUOTA) == (4, 2)


def test_the_5th_recommendation_of_a_city_is_refused_with_4_of_4():
    cases = unit_with(4, candidates=1)
    with pytest.raises(RuleError) as refused:
        recommend(cases, 101, CITY_QUOTA)
    assert str(refused.value) == "本单位推荐名额 4/4 已满，请先撤回一个已推荐案例再推荐本案例。"
    assert refused.value.code == "quota_full"


def test_the_3rd_of_another_unit_is_refused_with_2_of_2():
    cases = unit_with(2, candidates=1, unit="ahnews")
    with pytest.raises(RuleError, match="本单位推荐名额 2/2 已满"):
        recommend(cases, 101, OTHER_QUOTA)


def test_recommend_appends_at_the_end_while_there_is_room():
    cases = unit_with(2, candidates=1)
    assert recommend(cases, 101, CITY_QUOTA) == [RankChange(101, R, 3)]


def test_after_a_withdrawal_the_5th_case_can_be_recommended():
    cases = apply(unit_with(4, candidates=1), withdraw(unit_with(4, candidates=1), 2))
    cases = apply(cases, recommend(cases, 101, CITY_QUOTA))
    assert ranking(cases) == [1, 3, 4, 101]


def test_a_unit_without_quota_is_told_so():
    with pytest.raises(RuleError, match="没有推荐名额"):
        recommend(unit_with(0, candidates=1), 101, 0)


def test_only_submitted_candidates_can_be_recommended():
    cases = [case(1, R, 1), case(2, D), case(3, B)]
    with pytest.raises(RuleError, match="已在本单位推荐名单中（第 1 位）"):
        recommend(cases, 1, CITY_QUOTA)
    with pytest.raises(RuleError, match="草稿"):
        recommend(cases, 2, CITY_QUOTA)
    with pytest.raises(RuleError, match="退回修改"):
        recommend(cases, 3, CITY_QUOTA)
    with pytest.raises(RuleError, match="未找到该案例"):
        recommend(cases, 99, CITY_QUOTA)


# ----------------------------------------------------------------------------- place_new


def test_a_submitted_case_is_recommended_while_the_unit_has_room():
    cases = [*unit_with(2), case(50, D)]
    placed = place_new(cases, 50, CITY_QUOTA)
    assert (placed.state, placed.rank, placed.used) == (R, 3, 3)
    assert placed.changes == [RankChange(50, R, 3)]
    assert "第 3 位" in placed.zh() and "3/4" in placed.zh()


def test_a_submitted_case_stays_a_candidate_when_the_unit_is_full():
    placed = place_new(unit_with(2, unit="ahnews"), 50, OTHER_QUOTA)  # not yet in the list
    assert (placed.state, placed.rank) == (S, None)
    assert placed.changes == [RankChange(50, S, None)]
    assert "2/2 已满" in placed.zh()


def test_a_returned_case_keeps_its_slot_and_the_resubmission_takes_it_back():
    cases = unit_with(3)
    cases = apply(cases, send_back(cases, 2))
    assert ranking(cases) == [1, 2, 3] and next(c for c in cases if c.id == 2).state is B
    placed = place_new(cases, 2, CITY_QUOTA)
    assert (placed.state, placed.rank, placed.used) == (R, 2, 3)
    assert placed.changes == [RankChange(2, R, 2)]


def test_a_newcomer_while_a_case_is_revised_is_a_candidate_when_the_held_slot_fills_the_quota():
    full = unit_with(2, unit="ahnews")
    cases = apply(full, send_back(full, 1))
    newcomer = place_new([*cases, case(7, D, unit="ahnews")], 7, OTHER_QUOTA)
    assert (newcomer.state, newcomer.rank) == (S, None) and "2/2 已满" in newcomer.zh()
    with pytest.raises(RuleError, match="2/2 已满"):
        recommend(apply([*cases, case(7, D, unit="ahnews")], newcomer.changes), 7, OTHER_QUOTA)


def test_a_slot_kept_for_a_case_under_revision_is_no_room_to_remind_the_coordinator_of():
    unit = CAMPAIGN.unit("ahnews")
    assert unit is not None
    full = unit_with(2, unit="ahnews")
    assert not has_pending_work(CAMPAIGN, unit, full)
    revising = apply(full, send_back(full, 1))
    assert not has_pending_work(CAMPAIGN, unit, revising), "the returned case comes back to its slot"
    assert has_pending_work(CAMPAIGN, unit, apply(revising, release(revising, 1))), "a released slot is room"
    assert has_pending_work(CAMPAIGN, unit, [*full, case(9, S, unit="ahnews")]), "a candidate waits to be ranked"


def test_others_rank_around_a_held_slot():
    cases = apply(unit_with(3), send_back(unit_with(3), 2))
    cases = apply(cases, move(cases, 3, -1))
    assert ranking(cases) == [1, 3, 2]
    assert place_new(cases, 2, CITY_QUOTA).rank == 3


def test_a_released_slot_goes_to_others_and_the_resubmission_is_placed_like_a_newcomer():
    full = unit_with(2, candidates=1, unit="ahnews")
    cases = apply(full, send_back(full, 1))
    cases = apply(cases, release(cases, 1))
    assert ranking(cases) == [2]
    cases = apply(cases, recommend(cases, 101, OTHER_QUOTA))
    placed = place_new(cases, 1, OTHER_QUOTA, previous_rank=1)
    assert (placed.state, placed.rank) == (S, None)
    with pytest.raises(RuleError, match="无需释放"):
        release(cases, 2)


def test_a_case_not_resubmitted_goes_back_to_its_place_or_to_the_candidates():
    cases = unit_with(3, candidates=1)
    cases = apply(cases, send_back(cases, 2))
    cases = apply(cases, send_back(cases, 101))
    assert revert(cases, 2) == [RankChange(2, R, 2)]
    assert revert(cases, 101) == [RankChange(101, S, None)]
    assert revert(cases, 1) == []


def test_a_previous_rank_past_the_end_is_clamped():
    placed = place_new([*unit_with(1), case(9, B)], 9, CITY_QUOTA, previous_rank=4)
    assert placed.rank == 2


# ----------------------------------------------------------------------------- withdraw and order


def test_withdraw_leaves_no_gap():
    cases = unit_with(4)
    changes = withdraw(cases, 2)
    assert changes == [RankChange(2, S, None), RankChange(3, R, 2), RankChange(4, R, 3)]
    after = apply(cases, changes)
    assert ranking(after) == [1, 3, 4]
    assert_valid(after, CITY_QUOTA)


def test_withdraw_of_a_case_not_recommended_is_refused():
    with pytest.raises(RuleError, match="无需撤回"):
        withdraw(unit_with(1, candidates=1), 101)


def test_move_up_and_down_reorders():
    cases = unit_with(4)
    up = apply(cases, move(cases, 3, -1))
    assert ranking(up) == [1, 3, 2, 4]
    down = apply(up, move(up, 1, +1))
    assert ranking(down) == [3, 1, 2, 4]
    assert move(cases, 4, -2) == [RankChange(2, R, 3), RankChange(3, R, 4), RankChange(4, R, 2)]


def test_move_past_either_end_changes_nothing():
    cases = unit_with(3)
    assert move(cases, 1, -1) == []
    assert move(cases, 3, +1) == []
    assert ranking(apply(cases, move(cases, 1, +10))) == [2, 3, 1]


def test_moving_a_case_not_recommended_is_refused():
    with pytest.raises(RuleError, match="不能调整推荐排序"):
        move(unit_with(2, candidates=1), 101, -1)
    with pytest.raises(RuleError, match="不能调整推荐排序"):
        set_rank(unit_with(2, candidates=1), 101, 1)


def test_set_rank_puts_a_case_first():
    cases = unit_with(4)
    assert ranking(apply(cases, set_rank(cases, 4, 1))) == [4, 1, 2, 3]
    assert set_rank(cases, 2, 2) == []


def test_set_rank_outside_the_list_names_the_range():
    with pytest.raises(RuleError, match="排序应为 1～3 之间的整数，不能设为 5"):
        set_rank(unit_with(3), 1, 5)


def test_renumber_closes_gaps_and_repeats_keeping_the_order():
    cases = [case(1, R, 5), case(2, R, 2), case(3, R, 2), case(4, R, None), case(5, S, 3)]
    changes = renumber(cases)
    after = apply(cases, changes)
    assert ranking(after) == [2, 3, 1, 4]
    assert_valid(after, CITY_QUOTA)
    assert renumber(after) == []


def test_send_back_keeps_the_place():
    cases = unit_with(2)
    assert send_back(cases, 1) == [RankChange(1, B, 1)]
    assert send_back(unit_with(2, candidates=1), 101) == [RankChange(101, B, None)]
    with pytest.raises(RuleError):
        send_back([case(1, D)], 1)


def test_cases_of_two_units_are_a_caller_error():
    with pytest.raises(ValueError):
        renumber([case(1, R, 1, "hefei"), case(2, R, 1, "wuhu")])


# ----------------------------------------------------------------------------- properties


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "place",
                "resubmit",
                "recommend",
                "withdraw",
                "move",
                "set_rank",
                "send_back",
                "renumber",
                "release",
                "revert",
            ]
        ),
        st.integers(min_value=1, max_value=8),  # case id
        st.integers(min_value=-5, max_value=5),  # delta or rank
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quota=st.integers(min_value=0, max_value=4), operations=OPERATIONS)
def test_no_sequence_of_operations_overfills_a_unit_or_leaves_a_gap_or_repeat(quota, operations):
    cases = [case(i, D) for i in range(1, 9)]
    previous: dict[int, int | None] = {}
    for name, case_id, number in operations:
        by_id = {c.id: c for c in cases}
        try:
            if name == "place" and by_id[case_id].state is D:
                changes = place_new(cases, case_id, quota).changes
            elif name == "resubmit" and by_id[case_id].state is B:
                changes = place_new(cases, case_id, quota, previous.get(case_id)).changes
            elif name == "recommend":
                changes = recommend(cases, case_id, quota)
            elif name == "withdraw":
                changes = withdraw(cases, case_id)
            elif name == "move":
                changes = move(cases, case_id, number)
            elif name == "set_rank":
                changes = set_rank(cases, case_id, number)
            elif name == "send_back":
                previous[case_id] = by_id[case_id].rank
                changes = send_back(cases, case_id)
            elif name == "renumber":
                changes = renumber(cases)
            elif name == "release":
                changes = release(cases, case_id)
            elif name == "revert":
                changes = revert(cases, case_id)
            else:
                continue
        except RuleError:
            continue
        for change in changes:  # only rows that really change are returned
            old = by_id.get(change.case_id)
            assert old is None or (old.state, old.rank) != (change.state, change.rank)
        assert len({c.case_id for c in changes}) == len(changes)
        cases = apply(cases, changes)
        assert_valid(cases, quota)
        assert renumber(cases) == []
