"""A paste the Telegram client cut at its 4 096-character limit, end to end: the real casebot process,
the loopback Bot API peer. Pieces sent back to back are one answer; short texts stay apart; a piece
nothing follows is answered after the wait, even when a crash came in between.

That nothing more is coming is learnt from the chat itself: a sticker sent last is answered after anything
still held for the chat (its updates are handled one at a time, a held piece before the next one); the
channel refuses a sticker itself, in one message, without touching the dialog. The
tests that wait for a piece to be answered alone run a bot of their own with a short wait."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from dialogs.paste import units
from tests.botapi import BotApiPeer, PeerUser
from tests.test_telegram_e2e import BotProcess, bot, button, join, running_bot, say, text_of

__all__ = ["bot"]  # the fixture, used by name
pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]  # the bot fixture is the module's
SHORT_WAIT = {"CASEBOT_PASTE_WAIT": "1"}  # the least: a piece alone is answered a second after it came
STICKER = "贴纸"  # in the channel's refusal of a sticker
SENTENCE = "网络文明志愿者深入社区开展宣讲，引导群众文明上网、理性表达，共同营造清朗网络空间。"  # 41 字
HEADINGS = ("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示")


def content() -> str:
    """5 904 字 (about 6 000 characters): four headed parts of 1 476 字, in paragraphs of two sentences."""
    parts = []
    for heading in HEADINGS:
        paragraphs = [SENTENCE * 2 for _ in range(18)]
        parts.append("\n".join([heading, *paragraphs]))
    return "\n".join(parts)


def cut_as_a_client(text: str, limit: int = 4096) -> list[str]:
    """Pieces of at most ``limit`` units, each cut after the last line end that fits."""
    pieces = []
    while units(text) > limit:
        at = text.rfind("\n", 0, limit) + 1
        pieces.append(text[:at])
        text = text[at:]
    return [*pieces, text]


async def to_background(bot: BotProcess, user_id: int) -> PeerUser:
    user = await join(bot, user_id, "粘贴测试")
    await say(user, "清朗网络共建行动", "第 2/14 步")
    prompt = await say(user, "合肥市委网信办", "第 3/14 步")
    await user.press(prompt, button(prompt, "生态治理"))
    await user.wait_for("第 5/14 步", timeout=20)
    await say(user, "2022年3月", "第 6/14 步")
    await say(user, "张三", "第 7/14 步")
    await say(user, "0551—62606335", "第 8/14 步")
    done = await say(user, "清朗网络共建行动通过网络平台推动文明实践。", "已记录“案例简介”")
    await user.press(done, button(done, "下一项"))
    await user.wait_for("第 9/14 步", timeout=20)
    return user


def answers_after(user: PeerUser, mark: int) -> list[dict[str, Any]]:
    return [m for m in user.messages[mark:] if m.get("_kind") == "message"]


async def answers(user: PeerUser, mark: int, count: int = 1, timeout: float = 30) -> list[dict[str, Any]]:
    """The bot's messages after ``mark`` once ``count`` have come."""
    await user.wait_until(lambda: len(answers_after(user, mark)) >= count, timeout)
    return answers_after(user, mark)


async def caught_up(bot: BotProcess, user: PeerUser, mark: int) -> list[dict[str, Any]]:
    """The bot's messages after ``mark`` and before its answer to a sticker sent now: every answer still
    to come for what the chat sent before. Nothing of the chat's is left held either, so no wait that
    ends later can answer anything."""
    await user.send_sticker()
    await user.wait_until(lambda: any(STICKER in text_of(m) for m in answers_after(user, mark)), timeout=30)
    with sqlite3.connect(bot.folder / "bot.sqlite3") as db:
        held = db.execute("SELECT COUNT(*) FROM album_parts WHERE album = ?", (f"tg:paste:{user.id}",)).fetchone()
    assert held == (0,)
    got = answers_after(user, mark)
    return got[: next(index for index, m in enumerate(got) if STICKER in text_of(m))]


