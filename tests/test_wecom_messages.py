"""Decrypted callbacks read into typed messages; anything else is the module's own error, never a crash."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.wecom.messages import (
    Event,
    Image,
    MessageError,
    Text,
    Unsupported,
    envelope_ciphertext,
    parse,
)
from tests.wecom.callbacks import event_xml, image_xml, text_xml, unsupported_xml

SUMMARY = "本案例以“清朗网络·文明同行”为主题，" * 20


def test_a_text_from_a_member_names_the_user_lower_cased() -> None:
    message = parse(text_xml("ZhangSan", SUMMARY, msg_id="1234567890123456", created=1732500000))
    assert isinstance(message, Text)
    assert message.content == SUMMARY
    assert message.sender == "ZhangSan" and message.user == "wecom:zhangsan"
    assert (message.create_time, message.msg_id, message.agent_id) == (1732500000, "1234567890123456", "1000002")
    assert message.dedupe_key == "msg:1234567890123456"


def test_a_text_keeps_its_lines_and_a_cdata_terminator() -> None:
    content = "一、基本情况\n\n二、主要做法]]>及成效\n"
    assert parse(text_xml("lisi", content)).content == content  # type: ignore[attr-defined]


def test_a_photo_carries_its_media_id_and_url() -> None:
    message = parse(image_xml("LiSi", "MEDIA_abc", pic_url="https://wework.qpic.cn/x/0"))
    assert isinstance(message, Image)
    assert (message.media_id, message.pic_url, message.user) == (
        "MEDIA_abc",
        "https://wework.qpic.cn/x/0",
        "wecom:lisi",
    )


@pytest.mark.parametrize("kind", ["file", "voice", "video", "location", "link", "shortvideo"])
def test_kinds_casebot_does_not_take_are_unsupported_with_their_kind(kind: str) -> None:
    message = parse(unsupported_xml("wangwu", kind))
    assert isinstance(message, Unsupported) and message.kind == kind


def test_events_are_read_and_deduped_without_a_msg_id() -> None:
    card = parse(event_xml("WangWu", "template_card_event", key="category:2", task_id="T42", created=1732500001))
    assert isinstance(card, Event)
    assert (card.event, card.event_key, card.task_id, card.msg_id) == ("template_card_event", "category:2", "T42", "")
    assert card.response_code == "RC-T42"
    assert card.dedupe_key == "evt:wangwu:1732500001:template_card_event:category:2:T42"
    same_time_other_key = parse(
        event_xml("wangwu", "template_card_event", key="category:3", task_id="T42", created=1732500001)
    )
    assert same_time_other_key.dedupe_key != card.dedupe_key
    assert (
        parse(
            event_xml("WANGWU", "template_card_event", key="category:2", task_id="T42", created=1732500001)
        ).dedupe_key
        == card.dedupe_key
    )


@pytest.mark.parametrize("event", ["subscribe", "enter_agent", "click", "unsubscribe"])
def test_plain_events(event: str) -> None:
    message = parse(event_xml("zhaoliu", event, key="menu" if event == "click" else ""))
    assert isinstance(message, Event) and message.event == event


def test_the_envelope_gives_its_ciphertext() -> None:
    assert (
        envelope_ciphertext(b"<xml><ToUserName>ww1</ToUserName><Encrypt><![CDATA[abc==]]></Encrypt></xml>") == "abc=="
    )


BAD = [
    b"",
    b"not xml",
    b"<xml>",
    b"<root><MsgType>text</MsgType></root>",
    b"<xml><FromUserName>a</FromUserName><CreateTime>1</CreateTime></xml>",  # no MsgType
    b"<xml><MsgType>text</MsgType><CreateTime>1</CreateTime></xml>",  # no sender
    b"<xml><MsgType>text</MsgType><FromUserName>a</FromUserName><CreateTime>soon</CreateTime></xml>",
    b"<xml><MsgType>text</MsgType><FromUserName>a</FromUserName><CreateTime>\xd9\xa3</CreateTime></xml>",
    b"<xml><MsgType>image</MsgType><FromUserName>a</FromUserName><CreateTime>1</CreateTime></xml>",  # no MediaId
    b"<xml><MsgType>event</MsgType><FromUserName>a</FromUserName><CreateTime>1</CreateTime></xml>",  # no Event
    b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml>&b;</xml>',
    b'<!DOCTYPE xml SYSTEM "file:///etc/passwd"><xml/>',
    b"<xml>" + b"<a>" * 100000,
]


@pytest.mark.parametrize("data", BAD)
def test_unreadable_callbacks_raise_message_errors(data: bytes) -> None:
    with pytest.raises(MessageError):
        parse(data)
    with pytest.raises(MessageError):
        envelope_ciphertext(data)


@given(st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_arbitrary_input_raises_only_message_errors(data: bytes | str) -> None:
    for reader in (parse, envelope_ciphertext):
        try:
            reader(data)
        except MessageError:
            pass


FIELDS = st.sampled_from(["MsgType", "FromUserName", "CreateTime", "Content", "MediaId", "Event", "MsgId", "Other"])


@given(st.lists(st.tuples(FIELDS, st.text(max_size=30)), max_size=8))
def test_arbitrary_well_formed_messages_raise_only_message_errors(fields: list[tuple[str, str]]) -> None:
    body = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in fields)
    try:
        parse(f"<xml>{body}</xml>")
    except MessageError:
        pass


DOCTYPE = '<!DOCTYPE xml [<!ENTITY a "b">]>'


@pytest.mark.parametrize(
    "data",
    [
        (DOCTYPE + text_xml("zhangsan", "&a;")).encode("utf-16"),
        (DOCTYPE + text_xml("zhangsan", "&a;")).encode("utf-16-le"),
        (DOCTYPE + text_xml("zhangsan", "&a;")).encode("utf-32"),
        ('<?xml version="1.0" encoding="UTF-16"?>' + DOCTYPE + "<xml/>").encode(),
        ('<?xml version="1.0" encoding="latin-1"?>' + DOCTYPE + "<xml/>").encode("latin-1"),
        (DOCTYPE + "<xml><MsgType>&a;</MsgType></xml>").encode(),
        b'<!DOCTYPE xml SYSTEM "http://127.0.0.1:9/evil.dtd"><xml/>',
        b"<xml><MsgType>&undefined;</MsgType></xml>",
    ],
)
def test_no_declaration_or_entity_is_ever_expanded(data: bytes) -> None:
    with pytest.raises(MessageError):
        parse(data)


def test_a_user_may_type_markup_into_a_message() -> None:
    """It arrives inside CDATA: text to answer, not a declaration to refuse."""
    content = DOCTYPE + "<xml>&a;</xml>"
    message = parse(text_xml("zhangsan", content))
    assert isinstance(message, Text) and message.content == content


def test_an_explicit_utf8_declaration_is_fine() -> None:
    xml = '<?xml version="1.0" encoding="UTF-8"?>' + text_xml("zhangsan", "你好")
    assert parse(xml.encode()).content == "你好"  # type: ignore[attr-defined]
