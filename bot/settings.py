"""Settings from the environment and `.env` (prefix CASEBOT_), checked once at start-up."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from dialogs.campaign import Campaign, parse_campaign
from dialogs.wording import t

BUILTIN_CAMPAIGNS = ("demo", "2024")
_AES_KEY = re.compile(r"[A-Za-z0-9]{43}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    campaign: str = Field(default="demo", description="built-in name (demo, 2024) or path to a TOML file")
    db: Path = Path("data/casebot.sqlite3")
    out: Path = Path("out")
    telegram_token: str = ""
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    bot_username: str = ""
    admin_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str = ""
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
    wecom_secret: str = ""
    wecom_token: str = ""
    wecom_aes_key: str = Field(default="", description="the 43-character EncodingAESKey")
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
    def _aes_key(cls, value: str) -> str:
        """Checked at start-up: a mistyped key would otherwise surface as every callback failing."""
        if value and not _AES_KEY.fullmatch(value):
            raise ValueError(t("wecom.settings.aes_key", length=len(value)))
        return value

    @model_validator(mode="after")
    def _wecom_complete(self) -> Settings:
        """A WeCom channel half configured would start and then fail on every message: refuse it at start-up."""
        if self.wecom_corp_id:
            needed = {
                "CASEBOT_WECOM_AGENT_ID": self.wecom_agent_id,
                "CASEBOT_WECOM_SECRET": self.wecom_secret,
                "CASEBOT_WECOM_TOKEN": self.wecom_token,
                "CASEBOT_WECOM_AES_KEY": self.wecom_aes_key,
            }
            missing = [name for name, value in needed.items() if not value]
            if missing:
                raise ValueError(t("wecom.settings.incomplete", missing=t("wecom.settings.separator").join(missing)))
        return self


def load_campaign(name_or_path: str) -> Campaign:
    """Read a built-in campaign by name, or a campaign file by path."""
    if name_or_path in BUILTIN_CAMPAIGNS:
        text = resources.files("dialogs.campaigns").joinpath(f"{name_or_path}.toml").read_text(encoding="utf-8")
        return parse_campaign(text, source=f"{name_or_path}.toml")
    path = Path(name_or_path)
    return parse_campaign(path.read_text(encoding="utf-8"), source=str(path))
