"""Joining a unit by invitation (issue 17.3), and the 推荐单位 that follows the unit joined on every path
into the review (issue 18.1), through the service as the channels call it.

A stranger on Telegram or WeCom can no longer pick a unit from the list and submit into its quota: they
are told how to get an invitation code, in the words of their channel. A campaign with ``open_units``
keeps the choice; the terminal (an operator at the server) keeps it too.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from docx import Document as WordDocument

from bot.app import App, open_app
from bot.disk.samples import sample_form
from bot.settings import Settings, load_campaign
from bot.usecases.response import Response
from dialogs.events import Document, Event, Press, parse_text
from dialogs.models import CaseState, Step
from exporters.form_docx import build_form_docx
from tests.helpers import HAPPY

CODE = "sAbCdEfGhIjKlMnOp"  # the shape `casebot invites` makes: s + 16 URL-safe characters


def said(response: Response) -> str:
    return "\n".join(r.text for r in response.replies)


async def send(app: App, user: str, *messages: str | Event) -> Response:
    response = Response()
    for message in messages:
        event = parse_text(message) if isinstance(message, str) else message
        response = await app.service.handle(user, event)
    return response


async def press(app: App, user: str, response: Response, label: str) -> Response:
    data = next(b.data for r in response.replies for row in r.buttons for b in row if b.label == label)
    return await app.service.handle(user, Press(data))


async def with_invite(app: App) -> App:
    async with app.store.atomic() as tx:
        await tx.create_invite(CODE, "hefei", "submitter")
    return app


@pytest.fixture
async def invited(app: App) -> App:
    return await with_invite(app)


# -- strangers ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "words", "not_words"),
    [
        pytest.param("tg:501", ["邀请链接", "/start 邀请码"], ["直接发送给本应用"], id="telegram"),
        pytest.param("wecom:zhangsan", ["邀请码", "直接发送给本应用"], ["/start", "链接"], id="wecom"),
    ],
)
async def test_a_stranger_is_told_how_to_get_an_invitation_and_gets_no_form(
    app: App, user: str, words: list[str], not_words: list[str]
) -> None:
    for message in ["/start", "/new", "清朗网络共建行动", "/help", "1", "/review", "/submit"]:
        answer = said(await send(app, user, message))
        hint = answer.splitlines()[-1]  # the way to join, after a greeting or the help when asked
        assert all(w in hint for w in words), (message, answer)
        assert not any(w in hint for w in not_words), (message, answer)
        assert "第 1/14 步" not in answer and "推荐单位" in answer
    async with app.store.atomic() as tx:
        session = await tx.load_session(user)
        assert session.draft is None and session.unit is None
        assert await tx.roles_of(user) == [] and await tx.all_cases() == []


async def test_a_stranger_s_forged_unit_button_fills_nothing(app: App) -> None:
    await send(app, "tg:502", "/start")
    answer = said(await app.service.handle("tg:502", Press("unit:hefei:1")))
    assert "邀请" in answer
    async with app.store.atomic() as tx:
        assert (await tx.load_session("tg:502")).draft is None


async def test_the_whole_form_typed_by_a_stranger_submits_nothing(app: App) -> None:
    await send(app, "tg:503", *HAPPY, "/submit", "确认")
    async with app.store.atomic() as tx:
        assert await tx.all_cases() == []


async def test_with_the_code_the_stranger_joins_and_submits_into_the_unit(invited: App) -> None:
    app = invited
    joined = await send(app, "wecom:lisi", CODE)  # on WeCom the code itself is sent
    assert "已加入" in said(joined) and "第 1/14 步" in said(joined)
    answers = [a for a in HAPPY[1:] if a != "1"]  # 推荐单位 is the unit joined: step 4 is not asked
    await send(app, "wecom:lisi", *answers, "/submit", "确认")
    async with app.store.atomic() as tx:
        (case,) = await tx.all_cases()
    assert case.unit == "hefei" and case.form.unit == "hefei" and case.state is CaseState.RECOMMENDED


async def test_a_draft_whose_unit_membership_is_gone_is_refused_at_submit(invited: App) -> None:
    """The shell checks membership itself: a session naming a unit is not an invitation."""
    app = invited
    await send(app, "tg:504", f"/start {CODE}", *[a for a in HAPPY[1:] if a != "1"])
    async with app.store.atomic() as tx:
        await tx.remove_member("tg:504", "hefei")
    answer = said(await send(app, "tg:504", "/submit", "确认"))
    assert "邀请" in answer
    async with app.store.atomic() as tx:
        assert await tx.all_cases() == []


# -- where choosing stays ----------------------------------------------------------------------------------------


@pytest.fixture
async def open_app_(settings: Settings) -> AsyncIterator[App]:
    campaign = load_campaign("demo").model_copy(update={"open_units": True})
    async with open_app(settings, campaign) as running:
        yield running


async def test_with_open_units_a_chat_user_still_chooses_a_unit(open_app_: App) -> None:
    await send(open_app_, "tg:601", *HAPPY, "/submit", "确认")
    async with open_app_.store.atomic() as tx:
        (case,) = await tx.all_cases()
    assert case.unit == open_app_.campaign.units[0].code


async def test_the_operator_on_the_terminal_still_chooses_a_unit(app: App) -> None:
    await send(app, "term:operator", *HAPPY, "/submit", "确认")
    async with app.store.atomic() as tx:
        (case,) = await tx.all_cases()
    assert case.unit == app.campaign.units[0].code


def test_the_shipped_campaigns_join_by_invitation() -> None:
    assert not load_campaign("2024").open_units and not load_campaign("demo").open_units


# -- 18.1: 推荐单位 is the unit joined, whatever the path into the review ---------------------------------------

USER = "tg:700"


def filled_form() -> bytes:
    """Our own 推荐表 of a whole case, another unit's name in it (never imported), and the period added as an
    office adds it under the table ("开展实施时间：…"), so nothing is left to ask after an import."""
    form = sample_form().model_copy(update={"unit": "芜湖市委网信办"})
    document = WordDocument(io.BytesIO(build_form_docx(form, load_campaign("demo"), pictures=[])))
    document.add_paragraph("开展实施时间：2022年3月")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def submit_ok(app: App, user: str = USER) -> None:
    answer = said(await send(app, user, "/review"))
    assert "（未填写）" not in answer.split("推荐单位")[1].split("\n")[0], answer
    done = said(await send(app, user, "/submit", "确认"))
    assert "已提交" in done, done
    async with app.store.atomic() as tx:
        cases = [c for c in await tx.cases_of_owner(user) if c.state is not CaseState.DRAFT]
    assert cases and cases[-1].unit == "hefei" and cases[-1].form.unit == "hefei"


STEPS_BEFORE = [*HAPPY[1:4], *HAPPY[5:9]]  # name … 联系方式 with the unit step left out, as a member answers


@pytest.mark.parametrize("order", ["import-then-review", "review-then-import"])
@pytest.mark.parametrize("answered", range(len(STEPS_BEFORE) + 1), ids=lambda n: f"after-{n}-answers")
async def test_importing_a_filled_form_at_any_step_then_submitting(invited: App, answered: int, order: str) -> None:
    """At step 1 … 7, the file imported there (or at the 核对 page reached by /review from there), then /submit."""
    app = invited
    await send(app, USER, f"/start {CODE}", *STEPS_BEFORE[:answered])
    if order == "review-then-import":
        await send(app, USER, "/review")
    asked = await app.service.handle(USER, Document(filled_form(), "推荐表.docx"))
    assert "推荐单位按您加入的单位确定" in said(asked)
    await press(app, USER, asked, "导入")
    await submit_ok(app)


async def test_filling_every_field_by_edit_from_the_review(invited: App) -> None:
    app = invited
    await send(app, USER, f"/start {CODE}", "清朗网络共建行动", "/review")
    for number, answer in [("2", "合肥市委网信办"), ("3", "5"), ("5", "2022年3月"), ("6", "张三")]:
        await send(app, USER, f"/edit {number}", answer)
    await send(app, USER, "/edit 7", "0551—62606335")
    from tests.helpers import SAMPLE_BACKGROUND, SAMPLE_LESSONS, SAMPLE_PRACTICE, SAMPLE_RESULTS, SAMPLE_SUMMARY

    for number, text in [
        ("8", SAMPLE_SUMMARY),
        ("9", SAMPLE_BACKGROUND),
        ("10", SAMPLE_PRACTICE),
        ("11", SAMPLE_RESULTS),
        ("12", SAMPLE_LESSONS),
    ]:
        await send(app, USER, f"/edit {number}", text, "/next")
    assert "不能修改" in said(await send(app, USER, "/edit 4"))
    await submit_ok(app)


async def test_a_new_draft_after_a_submission_and_a_revised_case(invited: App) -> None:
    app = invited
    answers = [a for a in HAPPY[1:] if a != "1"]
    await send(app, USER, f"/start {CODE}", *answers)
    await submit_ok(app)
    await send(app, USER, "/new", "另一个案例名称很长的网络文明行动", *answers[1:])
    await submit_ok(app)
    async with app.store.atomic() as tx:
        first = min(c.id for c in await tx.cases_of_owner(USER))
        await tx.update_case(first, state=CaseState.RETURNED, revise_fields=["name"])
    opened = said(await send(app, USER, f"/revise {first}"))
    assert "案例名称" in opened, opened
    await send(app, USER, "清朗网络共建行动（修改稿）")
    await submit_ok(app)


async def test_a_draft_stored_without_its_unit_submits_after_a_restart(settings: Settings) -> None:
    """A draft left by the old code (推荐单位 never filled) is mended when the user comes back."""
    async with open_app(settings) as app:
        await with_invite(app)
        await send(app, USER, f"/start {CODE}", *[a for a in HAPPY[1:] if a != "1"])
        async with app.store.atomic() as tx:
            session = await tx.load_session(USER)
            assert session.draft is not None
            session.draft.form.unit = None
            session.draft.step = Step.REVIEW
            await tx.save_session(session)
    async with open_app(settings) as again:
        await submit_ok(again)
