"""Secrets in settings errors and in the log (issue 17 item 8): named, never shown."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import redaction
from bot.cli.main import main
from bot.redaction import mask
from bot.settings import Settings

TOKEN = "7312645589:AAH3kq_Zx9-vb2LmNw8QpRt5YcUe1JdFgHs"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"


@pytest.fixture
def factory() -> Iterator[None]:
    """The log record factory put back after the test."""
    before = logging.getLogRecordFactory()
    try:
        yield
    finally:
        logging.setLogRecordFactory(before)


@pytest.mark.parametrize(
    "line",
    [
        f'HTTP Request: POST https://api.telegram.org/bot{TOKEN}/getUpdates "HTTP/1.1 200 OK"',
        f"GET http://127.0.0.1:8081/file/bot{TOKEN}/photos/file_1.jpg",
        f"https://api.telegram.org/bot{TOKEN.replace(':', '%3A')}/sendMessage",
    ],
)
def test_a_bot_token_in_a_url_is_masked_even_unconfigured(line: str) -> None:
    masked = mask(line)
    assert TOKEN.split(":")[1] not in masked.replace("%3A", ":") and "/bot***" in masked


@pytest.mark.parametrize(
    "line",
    [
        "GET https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww01&corpsecret=Zk3-LmQ_9xYw HTTP/1.1",
        "POST /cgi-bin/message/send?access_token=Zk3-LmQ_9xYw&debug=1",
        "{'errcode': 0, 'access_token': 'Zk3-LmQ_9xYw', 'expires_in': 7200}",
        '{"access_token": "Zk3-LmQ_9xYw"}',
        "headers: {'X-Telegram-Bot-Api-Secret-Token': 'Zk3-LmQ_9xYw'}",
    ],
)
def test_wecom_secrets_and_access_tokens_are_masked_by_their_place(line: str) -> None:
    masked = mask(line)
    assert "Zk3-LmQ_9xYw" not in masked and "***" in masked


def test_configured_secrets_are_masked_wherever_they_stand_and_short_words_are_not() -> None:
    assert mask(f"key={AES_KEY}; token QDG6eK.", [AES_KEY, "QDG6eK", "ab"]) == "key=***; token ***."
    assert mask("about a table", ["ab"]) == "about a table"


async def test_every_record_is_masked_at_every_level_with_its_traceback(factory: None, caplog) -> None:  # noqa: ANN001
    redaction.install([TOKEN, "wecom-secret-value"])
    redaction.install([TOKEN, "wecom-secret-value"])  # installing twice does not stack
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("httpx")
    log.debug("HTTP Request: GET %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
    try:
        raise RuntimeError(f"refused: corpsecret=wecom-secret-value at /bot{TOKEN}/x")
    except RuntimeError:
        logging.getLogger("telegram.ext").exception("failed with %s", "wecom-secret-value")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert TOKEN not in text and "wecom-secret-value" not in text
    assert "/bot***/getMe" in text and "failed with ***" in text and "RuntimeError" in text


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=8, max_size=60))
def test_any_access_token_in_a_query_is_masked(value: str) -> None:
    assert value not in mask(f"https://qyapi.weixin.qq.com/cgi-bin/media/get?access_token={value}&media_id=1")


def test_settings_do_not_show_their_secrets() -> None:
    settings = Settings(telegram_token=TOKEN, wecom_aes_key=AES_KEY, _env_file=None)
    assert TOKEN not in repr(settings) and AES_KEY not in str(settings.model_dump())
    assert settings.telegram_token.get_secret_value() == TOKEN and settings.secrets() == [TOKEN, AES_KEY]


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CASEBOT_WECOM_AES_KEY", AES_KEY[:-1] + "!", "CASEBOT_WECOM_AES_KEY 应为企业微信应用"),
        ("CASEBOT_WECOM_AES_KEY", AES_KEY + "Zq", "当前值为 45 个字符"),
        ("CASEBOT_WEBHOOK_SECRET", "s3cret with spaces and 中文", "CASEBOT_WEBHOOK_SECRET 只能由"),
        ("CASEBOT_WEBHOOK_SECRET", "x" * 257, "当前值为 257 个字符"),
        ("CASEBOT_WEBHOOK_PORT", "84430sekrit", "CASEBOT_WEBHOOK_PORT 应为整数"),
        ("CASEBOT_CONNECTION_POOL_SIZE", "-7", "CASEBOT_CONNECTION_POOL_SIZE 不应小于 1"),
        ("CASEBOT_WECOM_AGENT_ID", "1000002-sekrit", "CASEBOT_WECOM_AGENT_ID 的格式不符合要求"),
    ],
)
def test_a_settings_error_names_the_setting_and_never_its_value(
    name: str, value: str, says: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("CASEBOT_DB", str(tmp_path / "db.sqlite3"))
    assert main(["units", "list"]) == 2
    out = capsys.readouterr()
    assert says in out.err and "配置有误" in out.err
    assert value not in out.err + out.out and "sekrit" not in out.err and "input_value" not in out.err
    assert not (tmp_path / "db.sqlite3").exists()  # nothing was started
