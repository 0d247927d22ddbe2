"""The WeCom channel's two translations: a WeCom message into a dialog event, replies and files out.

Plus the rule that lets a new member join by sending the bare invitation code, and the inbox payload.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.base import Unreachable
from bot.channels.wecom import cards, messages
from bot.channels.wecom.api import WeComApi
from bot.channels.wecom.channel import LIMITS, WeComChannel, member_of
from bot.channels.wecom.messages import parse
from bot.channels.wecom.pacing import NoPacing
from bot.channels.wecom.payload import from_payload, to_payload
from bot.channels.wecom.translate import to_event
from bot.disk.outputs import DOCX, OutFile
from dialogs.access import join_code
from dialogs.events import Button, Command, Pictures, Press, Reply, Text, Unsupported
from tests.helpers import make_image
from tests.test_wecom_inbox import channel, channel_for  # noqa: F401  (the channel fixture)
from tests.wecom.callbacks import AGENT_ID, CORP_ID, event_xml, image_xml, text_xml, unsupported_xml
from tests.wecom.fake import DEFAULT_SECRET, WeComFake


@pytest.fixture
async def api(wecom_fake: WeComFake) -> AsyncIterator[WeComApi]:
    async with WeComApi(CORP_ID, DEFAULT_SECRET, AGENT_ID, wecom_fake.url, pacer=NoPacing()) as made:
        yield made


# -- in ------------------------------------------------------------------------------------------------


async def test_texts_are_answers_or_commands(api: WeComApi) -> None:
    assert await to_event(parse(text_xml("a", "清朗网络共建行动")), api) == Text("清朗网络共建行动")
    assert await to_event(parse(text_xml("a", "/start sCode")), api) == Command("start", "sCode")


async def test_a_picture_is_fetched_by_its_media_id(api: WeComApi, wecom_fake: WeComFake) -> None:
    photo = make_image("JPEG", (1600, 1200), "green")
    event = await to_event(parse(image_xml("a", wecom_fake.add_media(photo))), api)
    assert isinstance(event, Pictures) and event.items[0].data == photo


async def test_a_picture_that_cannot_be_fetched_is_refused_politely(api: WeComApi) -> None:
    answer = await to_event(parse(image_xml("a", "EXPIRED-MEDIA")), api)
    assert isinstance(answer, str) and "重新发送" in answer


async def test_a_file_gets_the_wecom_explanation_without_troubling_the_dialog(api: WeComApi) -> None:
    answer = await to_event(parse(unsupported_xml("a", "file")), api)
    assert isinstance(answer, str)
    assert "不向应用转发文件" in answer and "粘贴" in answer and "拍照" in answer


@pytest.mark.parametrize(
    ("kind", "name"),
    [("voice", "语音消息"), ("video", "视频"), ("location", "位置"), ("link", "链接"), ("x", "此类消息")],
)
async def test_other_kinds_are_named_to_the_dialog(api: WeComApi, kind: str, name: str) -> None:
    assert await to_event(parse(unsupported_xml("a", kind)), api) == Unsupported(kind=name)


async def test_events(api: WeComApi) -> None:
    greeting = await to_event(parse(event_xml("a", "subscribe")), api)
    assert isinstance(greeting, str) and "邀请码" in greeting
    assert await to_event(parse(event_xml("a", "enter_agent")), api) is None
    assert await to_event(parse(event_xml("a", "unsubscribe")), api) is None
    assert await to_event(parse(event_xml("a", "template_card_event", key="yes:submit:0", task_id="T1")), api) == Press(
        "yes:submit:0"
    )
    assert await to_event(parse(event_xml("a", "click", key="/review")), api) == Command("review")
    assert await to_event(parse(event_xml("a", "click", key="MENU_1")), api) is None


@given(st.text(max_size=300), st.text(min_size=1, max_size=64), st.integers(min_value=0, max_value=10**12))
def test_a_payload_gives_back_the_same_message(content: str, sender: str, created: int) -> None:
    for inbound in (
        messages.Text(sender, created, "1000002", "7000", content),
        messages.Image(sender, created, "1000002", "7001", "https://wework.qpic.cn/x", content),
        messages.Event(sender, created, "1000002", "", "template_card_event", content, "T1", "RC"),
        messages.Unsupported(sender, created, "1000002", "7002", "voice"),
    ):
        assert from_payload(to_payload(inbound)) == inbound


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "[]",
        '{"type": "Nope", "fields": {}}',
        '{"type": "Text", "fields": {"sender": "a"}}',
        '{"type": "Text"}',
        "not json",
    ],
)
def test_an_unreadable_payload_raises_value_error_only(bad: str) -> None:
    with pytest.raises(ValueError):
        from_payload(bad)


# -- joining by the bare code -----------------------------------------------------------------------


@given(st.sampled_from("sc"), st.integers(min_value=0, max_value=2**31), st.sampled_from(["", " ", "\n", "\u3000"]))
def test_a_code_as_casebot_invites_makes_it_joins_a_user_of_no_unit(role: str, seed: int, blank: str) -> None:
    code = f"{role}{secrets.token_urlsafe(12)}"
    assert join_code(f"{blank}{code}{blank}", in_unit=False) == code
    assert join_code(code, in_unit=True) is None  # for a member of a unit it is an ordinary answer


@given(st.text(max_size=40))
def test_ordinary_texts_are_not_join_attempts(text: str) -> None:
    got = join_code(text, in_unit=False)
    assert got is None or (len(got) == 17 and got[0] in "sc" and got.isascii())


@pytest.mark.parametrize(
    "text",
    [
        "清朗网络共建行动",
        "sAbCdEfGhIjKlMnO",
        "sAbCdEfGhIjKlMnOpQ",
        "xAbCdEfGhIjKlMnOp",
        "sAbCdEfGh IjKlMnOp",
        "邀请码sAbCdEfGhIjKlMnOp",
        "/start",
    ],
)
def test_near_misses_are_answers(text: str) -> None:
    assert join_code(text, in_unit=False) is None


# -- out -----------------------------------------------------------------------------------------------


def test_the_wecom_user_of_an_id() -> None:
    assert member_of("wecom:zhangsan") == "zhangsan"
    assert member_of("tg:5") is None and member_of("wecom:") is None


async def test_choices_are_numbered_and_files_go_with_their_raw_chinese_name(
    channel: WeComChannel,  # noqa: F811
    wecom_fake: WeComFake,
) -> None:
    reply = Reply("请选择申报类别：", ((Button("网络空间生态治理", "cat:5"), Button("网络空间文明创建", "cat:6")),))
    form = OutFile("01-清朗网络共建行动-推荐表.docx", b"PK" + b"0" * 100, DOCX)
    await channel.send("wecom:zhangsan", [reply], [form])
    assert wecom_fake.texts("zhangsan") == ["请选择申报类别：\n1. 网络空间生态治理\n2. 网络空间文明创建\n请回复序号。"]
    assert wecom_fake.uploads[0].raw_filename == form.name.encode("utf-8")
    assert wecom_fake.sent[-1]["msgtype"] == "file"
    assert LIMITS.text_bytes == 2048 and not LIMITS.buttons and not LIMITS.files_in


async def test_a_member_outside_the_visible_range_is_unreachable(
    channel: WeComChannel,  # noqa: F811
    wecom_fake: WeComFake,
) -> None:
    wecom_fake.outside.add("wangwu")
    with pytest.raises(Unreachable):
        await channel.send("wecom:wangwu", [Reply("您好")])
    with pytest.raises(Unreachable):
        await channel.send("tg:5", [Reply("您好")])


# -- button cards ---------------------------------------------------------------------------------------


def _choices(count: int) -> Reply:
    labels = [f"{n}. 选项{n}" for n in range(1, count + 1)]
    return Reply(
        "【第 3/14 步 · 申报类别】\n请选择：",
        tuple((Button(label, f"cat:{n}:t1"),) for n, label in enumerate(labels, 1)),
    )


@pytest.mark.parametrize("count", [1, 2, 6])
async def test_a_question_of_up_to_six_choices_gets_a_card_after_its_list(
    channel: WeComChannel,  # noqa: F811
    wecom_fake: WeComFake,
    count: int,
) -> None:
    await channel.send("wecom:zhangsan", [_choices(count), Reply("下一条")])
    kinds = [m["msgtype"] for m in wecom_fake.sent]
    assert kinds == ["text", "template_card", "text"], "the card under its own question, before what follows"
    card = wecom_fake.sent[1]["template_card"]
    assert card["main_title"]["title"] == "【第 3/14 步 · 申报类别】"
    assert [(b["key"], b["text"]) for b in card["button_list"]] == [
        (f"cat:{n}:t1", f"选项{n}") for n in range(1, count + 1)
    ]


@pytest.mark.parametrize(
    "reply", [_choices(7), Reply("没有选项"), Reply("只有命令", ((Button("下一项", "cmd:next:t1"),),))]
)
async def test_no_card_where_one_cannot_hold_the_choices_or_there_are_none(
    channel: WeComChannel,  # noqa: F811
    wecom_fake: WeComFake,
    reply: Reply,
) -> None:
    await channel.send("wecom:zhangsan", [reply])
    assert [m["msgtype"] for m in wecom_fake.sent] == ["text"]


async def test_a_card_wecom_refuses_costs_only_a_log_line(
    channel: WeComChannel,  # noqa: F811
    wecom_fake: WeComFake,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await channel.send("wecom:zhangsan", [_choices(2)])
    used = wecom_fake.sent[-1]["template_card"]["task_id"]
    monkeypatch.setattr(cards, "task_id", lambda: used)  # a task_id WeCom has seen already: refused
    await channel.send("wecom:zhangsan", [_choices(2), Reply("之后的消息照常发出")])
    assert [m["msgtype"] for m in wecom_fake.sent] == ["text", "template_card", "text", "text"]
    assert wecom_fake.texts("zhangsan")[-1] == "之后的消息照常发出"
    assert "button card to zhangsan not sent" in caplog.text


def test_a_long_first_line_is_shortened_for_the_card_title() -> None:
    title = cards.card_title(Reply("确认提交案例《" + "很长的案例名称" * 10 + "》吗？\n第二行"))
    assert len(title) == cards.TITLE_CHARS and title.endswith("…")
    assert cards.card_title(Reply("\n\n  第一行  \n")) == "第一行"
