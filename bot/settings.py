"""Settings from the environment and `.env` (prefix CASEBOT_), checked once at start-up.

The secrets (the Telegram token, the webhook secret, the WeCom Secret, Token and EncodingAESKey) are
``SecretStr``: printing the settings, or an error about them, shows ``**********``; the code that
needs the value asks for it with ``get_secret_value()``. :func:`settings_error` says what is wrong
with a setting, in Chinese, by its name and never by its value (pydantic's own text quotes it).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from dialogs.campaign import Campaign, parse_campaign
from dialogs.wording import t

BUILTIN_CAMPAIGNS = ("demo", "2024")
_AES_KEY = re.compile(r"[A-Za-z0-9]{43}")
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts as secret_token


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    campaign: str = Field(default="demo", description="built-in name (demo, 2024) or path to a TOML file")
    db: Path = Path("data/casebot.sqlite3")
    out: Path = Path("out")
    telegram_token: SecretStr = SecretStr("")
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    bot_username: str = ""
    admin_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: SecretStr = SecretStr("")
    poll_timeout: int = 30
    connection_pool_size: int = Field(default=32, ge=1, description="HTTP connections to the Bot API")
    send_rate_overall: float = Field(default=30.0, description="messages/s overall; 0 = no limit (local Bot API)")
    send_rate_per_chat: float = Field(default=1.0, description="messages/s per chat; 0 = no limit")
    reminder_interval: float = Field(default=600, gt=0, description="seconds between reminder checks")
    # at least a second: Telegram dates a message in whole seconds, so two pieces sent at once may be a second apart
    paste_wait: float = Field(
        default=5.0, ge=1, le=60, description="seconds a text cut at Telegram's limit waits for its continuation"
    )
    log_level: str = "INFO"
    wecom_corp_id: str = ""
    wecom_agent_id: str = Field(default="", pattern=r"^[0-9]*$", description="the application's AgentID")
    wecom_secret: SecretStr = SecretStr("")
    wecom_token: SecretStr = SecretStr("")
    wecom_aes_key: SecretStr = Field(default=SecretStr(""), description="the 43-character EncodingAESKey")
    wecom_api_url: str = "https://qyapi.weixin.qq.com"
    wecom_listen: str = "127.0.0.1"
    wecom_port: int = 8088
    wecom_per_minute: int = Field(default=30, ge=0, description="messages per member a minute; 0 = no pacing (tests)")
    wecom_per_hour: int = Field(default=1000, ge=1, description="messages per member an hour")
    wecom_cards: bool = Field(default=True, description="choices also as a button card (template_card)")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, (int, str)):
            return [part.strip() for part in str(value).split(",") if part.strip()]
        return value

    @field_validator("wecom_aes_key")
    @classmethod
    def _aes_key(cls, value: SecretStr) -> SecretStr:
        """Checked at start-up: a mistyped key would otherwise surface as every callback failing."""
        key = value.get_secret_value()
        if key and not _AES_KEY.fullmatch(key):
            raise ValueError(t("wecom.settings.aes_key", length=len(key)))
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr) -> SecretStr:
        """Telegram refuses any other secret at setWebhook, and the bot would stop there."""
        secret = value.get_secret_value()
        if secret and not _WEBHOOK_SECRET.fullmatch(secret):
            raise ValueError(t("cli.settings.webhook_secret", length=len(secret)))
        return value

    @model_validator(mode="after")
    def _wecom_complete(self) -> Settings:
        """A WeCom channel half configured would start and then fail on every message: refuse it at start-up."""
        if self.wecom_corp_id:
            needed = {
                "CASEBOT_WECOM_AGENT_ID": self.wecom_agent_id,
                "CASEBOT_WECOM_SECRET": self.wecom_secret.get_secret_value(),
                "CASEBOT_WECOM_TOKEN": self.wecom_token.get_secret_value(),
                "CASEBOT_WECOM_AES_KEY": self.wecom_aes_key.get_secret_value(),
            }
            missing = [name for name, value in needed.items() if not value]
            if missing:
                raise ValueError(t("wecom.settings.incomplete", missing=t("wecom.settings.separator").join(missing)))
        return self

    def secrets(self) -> list[str]:
        """Every secret value that is set, for the log filter to mask."""
        fields = (self.telegram_token, self.webhook_secret, self.wecom_secret, self.wecom_token, self.wecom_aes_key)
        return [value for f in fields if (value := f.get_secret_value())]


# what pydantic's error types mean, in words a setting's reader understands; the rest: "取值无效"
_ERROR_KEYS = {
    "int_parsing": "cli.settings.integer",
    "float_parsing": "cli.settings.number",
    "bool_parsing": "cli.settings.boolean",
    "greater_than_equal": "cli.settings.at_least",
    "greater_than": "cli.settings.above",
    "string_pattern_mismatch": "cli.settings.pattern",
    "list_type": "cli.settings.list",
}


def settings_error(error: ValidationError) -> str:
    """What is wrong with the settings, one line each, by name: never the value (it may be a secret)."""
    lines = [t("cli.settings.heading")]
    for problem in error.errors(include_input=False, include_url=False):
        where = problem.get("loc", ())
        name = f"CASEBOT_{str(where[0]).upper()}" if where else ""
        kind = problem.get("type", "")
        context = problem.get("ctx") or {}
        if kind == "value_error" and "error" in context:
            reason = str(context["error"])  # our own sentence, in the catalog, already naming the setting
        elif kind in _ERROR_KEYS:
            limits = {k: str(v) for k, v in context.items() if k in ("ge", "gt")}
            reason = t(_ERROR_KEYS[kind], name=name, **limits)
        else:
            reason = t("cli.settings.invalid", name=name)
        lines.append(t("cli.settings.line", reason=reason))
    return "\n".join(lines)


def load_campaign(name_or_path: str) -> Campaign:
    """Read a built-in campaign by name, or a campaign file by path."""
    if name_or_path in BUILTIN_CAMPAIGNS:
        text = resources.files("dialogs.campaigns").joinpath(f"{name_or_path}.toml").read_text(encoding="utf-8")
        return parse_campaign(text, source=f"{name_or_path}.toml")
    path = Path(name_or_path)
    return parse_campaign(path.read_text(encoding="utf-8"), source=str(path))
