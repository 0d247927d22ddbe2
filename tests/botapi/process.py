"""Run a bot as its own process against the peer.

Why separate from fixtures.py: the benchmark harness uses it too and must not need pytest.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence

from .peer import BotApiPeer


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
    # PTB's timedelta opt-in in every bot process, the echo baseline included
    full_env = {"PTB_TIMEDELTA": "1", **os.environ, **(env or {}), **peer.bot_env()}
    mark = len(peer.calls)  # a dangling poll of a previous process must not count as ready
    proc = await asyncio.create_subprocess_exec(*argv, env=full_env, cwd=cwd)
    try:
        await _wait_ready(peer, proc, ready_timeout, mark)
    except BaseException:
        await stop_bot(proc)
        raise
    return proc


async def _wait_ready(peer: BotApiPeer, proc: asyncio.subprocess.Process, timeout: float, mark: int) -> None:
    ready = asyncio.ensure_future(peer.wait_for_call("getUpdates", timeout, after=mark))
    exited = asyncio.ensure_future(proc.wait())
    done, _ = await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
    for task in (ready, exited):
        if task not in done:
            task.cancel()
    if exited in done:
        raise RuntimeError(f"bot process exited with {proc.returncode} before polling")
    ready.result()


async def stop_bot(proc: asyncio.subprocess.Process, timeout: float = 10.0, *, crash: bool = False) -> int:
    """Stop the bot process we started; returns its exit code.

    SIGTERM (graceful: PTB confirms fetched updates), then SIGKILL after ``timeout``.
    crash=True sends SIGKILL at once, to test recovery of unconfirmed updates.
    """
    if proc.returncode is not None:
        return proc.returncode
    if crash:
        proc.kill()
        return await proc.wait()
    proc.terminate()
    try:
        return await asyncio.wait_for(proc.wait(), timeout)
    except TimeoutError:
        proc.kill()
        return await proc.wait()
