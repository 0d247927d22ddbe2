"""Pytest fixtures around the WeCom fake; tests/conftest.py imports them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from .callbacks import CallbackSigner
from .fake import WeComFake

__all__ = ["module_wecom_fake", "own_wecom_fake", "wecom_fake", "wecom_signer"]


@pytest_asyncio.fixture
async def wecom_fake() -> AsyncIterator[WeComFake]:
    """A started fake WeCom API on a free loopback port, stopped after the test."""
    async with WeComFake() as fake:
        yield fake


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_wecom_fake() -> AsyncIterator[WeComFake]:
    """One fake for a module's tests, which share one casebot process (and so run in the module's event
    loop: ``pytest.mark.asyncio(loop_scope="module")``). Each test plays members of its own."""
    async with WeComFake() as fake:
        yield fake


@pytest_asyncio.fixture(loop_scope="module")
async def own_wecom_fake() -> AsyncIterator[WeComFake]:
    """A fake of the test's own in such a module: for a test that kills, restarts or reconfigures casebot."""
    async with WeComFake() as fake:
        yield fake


@pytest.fixture
def wecom_signer() -> CallbackSigner:
    return CallbackSigner()
