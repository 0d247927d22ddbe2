"""The Telegram channel's own parts: escaping, user ids, pacing, the apology."""

from __future__ import annotations

from pydantic import SecretStr
from telegram.error import NetworkError, RetryAfter

from bot.channels.telegram.ratelimit import PacingRateLimiter
from bot.channels.telegram.send import to_html
from bot.channels.telegram.translate import chat_of, user_key


def test_user_text_is_escaped_and_only_the_step_header_is_bold() -> None:
    html = to_html("【第 1/14 步 · 案例名称】\n当前内容：<b>x</b> & <script>")
    assert html.startswith("<b>【第 1/14 步 · 案例名称】</b>\n")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;" in html


def test_user_keys_map_to_private_chats_only_for_telegram_users() -> None:
    assert chat_of(user_key(42)) == 42
    assert chat_of("term:root") is None


async def test_429_and_network_errors_are_retried_after_the_time_asked() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    limiter = PacingRateLimiter(overall=0, per_chat=0, sleep=sleep)
    failures = [RetryAfter(3), NetworkError("reset")]

    async def call() -> str:
        if failures:
            raise failures.pop(0)
        return "ok"

    assert await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 1}, None) == "ok"
    assert waits[0] == 3 and len(waits) == 2


async def test_sends_to_one_chat_are_paced_and_other_chats_are_not_held_up() -> None:
    clock = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    limiter = PacingRateLimiter(overall=30, per_chat=1, chat_burst=1, sleep=sleep, now=lambda: clock[0])

    async def call() -> bool:
        return True

    for _ in range(3):
        await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 7}, None)
    assert clock[0] >= 2  # one message a second in one chat
    waited = len(waits)
    await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 8}, None)
    assert len(waits) == waited  # a new chat goes at once


async def test_a_handler_error_is_logged_and_the_user_gets_an_apology(botapi_peer, app, settings, caplog) -> None:  # noqa: ANN001
    from bot.channels.registry import Channels
    from bot.channels.telegram.app import build_application
    from dialogs.wording import t
    from tests.botapi.fixtures import running_application

    configured = settings.model_copy(
        update={
            "telegram_token": SecretStr(botapi_peer.token),
            "telegram_base_url": botapi_peer.base_url,
            "telegram_file_url": botapi_peer.base_file_url,
            "poll_timeout": 1,
            "send_rate_per_chat": 0,
        }
    )
    application, _ = build_application(configured, app, Channels())

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("数据库不可用")

    app.service.handle = broken  # type: ignore[method-assign]
    async with running_application(application):
        user = botapi_peer.user(77, "测试")
        await user.send_text("清朗网络共建行动")
        reply = await user.wait_for("抱歉", timeout=10)
    assert reply["text"] == t("common.apology")
    assert any("failed" in r.getMessage() and r.exc_info for r in caplog.records)


def test_the_menu_offers_the_commands_people_use_and_fits_telegram() -> None:
    from bot.channels.telegram.app import commands

    menu = commands()
    names = [c.command for c in menu]
    assert len(names) == len(set(names))
    assert {"start", "undo", "show", "preview", "submit", "summary", "cases", "contact", "scan", "package"} <= set(
        names
    )
    assert all(1 <= len(c.description) <= 256 for c in menu)  # the Bot API's limits for a menu entry
