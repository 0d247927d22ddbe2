"""End to end over Telegram: the bot runs as its own process against a Bot API server on loopback,
and the tests play submitters and coordinators over HTTP.

The module's tests share one bot process (``bot``), each with users of its own; a test that kills or
restarts its bot, or needs other settings, has one of its own (``own_bot``). Sharing puts them all in the
module's event loop."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import pytest_asyncio

from tests.botapi import BotApiPeer, PeerUser
from tests.botapi.process import spawn_bot, stop_bot
from tests.helpers import make_image

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]
ADMIN_ID = 900


class BotProcess:
    """`casebot run` with a Telegram token, pointed at the loopback peer."""

    def __init__(self, peer: BotApiPeer, folder: Path, env: Mapping[str, str] | None = None) -> None:
        self.peer = peer
        self.folder = folder
        self.codes: dict[tuple[str, str], str] = {}  # (unit, role) → invitation code, once invite_codes() ran
        self.env = {
            "CASEBOT_CAMPAIGN": "demo",
            "CASEBOT_DB": str(folder / "bot.sqlite3"),
            "CASEBOT_OUT": str(folder / "out"),
            "CASEBOT_POLL_TIMEOUT": "1",
            "CASEBOT_SEND_RATE_PER_CHAT": "0",
            "CASEBOT_ADMIN_IDS": str(ADMIN_ID),
            "CASEBOT_BOT_USERNAME": peer.bot_username if hasattr(peer, "bot_username") else "casebot_test_bot",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.proc: asyncio.subprocess.Process | None = None

    def invite_codes(self) -> dict[tuple[str, str], str]:
        out = subprocess.run(
            [sys.executable, "-m", "bot", "invites"],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=True,
            cwd=self.folder,
        ).stdout
        codes = {}
        for line in out.splitlines()[1:]:  # under the header: unit, role, code, link
            cells = line.split("\t")
            if len(cells) == 4:
                assert cells[3] == f"https://t.me/{self.env['CASEBOT_BOT_USERNAME']}?start={cells[2]}"
                codes[(cells[0], cells[1])] = cells[2]
        assert "/start 邀请码" in out
        return codes

    async def start(self) -> None:
        self.proc = await spawn_bot(self.peer, [sys.executable, "-m", "bot", "run"], env=self.env, cwd=str(self.folder))

    async def stop(self, crash: bool = False) -> int | None:
        """SIGTERM (or SIGKILL for a crash); the exit code, which is 0 when the bot stopped cleanly."""
        code = None
        if self.proc is not None:
            code = await stop_bot(self.proc, crash=crash)
            self.proc = None
        return code


@asynccontextmanager
async def running_bot(
    peer: BotApiPeer, folder: Path, env: Mapping[str, str] | None = None
) -> AsyncIterator[BotProcess]:
    """A bot with its invitations, started; stopped at the end, which must be clean (exit code 0)."""
    process = BotProcess(peer, folder, env)
    process.codes = process.invite_codes()
    await process.start()
    try:
        yield process
    finally:
        stopped = await process.stop()
    assert stopped in (None, 0), f"casebot exited with {stopped} on SIGTERM"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(module_botapi_peer: BotApiPeer, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotProcess]:
    """One bot for the module's tests, which play users of their own and leave it running."""
    async with running_bot(module_botapi_peer, tmp_path_factory.mktemp("bot")) as process:
        yield process


@pytest_asyncio.fixture(loop_scope="module")
async def own_bot(own_botapi_peer: BotApiPeer, tmp_path: Path) -> AsyncIterator[BotProcess]:
    """A bot of the test's own, for a test that kills or restarts it."""
    async with running_bot(own_botapi_peer, tmp_path) as process:
        yield process


def text_of(message: dict[str, Any]) -> str:
    return message.get("text") or message.get("caption") or ""


async def say(user: PeerUser, text: str, expect: str) -> dict[str, Any]:
    await user.send_text(text)
    return await user.wait_for(expect, timeout=20)


