"""End to end over WeCom: `casebot` runs as its own process, WeCom's side is played over real HTTP on
loopback — encrypted, signed callbacks POSTed at ``/wecom``, the replies taken by the fake WeCom API.

The module's tests share one casebot (``bot``), each with members of its own; a test that kills or
restarts it, or needs other settings, has one of its own (``own_bot``, or its own ``WeComBot``). Sharing
puts them all in the module's event loop."""

from __future__ import annotations

import asyncio
import io
import os
import signal
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import docx
import openpyxl
import pytest
import pytest_asyncio

from dialogs.campaign import Campaign
from tests.botapi import BotApiPeer
from tests.helpers import make_image
from tests.test_telegram_e2e import button
from tests.test_telegram_e2e import fill_to_pictures as tg_fill
from tests.test_telegram_e2e import say as tg_say
from tests.wecom.callbacks import text_xml
from tests.wecom.fake import WeComFake
from tests.wecom.process import Member, WeComBot, command_line, live_descendants

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]

HEFEI = "合肥市委网信办"
SENTENCE = "我市依托网络文明实践平台，组织志愿者开展线上线下联动的宣传教育活动，覆盖全市各区县。"  # 42 字


@asynccontextmanager
async def running(fake: WeComFake, folder: Path, env: Mapping[str, str] | None = None) -> AsyncIterator[WeComBot]:
    """casebot with its invitations, started; stopped at the end, which must be clean (exit code 0)."""
    process = WeComBot(fake, folder, env)
    process.codes = await process.invite_codes()
    await process.start()
    try:
        yield process
    finally:
        stopped = await process.close()
    assert stopped in (None, 0), f"casebot exited with {stopped} on SIGTERM"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(module_wecom_fake: WeComFake, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[WeComBot]:
    """One casebot for the module's tests, which play members of their own and leave it running."""
    async with running(module_wecom_fake, tmp_path_factory.mktemp("casebot")) as process:
        yield process


@pytest_asyncio.fixture(loop_scope="module")
async def own_bot(own_wecom_fake: WeComFake, tmp_path: Path) -> AsyncIterator[WeComBot]:
    """A casebot of the test's own, for a test that kills or restarts it."""
    async with running(own_wecom_fake, tmp_path) as process:
        yield process


def code(bot: WeComBot, unit: str, role: str) -> str:
    return bot.codes[(unit, role)]


async def join(bot: WeComBot, userid: str, unit: str = HEFEI) -> Member:
    member = Member(bot, userid)
    await member.say(f"/start {code(bot, unit, '申报人')}", "第 1/14 步")
    return member


async def fill_to_pictures(member: Member, name: str, unit: str = "合肥市文明办", parts: tuple[str, ...] = ()) -> None:
    await member.say(name, "第 2/14 步")
    listing = await member.say(unit, "第 3/14 步")
    assert "请回复序号" in listing  # no buttons on WeCom: the categories are numbered
    await member.say("5", "第 5/14 步")  # 推荐单位 came from the invitation
    await member.say("2022年3月15日", "第 6/14 步")
    await member.say("张三", "第 7/14 步")
    await member.say("0551-62606335（办）、13812345678", "第 8/14 步")
    await member.say(f"{name}以网络文明实践为抓手，推动文明新风进万家。", "已记录“案例简介”")
    await member.say("/next", "第 9/14 步")
    for index, heading in enumerate(("背景意义", "主要做法", "实施成效", "经验启示")):
        await member.say(parts[index] if parts else f"{heading}的具体内容。", "已记录")
        await member.say("/next", f"第 {10 + index}/14 步")


async def test_url_verification_answers_the_echostr_and_a_bad_signature_gets_403(bot: WeComBot) -> None:
    assert await bot.verify("1616140317555161061") == (200, "1616140317555161061")
    stranger = Member(bot, "LiSi")
    forged = await bot.post(text_xml("LiSi", f"/start {code(bot, HEFEI, '申报人')}"), tamper=True)
    assert forged == 403
    await stranger.say("/help", "常用命令")
    assert len(stranger.messages) == 1  # the forged /start was not applied: no welcome, no first step
    assert not any("已加入" in text or "第 1/14 步" in text for text in stranger.texts())


async def test_a_whole_form_from_joining_by_the_bare_code_to_the_docx_with_a_picture(bot: WeComBot) -> None:
    boss = Member(bot, "WangFang")
    joined = await boss.say(code(bot, HEFEI, "联络人"), "已加入")  # the bare code joins a user of no unit
    assert "联络人" in joined
    alice = Member(bot, "ZhangSan")
    await alice.event("subscribe")
    assert "邀请码" in (await alice.wait_for("欢迎使用"))["text"]["content"]
    await alice.event("enter_agent")  # opening the app says nothing
    await alice.say(code(bot, HEFEI, "申报人"), "第 1/14 步")
    await fill_to_pictures(alice, "清朗网络共建行动")

    await bot.post(
        text_xml("ZhangSan", "x", msg_id="")
        .replace("<MsgType><![CDATA[text]]></MsgType>", "<MsgType><![CDATA[file]]></MsgType>")
        .replace("<MsgId></MsgId>", "")
    )
    await alice.wait_for("企业微信不向应用转发文件")
    await alice.send_picture(make_image("JPEG", (1200, 900), "blue"))
    await alice.wait_for("共已附 1/2 张")
    review = await alice.say("/next", "第 14/14 步")
    assert "清朗网络共建行动" in review
    await alice.say("/submit", "确认提交案例")
    await alice.say("1", "已列入合肥市委网信办推荐名单第 1 位")
    sent = await alice.wait_for(lambda m: m["msgtype"] == "file")
    upload = next(u for u in bot.fake.uploads if u.media_id == sent["file"]["media_id"])
    assert upload.raw_filename == "01-清朗网络共建行动-推荐表.docx".encode()  # raw UTF-8, not %E6…
    document = docx.Document(io.BytesIO(upload.data))
    cells = "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert "清朗网络共建行动" in cells and "0551-62606335" in cells
    assert document.inline_shapes, "the picture is in the form"

    note = await boss.wait_for("【新案例】")
    assert "清朗网络共建行动" in note["text"]["content"]
    await boss.wait_for(lambda m: m["msgtype"] == "file")
    await boss.wait_for(lambda m: m["msgtype"] == "file")
    await boss.send("/summary")
    await boss.wait_for("推荐汇总表如下")
    got = await boss.wait_for(lambda m: m["msgtype"] == "file")
    summary = next(u for u in bot.fake.uploads if u.media_id == got["file"]["media_id"])
    assert summary.filename.endswith("合肥市委网信办.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(summary.data)).worksheets[0]
    assert "清朗网络共建行动" in [c.value for row in sheet.iter_rows() for c in row]
    await alice.say("/summary", "仅限推荐单位联络人")
    admin = Member(bot, "ShengAdmin")  # CASEBOT_ADMIN_IDS=wecom:ShengAdmin, WeCom's case ignored
    await admin.say("/summary", "全省各推荐单位汇总表")


async def test_a_bare_code_from_a_member_of_a_unit_is_an_ordinary_answer(bot: WeComBot) -> None:
    alice = await join(bot, "ZhaoLiu")
    other = code(bot, "淮北市委网信办", "联络人")
    await alice.say(other, "第 2/14 步")  # taken as the case name, not as joining another unit
    review = await alice.say("/review", "第 14/14 步")
    assert other in review


async def test_a_replayed_msgid_is_applied_once(bot: WeComBot) -> None:
    alice = await join(bot, "SunQi")
    await alice.send("重复投递案例", msg_id="88001")
    await alice.wait_for("第 2/14 步")
    assert await bot.post(text_xml("SunQi", "重复投递案例", msg_id="88001")) == 200  # WeCom's retry
    await alice.say("申报单位乙", "第 3/14 步")
    review = await alice.say("/review", "第 14/14 步")
    assert "重复投递案例" in review and "申报单位乙" in review
    assert sum("第 2/14 步" in text for text in alice.texts()) == 1


async def test_a_long_review_is_split_below_2048_bytes_in_order(bot: WeComBot) -> None:
    alice = await join(bot, "ZhouBa")
    name = ("依托网络文明实践平台推动文明新风进万家" * 4)[:60]  # 60 字, the longest a name may be
    parts = tuple(f"{heading}：" + SENTENCE * 11 for heading in ("背景意义", "主要做法", "实施成效", "经验启示"))
    await fill_to_pictures(alice, name, unit=("安徽省合肥市委网络安全和信息化委员会办公室" * 3)[:60], parts=parts)
    before, refused = len(alice.messages), len(bot.fake.refused)
    await alice.send("/review")
    await alice.wait_for("/submit（提交）")  # the review ends with how to submit
    review = [m["text"]["content"] for m in alice.messages[before:] if m["msgtype"] == "text"]
    assert len(review) >= 2
    assert all(len(text.encode("utf-8")) <= 2048 for text in review)
    assert review[0].startswith("【第 14/14 步")
    joined = "".join(review)
    positions = [joined.index(f"\n{number}. ") for number in range(1, 14)]
    assert positions == sorted(positions)  # in order, nothing lost at the cuts
    # each part came with its own heading ("背景意义：…"), which the form prints once: 5 字 fewer a part
    assert f"1. 案例名称：{name}\n" in joined and "内容 1848/2000 字" in joined
    assert not bot.fake.refused[refused:]


async def test_an_expired_token_is_refreshed_and_the_answer_still_goes_out(bot: WeComBot) -> None:
    alice = await join(bot, "WuJiu")
    issued, refused = len(bot.fake.tokens_issued), len(bot.fake.refused)
    bot.fake.expire_token_once()
    await alice.say("令牌过期后的案例", "第 2/14 步")
    assert bot.fake.refused[refused:] == [("/cgi-bin/message/send", 42001)]
    assert len(bot.fake.tokens_issued) == issued + 1
    assert sum("第 2/14 步" in text for text in alice.texts()) == 1


async def test_killed_mid_form_it_continues_after_restart(own_bot: WeComBot) -> None:
    alice = await join(own_bot, "ZhengShi")
    await alice.say("断点续填案例", "第 2/14 步")
    await alice.say("某某单位", "第 3/14 步")
    await own_bot.stop(crash=True)
    await own_bot.start()
    await alice.say("3", "第 5/14 步")
    review = await alice.say("/review", "第 14/14 步")
    for value in ("断点续填案例", "某某单位", "网络空间道德建设"):
        assert value in review


async def test_killed_right_after_the_200_the_message_is_applied_after_restart(own_bot: WeComBot) -> None:
    alice = await join(own_bot, "QianYi")
    await alice.say("确认后崩溃案例", "第 2/14 步")
    await own_bot.stop()
    await own_bot.start(extra_env={"CASEBOT_TEST_KILL_AT": "wecom-after-ack"})
    assert await own_bot.post(text_xml("QianYi", "崩溃前已确认的单位")) == 200
    proc = own_bot.proc
    assert proc is not None
    assert await asyncio.wait_for(proc.wait(), 20) == -9  # killed before it could answer
    own_bot.proc = None
    assert not any("第 3/14 步" in text for text in alice.texts())
    await own_bot.start()  # the inbox is taken up at start-up
    await alice.wait_for("第 3/14 步")
    review = await alice.say("/review", "第 14/14 步")
    assert "崩溃前已确认的单位" in review


async def test_a_coordinator_on_wecom_is_told_of_a_case_submitted_on_telegram(
    own_wecom_fake: WeComFake, own_botapi_peer: BotApiPeer, tmp_path: Path
) -> None:
    both = WeComBot(
        own_wecom_fake,
        tmp_path,
        {**own_botapi_peer.bot_env(), "CASEBOT_POLL_TIMEOUT": "1", "CASEBOT_SEND_RATE_PER_CHAT": "0"},
    )
    codes = await both.invite_codes()
    await both.start()  # one process, one loop, one database: WeCom and Telegram
    try:
        await own_botapi_peer.wait_for_call("getUpdates", 30)
        boss = Member(both, "LiuJuZhang")
        await boss.say(f"/start {codes[('芜湖市委网信办', '联络人')]}", "已加入")
        alice = own_botapi_peer.user(4101, "电报申报人")
        await tg_say(alice, f"/start {codes[('芜湖市委网信办', '申报人')]}", "第 1/14 步")
        await tg_fill(alice, "跨渠道报送案例")
        review = await tg_say(alice, "/skip", "第 14/14 步")
        await alice.press(review, button(review, "提交"))
        confirm = await alice.wait_for("确认提交案例", timeout=20)
        await alice.press(confirm, button(confirm, "确认提交"))
        await alice.wait_for("已列入芜湖市委网信办推荐名单第 1 位", timeout=30)
        note = await boss.wait_for("【新案例】")
        assert "跨渠道报送案例" in note["text"]["content"]
        names = []
        for _ in range(2):
            sent = await boss.wait_for(lambda m: m["msgtype"] == "file")
            names.append(next(u.filename for u in own_wecom_fake.uploads if u.media_id == sent["file"]["media_id"]))
        assert names[0].endswith("跨渠道报送案例-推荐表.docx") and names[1].endswith("芜湖市委网信办.xlsx")
    finally:
        assert await both.close() == 0


async def test_a_callback_port_in_use_stops_casebot_with_an_error(own_wecom_fake: WeComFake, tmp_path: Path) -> None:
    import socket

    blocked = WeComBot(own_wecom_fake, tmp_path)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", blocked.port))
        holder.listen()
        with pytest.raises(RuntimeError, match="exited with 1"):
            await blocked.start(ready_timeout=60)
    await blocked.close()


async def test_a_sigterm_to_the_whole_group_stops_casebot_cleanly_and_leaves_no_process(own_bot: WeComBot) -> None:
    """systemd stops a service by signalling every process in it: the callback process waits for the
    main process to say stop, so casebot still ends cleanly, and nothing it started outlives it."""
    alice = await join(own_bot, "SunQi")
    proc = own_bot.proc
    assert proc is not None
    started = live_descendants(proc.pid)
    assert any("spawn" in command_line(pid) for pid in started), "the callback endpoint runs in a child process"
    os.killpg(proc.pid, signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 20) == 0
    own_bot.proc = None
    for _ in range(100):  # the file builders notice within moments; a loaded machine gets room
        if not [pid for pid in started if command_line(pid)]:  # gone, or a zombie (no command line)
            break
        await asyncio.sleep(0.05)
    assert not [pid for pid in started if command_line(pid)], "a process casebot started outlived it"
    await own_bot.start()
    await alice.say("分组停止后的案例", "第 2/14 步")


async def test_the_callback_process_killed_stops_casebot_with_an_error_and_a_restart_answers(own_bot: WeComBot) -> None:
    alice = await join(own_bot, "ZhouBa")
    proc = own_bot.proc
    assert proc is not None
    child = next(pid for pid in live_descendants(proc.pid) if "spawn" in command_line(pid))
    os.kill(child, signal.SIGKILL)
    assert await asyncio.wait_for(proc.wait(), 20) == 1, "ended with an error, for its supervisor to restart it"
    own_bot.proc = None
    await own_bot.start()
    await alice.say("回调进程重启后的案例", "第 2/14 步")


async def test_a_choice_comes_with_a_button_card_and_a_press_answers_as_the_number_would(
    bot: WeComBot, demo_campaign: Campaign
) -> None:
    updated = len(bot.fake.card_updates)
    alice = await join(bot, "FengJiu")
    await alice.say("按钮卡片案例", "第 2/14 步")
    listing = await alice.say("某某区委网信办", "第 3/14 步")
    assert "请回复序号" in listing  # the numbered list stands: the card is an addition
    card = await alice.card()
    body = card["template_card"]
    assert [b["text"] for b in body["button_list"]] == [c.name for c in demo_campaign.categories]
    assert "申报类别" in body["main_title"]["title"] and "回复序号" in body["main_title"]["desc"]
    await alice.press(card, "网络空间文明创建")
    chosen = await alice.wait_for("已选择申报类别：网络空间文明创建")
    assert "第 5/14 步" in chosen["text"]["content"], "the note and the next step come as one message"
    assert await bot.fake.wait_until(lambda: len(bot.fake.card_updates) > updated, 5)
    [update] = bot.fake.card_updates[updated:]
    assert update["userids"] == ["fengjiu"] and update["button"]["replace_name"] == "已收到"
    assert update["response_code"] == bot.fake.response_code(body["task_id"])
    await alice.press(card, "网络空间思想引领")  # the same card again, later: an old button
    stale = await alice.wait_for(lambda m: m["msgtype"] == "text")
    assert "第 3/14 步" not in stale["text"]["content"]
    review = await alice.say("/review", "第 14/14 步")
    assert "申报类别：网络空间文明创建" in review, "an old card changes nothing"


async def test_cards_turned_off_leave_the_numbered_list_alone(own_wecom_fake: WeComFake, tmp_path: Path) -> None:
    async with running(own_wecom_fake, tmp_path, {"CASEBOT_WECOM_CARDS": "false"}) as plain:
        alice = await join(plain, "ChenShi")
        await alice.say("无卡片案例", "第 2/14 步")
        await alice.say("某某区委网信办", "第 3/14 步")
        await alice.say("6", "第 5/14 步")
        assert not [m for m in alice.messages if m["msgtype"] == "template_card"]
