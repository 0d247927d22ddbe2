"""Contact lines, phones, dates, linked pictures and a coordinator's numbered lists as offices really send
them, through the service (real SQLite), and what each channel is told (its own renderer)."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from bot.app import App
from bot.channels.render import decorate
from bot.channels.telegram.send import LIMITS as TELEGRAM
from bot.channels.terminal import TerminalChannel
from bot.channels.wecom.channel import LIMITS as WECOM
from bot.cli import admin
from bot.usecases.response import Response
from dialogs.events import Document, Press, Text, parse_text
from tests.helpers import HAPPY, SAMPLE_BACKGROUND, SAMPLE_LESSONS, SAMPLE_PRACTICE, SAMPLE_RESULTS, make_image

TO_CONTACT = HAPPY[:6]  # /start … 开展实施或发布时间: the next question is 联系人
LETTERHEAD = "联系人：张明\n电话：0551-62606335\n手机：13812345678\n邮箱：zhangming@ahwx.gov.cn"


@pytest.fixture
def app(open_units_app: App) -> App:
    """These scenarios are about texts: they choose the unit at step 4."""
    return open_units_app


def said(response: Response) -> str:
    return "\n".join(r.text for r in response.replies)


async def send(app: App, user: str, *answers: str) -> Response:
    response = Response()
    for answer in answers:
        response = await app.service.handle(user, parse_text(answer))
    return response


async def form_of(app: App, user: str) -> dict[str, str | None]:
    async with app.store.atomic() as tx:
        session = await tx.load_session(user)
    assert session.draft is not None
    return {"contact": session.draft.form.contact, "phone": session.draft.form.phone, "step": session.draft.step.value}


# -- 联系人 and 联系方式 (items 8, 9, 10, 15) ----------------------------------------------------------------


async def test_a_letterhead_block_pasted_at_the_contact_keeps_the_name_and_offers_the_numbers(app: App) -> None:
    await send(app, "u1", *TO_CONTACT)
    offered = await app.service.handle("u1", Text(LETTERHEAD))
    text = said(offered)
    assert "已记录联系人：张明" in text
    assert "电子邮箱（zhangming@ahwx.gov.cn）无需填写，未记录" in text
    assert "您在联系人中同时写了电话 0551-62606335、13812345678，是否填入“联系方式”？" in text
    assert await form_of(app, "u1") == {"contact": "张明", "phone": None, "step": "phone"}
    taken = await app.service.handle("u1", Text("1"))  # typed, as a channel without buttons lists it
    assert "已记录联系方式：0551-62606335、13812345678" in said(taken)
    assert await form_of(app, "u1") == {"contact": "张明", "phone": "0551-62606335、13812345678", "step": "summary"}


async def test_a_contact_line_with_a_phone_offers_it_and_a_typed_number_instead_answers_the_step(app: App) -> None:
    await send(app, "u1", *TO_CONTACT)
    offered = await app.service.handle("u1", Text("联系人:邓海林 025-88802714"))
    assert "已记录联系人：邓海林" in said(offered) and "电话 025-88802714" in said(offered)
    typed = await app.service.handle("u1", Text("0551—62606335，邮箱anhuiwlwm@126.com"))
    text = said(typed)
    assert "已记录联系方式：0551-62606335" in text and "电子邮箱（anhuiwlwm@126.com）无需填写" in text
    assert "手机号码应为 11 位" not in text
    assert await form_of(app, "u1") == {"contact": "邓海林", "phone": "0551-62606335", "step": "summary"}


async def test_a_wrong_phone_in_the_contact_line_is_named_and_the_name_is_kept(app: App) -> None:
    await send(app, "u1", *TO_CONTACT)
    kept = await app.service.handle("u1", Text("联系人：王芳 0551-6260633"))
    assert "已记录联系人：王芳" in said(kept)
    assert "区号 0551（安徽省合肥市）后的本地号码应为 8 位，现为 7 位，少 1 位" in said(kept)
    assert await form_of(app, "u1") == {"contact": "王芳", "phone": None, "step": "phone"}


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("13812345678a", "号码后有字母“a”"),
        ("１３８１２３４５６７８ｂ", "号码后有字母“b”"),
        ("0551-6260633", "区号 0551（安徽省合肥市）后的本地号码应为 8 位，现为 7 位，少 1 位"),
        ("0755-8765432", "区号 0755（广东省深圳市）后的本地号码应为 8 位"),
        ("0512-6512345", "区号 0512（江苏省苏州市）后的本地号码应为 8 位"),
        ("anhuiwlwm@126.com", "电子邮箱无需填写"),
    ],
)
async def test_a_wrong_phone_is_refused_naming_what_is_wrong_and_changes_nothing(
    app: App, typed: str, why: str
) -> None:
    await send(app, "u1", *TO_CONTACT, "张明")
    refused = await app.service.handle("u1", Text(typed))
    assert why in said(refused) and not refused.changed
    assert await form_of(app, "u1") == {"contact": "张明", "phone": None, "step": "phone"}


async def test_two_numbers_on_two_lines_are_two_numbers(app: App) -> None:
    await send(app, "u1", *TO_CONTACT, "张明")
    taken = await app.service.handle("u1", Text("办公电话：0551-62606335\n手机：138 1234 5678\n"))
    assert "请不要换行" not in said(taken)
    assert (await form_of(app, "u1"))["phone"] == "0551-62606335、13812345678"


# -- 开展实施或发布时间 (item 11) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("自2022年3月起", "2022年3月起至今"),
        ("自2022年3月以来", "2022年3月起至今"),
        ("2023年全年", "2023年1月—2023年12月"),
    ],
)
async def test_dates_offices_write_are_accepted(app: App, typed: str, shown: str) -> None:
    answered = await send(app, "u1", *HAPPY[:5], typed)
    assert f"已记录：{shown}" in said(answered)
    assert (await form_of(app, "u1"))["step"] == "contact"


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("11月5日-11月25日", "没有写年份，请写明年份"),
        ("即日起至2023年12月", "“即日起”未写明开始的时间，请写明开始实施的年月"),
    ],
)
async def test_a_date_missing_its_year_or_start_is_asked_for_it(app: App, typed: str, asked: str) -> None:
    answered = await send(app, "u1", *HAPPY[:5], typed)
    assert asked in said(answered) and not answered.changed
    assert (await form_of(app, "u1"))["step"] == "period"


# -- a picture linked in a .docx (item 12) -------------------------------------------------------------------


def linked_docx() -> bytes:
    """A plain write-up of 2 000 字 under its four headings, one picture embedded and one only linked."""
    doc = WordDocument()
    for heading, body in zip(
        ("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示"),
        (SAMPLE_BACKGROUND, SAMPLE_PRACTICE, SAMPLE_RESULTS, SAMPLE_LESSONS),
        strict=True,
    ):
        doc.add_paragraph(heading)
        for paragraph in body.split("\n"):
            doc.add_paragraph(paragraph)
    doc.add_paragraph().add_run().add_picture(io.BytesIO(make_image()))
    doc.add_paragraph().add_run().add_picture(io.BytesIO(make_image(color="blue")))
    blip = doc.element.body.xpath(".//a:blip")[-1]
    link = doc.part.relate_to("file:///C:/Users/office/Pictures/现场.jpg", RT.IMAGE, is_external=True)
    del blip.attrib[qn("r:embed")]
    blip.set(qn("r:link"), link)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


async def test_a_linked_picture_is_said_to_be_a_link_that_was_not_followed(app: App) -> None:
    await send(app, "u1", "/start", "清朗网络共建行动")
    read = await app.service.handle("u1", Document(data=linked_docx(), filename="案例材料.docx"))
    text = said(read)
    assert "1 张图片未导入" in text  # the embedded one
    assert "有 1 张图片只是链接" in text and "不打开链接" in text
    assert "内容 2000/2000 字" in text


# -- a coordinator's numbered lists and stray text (item 2) -------------------------------------------------


async def joined(app: App, user: str, role: str) -> Response:
    await admin.invites(app, "bot", "hefei", reissue=False)
    async with app.store.atomic() as tx:
        code = next(i.code for i in await tx.invites("hefei") if i.role == role)
    return await app.service.handle(user, parse_text(f"/start {code}"))


async def test_a_coordinator_s_list_offers_no_number_that_is_not_answered_and_a_stray_text_starts_no_case(
    app: App,
) -> None:
    await joined(app, "sub", "submitter")
    await send(app, "sub", *[a for a in HAPPY[1:] if a != "1"], "/submit", "确认")
    await joined(app, "boss", "coordinator")
    await send(app, "boss", "王明 0551-62606335")  # the unit's contact, asked on joining
    listed = await app.service.handle("boss", parse_text("/cases"))
    (reply,) = listed.replies
    assert any(b.data.startswith("sc:") for row in reply.buttons for b in row)  # the scan button is there
    for limits in (WECOM, TerminalChannel.limits):  # channels without buttons number only what a number answers
        shown = decorate(reply, limits).text
        assert "请回复序号" not in shown and "1. 扫描件" not in shown
        assert "/scan 编号" in shown  # the typed command for it is in the usage
    stray = await app.service.handle("boss", Text("1"))
    assert "您当前没有正在填写的案例" in said(stray) or "您是推荐单位联络人" in said(stray)
    async with app.store.atomic() as tx:
        assert (await tx.load_session("boss")).draft is None  # nothing was started
    started = await app.service.handle("boss", parse_text("/start"))
    assert "如需本人填写申报案例，请发送 /new" in said(started)
    async with app.store.atomic() as tx:
        assert (await tx.load_session("boss")).draft is None


async def test_a_coordinator_s_text_on_an_unasked_draft_is_asked_about_first(app: App) -> None:
    await joined(app, "boss", "coordinator")
    await send(app, "boss", "王明 0551-62606335")
    async with app.store.atomic() as tx:  # a draft /start opened before coordinators were asked
        from dialogs.session import Draft

        session = await tx.load_session("boss")
        await tx.save_session(session.model_copy(update={"draft": Draft()}))
    asked = await app.service.handle("boss", Text("1"))
    assert "是否以“1”作为案例名称新建一个申报案例" in said(asked)
    assert (await form_of(app, "boss"))["step"] == "name"
    declined = await app.service.handle("boss", Text("不新建"))
    assert "未新建案例" in said(declined)
    async with app.store.atomic() as tx:
        assert (await tx.load_session("boss")).draft is None
    await send(app, "boss", "/new")  # asked for: the name is taken at once
    named = await app.service.handle("boss", Text("县域网络文明志愿服务"))
    assert "是否以" not in said(named) and (await form_of(app, "boss"))["step"] == "applicant"


# -- the channel's own words (item 14) ---------------------------------------------------------------------


async def test_each_channel_words_the_hints_for_itself(app: App) -> None:
    at_pictures = await send(app, "u1", *[a for a in HAPPY if a != "/skip"])
    (prompt,) = [r for r in at_pictures.replies if r.hint == "send_pictures"]
    assert "请直接发送图片（JPG、PNG 或手机拍摄的 HEIC 格式）" in decorate(prompt, TELEGRAM).text
    assert "请输入图片文件的路径" in decorate(prompt, TerminalChannel.limits).text
    refused = await app.service.handle("u1", parse_text("/summary"))
    (no,) = refused.replies
    assert "邀请链接" in decorate(no, TELEGRAM).text
    assert "发送“/start 邀请码”加入" in decorate(no, WECOM).text and "邀请链接" not in decorate(no, WECOM).text
    up = await app.service.handle("u1", parse_text("/up 1"))
    assert "案例管理仅限推荐单位联络人使用" in said(up) and "未找到该案例" not in said(up)
    stale = await app.service.handle("u1", Press(data="stray:0"))
    assert stale.replies  # an unknown button is answered, never raised
