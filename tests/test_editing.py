"""One editing rule for the long fields, said exactly as it behaves, also across a restart.

Every prompt of a long field promises what the next text will do (fill the empty field, append a
paragraph, replace, or ask first); these tests read the promise from the prompt and check that the
next message does exactly that, with the session dumped to JSON and loaded back between messages
when ``restart`` is on, as the shell does between any two messages.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.campaign import Campaign
from dialogs.events import Event
from dialogs.form import FIELDS, Kind, label
from dialogs.longtext import next_words
from dialogs.machine import Outcome
from dialogs.session import Pending, Session
from dialogs.wordcount import count_zi
from dialogs.wording import t
from tests.helpers import HAPPY, Driver, fill
from tests.helpers import SAMPLE_BACKGROUND as BACKGROUND
from tests.helpers import SAMPLE_PRACTICE as PRACTICE
from tests.helpers import SAMPLE_SUMMARY as SUMMARY


class Restarting(Driver):
    """A driver whose session goes through JSON before every message, as after a restart."""

    def send(self, message: str | Event) -> Outcome:
        self.session = Session.model_validate_json(self.session.model_dump_json())
        return super().send(message)


@pytest.fixture(params=[False, True], ids=["running", "restarted"])
def d(request: pytest.FixtureRequest, campaign: Campaign) -> Driver:
    return Restarting(campaign) if request.param else Driver(campaign)


def value(d: Driver) -> str:
    draft = d.session.draft
    assert draft is not None
    return str(draft.form.value(draft.step) or "")


def promise(d: Driver) -> str | None:
    """What the last replies say the next text will do in the current long field, if they say it."""
    draft = d.session.draft
    if draft is None or FIELDS[draft.step].kind is not Kind.LONG:
        return None
    name = label(draft.step)
    nxt = next_words(draft)  # where /next goes: the next field, or back to the review
    said = {
        "fills": t("dialog.long.empty", next=nxt) in d.text,
        "appends": t("dialog.long.go_on", next=nxt) in d.text or t("dialog.long.send_append", label=name) in d.text,
        "replaces": t("dialog.long.replace_next", label=name, count=count_zi(value(d))) in d.text,
        "asks": t("dialog.long.choose", next=nxt) in d.text,
    }
    found = [k for k, v in said.items() if v]
    assert len(found) <= 1, f"contradictory prompt: {found}\n{d.text}"
    return found[0] if found else None


def send_and_check(d: Driver, text: str) -> None:
    """Send ``text`` and check it did what the prompt before it promised."""
    promised, before = promise(d), value(d)
    d.send(text)
    after = value(d)
    if promised == "fills":
        assert not before and after == text
    elif promised == "appends":
        assert after == f"{before}\n{text}"  # over the 字 limit too: kept and marked, never dropped
    elif promised == "replaces":
        assert after == text
    elif promised == "asks":
        assert after == before and d.session.pending is Pending.CHOOSE_FILL and d.session.held.endswith(text)
        assert "已保留" in d.text


def test_a_refused_text_says_again_what_the_next_text_will_do(d: Driver) -> None:
    at_summary(d)
    d.send("字" * 200)
    d.send("/start")
    d.send("字" * 200)
    d.send("继续补充")  # 400 字 passes the 300-字 limit: kept, marked, and the next text still appends
    assert "超出 100 字" in d.text and value(d) == "字" * 200 + "\n" + "字" * 200 and promise(d) == "appends"
    send_and_check(d, "字" * 100)
    assert value(d) == "字" * 200 + "\n" + "字" * 200 + "\n" + "字" * 100


def at_summary(d: Driver) -> None:
    fill(d, HAPPY[:8])
    assert d.step == "summary"


def test_an_empty_field_takes_the_text_and_later_texts_are_new_paragraphs(d: Driver) -> None:
    at_summary(d)
    assert promise(d) == "fills"
    send_and_check(d, "第一段。")
    assert promise(d) == "appends"
    send_and_check(d, "第二段。")
    send_and_check(d, "第三段。")
    assert value(d) == "第一段。\n第二段。\n第三段。"


@pytest.mark.parametrize("command", ["/help", "/frobnicate", "/status"])
def test_help_and_other_side_steps_keep_the_rule_and_say_it(d: Driver, command: str) -> None:
    at_summary(d)
    d.send("第一段。")
    d.send(command)
    assert promise(d) in ("appends", None)
    send_and_check(d, "第二段。")
    assert value(d) == "第一段。\n第二段。"


@pytest.mark.parametrize("coming_back", [["/start"], ["/back", "/next"], ["/edit 8"], ["/next", "/back"]])
def test_coming_back_to_a_field_with_text_asks_and_keeps_what_is_sent_meanwhile(
    d: Driver, coming_back: list[str]
) -> None:
    at_summary(d)
    d.send("原有的简介。")
    for command in coming_back:
        d.send(command)
    assert d.step == "summary" and promise(d) == "asks"
    assert "原有的简介。" in d.text and "（6 字）" in d.text  # its 字数 and opening
    assert [label for label, _ in d.buttons()] == ["继续补充", "重新填写"]
    send_and_check(d, "一句补充。")
    send_and_check(d, "又一句。")  # still kept, joined to the held text
    d.send("继续补充")
    assert value(d) == "原有的简介。\n一句补充。\n又一句。" and d.session.held == ""
    assert promise(d) == "appends"


def test_choosing_replace_first_replaces_with_the_next_text_only(d: Driver) -> None:
    at_summary(d)
    d.send("原有的简介。")
    d.send("/back")
    d.send("/next")
    d.send("2")
    assert promise(d) == "replaces" and value(d) == "原有的简介。"
    send_and_check(d, "新的简介。")
    assert "已重新填写" in d.text and "/undo" in d.text
    send_and_check(d, "补一句。")
    assert value(d) == "新的简介。\n补一句。"


def test_a_held_text_is_replacing_when_so_chosen_and_never_dropped_silently(d: Driver) -> None:
    at_summary(d)
    d.send("原有的简介。")
    d.send("/start")
    d.send("新的简介。")
    d.send("2")
    assert value(d) == "新的简介。"
    d.send("/start")
    d.send("不要的内容。")
    d.send("/next")
    assert "未保存" in d.text and d.session.held == "" and d.session.draft.form.summary == "新的简介。"


def test_a_button_pressed_for_the_choice_does_the_same_as_typing_it(d: Driver) -> None:
    at_summary(d)
    d.send("原有的简介。")
    d.send("/start")
    d.send("补充。")
    append = next(data for label, data in d.buttons() if label == "继续补充")
    from dialogs.events import Press

    d.send(Press(data=append))
    assert value(d) == "原有的简介。\n补充。"


def test_clear_asks_first_and_undo_brings_the_text_back(d: Driver) -> None:
    at_summary(d)
    d.send(SUMMARY)
    d.send("/clear")
    assert "确认清空" in d.text and value(d) == SUMMARY
    d.send("保留内容")
    assert value(d) == SUMMARY and promise(d) == "appends"
    d.send("/clear")
    d.send("确认清空")
    assert value(d) == "" and promise(d) == "fills"
    d.send("/undo")
    assert value(d) == SUMMARY and "案例简介”恢复为" in d.text and "300 字" in d.text


def test_clear_of_an_empty_field_needs_no_confirmation(d: Driver) -> None:
    at_summary(d)
    d.send("/clear")
    assert "无需清空" in d.text and d.session.pending is Pending.NONE


def test_undo_goes_back_five_levels_and_more_across_restarts(campaign: Campaign) -> None:
    d = Restarting(campaign)
    at_summary(d)
    states = [value(d)]
    for sentence in ("一。", "二。", "三。", "四。", "五。", "六。"):
        d.send(sentence)
        states.append(value(d))
    for expected in reversed(states[:-1][-6:]):
        d.send("/undo")
        assert value(d) == expected
    assert "已撤销" in d.text


def test_undo_reaches_short_fields_and_says_what_it_restored(d: Driver) -> None:
    fill(d, HAPPY[:7])
    assert d.step == "phone"
    d.send("/back")
    d.send("李四")
    assert d.session.draft.form.contact == "李四"
    d.send("/undo")
    assert d.session.draft.form.contact == "张三" and "“联系人”恢复为：张三" in d.text


def test_undo_with_nothing_to_undo_says_so(d: Driver) -> None:
    d.send("/start")
    d.send("/undo")
    assert "没有可以撤销的修改" in d.text


def test_history_is_bounded(campaign: Campaign) -> None:
    d = Driver(campaign)
    at_summary(d)
    for n in range(50):
        d.send(f"第{n}句。")
    assert len(d.session.draft.history) <= 8


def test_a_whole_content_is_split_after_confirmation_and_undone_as_one_change(d: Driver) -> None:
    fill(d, HAPPY[:10])
    assert d.step == "background"
    text = f"一、背景意义\n{BACKGROUND}\n二、主要做法\n{PRACTICE}\n三、实施成效\n实施成效的文字。\n四、经验启示\n启示的文字。"
    d.send(text)
    assert "背景意义 " in d.text and "（不超过 2000 字）" in d.text and d.session.draft.form.background is None
    d.send("确认填入")
    form = d.session.draft.form
    assert form.parts() == [BACKGROUND, PRACTICE, "实施成效的文字。", "启示的文字。"]
    assert d.step == "pictures"
    d.send("/undo")
    assert d.session.draft.form.parts() == ["", "", "", ""]


def test_a_split_over_filled_parts_asks_replace_or_append(d: Driver) -> None:
    fill(d, HAPPY[:-2])  # every part filled, at the fourth
    d.send("/edit 9")
    text = "背景意义：甲。\n主要做法：乙。\n实施成效：丙。\n经验启示：丁。"
    d.send(text)
    assert "已有内容" in d.text and {"替换原有内容", "接在原有内容之后", "取消"} <= {b for b, _ in d.buttons()}
    d.send("2")
    assert d.session.draft.form.parts() == [
        "背景意义内容。\n甲。",
        "主要做法内容。\n乙。",
        "实施成效内容。\n丙。",
        "经验启示内容。\n丁。",
    ]
    assert d.step == "review"


def test_a_split_cancelled_stores_nothing(d: Driver) -> None:
    fill(d, HAPPY[:10])
    before = d.session.draft.form
    d.send("背景意义：甲。\n主要做法：乙。\n实施成效：丙。\n经验启示：丁。")
    d.send("取消")
    assert d.session.draft.form == before and "未填入" in d.text


def test_one_heading_missing_asks_instead_of_splitting(d: Driver) -> None:
    fill(d, HAPPY[:10])
    d.send("一、背景意义\n甲。\n二、主要做法\n乙。\n三、实施成效\n丙。")
    assert "未找到“经验启示”" in d.text and d.session.draft.form.background is None
    d.send("整条填入本项")
    assert d.session.draft.form.background == "一、背景意义\n甲。\n二、主要做法\n乙。\n三、实施成效\n丙。"


def test_a_part_starting_with_its_own_heading_is_stored_without_it(d: Driver) -> None:
    fill(d, HAPPY[:12])
    assert d.step == "practice"
    d.send("二、主要做法\n一是建强队伍。二是打造品牌。")
    assert d.session.draft.form.practice == "一是建强队伍。二是打造品牌。" and "二、主要做法" in d.text


def test_a_summary_prefixed_with_its_label_loses_the_label(d: Driver) -> None:
    at_summary(d)
    d.send("案例简介：" + SUMMARY)
    assert d.session.draft.form.summary == SUMMARY


def test_a_paragraph_is_a_line_as_the_author_wrote_it(d: Driver) -> None:
    at_summary(d)
    d.send("第一段第一句，\n第一段第二句。")
    d.send("第二段。")
    assert d.session.draft.form.summary == "第一段第一句，\n第一段第二句。\n第二段。"


MOVES = st.sampled_from(
    [
        "/start",
        "/help",
        "/back",
        "/next",
        "/edit 8",
        "/edit 9",
        "/undo",
        "/clear",
        "1",
        "2",
        "文字。",
        "又一段。",
        "长" * 250,
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(MOVES, max_size=25))
def test_whatever_the_order_every_promise_is_kept(campaign: Campaign, moves: list[str]) -> None:
    d = Restarting(campaign)
    at_summary(d)
    for move in moves:
        if d.session.pending is Pending.NONE and move not in ("1", "2") and not move.startswith("/"):
            send_and_check(d, move)
        else:
            d.send(move)


def test_pictures_cleared_after_confirmation_come_back_with_undo(d: Driver) -> None:
    from tests.helpers import make_image

    fill(d, HAPPY[:-1])
    d.picture(make_image("PNG", color="red"), caption="活动现场")
    d.send("/clear")
    assert "确认清空" in d.text and len(d.session.draft.form.pictures) == 1
    d.send("1")
    assert d.session.draft.form.pictures == []
    d.send("/undo")
    assert [p.caption for p in d.session.draft.form.pictures] == ["活动现场"] and "图片资料" in d.text


def test_after_the_deadline_a_pending_choice_changes_nothing(d: Driver) -> None:
    from dataclasses import replace

    at_summary(d)
    d.send("原有的简介。")
    d.send("/start")
    d.send("补充。")
    d.ctx = replace(d.ctx, is_open=False)
    before = d.session.draft
    d.send("1")
    assert "截止" in d.text and d.session.draft == before
