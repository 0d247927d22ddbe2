"""Whole conversations against the pure dialog: the happy path and every way back and around."""

from __future__ import annotations

from datetime import UTC

from dialogs.campaign import Campaign
from dialogs.machine import ShowStatus, StorePicture, SubmitDraft
from dialogs.models import Step
from tests.helpers import HAPPY, SUMMARY, Driver, fill, make_image


def test_a_submitter_is_walked_through_every_field_in_order(driver: Driver) -> None:
    driver.send("/start")
    assert "第 1/14 步" in driver.text and "案例名称" in driver.text
    driver.send("清朗网络共建行动")
    assert "第 2/14 步" in driver.text
    driver.send("合肥市委网信办")
    assert "第 3/14 步" in driver.text and "网络空间文明创建" in driver.text
    assert len([b for b in driver.buttons() if b[1].startswith("cat:")]) == 6
    driver.send("5")
    assert "第 4/14 步" in driver.text and "合肥市委网信办" in [label for label, _ in driver.buttons()]
    driver.send("1")
    assert "第 5/14 步" in driver.text and "2021年9月至2023年12月" in driver.text
    driver.send("2022年3月")
    driver.send("张三")
    assert "第 7/14 步" in driver.text
    driver.send("0551—62606335")
    assert "第 8/14 步" in driver.text and "300" in driver.text and "Word" in driver.text
    driver.send(SUMMARY)
    assert f"已 {len(SUMMARY)}/300 字" in driver.text
    for step in ("/next", "背景", "/next", "做法", "/next", "成效", "/next", "启示", "/next"):
        driver.send(step)
    assert driver.step == "pictures"
    driver.send("/skip")
    assert driver.step == "review" and "第 14/14 步" in driver.text
    form = driver.session.draft.form
    assert (form.name, form.category, form.unit, form.period, form.phone) == (
        "清朗网络共建行动",
        "网络空间生态治理",
        "hefei",
        "2022-03",
        "0551-62606335",
    )
    assert form.parts() == ["背景", "做法", "成效", "启示"]


def test_submit_needs_the_review_and_an_explicit_confirmation(driver: Driver) -> None:
    fill(driver, HAPPY[:5])
    driver.send("/submit")
    assert "/review" in driver.text and not driver.last.actions
    fill(driver, HAPPY[5:])
    driver.send("/submit")
    assert "确认提交" in driver.text and not driver.last.actions
    driver.send("2")
    assert not driver.last.actions and "暂不提交" in driver.text
    driver.send("/submit")
    driver.send("1")
    assert isinstance(driver.last.actions[0], SubmitDraft)


def test_submit_with_a_field_missing_names_it(driver: Driver) -> None:
    fill(driver, HAPPY[:3])
    driver.send("/review")
    assert "尚未填写" in driver.text and "申报类别" in driver.text
    driver.send("/submit")
    assert "申报类别" in driver.text and "暂不能提交" in driver.text


def test_back_returns_to_the_previous_field_keeping_every_answer(driver: Driver) -> None:
    fill(driver, HAPPY[:6])
    assert driver.step == "contact"
    driver.send("/back")
    assert driver.step == "period" and "2022年3月" in driver.text
    driver.send("/back")
    assert driver.step == "unit"
    driver.send("/next")
    assert driver.step == "period"
    driver.send("/next")
    assert driver.step == "contact"
    assert driver.session.draft.form.period == "2022-03"


def test_back_at_the_first_step_says_so(driver: Driver) -> None:
    driver.send("/start")
    driver.send("/back")
    assert "已经是第一步" in driver.text and driver.step == "name"


def test_a_submitter_of_a_known_unit_never_sees_the_unit_step(campaign: Campaign) -> None:
    driver = Driver(campaign, unit="wuhu")
    fill(driver, ["/start", "名称", "申报单位", "2"])
    assert driver.step == "period" and driver.session.draft.form.unit == "wuhu"
    driver.send("/back")
    assert driver.step == "category"
    driver.send("/edit 4")
    assert "不能修改" in driver.text


