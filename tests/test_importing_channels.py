"""A Word file through the channels: Telegram receives a .docx as a document and the submitter confirms
the fields; a .doc is answered with what to send instead, without downloading it."""

from __future__ import annotations

import pytest

from tests.test_importing import hand_made
from tests.test_telegram_e2e import BotProcess, bot, button, say, text_of  # noqa: F401  (bot is a fixture)

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]  # the bot fixture is the module's
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def test_a_docx_sent_on_telegram_fills_the_form_after_confirmation(bot: BotProcess) -> None:  # noqa: F811
    alice = bot.peer.user(111, "申报人")
    await say(alice, f"/start {bot.codes[('合肥市委网信办', '申报人')]}", "第 1/14 步")

    await alice.send_document(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "去年的推荐表.doc", "application/msword"
    )
    old = await alice.wait_for("另存为", timeout=20)
    assert ".docx" in text_of(old)

    await alice.send_document(hand_made(), "去年的推荐表.docx", DOCX)
    summary = await alice.wait_for("已读取文件", timeout=20)
    assert "· 案例名称：“指尖上的文明”县域网络文明志愿服务（" in text_of(summary)
    assert "· 推荐单位按您加入的单位确定" in text_of(summary)
    await alice.press(summary, button(summary, "导入"))
    done = await alice.wait_for("已导入", timeout=20)
    assert "已导入 10 项" in text_of(done)
    await alice.wait_for("第 5/14 步", timeout=20)  # 开展实施或发布时间: the one field the form does not hold