def button(message: dict[str, Any], label_part: str) -> str:
    markup = message.get("reply_markup") or message.get("_reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for b in row:
            if label_part in b["text"]:
                return b["callback_data"]
    raise AssertionError(f"no button {label_part!r} in {markup}")


async def join(
    bot: BotProcess, user_id: int, name: str, unit: str = "合肥市委网信办", role: str = "申报人"
) -> PeerUser:
    """A user who opens the unit's invitation link; a submitter lands on the first step."""
    user = bot.peer.user(user_id, name)
    await say(user, f"/start {bot.codes[(unit, role)]}", "第 1/14 步" if role == "申报人" else "联络人")
    return user


async def fill_to_pictures(user: PeerUser, name: str = "清朗网络共建行动", summary: str = "") -> None:
    await say(user, name, "第 2/14 步")
    prompt = await say(user, "合肥市委网信办", "第 3/14 步")
    await user.press(prompt, button(prompt, "生态治理"))
    await user.wait_for("第 5/14 步", timeout=20)  # 推荐单位 came from the invitation
    await say(user, "2022年3月", "第 6/14 步")
    await say(user, "张三", "第 7/14 步")
    await say(user, "0551—62606335", "第 8/14 步")
    done = await say(user, summary or f"{name}通过网络平台推动文明实践。", "已记录“案例简介”")
    await user.press(done, button(done, "下一项"))
    for part, nxt in (("背景意义", 10), ("主要做法", 11), ("实施成效", 12), ("经验启示", 13)):
        await user.wait_for(f"第 {nxt - 1}/14 步", timeout=20)
        done = await say(user, f"{part}的具体内容。", "已记录")
        await user.press(done, button(done, "下一项"))
    await user.wait_for("第 13/14 步", timeout=20)


async def test_a_submitter_fills_the_form_with_buttons_and_pictures_and_gets_the_docx(bot: BotProcess) -> None:
    peer = bot.peer
    boss = peer.user(501, "联络人")
    await say(boss, f"/start {bot.codes[('合肥市委网信办', '联络人')]}", "联络人")
    alice = peer.user(101, "申报人")
    await say(alice, f"/start {bot.codes[('合肥市委网信办', '申报人')]}", "第 1/14 步")
    await fill_to_pictures(alice)

    await alice.send_document(b"%PDF-1.4 fake", "材料.pdf", "application/pdf")
    refusal = await alice.wait_for("PDF", timeout=20)
    assert "JPG" in text_of(refusal)
    await alice.send_photo(make_image("JPEG", (400, 300), "blue"), caption="活动现场")
    await alice.wait_for("共已附 1/2 张", timeout=20)
    await alice.send_document(make_image("PNG", (300, 200), "green"), "图2.png", "image/png")
    review = await alice.wait_for("第 14/14 步", timeout=20)
    assert "活动现场" in text_of(review)

    await alice.press(review, button(review, "提交"))
    confirm = await alice.wait_for("确认提交案例", timeout=20)
    await alice.press(confirm, button(confirm, "确认提交"))
    await alice.wait_for("已列入合肥市委网信办推荐名单第 1 位", timeout=30)
    form = await alice.wait_for(lambda m: "document" in m, timeout=30)
    document = docx.Document(io.BytesIO(await alice.download(form)))
    body = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "清朗网络共建行动" in body and "0551-62606335" in body

    note = await boss.wait_for("新案例", timeout=30)
    assert "清朗网络共建行动" in text_of(note)
    summary = await boss.wait_for(
        lambda m: "document" in m and m["document"]["file_name"].endswith(".xlsx"), timeout=30
    )
    sheet = openpyxl.load_workbook(io.BytesIO(await boss.download(summary))).worksheets[0]
    assert "清朗网络共建行动" in [c.value for row in sheet.iter_rows() for c in row]

    await boss.send_text("/summary")
    got = await boss.wait_for(lambda m: "document" in m and m["_kind"] == "message" and m is not summary, timeout=20)
    assert got["document"]["file_name"].endswith("合肥市委网信办.xlsx")
    await alice.send_text("/summary")
    refused = await alice.wait_for("仅限推荐单位联络人", timeout=20)
    assert "document" not in refused


async def test_an_album_counts_as_one_answer_and_a_sticker_is_refused(bot: BotProcess) -> None:
    user = await join(bot, 102, "李四", "芜湖市委网信办")
    await fill_to_pictures(user, "指尖上的文明课堂")
    await user.send_sticker()
    await user.wait_for("贴纸", timeout=20)
    await user.send_album(
        [(make_image("JPEG", (200, 200), "red"), "photo"), (make_image("JPEG", (210, 200), "blue"), "photo")]
    )
    got = await user.wait_for("已收到 2 张图片", timeout=20)
    assert "2/2" in text_of(got)
    await user.wait_for("第 14/14 步", timeout=20)


async def test_an_old_button_is_answered_and_changes_nothing(bot: BotProcess) -> None:
    user = await join(bot, 103, "王五")
    await say(user, "案例甲", "第 2/14 步")
    prompt = await say(user, "申报单位甲", "第 3/14 步")
    assert text_of(prompt).endswith("请点击按钮选择。")  # the channel's own hint: Telegram has buttons
    data = button(prompt, "道德建设")
    await user.send_text("2")
    await user.wait_for("第 5/14 步", timeout=20)
    await user.press(prompt, data, check=False)
    answer = await user.wait_callback_answer(timeout=20)
    assert "失效" in (answer.get("text") or "")
    await user.send_text("/review")
    review = await user.wait_for("第 14/14 步", timeout=20)
    assert "网络空间文化培育" in text_of(review)


async def test_long_replies_are_split_and_user_text_is_escaped(bot: BotProcess) -> None:
    user = await join(bot, 104, "赵六")
    await say(user, "<b>网络</b> & 文明", "第 2/14 步")
    await user.send_text("/review")
    review = await user.wait_for("第 14/14 步", timeout=20)
    assert "<b>网络</b> & 文明" in text_of(review)


async def test_a_bot_killed_mid_form_continues_after_restart(own_bot: BotProcess) -> None:
    user = await join(own_bot, 105, "孙七")
    await say(user, "断点续填案例", "第 2/14 步")
    await say(user, "某某单位", "第 3/14 步")
    await own_bot.stop(crash=True)
    await own_bot.start()
    await user.send_text("3")
    await user.wait_for("第 5/14 步", timeout=30)
    await user.send_text("/review")
    review = await user.wait_for("第 14/14 步", timeout=20)
    for value in ("断点续填案例", "某某单位", "网络空间道德建设"):
        assert value in text_of(review)


async def test_an_update_delivered_again_is_applied_once(bot: BotProcess) -> None:
    user = await join(bot, 106, "周八")
    await say(user, "重复投递案例", "第 2/14 步")
    bot.peer.redeliver(max(bot.peer.updates))
    await user.wait_for("第 2/14 步", timeout=20)  # the stored reply, sent again
    await say(user, "申报单位乙", "第 3/14 步")  # handled after the redelivery: a third reply would be in by now
    assert sum("第 2/14 步" in text_of(m) for m in user.messages) == 2
    await user.send_text("/review")
    review = await user.wait_for("第 14/14 步", timeout=20)
    assert "重复投递案例" in text_of(review) and "申报单位乙" in text_of(review)


async def test_a_flood_429_is_waited_out(bot: BotProcess) -> None:
    user = bot.peer.user(107, "吴九")
    before = len(bot.peer.rejected)
    bot.peer.fail_next("sendMessage", count=1, retry_after=1)
    await say(user, f"/start {bot.codes[('合肥市委网信办', '申报人')]}", "第 1/14 步")
    assert [
        (call.method, str(call.params.get("chat_id")), body.get("error_code"))
        for call, body in bot.peer.rejected[before:]
    ] == [("sendMessage", "107", 429)]  # the 429 met this chat's reply
    assert sum("第 1/14 步" in text_of(m) for m in user.messages) == 1  # retried, not lost or doubled


async def test_a_file_over_20_mb_is_refused_before_download(bot: BotProcess) -> None:
    user = await join(bot, 108, "郑十")
    await fill_to_pictures(user, "大文件案例")
    calls = len(bot.peer.calls)
    await user.send_document(make_image("PNG"), "大图.png", "image/png", declared_size=25 * 1024 * 1024)
    await user.wait_for("20 MB", timeout=20)
    assert not [call for call in bot.peer.calls[calls:] if call.method.lower() == "getfile"]


async def test_two_taps_at_once_submit_once_and_the_coordinator_reorders_with_buttons(bot: BotProcess) -> None:
    boss = await join(bot, 601, "联络人", "安庆市委网信办", "联络人")
    cases = (
        (201, "第一个案例", "组织青年志愿者清理网络谣言。"),
        (202, "另一个完全不同的做法", "老年人智能手机培训进社区。"),
    )
    for uid, name, summary in cases:
        user = await join(bot, uid, name, "安庆市委网信办")
        await fill_to_pictures(user, name, summary)
        review = await say(user, "/skip", "第 14/14 步")
        await user.press(review, button(review, "提交"))
        confirm = await user.wait_for("确认提交案例", timeout=20)
        data = button(confirm, "确认提交")
        await asyncio.gather(user.press(confirm, data), user.press(confirm, data, check=False))
        await user.wait_for("已提交", timeout=30)
        await say(user, "/help", "常用命令")  # handled after both taps: what the second brought is in by now
        assert sum("已提交。" in text_of(m) for m in user.messages) == 1
    listing = await say(boss, "/cases", "推荐名额 2/4")
    assert "第一个案例" in text_of(listing)
    await boss.press(listing, button(listing, "↓"))
    await boss.wait_for("已将《第一个案例》下移", timeout=20)
    lines = text_of(await boss.wait_for("推荐名额 2/4", timeout=20))
    assert lines.index("另一个完全不同的做法") < lines.rindex("第一个案例")


async def test_webhook_mode_takes_updates_posted_by_telegram(own_botapi_peer: BotApiPeer, tmp_path: Path) -> None:
    import socket

    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram"
    process = BotProcess(own_botapi_peer, tmp_path)
    code = process.invite_codes()[("合肥市委网信办", "申报人")]  # a unit is joined by invitation
    process.env.update(
        {"CASEBOT_WEBHOOK_URL": url, "CASEBOT_WEBHOOK_PORT": str(port), "CASEBOT_WEBHOOK_SECRET": "s3cret"}
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=str(tmp_path),
        env={**os.environ, **process.env, **own_botapi_peer.bot_env()},
    )
    try:
        await own_botapi_peer.wait_for_call("setWebhook", 30)
        assert own_botapi_peer.webhook_url == url
        user = own_botapi_peer.user(301, "网钩用户")
        await user.send_text(f"/start {code}")
        update = own_botapi_peer.updates[max(own_botapi_peer.updates)]
        async with aiohttp.ClientSession() as http:
            for _ in range(100):  # PTB may announce the webhook a moment before its server listens
                try:
                    wrong = await http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
                    break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.1)
            assert wrong.status == 403
            right = await http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
            assert right.status == 200
        await user.wait_for("第 1/14 步", timeout=20)
        assert not own_botapi_peer.calls_to("getUpdates")
    finally:
        await stop_bot(proc)


