"""One read of a hostile file in a process of its own, with a time limit and a memory limit.

Why a process per read, not a pool: a read that runs away (a table python-docx expands to 10^8 cells,
a picture that decodes to gigabytes) must be stopped, and only a process can be stopped from outside
and give all its memory back. A pool task cannot be cancelled, and a pool worker killed for memory
breaks the pool and everything queued in it; here a killed child takes nothing else with it.

Why the 'forkserver' start method: the child is forked from a small server process that has already
imported the readers (python-docx, Pillow), so a read costs a fork (a few milliseconds, see
bench/sandbox.py), not a fresh interpreter ('spawn', some hundred milliseconds); and it is not forked
from casebot itself, whose event loop, database connections and threads a child must never inherit.

The child limits itself before it reads: its address space may grow by ``memory`` bytes
(``RLIMIT_AS``; an allocation beyond it raises MemoryError) and it may use ``seconds`` of CPU
(``RLIMIT_CPU``). The parent waits without blocking the event loop (the pipe's file descriptor is
watched by the loop) and kills the child once ``seconds`` of wall time have passed. Either way the
child is reaped before :func:`run` returns: no read outlives its answer.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import resource
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from multiprocessing.connection import Connection
from typing import Any

from bot.disk.forkserver import forkserver


class Stopped(Enum):
    """Why a read gave no result."""

    TIME = "time"  # killed at its time limit
    MEMORY = "memory"  # ran out of the memory it was allowed
    CRASHED = "crashed"  # died in any other way (a decoder's segfault)


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory: int  # bytes the child's address space may grow by


@dataclass(frozen=True)
class Outcome:
    """What a read gave (``value``), or why it gave nothing (``stopped``), and the child's pid."""

    value: Any = None
    stopped: Stopped | None = None
    pid: int = 0


@cache
def _context() -> multiprocessing.context.ForkServerContext:
    return forkserver()


def _vm_size() -> int:
    """This process's address space now (VmSize), which the limit is added to."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], limits: Limits) -> None:
    """Runs in the child: limit itself, read, send back the result (or MemoryError's verdict)."""
    budget = _vm_size() + limits.memory
    resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    cpu = max(1, int(limits.seconds + 1))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        payload = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        payload = pickle.dumps(("memory", None))
    except Exception:  # noqa: BLE001 - a reader tripping on hostile input (RecursionError …): no result
        payload = pickle.dumps(("crashed", None))
    conn.send_bytes(payload)
    conn.close()


async def _readable(fd: int, seconds: float) -> bool:
    """True once ``fd`` can be read (data or end of file), False when ``seconds`` pass first."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, seconds)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)


async def run(fn: Callable[..., Any], *args: Any, limits: Limits) -> Outcome:
    """``fn(*args)`` in a fresh child process within ``limits``; ``fn`` and its result must pickle."""
    context = _context()
    parent, child_end = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child_end, fn, args, limits), daemon=True)
    await asyncio.to_thread(process.start)  # the fork server's first start takes a moment; later ones do not
    child_end.close()
    pid = process.pid or 0
    try:
        if not await _readable(parent.fileno(), limits.seconds):
            return Outcome(stopped=Stopped.TIME, pid=pid)
        try:
            verdict, value = pickle.loads(parent.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            return Outcome(stopped=Stopped.CRASHED, pid=pid)
        if verdict == "memory":
            return Outcome(stopped=Stopped.MEMORY, pid=pid)
        if verdict == "crashed":
            return Outcome(stopped=Stopped.CRASHED, pid=pid)
        return Outcome(value=value, pid=pid)
    finally:
        parent.close()
        if process.is_alive():
            process.kill()
        await asyncio.to_thread(process.join)
        process.close()


def alive(pid: int) -> bool:
    """Whether a process of that id still exists (a reaped child does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
