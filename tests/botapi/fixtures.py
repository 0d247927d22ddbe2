"""Pytest fixtures and helpers around the Bot API peer.

Why here and not in conftest.py: the lead imports these into tests/conftest.py; test
modules that need them before that can import the fixture explicitly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest_asyncio

from .peer import BotApiPeer
from .process import spawn_bot, stop_bot

__all__ = ["botapi_peer", "module_botapi_peer", "own_botapi_peer", "running_application", "spawn_bot", "stop_bot"]


@pytest_asyncio.fixture
async def botapi_peer() -> AsyncIterator[BotApiPeer]:
    """A started peer on a free loopback port, stopped after the test."""
    async with BotApiPeer() as peer:
        yield peer


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_botapi_peer() -> AsyncIterator[BotApiPeer]:
    """One peer for a module's tests, which share one bot process (and so run in the module's event loop:
    ``pytest.mark.asyncio(loop_scope="module")``). Each test plays users of its own."""
    async with BotApiPeer() as peer:
        yield peer


@pytest_asyncio.fixture(loop_scope="module")
async def own_botapi_peer() -> AsyncIterator[BotApiPeer]:
    """A peer of the test's own in such a module: for a test that kills, restarts or reconfigures its bot."""
    async with BotApiPeer() as peer:
        yield peer


@asynccontextmanager
async def running_application(app: Any, *, poll_timeout: int = 1) -> AsyncIterator[Any]:
    """Run a PTB Application in the current loop (initialize/start/poll, then stop).

    Why not run_polling(): that owns the event loop; tests need the loop they share
    with the peer.
    """
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=poll_timeout)
    try:
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
