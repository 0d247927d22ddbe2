"""Real texts as offices paste them, through the whole service on a real SQLite file (issue 18, items
3–7 and 13): the form's own notes come off, a whole filled-in form fills the fields it names, other
templates' headings are recognised (and a heading naming two parts is asked about), headings out of
order are split by heading, an over-limit text is kept and marked, and the review lists 提示."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.usecases.response import Response
from dialogs.events import Command, Event, Press, parse_text
from dialogs.session import Pending, Session
from dialogs.wordcount import count_zi
from tests.helpers import HAPPY
from tests.helpers import SAMPLE_BACKGROUND as BACKGROUND
from tests.helpers import SAMPLE_LESSONS as LESSONS
from tests.helpers import SAMPLE_PRACTICE as PRACTICE
from tests.helpers import SAMPLE_RESULTS as RESULTS
from tests.helpers import SAMPLE_SUMMARY as SUMMARY

BODY = (BACKGROUND, PRACTICE, RESULTS, LESSONS)  # 2 000 字 together, as a real case's four parts
SUMMARY_HINT = "（案例简介不超过 300 字）"
CONTENT_HINT = "（案例内容不超过 2000 字，可附 1-2 张图片资料，可以附件形式提交。）"


@pytest.fixture
def app(open_units_app: App) -> App:
    """These scenarios are about texts: they choose the unit at step 4."""
    return open_units_app


class Submitter:
    """One person at the service, as a channel would carry their messages."""

    def __init__(self, app: App, user: str = "u1") -> None:
        self.app, self.user = app, user
        self.last = Response()

    async def send(self, message: str | Event) -> Response:
        event = parse_text(message) if isinstance(message, str) else message
        self.last = await self.app.service.handle(self.user, event)
        return self.last

    async def press(self, label: str) -> Response:
        data = next(b.data for r in self.last.replies for row in r.buttons for b in row if b.label == label)
        return await self.send(Press(data=data))

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last.replies)

    @property
    def labels(self) -> list[str]:
        return [b.label for r in self.last.replies for row in r.buttons for b in row]

    async def session(self) -> Session:
        async with self.app.store.atomic() as tx:
            return await tx.load_session(self.user)

    async def walk(self, answers: list[str]) -> None:
        for answer in answers:
            await self.send(answer)


def whole(headings: tuple[str, ...], parts: tuple[str, ...] = BODY) -> str:
    return "\n".join(f"{h}\n{p}" for h, p in zip(headings, parts, strict=True))


# -- item 3: the form's own notes ------------------------------------------------------------------------------


async def test_the_form_s_notes_pasted_with_the_text_are_taken_off_and_said(app: App) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:8])
    await me.send(f"{SUMMARY_HINT}\n{SUMMARY}")  # a 300-字 summary copied from last year's form, note and all
    assert "填写说明“（案例简介不超过 300 字）”已去掉" in me.text and "已 300/300 字" in me.text
    await me.send("/next")
    await me.send(whole(("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示")) + "\n" + CONTENT_HINT)
    assert "填写说明" in me.text and "内容 2000/2000 字" not in me.text  # asked first, counted without the note
    await me.press("确认填入")
    draft = (await me.session()).draft
    assert draft is not None and draft.form.summary == SUMMARY
    assert draft.form.parts() == list(BODY)  # the closing note is nowhere in 经验启示


async def test_a_note_alone_changes_nothing(app: App) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:8])
    before = await me.session()
    response = await me.send(SUMMARY_HINT)
    assert "只有推荐表的填写说明" in me.text and not response.changed
    assert await me.session() == before


# -- item 4: a whole filled-in form -----------------------------------------------------------------------------

FILLED_FORM = "\n".join(
    [
        "2024年网络文明建设优秀案例推荐表",
        "案例名称：“清风e路”网络文明志愿服务行动",
        "申报单位：合肥市蜀山区委网信办",
        "申报类别：网络空间文明创建",
        "推荐单位：淮北市委网信办",  # not the unit the submitter joined: never taken
        "开展实施时间：2022年3月",
        "联 系 人：王芳",
        "联系电话：0551-62606335",
        SUMMARY,  # the lead paragraph, with no label: fits no field until the submitter says so
        whole(("一、背景与起因", "二、做法与经过", "三、成效与反响", "四、启示与思考")),
        CONTENT_HINT,
    ]
)


async def test_a_pasted_filled_in_form_fills_each_field_it_names_after_confirming(app: App) -> None:
    await app.service.assign_unit("u1", "hefei")
    me = Submitter(app)
    await me.walk(["/start"])
    await me.send(FILLED_FORM)  # at step 1, as an office pastes its whole form
    shown = me.text
    assert "这条消息是一份填好的推荐表" in shown
    assert "· 案例名称：“清风e路”网络文明志愿服务行动" in shown and "· 联系人：王芳" in shown
    assert "推荐单位按您加入的单位确定" in shown  # the pasted 淮北 is not taken
    assert "不属于推荐表的任何一项，暂未填入" in shown and f"（{count_zi(SUMMARY)} 字）" in shown
    assert "内容 2000/2000 字" in shown
    session = await me.session()
    assert session.pending is Pending.CONFIRM_IMPORT and session.held == SUMMARY  # kept until decided
    assert session.draft is not None and session.draft.form.name is None  # nothing stored yet

    await me.press("导入，并把未归类的文字作为案例简介")
    draft = (await me.session()).draft
    assert draft is not None
    form = draft.form
    assert form.unit == "hefei" and form.contact == "王芳" and form.phone == "0551-62606335"
    assert form.period == "2022-03" and form.category == "网络空间文明创建" and form.summary == SUMMARY
    assert form.parts() == list(BODY)
    await me.send("/review")
    await me.send("/submit")
    await me.send("确认")
    async with app.store.atomic() as tx:
        (case,) = await tx.cases_of_owner("u1")
    assert case.unit == "hefei" and case.form.summary == SUMMARY


async def test_declining_a_pasted_form_changes_nothing_and_importing_without_the_lead_says_so(app: App) -> None:
    me = Submitter(app)
    await me.walk(["/start", "旧名称"])
    before = (await me.session()).draft
    await me.send(FILLED_FORM)
    await me.press("不导入")
    assert "未导入，草稿未作任何改动" in me.text and (await me.session()).draft == before
    await me.send(FILLED_FORM)
    await me.press("导入")
    assert f"未归类的文字（{count_zi(SUMMARY)} 字）未填入" in me.text
    draft = (await me.session()).draft
    assert draft is not None and draft.form.name == "“清风e路”网络文明志愿服务行动" and draft.form.summary is None


# -- item 5: other templates' headings --------------------------------------------------------------------------

TEMPLATES = [
    ("背景与起因", "做法与经过", "成效与反响", "启示与思考"),
    ("基本情况", "主要做法", "取得成效", "经验启示"),
    ("案例背景", "具体做法", "工作成效", "经验体会"),
    ("【背景意义】", "【主要做法】", "【实施成效】", "【经验启示】"),
    ("第一部分 背景与起因", "第二部分 具体做法", "第三部分 工作成效", "第四部分 经验体会"),
]


@pytest.mark.parametrize("template", TEMPLATES, ids=[t[0] for t in TEMPLATES])
async def test_other_templates_headings_split_after_showing_which_went_where(
    app: App, template: tuple[str, ...]
) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:10])
    numbered = (
        template
        if template[0].startswith(("【", "第"))
        else tuple(f"{n}、{h}" for n, h in zip("一二三四", template, strict=True))
    )
    await me.send(whole(numbered))
    for heading in numbered:
        assert f"原标题“{heading}”" in me.text
    await me.press("确认填入")
    draft = (await me.session()).draft
    assert draft is not None and draft.form.parts() == list(BODY)


async def test_a_heading_naming_two_parts_is_asked_about_never_guessed(app: App) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:10])
    await me.send(whole(("一、背景意义", "二、经验做法", "三、实施成效", "四、经验启示")))
    assert "“二、经验做法”中的词语分属“主要做法”、“经验启示”" in me.text
    assert (await me.session()).draft.form.background is None  # type: ignore[union-attr]
    await me.press("属于“主要做法”")
    assert "原标题“主要做法”" in me.text  # then shown split, to confirm
    await me.press("确认填入")
    draft = (await me.session()).draft
    assert draft is not None and draft.form.parts() == list(BODY)


async def test_a_part_sent_alone_under_another_template_s_heading_loses_it(app: App) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:12])  # at 二、主要做法
    await me.send("二、做法与经过\n" + PRACTICE)
    assert "开头的标题“二、做法与经过”已去掉" in me.text
    draft = (await me.session()).draft
    assert draft is not None and draft.form.practice == PRACTICE


# -- item 6: headings out of order -----------------------------------------------------------------------------


async def test_headings_out_of_order_are_said_to_be_and_each_text_goes_to_its_heading(app: App) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:10])
    await me.send(
        whole(
            ("二、主要做法", "一、背景意义", "三、实施成效", "四、经验启示"), (PRACTICE, BACKGROUND, RESULTS, LESSONS)
        )
    )
    assert "顺序与推荐表不一致" in me.text and "未找到" not in me.text
    await me.press("按标题分别填入")
    draft = (await me.session()).draft
    assert draft is not None and draft.form.parts() == list(BODY)


# -- item 7: over the limit, kept and marked --------------------------------------------------------------------

OVER = BACKGROUND * 4 + BACKGROUND[:73]  # 2 041 字 into an empty part


async def test_an_over_limit_part_is_kept_marked_shown_and_holds_back_submit(app: App) -> None:
    assert count_zi(OVER) == 2041
    me = Submitter(app)
    await me.walk(HAPPY[:10])
    response = await me.send(OVER)
    assert response.changed and "超出 41 字" in me.text and "已全部保存" in me.text
    await me.send("/show 9")
    assert me.text.endswith(OVER)  # what the user sent is there, whole
    for answer in ("/next", "做法。", "/next", "成效。", "/next", "启示。", "/next", "/skip"):
        await me.send(answer)
    assert "【超出字数】案例内容（四部分合计）不超过 2000 字，现为 2050 字，超出 50 字" in me.text
    assert "全部必填项已填写" not in me.text
    await me.send("/submit")
    assert "超出字数，暂不能提交" in me.text and (await me.session()).pending is Pending.NONE
    await me.send("/edit 9")
    await me.send("重新填写")
    await me.send(BACKGROUND)
    await me.send("/review")
    await me.send("/submit")
    assert (await me.session()).pending is Pending.CONFIRM_SUBMIT


async def test_a_text_past_the_character_cap_is_still_refused_and_changes_nothing(app: App) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:10])
    before = await me.session()
    response = await me.send("网" * 100_000)
    assert not response.changed and "过长" in me.text and "本条内容未填入，原有内容不变" in me.text
    assert await me.session() == before


# -- item 13: the review's 提示 --------------------------------------------------------------------------------


async def test_the_review_lists_what_a_clerk_would_fix_before_printing(app: App) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:10])
    pasted = "\n".join(
        [
            "一、背景意义",  # the form prints this heading itself
            BACKGROUND[:300],
            "打开网易新闻 查看精彩图片",
            "1",
            "来源：合肥发布 编辑：李明",
            "详见 https://www.example.com/a,b?x=1 ，版本 3.5, Hello, world.",  # never flagged
            "组建志愿队伍,凝聚建设合力。",
        ]
    )
    await me.send("/clear")
    await me.send(pasted)
    for answer in (
        "/next",
        PRACTICE,
        "/next",
        RESULTS + "\n点击查看",
        "/next",
        "四、启示与思考\n" + LESSONS,
        "/next",
        "/skip",
    ):
        await me.send(answer)
    review = me.text
    assert "提示（不影响提交" in review
    assert "· 一、背景意义：从网页复制时夹带的文字“打开网易新闻 查看精彩图片”" in review
    assert "· 一、背景意义：单独一行的图片序号“1”" in review
    assert "· 一、背景意义：网页的来源、编辑等署名“来源：合肥发布 编辑：李明”" in review
    assert "· 一、背景意义：中文之间的半角标点，宜改为全角“伍,凝”" in review
    assert "· 三、实施成效：从网页复制时夹带的文字“点击查看”" in review
    assert "example" not in review and "3.5" not in review and "Hello" not in review
    assert "“四、启示与思考”" not in review  # its own heading went when it was sent
    await me.send("/submit")
    assert (await me.session()).pending is Pending.CONFIRM_SUBMIT  # 提示, never a refusal


async def test_a_doubled_heading_and_a_leftover_note_are_pointed_out(app: App) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:10])
    # kept whole here on purpose: a heading inside a part is asked about, then stored as the user chose
    await me.send("背景内容。\n一、背景与起因\n" + BACKGROUND + "要求宣讲稿（每篇不超过 300 字）。")
    await me.press("整条填入本项")
    await me.send(Command("review"))
    assert "· 一、背景意义：重复的标题（推荐表会自动印出各部分标题）“一、背景与起因”" in me.text
    assert "· 一、背景意义：推荐表的填写说明“（每篇不超过 300 字）”" in me.text


async def test_a_summary_and_the_four_parts_without_other_labels_are_split_as_before(app: App) -> None:
    me = Submitter(app)
    await me.walk(HAPPY[:10])
    await me.send(f"案例简介：{SUMMARY}\n" + whole(("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示")))
    assert "· 案例简介 300 字" in me.text and "替换原有内容" in me.labels
    await me.press("替换原有内容")  # the walk had filled the 案例简介 already
    draft = (await me.session()).draft
    assert draft is not None and draft.form.summary == SUMMARY and draft.form.parts() == list(BODY)
