"""`casebot run` at CASEBOT_LOG_LEVEL=DEBUG with both channels, against the loopback Bot API and the WeCom
fake: what it writes to stderr never holds the bot token, the WeCom Secret, Token or EncodingAESKey,
nor an access token the fake issued, through start-up, messages both ways, an expired token and stop."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from tests.botapi import BotApiPeer
from tests.wecom.callbacks import AES_KEY, TOKEN
from tests.wecom.fake import DEFAULT_SECRET, WeComFake
from tests.wecom.process import Member, WeComBot

pytestmark = pytest.mark.slow


async def test_debug_logs_of_both_channels_hold_no_secret(
    botapi_peer: BotApiPeer, wecom_fake: WeComFake, tmp_path: Path
) -> None:
    bot = WeComBot(wecom_fake, tmp_path, {"CASEBOT_LOG_LEVEL": "DEBUG", "CASEBOT_POLL_TIMEOUT": "1"})
    bot.env.update(botapi_peer.bot_env())
    bot.env["CASEBOT_SEND_RATE_PER_CHAT"] = "0"
    log = tmp_path / "stderr.log"
    with log.open("wb") as stderr:
        bot.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=bot.full_env(), cwd=tmp_path, stderr=stderr
        )
        try:
            await botapi_peer.wait_for_call("getUpdates", 30)
            user = botapi_peer.user(321, "申报人")
            await user.send_text("/start")
            await user.wait_for(lambda m: bool(m.get("text")), timeout=20)
            await start_wecom(bot)
            member = Member(bot, "ZhangSan")
            await member.send("/start")
            await member.wait_for(lambda m: m["msgtype"] == "text")
            wecom_fake.expire_token_once()  # the next call answers 42001: casebot fetches a new token and logs it
            await member.send("/help")
            await member.wait_for(lambda m: m["msgtype"] == "text")
        finally:
            code = await bot.close()
    assert code == 0
    text = log.read_text(encoding="utf-8", errors="replace")
    assert len(wecom_fake.tokens_issued) >= 2
    for secret in (botapi_peer.token, botapi_peer.token.split(":")[1], DEFAULT_SECRET, TOKEN, AES_KEY):
        assert secret not in text, secret
    for token in wecom_fake.tokens_issued:
        assert f"={token}" not in text and f"'{token}'" not in text and f'"{token}"' not in text, token
    assert " DEBUG " in text and "getUpdates" in text and "gettoken" in text  # the log did speak of both


async def start_wecom(bot: WeComBot) -> None:
    """Wait for the callback endpoint as WeComBot.start does, the process being started here."""
    import aiohttp

    bot.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
    for _ in range(300):
        try:
            if await bot.verify("ready") == (200, "ready"):
                return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise TimeoutError("casebot did not answer the URL verification")
