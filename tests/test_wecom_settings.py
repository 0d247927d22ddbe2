"""The WeCom settings (names from the issue's contract) and channel-qualified administrator ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.channels.ids import UserIdError, normalise_user_id, normalise_user_ids
from bot.settings import Settings

AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"


def test_defaults_keep_wecom_off_and_on_loopback() -> None:
    settings = Settings(_env_file=None)
    assert settings.wecom_corp_id == ""
    assert settings.wecom_api_url == "https://qyapi.weixin.qq.com"
    assert (settings.wecom_listen, settings.wecom_port) == ("127.0.0.1", 8088)


def test_the_contract_names_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {
        "CASEBOT_WECOM_CORP_ID": "ww0123456789abcdef",
        "CASEBOT_WECOM_AGENT_ID": "1000002",
        "CASEBOT_WECOM_SECRET": "s3cret",
        "CASEBOT_WECOM_TOKEN": "QDG6eK",
        "CASEBOT_WECOM_AES_KEY": AES_KEY,
        "CASEBOT_WECOM_API_URL": "https://zwwx.ah.gov.cn",
        "CASEBOT_WECOM_LISTEN": "0.0.0.0",
        "CASEBOT_WECOM_PORT": "9000",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)
    secret, token, key = (
        s.get_secret_value() for s in (settings.wecom_secret, settings.wecom_token, settings.wecom_aes_key)
    )
    assert settings.wecom_corp_id and (settings.wecom_corp_id, settings.wecom_agent_id, secret) == (
        "ww0123456789abcdef",
        "1000002",
        "s3cret",
    )
    assert (token, key, settings.wecom_api_url) == (
        "QDG6eK",
        AES_KEY,
        "https://zwwx.ah.gov.cn",
    )
    assert (settings.wecom_listen, settings.wecom_port) == ("0.0.0.0", 9000)


@pytest.mark.parametrize("key", [AES_KEY[:-1], AES_KEY + "x", AES_KEY[:-1] + "=", AES_KEY[:-1] + "中", " " * 43])
def test_an_aes_key_that_is_not_43_letters_and_digits_is_refused(key: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(wecom_aes_key=key, _env_file=None)
    assert f"EncodingAESKey，即 43 位英文字母和数字，请从管理后台复制后重新填写（当前值为 {len(key)} 个字符）" in str(
        raised.value
    )


def test_a_half_configured_wecom_channel_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(wecom_corp_id="ww0123456789abcdef", wecom_secret="s3cret", _env_file=None)
    assert "CASEBOT_WECOM_AGENT_ID、CASEBOT_WECOM_TOKEN、CASEBOT_WECOM_AES_KEY 仍为空" in str(raised.value)


@pytest.mark.parametrize("agent_id", ["abc", "10 00", "-1"])
def test_an_agent_id_is_a_number(agent_id: str) -> None:
    with pytest.raises(ValidationError):
        Settings(wecom_agent_id=agent_id, _env_file=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123456", "tg:123456"),
        (" 123456 ", "tg:123456"),
        ("tg:123456", "tg:123456"),
        ("TG: 123456", "tg:123456"),
        ("wecom:ZhangSan", "wecom:zhangsan"),
        ("WeCom:zhang.san@hf", "wecom:zhang.san@hf"),
        ("term:alice", "term:alice"),
    ],
)
def test_admin_ids_name_their_channel(raw: str, expected: str) -> None:
    assert normalise_user_id(raw) == expected


@pytest.mark.parametrize("raw", ["", "zhangsan", "wecom:", ":123", "qq:123", "tg:abc", "tg:12 34", "１２３"])
def test_ids_that_name_no_channel_are_refused(raw: str) -> None:
    with pytest.raises(UserIdError):
        normalise_user_id(raw)


def test_a_list_is_normalised_in_order_without_blanks_or_repeats() -> None:
    assert normalise_user_ids(["123456", " ", "wecom:ZhangSan", "tg:123456", "wecom:zhangsan", "tg:-1001"]) == [
        "tg:123456",
        "wecom:zhangsan",
        "tg:-1001",
    ]


@given(st.text(max_size=40))
def test_any_text_is_refused_or_normalised_for_good(raw: str) -> None:
    try:
        normalised = normalise_user_id(raw)
    except UserIdError:
        return
    assert normalise_user_id(normalised) == normalised
    assert normalised.split(":", 1)[0] in {"tg", "wecom", "term"}