async def test_webhook_mode_without_a_configured_secret_refuses_a_forged_update(
    own_botapi_peer: BotApiPeer, tmp_path: Path
) -> None:
    """CASEBOT_WEBHOOK_SECRET left empty, as .env.example leaves it: the bot still registers a secret, and
    an update posted without it (or with a wrong one) as the administrator asking for the province's
    workbook gets 403 and is neither answered nor stored."""
    import socket
    import sqlite3

    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram"
    process = BotProcess(own_botapi_peer, tmp_path)
    process.env.update({"CASEBOT_WEBHOOK_URL": url, "CASEBOT_WEBHOOK_PORT": str(port), "CASEBOT_WEBHOOK_SECRET": ""})
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=str(tmp_path),
        env={**os.environ, **process.env, **own_botapi_peer.bot_env()},
    )
    attacker = 4242
    try:
        registered = (await own_botapi_peer.wait_for_call("setWebhook", 30)).params
        secret = str(registered.get("secret_token") or "")
        admin = own_botapi_peer.user(ADMIN_ID, "冒充的管理员")
        await admin.send_text("/summary")
        forged = dict(own_botapi_peer.updates[max(own_botapi_peer.updates)])
        forged["message"] = {**forged["message"], "chat": {**forged["message"]["chat"], "id": attacker}}
        async with aiohttp.ClientSession() as http:
            for _ in range(100):  # PTB may announce the webhook a moment before its server listens
                try:
                    bare = await http.post(url, json=forged)
                    break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.1)
            assert bare.status == 403
            assert len(secret) >= 32 and secret.replace("-", "").replace("_", "").isalnum()
            for wrong in ("wrong", secret[:-1], secret + "x", secret.upper()):
                got = await http.post(url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": wrong})
                assert got.status == 403, wrong
            alice = own_botapi_peer.user(311, "网钩用户")
            await alice.send_text("/start")  # Telegram's own POST, with the registered secret, is answered
            genuine = own_botapi_peer.updates[max(own_botapi_peer.updates)]
            right = await http.post(url, json=genuine, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
            assert right.status == 200
        await alice.wait_for(lambda m: bool(text_of(m)), timeout=20)
    finally:
        await stop_bot(proc)
    to_attacker = [c for c in own_botapi_peer.calls if str(c.params.get("chat_id")) in (str(attacker), str(ADMIN_ID))]
    assert to_attacker == []
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE user = ?", (f"tg:{ADMIN_ID}",)).fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM sessions WHERE user = ?", (f"tg:{ADMIN_ID}",)).fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM events WHERE user = 'tg:311'").fetchone() == (1,)
