"""Whatever a user types or a button carries, the dialog answers in Chinese and never raises:
Unicode digits that ``str.isdigit()`` accepts and ``int()`` refuses, ids beyond SQLite's 64 bits,
buttons naming a step that does not exist, and stale or forged payloads."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dialogs.coordinator import CaseOp, parse_command, parse_press
from dialogs.events import Command, Press, Text
from dialogs.machine import OpenCase
from dialogs.models import Step
from dialogs.numbers import MAX_ID, read_case_id, read_number
from dialogs.session import Pending
from tests.helpers import HAPPY, Driver, fill

# ----------------------------------------------------------------------------- reading numbers


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("１２", 12),  # full-width, as a Chinese input method types it
        ("²", 2),  # NFKC reads a superscript as the digit it shows: isdigit() is True, int() raises
        ("¹²³", 123),
        ("①", 1),
        ("9223372036854775807", MAX_ID),
    ],
)
def test_numbers_people_type_are_read(typed: str, expected: int) -> None:
    assert read_number(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "0",
        "-1",
        "+3",
        "1.5",
        "1e3",
        "٣",  # Arabic-Indic three: isdigit() and int() accept it, but no one numbers cases so
        "፫",  # Ethiopic three: isdigit() is True, int() raises
        "Ⅻ",  # a Roman numeral: NFKC makes it letters
        "9223372036854775808",  # 2**63 overflows SQLite's INTEGER
        "99999999999999999999",
        "十二",
        "12a",
    ],
)
def test_what_is_not_a_plain_positive_number_is_none(typed: str) -> None:
    assert read_number(typed) is None


@pytest.mark.parametrize(("typed", "expected"), [("#12", 12), ("编号12", 12), ("编号 １２", 12), ("# 7", 7)])
def test_case_ids_may_carry_their_marks(typed: str, expected: int) -> None:
    assert read_case_id(typed) == expected


@given(st.text(max_size=30), st.integers(min_value=1, max_value=MAX_ID))
def test_reading_never_raises_and_stays_in_range(typed: str, maximum: int) -> None:
    value = read_number(typed, maximum=maximum)
    assert value is None or 1 <= value <= maximum


# ----------------------------------------------------------------------------- the submitter's dialog


@pytest.mark.parametrize("arg", ["፫", "٣", "99999999999999999999", "9223372036854775808", "0", "-3", "十二", "abc"])
def test_revise_with_a_number_no_case_can_have_is_answered(driver: Driver, arg: str) -> None:
    driver.send(f"/revise {arg}")
    assert driver.last is not None and not driver.last.actions
    assert "不是有效的案例编号" in driver.text and "/revise 12" in driver.text


@pytest.mark.parametrize(("arg", "case_id"), [("²", 2), ("１２", 12), ("#12", 12), ("9223372036854775807", MAX_ID)])
def test_revise_reads_what_it_safely_can(driver: Driver, arg: str, case_id: int) -> None:
    driver.send(f"/revise {arg}")
    assert driver.last is not None and driver.last.actions == [OpenCase(case_id=case_id)]


def _at_review(driver: Driver) -> None:
    fill(driver, HAPPY)
    assert driver.step == "review"


@pytest.mark.parametrize("payload", ["edit:nonsense", "edit:review", "edit:", "edit:NAME", "edit:²"])
def test_an_edit_button_for_no_field_is_answered_not_raised(driver: Driver, payload: str) -> None:
    _at_review(driver)
    driver.send("/edit")
    before = driver.session
    driver.send(Press(data=f"{payload}:{before.turn}"))
    assert "已失效" in driver.text and driver.session == before


@pytest.mark.parametrize(
    "data",
    ["", ":", "cmd", "cmd::", "cmd:1:0", "yes:everything:0", "no::0", "cat:99:0", "unit:nowhere:0", "x:y:z:w"],
)
def test_forged_or_malformed_buttons_change_nothing(driver: Driver, data: str) -> None:
    driver.send("/start")
    before = driver.session
    head, _, _ = data.rpartition(":")
    driver.send(Press(data=f"{head}:{before.turn}" if head else data))
    assert driver.text and driver.session.draft == before.draft


@pytest.mark.parametrize("arg", ["²", "99", "0", "٣", "99999999999999999999", "联系方式x"])
def test_edit_with_an_item_that_does_not_exist_names_the_range(driver: Driver, arg: str) -> None:
    _at_review(driver)
    driver.send(f"/edit {arg}")
    if arg == "²":  # read as 2: 申报单位
        assert driver.step == "applicant"
        return
    assert "1～13" in driver.text and driver.step == "review"


@pytest.mark.parametrize(("arg", "step"), [("７", Step.PHONE), ("联系方式", Step.PHONE), ("主要做法", Step.PRACTICE)])
def test_edit_by_number_or_name(driver: Driver, arg: str, step: Step) -> None:
    _at_review(driver)
    driver.send(f"/edit {arg}")
    assert driver.step == step.value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["revise", "edit", "next", "skip", "clear", "back", "new", "cancel", "submit", "x"]),
    arg=st.text(max_size=20),
)
@example(name="revise", arg="1")  # a well-formed id: the service looks the case up and answers
def test_no_command_argument_raises(driver: Driver, name: str, arg: str) -> None:
    """Every command is answered: by a text, or (``/revise 编号``) by an action the service answers."""
    driver.send("/start")
    outcome = driver.send(Command(name=name, arg=arg))
    assert driver.text or [a for a in outcome.actions if isinstance(a, OpenCase)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.text(max_size=40), typed=st.text(max_size=10))
def test_no_button_payload_or_typed_choice_raises(driver: Driver, data: str, typed: str) -> None:
    driver.send("/start")
    driver.send(Press(data=f"{data}:{driver.session.turn}"))
    driver.send(Press(data=data))
    driver.send("/cancel")
    driver.send(Text(typed))
    assert driver.session.pending in (Pending.NONE, Pending.CONFIRM_CANCEL)


# ----------------------------------------------------------------------------- coordinators


@pytest.mark.parametrize(
    "command",
    [
        Command("up", "²"),
        Command("down", "፫"),
        Command("recommend", "٣x"),
        Command("withdraw", "99999999999999999999"),
        Command("withdraw", "9223372036854775808"),
        Command("rank", "1 ³³³³³³³³"),
        Command("rank", "1 ፫"),
        Command("rank", "1 0"),
        Command("rank", "1 99999999999999999999"),
        Command("rank", "1"),
        Command("return", "1 ¹,፫ 请补充"),
        Command("return", "1 14 请补充"),
        Command("return", "1 0 请补充"),
        Command("return", "1 8"),
        Command("up", ""),
    ],
)
def test_coordinator_commands_with_unreadable_numbers_explain_themselves(command: Command) -> None:
    result = parse_command(command)
    if isinstance(result, CaseOp):  # only what NFKC reads as plain digits: "²" is 2
        assert command.arg.startswith("²") and result.case_id == 2
        return
    assert isinstance(result, str) and result.strip()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (Command("rank", "1 ³"), CaseOp("rank", 1, rank=3)),
        (Command("rank", "１２ １"), CaseOp("rank", 12, rank=1)),
        (Command("return", "12 8，10 请补充实施成效的具体数据"), None),
        (Command("withdraw", "#9223372036854775807"), CaseOp("withdraw", MAX_ID)),
    ],
)
def test_coordinator_commands_read_what_they_safely_can(command: Command, expected: CaseOp | None) -> None:
    result = parse_command(command)
    if expected is None:
        assert isinstance(result, CaseOp) and result.fields == (Step.SUMMARY, Step.PRACTICE)
    else:
        assert result == expected


@pytest.mark.parametrize(
    "data",
    [
        "co:wd:²:recommended1",
        "co:wd:፫:recommended1",
        "co:up:99999999999999999999:recommended1",
        "co:up:0:recommended1",
        "co:zz:3:recommended1",
        "co:up:3",
        "co:up:3:x:y",
        "co:up:-3:submitted",
        "co:rec:３:submitted",
    ],
)
def test_coordinator_buttons_that_cannot_be_ours_are_none(data: str) -> None:
    assert parse_press(data) is None


def test_a_coordinator_button_reads_back_what_it_drew() -> None:
    assert parse_press("co:wd:12:recommended1") == CaseOp("withdraw", 12, seen="recommended1")


@given(
    name=st.sampled_from(["up", "down", "recommend", "withdraw", "rank", "return"]),
    arg=st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
)
def test_any_coordinator_command_parses_to_an_operation_in_range_or_a_message(name: str, arg: str) -> None:
    result = parse_command(Command(name, arg))
    if isinstance(result, str):
        assert result.strip()
    else:
        assert 1 <= result.case_id <= MAX_ID and (result.rank is None or result.rank >= 1)


@given(st.text(max_size=60))
def test_any_coordinator_button_is_none_or_an_operation_in_range(data: str) -> None:
    op = parse_press(data)
    assert op is None or 1 <= op.case_id <= MAX_ID
