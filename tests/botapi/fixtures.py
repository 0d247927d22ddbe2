"""Pytest fixtures and helpers around the Bot API peer.

Why here and not in conftest.py: the lead imports these into tests/conftest.py; test
modules that need them before that can import the fixture explicitly.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest_asyncio

from .peer import BotApiPeer


@pytest_asyncio.fixture
async def botapi_peer() -> AsyncIterator[BotApiPeer]:
    """A started peer on a free loopback port, stopped after the test."""
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


async def spawn_bot(
    peer: BotApiPeer,
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    ready_timeout: float = 20.0,
    cwd: str | None = None,
) -> asyncio.subprocess.Process:
    """Start a bot process pointed at the peer and wait until it long-polls.

    The child gets CASEBOT_TELEGRAM_TOKEN / _BASE_URL / _FILE_URL on top of ``env``.
    """
    full_env = {**os.environ, **(env or {}), **peer.bot_env()}
    proc = await asyncio.create_subprocess_exec(*argv, env=full_env, cwd=cwd)
    try:
        await _wait_ready(peer, proc, ready_timeout)
    except BaseException:
        await stop_bot(proc)
        raise
    return proc


async def _wait_ready(peer: BotApiPeer, proc: asyncio.subprocess.Process, timeout: float) -> None:
    ready = asyncio.ensure_future(peer.wait_until_polling(timeout))
    exited = asyncio.ensure_future(proc.wait())
    done, _ = await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
    for task in (ready, exited):
        if task not in done:
            task.cancel()
    if exited in done:
        raise RuntimeError(f"bot process exited with {proc.returncode} before polling")
    ready.result()


async def stop_bot(proc: asyncio.subprocess.Process, timeout: float = 10.0) -> int:
    """Terminate the bot process we started (SIGTERM, then SIGKILL); returns its exit code."""
    if proc.returncode is None:
        proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), timeout)
        except TimeoutError:
            proc.kill()
            await proc.wait()
    return proc.returncode  # type: ignore[return-value]


PYTHON = sys.executable
