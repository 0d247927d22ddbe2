"""An answer's replies as few WeCom messages as fit: joined in order, cut below 2 048 bytes, cards after their question."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.wecom.channel import LIMITS
from bot.channels.wecom.compose import SEPARATOR, CardFor, Text, compact_commands, compose
from dialogs.events import Button, Reply

CATEGORIES = Reply(
    "【第 3/14 步 · 申报类别】\n请选择申报类别：",
    tuple((Button(name, f"cat:{n}:t1"),) for n, name in enumerate(["网络空间思想引领", "网络空间文化培育"], 1)),
)


def no_cards(_: Reply) -> bool:
    return False


def test_a_note_and_the_next_question_are_one_message() -> None:
    replies = [Reply("已记录：2022年3月15日"), Reply("【第 6/14 步 · 联系人】\n请填写联系人姓名。")]
    assert compose(replies, LIMITS, no_cards) == [
        Text("已记录：2022年3月15日\n\n【第 6/14 步 · 联系人】\n请填写联系人姓名。")
    ]


def test_a_question_with_a_card_ends_its_message_and_what_follows_comes_after_the_card() -> None:
    replies = [Reply("已选择推荐单位"), CATEGORIES, Reply("下一条")]
    out = compose(replies, LIMITS, lambda reply: reply is CATEGORIES)
    assert [type(m) for m in out] == [Text, CardFor, Text]
    first = out[0]
    assert isinstance(first, Text) and first.text.startswith("已选择推荐单位\n\n【第 3/14 步")
    assert "1. 网络空间思想引领\n2. 网络空间文化培育\n请回复序号。" in first.text  # the list stays in the text
    assert out[1] == CardFor(CATEGORIES) and out[2] == Text("下一条")


def test_repeated_commands_with_numbers_are_written_once() -> None:
    shows = [Button(f"查看全文：{label}", f"cmd:show {n}:0") for n, label in ((8, "案例简介"), (9, "一、背景意义"))]
    reply = Reply("请核对", ((Button("提交", "cmd:submit:0"), Button("修改", "cmd:edit:0"), *shows),))
    [message] = compose([reply], LIMITS, no_cards)
    assert isinstance(message, Text)
    assert message.text == "请核对\n/submit（提交）  /edit（修改）  /show 序号（查看全文：8、9）"
    lone = Reply("x", ((shows[0], Button("下一项", "cmd:next:0")),))
    assert compact_commands(lone) == lone  # a single /show stays as the dialog wrote it


paragraphs = st.text(st.sampled_from("案例文明网络。，a1 \n"), min_size=0, max_size=900)


@given(st.lists(paragraphs, min_size=1, max_size=6))
def test_every_text_arrives_whole_in_order_and_within_the_limit(texts: list[str]) -> None:
    out = compose([Reply(text) for text in texts], LIMITS, no_cards)
    parts = [m.text for m in out if isinstance(m, Text)]
    assert all(len(part.encode("utf-8")) <= 2048 and part.strip() for part in parts)
    whole = SEPARATOR.join(text for text in texts if text.strip())
    assert "".join(parts).split() == whole.split()  # only a stretch of blanks between two messages may go
    if len(whole.encode("utf-8")) <= 2048:
        assert parts == [whole] or not whole.strip()
