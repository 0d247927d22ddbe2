"""评审's pure rules: the criteria in the campaign file, the score parser, the result (去掉最高最低, rounding,
ranks, flags), the selection of 拟入选, who scores what (回避), and the automatic 形式审查 items."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.disk.samples import sample_campaign, sample_cases, sample_form
from dialogs.campaign import Campaign, CampaignError, parse_campaign
from dialogs.errors import FieldError
from dialogs.panel.assignment import Expert, Pending, assign, cases_of
from dialogs.panel.criteria import Criterion, PanelSettings
from dialogs.panel.formal import Facts, Marks, all_items, automatic, failures, unticked
from dialogs.panel.result import (
    Entry,
    Flag,
    Review,
    Sheet,
    by_hand,
    competition_ranks,
    mean_score,
    needing_review,
    results,
    top_overall,
    top_per_category,
)
from dialogs.panel.scores import read_gate, read_point, read_points

POINTS = (
    Criterion(name="内容真实", max=20),
    Criterion(name="互联网特征", max=40),
    Criterion(name="创新示范", max=40),
)
D = Decimal


# --- the criteria in the campaign files -------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["campaign", "demo_campaign"])
def test_the_campaign_files_carry_the_notices_criteria(fixture: str, request: pytest.FixtureRequest) -> None:
    campaign: Campaign = request.getfixturevalue(fixture)
    panel = campaign.panel
    assert [c.name for c in panel.gates] == ["导向正确", "合法合规"]
    assert [(c.name, c.max) for c in panel.points] == [("内容真实", 20), ("互联网特征", 40), ("创新示范", 40)]
    assert panel.total_max == 100
    assert "政治方向、舆论导向、价值取向" in panel.gates[0].words
    assert "网民互动性强" in panel.points[1].words
    assert "回避" in panel.pledge
    assert panel.trim_from == 5 and panel.spread_limit == 20


def _with_panel(campaign: Campaign, panel_toml: str) -> str:
    base = (
        'year = 2024\ntitle = "t"\ndeadline = 2024-03-11\n[window]\nstart = "2021-09"\nend = "2023-12"\n'
        "[limits]\nsummary_zi = 300\ncontent_zi = 2000\npictures_max = 2\n[quotas]\ncity = 4\nother = 2\n"
        + "".join(f'[[categories]]\nname = "{c.name}"\n' for c in campaign.categories)
    )
    return base + panel_toml


@pytest.mark.parametrize(
    ("panel", "words"),
    [
        ('[[panel.criteria]]\nname = "甲"\n', "gate = true"),
        ('[[panel.criteria]]\nname = "甲"\nmax = 10\ngate = true\n', "二者只能选其一"),
        ('[[panel.criteria]]\nname = "甲"\nmax = 0\n', "panel.criteria.0.max"),
        ('[[panel.criteria]]\nname = "甲"\nmax = 10\n[[panel.criteria]]\nname = "甲"\nmax = 5\n', "不能重复"),
        ('[[panel.groups]]\nname = "一组"\ncategories = ["网络空间思想引领"]\n', "未分入任何评审组"),
        ('[[panel.groups]]\nname = "一组"\ncategories = ["没有这一类"]\n', "不是本次活动的案例类型"),
        (
            '[[panel.groups]]\nname = "一组"\ncategories = ["网络空间思想引领"]\n'
            '[[panel.groups]]\nname = "二组"\ncategories = ["网络空间思想引领"]\n',
            "两个评审组",
        ),
    ],
)
def test_a_bad_panel_section_is_refused_naming_the_rule(campaign: Campaign, panel: str, words: str) -> None:
    with pytest.raises(CampaignError) as caught:
        parse_campaign(_with_panel(campaign, panel))
    assert words in str(caught.value)


def test_groups_covering_every_category_are_accepted(campaign: Campaign) -> None:
    names = [c.name for c in campaign.categories]
    panel = (
        f'[[panel.groups]]\nname = "一组"\ncategories = {names[:3]!r}\n'
        f'[[panel.groups]]\nname = "二组"\ncategories = {names[3:]!r}\n'
    ).replace("'", '"')
    parsed = parse_campaign(_with_panel(campaign, panel))
    assert parsed.panel.group_of(names[0]) == "一组" and parsed.panel.group_of(names[-1]) == "二组"


def test_the_spread_defaults_to_a_fifth_of_the_total() -> None:
    assert PanelSettings(criteria=POINTS).spread_limit == D("20.00")
    assert PanelSettings(criteria=POINTS, spread=D(15)).spread_limit == 15


# --- the score parser -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "points"),
    [
        ("18 35 36", (18, 35, 36)),
        ("18，35，36", (18, 35, 36)),
        ("18、35、36", (18, 35, 36)),
        ("１８　３５　３６", (18, 35, 36)),
        ("18分 35分 36分", (18, 35, 36)),
        ("17.5 40 0", (D("17.5"), 40, 0)),
        ("  20\n40\n40 ", (20, 40, 40)),
    ],
)
def test_all_points_at_once(typed: str, points: tuple[int, ...]) -> None:
    assert read_points(typed, POINTS) == tuple(D(p) for p in points)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("21 35 36", "“内容真实”满分 20 分，不能给 21 分"),
        ("18 45 36", "“互联网特征”满分 40 分，不能给 45 分"),
        ("18 35 40.5", "“创新示范”满分 40 分"),
        ("18 35", "共 3 项（内容真实、互联网特征、创新示范），您填写了 2 个分数"),
        ("18 35 36 12", "您填写了 4 个分数"),
        ("十八 35 36", "“内容真实”请填写 0～20 之间的分数"),
        ("-1 35 36", "“内容真实”请填写 0～20"),
        ("18.3 35 36", "最小单位为 0.5 分"),
        ("18 35 1e2", "“创新示范”请填写 0～40"),
        ("", "您填写了 0 个分数"),
        ("1" * 500, "分数内容过长"),
    ],
)
def test_bad_points_are_refused_naming_the_criterion_and_its_maximum(typed: str, words: str) -> None:
    with pytest.raises(FieldError) as caught:
        read_points(typed, POINTS)
    assert words in str(caught.value)


def test_one_criterion_at_a_time() -> None:
    assert read_point("35", POINTS[1]) == 35
    assert read_point("３５分", POINTS[1]) == 35
    with pytest.raises(FieldError, match="满分 40 分，不能给 41 分"):
        read_point("41", POINTS[1])


_halves = st.integers(min_value=0, max_value=80).map(lambda n: D(n) / 2)
_seps = st.sampled_from([" ", "，", "、", ",", "  ", "\n", "；"])


@given(
    st.tuples(_halves.filter(lambda v: v <= 20), _halves.filter(lambda v: v <= 40), _halves.filter(lambda v: v <= 40)),
    _seps,
    _seps,
)
def test_any_points_within_the_maxima_read_back_as_typed(points: tuple[Decimal, ...], a: str, b: str) -> None:
    typed = f"{points[0]}{a}{points[1]}{b}{points[2]}"
    assert read_points(typed, POINTS) == points


@given(st.text(max_size=300))
@example("18 35 36\x00")
@example("٣٥ 1 1")
def test_any_text_is_read_or_refused_in_chinese(typed: str) -> None:
    try:
        points = read_points(typed, POINTS)
    except FieldError as error:
        assert re.search(r"[\u4e00-\u9fff]", str(error))
    else:
        assert len(points) == 3
        assert all(D(0) <= p <= c.max for p, c in zip(points, POINTS, strict=True) if c.max is not None)


@pytest.mark.parametrize(
    ("typed", "passed", "reason"),
    [
        ("是", True, ""),
        ("符合", True, ""),
        ("yes", True, ""),
        ("否", False, ""),
        ("否，案例中个别表述存在导向偏差", False, "案例中个别表述存在导向偏差"),
        ("不符合：数据来源不明", False, "数据来源不明"),
        ("no", False, ""),
    ],
)
def test_gate_answers(typed: str, passed: bool, reason: str) -> None:
    answer = read_gate(typed)
    assert (answer.passed, answer.reason) == (passed, reason)


@pytest.mark.parametrize("typed", ["也许", "none", "", "18"])
def test_an_unclear_gate_answer_is_asked_again(typed: str) -> None:
    with pytest.raises(FieldError, match="请回答“是”或“否”"):
        read_gate(typed)


@given(st.text(max_size=2000))
def test_any_gate_text_is_read_or_refused(typed: str) -> None:
    try:
        read_gate(typed)
    except FieldError as error:
        assert str(error)


# --- the result ------------------------------------------------------------------------------------


def test_four_scores_are_averaged_whole() -> None:
    score, counted = mean_score([D(80), D(90), D(70), D(61)], trim_from=5)
    assert score == D("75.25") and len(counted) == 4


def test_five_scores_lose_the_highest_and_the_lowest() -> None:
    score, counted = mean_score([D(99), D(80), D(82), D(84), D(40)], trim_from=5)
    assert counted == (D(84), D(82), D(80)) and score == D("82.00")


def test_rounding_is_half_up_to_two_decimals() -> None:
    assert mean_score([D("80.5"), D(80), D(80)], trim_from=5)[0] == D("80.17")  # 80.1666…
    assert mean_score([D(90), D("80.5"), D(80), D(80), D(80), D(80), D(80), D(70)], 5)[0] == D("80.08")  # 80.0833…
    assert mean_score([D("0.5"), D(0), D(0), D(0)], 5)[0] == D("0.13")  # 0.125 → 0.13, not banker's 0.12


@given(st.lists(_halves, min_size=1, max_size=12), st.randoms())
def test_the_mean_is_within_the_counted_scores_and_ignores_their_order(totals: list[Decimal], rnd) -> None:
    score, counted = mean_score(totals, trim_from=5)
    shuffled = list(totals)
    rnd.shuffle(shuffled)
    assert mean_score(shuffled, 5) == (score, counted)
    assert score is not None and min(counted) <= score <= max(counted)
    assert len(counted) == (len(totals) - 2 if len(totals) >= 5 else len(totals))
    assert score == score.quantize(D("0.01"))
    ordered = sorted(totals)
    if len(totals) >= 5:
        assert sorted(counted) == ordered[1:-1]


@given(st.dictionaries(st.integers(1, 50), st.one_of(st.none(), _halves), max_size=20))
def test_a_rank_is_one_more_than_the_cases_scored_higher(scores: dict[int, Decimal | None]) -> None:
    ranks = competition_ranks(scores)
    for cid, score in scores.items():
        if score is None:
            assert cid not in ranks
        else:
            assert ranks[cid] == 1 + sum(1 for s in scores.values() if s is not None and s > score)


def _sheet(expert: int, case: int, *points: int, veto: bool = False) -> Sheet:
    from dialogs.panel.scores import GateAnswer

    gates = (GateAnswer(True), GateAnswer(not veto, "导向存在问题" if veto else ""))
    return Sheet(expert, case, tuple(D(p) for p in points), gates)


def test_flags_ranks_and_ties_of_a_small_panel() -> None:
    entries = [Entry(1, "甲类"), Entry(2, "甲类"), Entry(3, "乙类"), Entry(4, "乙类"), Entry(5, "乙类")]
    sheets = [
        # case 1: five scores, trimmed; 2: a gate "no"; 3: spread 95-60 = 35 > 20; 4 and 5 tie
        *(_sheet(e, 1, 18, 35, 36) for e in range(1, 5)),
        _sheet(5, 1, 20, 40, 40),
        _sheet(1, 2, 15, 30, 30, veto=True),
        _sheet(2, 2, 15, 30, 30),
        _sheet(1, 3, 20, 35, 40),
        _sheet(2, 3, 10, 25, 25),
        _sheet(1, 4, 15, 30, 30),
        _sheet(1, 5, 15, 30, 30),
    ]
    found = results(entries, sheets, trim_from=5, spread_limit=D(20), places=3)
    by_id = {r.case_id: r for r in found}
    assert by_id[1].score == D("89.00") and by_id[1].trimmed and len(by_id[1].totals) == 5
    assert Flag.GATE in by_id[2].flags and Flag.SPREAD not in by_id[2].flags
    assert Flag.SPREAD in by_id[3].flags and by_id[3].spread == 35
    assert by_id[3].score == D("77.50")
    # 2, 4 and 5 share 75.00 at places 3-5: the tie straddles the cut-off at 3
    assert {cid for cid, r in by_id.items() if Flag.TIE in r.flags} == {2, 4, 5}
    assert [r.case_id for r in found] == [1, 3, 2, 4, 5]
    assert [r.rank for r in found] == [1, 2, 3, 3, 3]
    assert (by_id[4].category_rank, by_id[3].category_rank, by_id[2].category_rank) == (2, 1, 2)
    assert needing_review(found, {}) == [3, 2, 4, 5]
    reviews = {2: Review(2, excluded=True, reason="导向问题属实"), 3: Review(3, False, "评分差异系理解不同")}
    assert needing_review(found, reviews) == [4, 5]
    top = top_overall(found, 3, reviews)
    assert top.chosen == (1, 3) and top.tied == (4, 5)  # 2 excluded; 4 and 5 still straddle place 3
    assert top_overall(found, 4, reviews).chosen == (1, 3, 4, 5)
    top = top_overall(found, 2, {})
    assert top.chosen == (1, 3) and top.tied == ()
    assert top_overall(found, 3, {}).tied == (2, 4, 5)
    per = top_per_category(found, 1, reviews)
    assert per.chosen == (1, 3)
    assert by_hand(found, [5, 1, 2, 99], reviews).chosen == (1, 5)


def test_a_case_without_scores_is_flagged_and_not_ranked() -> None:
    found = results([Entry(1, "甲类"), Entry(2, "甲类")], [_sheet(1, 1, 10, 10, 10)], trim_from=5, spread_limit=D(20))
    assert found[-1].case_id == 2 and found[-1].rank is None and Flag.UNSCORED in found[-1].flags


# --- who scores what --------------------------------------------------------------------------------


def test_an_expert_tied_to_a_unit_never_gets_its_cases() -> None:
    cases = [Pending(1, "hefei"), Pending(2, "wuhu"), Pending(3, "hefei")]
    experts = [Expert(1, "甲"), Expert(2, "乙", unit="hefei"), Expert(3, "丙")]
    plan = assign(cases, experts, excluded=[(3, 2)])
    assert plan == {1: [1, 3], 2: [1, 2], 3: [1, 3]}
    assert cases_of(plan, 2) == [2]


def test_in_a_split_panel_a_recusal_passes_the_case_to_another_expert() -> None:
    cases = [Pending(1, "hefei", "一组"), Pending(2, "wuhu", "二组")]
    experts = [Expert(1, "甲", group="一组"), Expert(2, "乙", group="一组"), Expert(3, "丙", group="二组")]
    plan = assign(cases, experts, excluded=[(1, 1)])
    assert plan[1] == [2, 3] and plan[2] == [3]


@given(
    st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=8),
    st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c"])), min_size=1, max_size=6),
    st.sets(st.tuples(st.integers(1, 6), st.integers(1, 8)), max_size=10),
)
def test_nobody_scores_a_case_of_their_own_unit_or_one_they_declined(units, ties, declined) -> None:
    cases = [Pending(i, u) for i, u in enumerate(units, start=1)]
    experts = [Expert(i, str(i), unit=u) for i, u in enumerate(ties, start=1)]
    plan = assign(cases, experts, declined)
    for case in cases:
        for eid in plan[case.case_id]:
            assert experts[eid - 1].unit != case.unit and (eid, case.case_id) not in declined


# --- 形式审查 -----------------------------------------------------------------------------------------


def _full_case():
    case = sample_cases(1)[0]
    return case.model_copy(update={"form": sample_form()})


def test_a_complete_sealed_case_passes_every_automatic_item() -> None:
    campaign = sample_campaign()
    case = _full_case()  # the summary at 300 字 and the parts at 2 000 字: at the limits, not over
    facts = Facts(recommended_in_unit=1, quota=4, case_scan="sealed", summary_scan="sealed", contact_ok=True)
    items = automatic(case, campaign, facts)
    assert [i.key for i in failures(items)] == []
    everything = all_items(case, campaign, facts, Marks())
    assert len(unticked(everything)) == 5


def test_each_automatic_item_says_why_not() -> None:
    campaign = sample_campaign()
    case = _full_case()
    case = case.model_copy(update={"form": case.form.model_copy(update={"period": "2019-01", "contact": None})})
    facts = Facts(recommended_in_unit=5, quota=4, duplicates=(7,), case_scan="stale", summary_scan="none")
    why = {i.key: i.why for i in failures(automatic(case, campaign, facts))}
    assert set(why) == {"complete", "window", "quota", "duplicate", "case_scan", "summary_scan", "contact"}
    assert "联系人" in why["complete"] and "2021年9月" in why["window"]
    assert why["quota"] == "本单位已推荐 5 个，名额为 4 个" and "7" in why["duplicate"]
    assert "重新盖章" in why["case_scan"] and why["summary_scan"] == "未上传"


def test_office_marks_with_the_paper_date() -> None:
    import datetime

    campaign = sample_campaign()
    case = sample_cases(1)[0]
    marks = Marks({"paper": True, "electronic": True, "sealed": False}, paper_on=datetime.date(2024, 3, 10))
    items = {i.key: i for i in all_items(case, campaign, Facts(1, 4), marks)}
    assert items["paper"].ok and items["paper"].why == "2024年3月10日收到"
    assert items["sealed"].ok is False and items["category"].ok is None


def test_the_panel_reminder_is_due_from_the_set_days_before_until_the_deadline() -> None:
    import datetime

    from dialogs.panel.assignment import reminder_due

    until = datetime.date(2024, 4, 10)
    assert reminder_due(until, datetime.date(2024, 4, 6), (3, 1), set()) is None
    assert reminder_due(until, datetime.date(2024, 4, 7), (3, 1), set()) == "panel:2024-04-10:3"
    assert reminder_due(until, datetime.date(2024, 4, 8), (3, 1), {"panel:2024-04-10:3"}) is None
    assert reminder_due(until, datetime.date(2024, 4, 9), (3, 1), {"panel:2024-04-10:3"}) == "panel:2024-04-10:1"
    assert reminder_due(until, datetime.date(2024, 4, 11), (3, 1), set()) is None