async def test_a_case_content_cut_into_two_messages_is_split_by_headings_once(bot: BotProcess) -> None:
    user = await to_background(bot, 301)
    first, second = cut_as_a_client(content())
    assert 4000 <= units(first) <= 4096 and units(second) <= 4096 and first.endswith("\n")
    assert "四、经验启示" not in first  # alone, the first piece would not show all four headings
    mark = len(user.messages)
    await user.send_text(first)
    await user.send_text(second)
    (question,) = await answers(user, mark)
    assert "可按四部分分别填入" in text_of(question), text_of(question)
    for heading in HEADINGS:  # all four parts, whole: the pieces were joined before the split
        assert f"· {heading} 1476 字" in text_of(question)
    assert "合计 5904 字" in text_of(question)
    earlier = await caught_up(bot, user, mark)  # no second answer for either piece
    assert len(earlier) == 1, [text_of(m)[:60] for m in earlier]


async def test_two_short_texts_are_two_answers(bot: BotProcess) -> None:
    user = await to_background(bot, 302)
    mark = len(user.messages)
    await user.send_text("背景意义的第一段。")
    await user.send_text("背景意义的第二段。")
    recorded = [text_of(m) for m in await answers(user, mark, 2)]
    assert len(recorded) == 2, recorded  # one answer each: the second added to the first, not joined with it
    assert "内容 9/2000 字" in recorded[0] and "背景意义 18，" in recorded[1], recorded


async def test_a_near_limit_text_alone_is_answered_after_the_wait(own_botapi_peer: BotApiPeer, tmp_path: Path) -> None:
    async with running_bot(own_botapi_peer, tmp_path, SHORT_WAIT) as own:
        user = await to_background(own, 303)
        text = (SENTENCE * 3 + "\n") * 32  # 3 968 units: a client's first piece, but nothing follows
        assert 3840 <= units(text) <= 4096
        mark = len(user.messages)
        await user.send_text(text)
        (answer,) = await answers(user, mark)
        assert "2000" in text_of(answer), text_of(answer)  # over the part's limit, and said so: it reached the dialog


async def test_a_held_piece_a_crash_interrupted_is_answered_after_restart(
    own_botapi_peer: BotApiPeer, tmp_path: Path
) -> None:
    # held for a minute: the crash surely comes first
    async with running_bot(own_botapi_peer, tmp_path, {"CASEBOT_PASTE_WAIT": "60"}) as own:
        user = await to_background(own, 304)
        first, _ = cut_as_a_client(content())
        await user.send_text(first)
        for _ in range(200):  # stored as it arrived (the bot says nothing: the database is the event)
            with sqlite3.connect(own.folder / "bot.sqlite3") as db:
                held = db.execute("SELECT COUNT(*) FROM album_parts WHERE album LIKE 'tg:paste:%'").fetchone()[0]
            if held:
                break
            await asyncio.sleep(0.05)
        assert held == 1
        await own.stop(crash=True)
        mark = len(user.messages)
        own.env.update(SHORT_WAIT)  # the restart waits again for a continuation: a second
        await own.start()
        (answer,) = await answers(user, mark)
        assert "未找到" in text_of(answer), text_of(answer)  # the first piece alone: three headings of four
        earlier = await caught_up(own, user, mark)
        assert earlier == [answer], [text_of(m)[:80] for m in earlier]
        with sqlite3.connect(own.folder / "bot.sqlite3") as db:
            assert db.execute("SELECT COUNT(*) FROM album_parts").fetchone()[0] == 0


async def test_a_joined_paste_delivered_again_is_applied_once(bot: BotProcess) -> None:
    user = await to_background(bot, 305)
    first, second = cut_as_a_client(content())
    mark = len(user.messages)
    await user.send_text(first)
    await user.send_text(second)
    (question,) = await answers(user, mark)
    pieces = sorted(bot.peer.updates)[-2:]
    for update_id in pieces:  # a crash before the offset was confirmed: both pieces come again
        bot.peer.redeliver(update_id)
    again = await answers(user, mark, 2)
    assert len(again) == 2 and text_of(again[1]) == text_of(question)  # the stored answer, repeated
    assert len(await caught_up(bot, user, mark)) == 2  # nothing else
    with sqlite3.connect(bot.folder / "bot.sqlite3") as db:
        keys = {row[0] for row in db.execute("SELECT key FROM events")}
        assert db.execute("SELECT COUNT(*) FROM album_parts").fetchone()[0] == 0
    assert f"tg:{pieces[1]}" in keys and f"tg:{pieces[0]}" not in keys  # one event, keyed by its last piece