def test_edit_jumps_to_a_field_and_returns_to_the_review(driver: Driver) -> None:
    fill(driver)
    driver.send("/edit")
    choices = [d for _, d in driver.buttons()]
    assert len(choices) == 13 and all(d.startswith("edit:") for d in choices)
    driver.send("7")  # 联系方式, typed by number
    assert driver.step == "phone"
    driver.send("13812345678")
    assert driver.step == "review" and "13812345678" in driver.text


def test_edit_of_a_long_part_asks_then_replaces_then_appends_then_returns(driver: Driver) -> None:
    fill(driver)
    driver.send("/edit 10")
    assert driver.step == "practice" and "已有内容" in driver.text and "请先选择" in driver.text
    driver.send("新的做法。")
    assert "已保留，尚未填入" in driver.text and driver.session.draft.form.practice == "主要做法内容。"
    driver.send("2")  # 重新填写
    assert "已重新填写" in driver.text
    driver.send("补充的做法。")
    assert driver.session.draft.form.practice == "新的做法。\n补充的做法。"
    driver.send("/next")
    assert driver.step == "review"


def test_a_long_part_may_arrive_in_several_messages(driver: Driver) -> None:
    fill(driver, HAPPY[:10])
    assert driver.step == "background"
    driver.send("第一段。")
    driver.send("第二段。")
    assert driver.session.draft.form.background == "第一段。\n第二段。"
    assert "背景意义 8" in driver.text and "内容 8/2000 字" in driver.text


def test_a_part_that_passes_2000_zi_is_kept_marked_and_fixed_by_undo(driver: Driver) -> None:
    fill(driver, HAPPY[:10])
    driver.send("字" * 1500)
    driver.send("/next")
    driver.send("字" * 400)
    driver.send("字" * 101)
    assert "超出 1 字" in driver.text and "已全部保存" in driver.text
    assert driver.session.draft.form.practice == "字" * 400 + "\n" + "字" * 101  # nothing the user sent is lost
    driver.send("/undo")
    driver.send("字" * 100)
    assert "内容 2000/2000 字" in driver.text and "超出" not in driver.text


def test_a_301_zi_summary_is_kept_marked_and_300_fits(driver: Driver) -> None:
    fill(driver, HAPPY[:8])
    driver.send("字" * 301)
    assert "超出 1 字" in driver.text and driver.session.draft.form.summary == "字" * 301
    driver.send("/clear")
    driver.send("确认清空")
    driver.send("字" * 300)
    assert "已 300/300 字" in driver.text and "超出" not in driver.text


def test_clear_empties_the_current_long_field_after_confirmation(driver: Driver) -> None:
    fill(driver, HAPPY[:9])
    driver.send("/clear")
    assert "确认清空" in driver.text and driver.session.draft.form.summary == SUMMARY
    driver.send("1")
    assert driver.session.draft.form.summary is None and driver.step == "summary"
    driver.send("/next")
    assert "必填项" in driver.text and driver.step == "summary"


def test_skip_works_only_for_optional_fields(driver: Driver) -> None:
    fill(driver, HAPPY[:2])
    driver.send("/skip")
    assert "必填项" in driver.text and driver.step == "applicant"


def test_two_pictures_are_taken_and_the_third_refused(driver: Driver) -> None:
    fill(driver, HAPPY[:-1])
    assert driver.step == "pictures"
    driver.picture(make_image("PNG", color="red"), caption="活动现场")
    assert isinstance(driver.last.actions[0], StorePicture) and driver.step == "pictures"
    driver.picture(make_image("PNG", color="red"))
    assert "已经添加过" in driver.text
    driver.picture(make_image("JPEG", color="blue"))
    assert driver.step == "review"
    assert [p.caption for p in driver.session.draft.form.pictures] == ["活动现场", ""]
    driver.send("/edit 13")
    driver.picture(make_image("PNG", color="green"))
    assert "最多可附 2 张" in driver.text and len(driver.session.draft.form.pictures) == 2


def test_a_bad_picture_changes_nothing(driver: Driver) -> None:
    fill(driver, HAPPY[:-1])
    before = driver.session
    driver.picture(b"%PDF-1.4 not an image")
    assert "不是图片" in driver.text and driver.session == before and not driver.last.actions


def test_a_picture_at_a_text_step_is_refused(driver: Driver) -> None:
    fill(driver, HAPPY[:3])
    before = driver.session
    driver.picture(make_image())
    assert "无需发送图片" in driver.text and driver.session == before


