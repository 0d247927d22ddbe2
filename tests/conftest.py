"""Shared fixtures: the campaign, a pure dialog driver, a real SQLite file and the running service."""

from __future__ import annotations

import os

# PTB's documented opt-in to timedelta durations (retry_after, duration): this process and every process
# the tests start inherit it, as `casebot` sets it for itself.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

from bot.settings import Settings, load_campaign
from dialogs.campaign import Campaign
from tests.botapi.fixtures import botapi_peer, module_botapi_peer, own_botapi_peer  # noqa: F401  (the loopback Bot API)
from tests.helpers import Driver
from tests.wecom.fixtures import (  # noqa: F401  (the loopback WeCom API, callbacks)
    module_wecom_fake,
    own_wecom_fake,
    wecom_fake,
    wecom_signer,
)

if TYPE_CHECKING:
    from bot.app import App

# CI runs each property test on a fixed sequence of examples, so a run is red only for a change it can
# name (a new random draw once made a landing fail); a developer's runs keep drawing new examples.
# An example worth keeping goes in the test with @example.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign("2024")


@pytest.fixture(scope="session")
def demo_campaign() -> Campaign:
    return load_campaign("demo")


@pytest.fixture
def driver(campaign: Campaign) -> Driver:
    return Driver(campaign)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(campaign="demo", db=tmp_path / "casebot.sqlite3", out=tmp_path / "out", _env_file=None)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    from bot.app import open_app

    async with open_app(settings) as running:
        yield running


@pytest.fixture
async def open_units_app(settings: Settings) -> AsyncIterator[App]:
    """The application on a campaign with ``open_units``: a chat user chooses a unit at step 4, as scenarios about
    texts do (joining by invitation only has its own scenarios in tests/test_joining.py)."""
    from bot.app import open_app

    campaign = load_campaign(settings.campaign).model_copy(update={"open_units": True})
    async with open_app(settings, campaign) as running:
        yield running
