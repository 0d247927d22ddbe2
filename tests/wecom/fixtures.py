"""Pytest fixtures around the WeCom fake; tests/conftest.py imports them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from .callbacks import CallbackSigner
from .fake import WeComFake

__all__ = ["wecom_fake", "wecom_signer"]


@pytest_asyncio.fixture
async def wecom_fake() -> AsyncIterator[WeComFake]:
    """A started fake WeCom API on a free loopback port, stopped after the test."""
    async with WeComFake() as fake:
        yield fake


@pytest.fixture
def wecom_signer() -> CallbackSigner:
    return CallbackSigner()