def test_a_button_from_an_old_message_changes_nothing(driver: Driver) -> None:
    fill(driver, HAPPY[:3])
    old = [d for _, d in driver.buttons() if d.startswith("cat:")][0]
    driver.send("2")
    before = driver.session
    from dialogs.events import Press

    driver.send(Press(data=old))
    assert "已失效" in driver.text and driver.session == before


def test_a_confirmation_pressed_twice_submits_once(driver: Driver) -> None:
    fill(driver)
    driver.send("/submit")
    yes = [d for label, d in driver.buttons() if "确认提交" in label][0]
    from dialogs.events import Press

    driver.send(Press(data=yes))
    assert isinstance(driver.last.actions[0], SubmitDraft)
    driver.send(Press(data=yes))
    assert not driver.last.actions and "已失效" in driver.text


def test_cancel_asks_first_then_discards(driver: Driver) -> None:
    fill(driver, HAPPY[:4])
    driver.send("/cancel")
    assert driver.session.draft is not None
    driver.send("2")
    assert driver.session.draft is not None and driver.step == "unit"
    driver.send("/cancel")
    driver.send("1")
    assert driver.session.draft is None and "已放弃" in driver.text


def test_new_is_refused_while_a_draft_is_active(driver: Driver) -> None:
    fill(driver, HAPPY[:3])
    driver.send("/new")
    assert "已有一份未完成的草稿" in driver.text and driver.step == "category"


def test_status_asks_the_shell_for_the_cases(driver: Driver) -> None:
    driver.send("/status")
    assert isinstance(driver.last.actions[0], ShowStatus)


def test_a_command_that_does_not_fit_changes_nothing(driver: Driver) -> None:
    driver.send("/back")
    assert "没有正在填写" in driver.text
    fill(driver, HAPPY[:2])
    before = driver.session
    driver.send("/frobnicate")
    assert "无法识别" in driver.text and driver.session == before
    driver.send("/next")
    assert driver.session.draft.step is Step.APPLICANT and "必填项" in driver.text


def test_after_the_deadline_answers_are_refused_but_status_works(campaign: Campaign) -> None:
    driver = Driver(campaign)
    fill(driver, HAPPY[:3])
    from dataclasses import replace

    driver.ctx = replace(driver.ctx, is_open=False, closed_message="本次征集已于 2024年3月11日 23:59 截止。")
    before = driver.session.draft
    driver.send("网络空间道德建设")
    assert "截止" in driver.text and driver.session.draft == before
    driver.send("/new")
    assert "截止" in driver.text
    driver.send("/status")
    assert isinstance(driver.last.actions[0], ShowStatus)


def test_help_states_the_counting_rule(driver: Driver) -> None:
    driver.send("/help")
    assert "2024年" in driver.text and "计 2 字" in driver.text and "/edit" in driver.text


def test_a_returned_case_naming_a_fixed_unit_still_reaches_the_review(campaign: Campaign) -> None:
    from datetime import datetime

    from dialogs.machine import reopen
    from dialogs.models import Case, CaseState

    driver = Driver(campaign, unit="hefei")
    fill(driver, [a for a in HAPPY if a != "1"])
    now = datetime(2024, 3, 1, tzinfo=UTC)
    case = Case(
        id=5,
        owner="u1",
        unit="hefei",
        state=CaseState.RETURNED,
        form=driver.session.draft.form,
        created_at=now,
        updated_at=now,
        revise_fields=["unit", "phone"],
    )
    driver.session = driver.session.model_copy(update={"draft": None})
    driver.last = reopen(driver.session, case, driver.ctx, notice="请修改联系方式")
    driver.session = driver.last.session
    assert driver.step == "phone" and "请修改联系方式" in driver.text
    driver.send("13812345678")
    assert driver.step == "review"


def test_the_unit_is_chosen_by_button_when_not_known(driver: Driver) -> None:
    fill(driver, HAPPY[:4])
    assert driver.step == "unit"
    wuhu = next(data for label, data in driver.buttons() if "芜湖" in label)
    from dialogs.events import Press

    driver.send(Press(data=wuhu))
    assert driver.step == "period" and driver.session.draft.form.unit == "wuhu"
