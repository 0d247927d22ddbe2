"""The outbox worker: carries out what a committed change recorded, marks it done, retries on failure.

Why an outbox: files and messages that follow a commit were lost when the process died between the
commit and them. Now the change records the work (a typed :data:`Work` payload) in its own
transaction; this worker does it and marks it done, retrying with backoff, and resumes whatever is
pending when the process starts. Building files is idempotent (the same bytes renamed into place);
a message is sent at least once: a kill between the send and its mark repeats that one message on
restart, once.

The service runs a submission's file work inline right after its commit (the author's reply carries
the 推荐表 as before); the worker started by :func:`bot.serve.serve` does the rest, and
anything the inline run could not finish.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter

from bot.disk.outputs import OutFile, Outputs
from bot.storage import OutboxItem, Store, Tx, utcnow
from bot.usecases.response import Unreachable
from dialogs.events import Button, Reply

log = logging.getLogger(__name__)

KILL_SWITCH = "CASEBOT_TEST_KILL_AT"  # tests only: the process SIGKILLs itself at the named point
BACKOFF_FIRST, BACKOFF_CAP = 1.0, 600.0  # seconds: 1, 2, 4, … up to ten minutes between attempts
MAX_ATTEMPTS, MAX_UNREACHABLE = 30, 3  # then the item is given up (logged, kept in the table)


def kill_point(name: str) -> None:
    """Die here, as a power cut would, when the tests' fault switch names this point."""
    if os.environ.get(KILL_SWITCH) == name:
        log.warning("fault switch: killed at %s", name)
        os.kill(os.getpid(), signal.SIGKILL)


class FilesWork(BaseModel):
    """Rebuild a unit's folder: its 汇总表, its 推荐表 names, and the 推荐表 of ``case_id`` afresh."""

    kind: Literal["files"] = "files"
    unit: str
    case_id: int | None = None


class Say(BaseModel):
    text: str
    buttons: list[list[tuple[str, str]]] = []

    @classmethod
    def of(cls, reply: Reply) -> Say:
        return cls(text=reply.text, buttons=[[(b.label, b.data) for b in row] for row in reply.buttons])

    def reply(self) -> Reply:
        return Reply(self.text, buttons=tuple(tuple(Button(label=lb, data=d) for lb, d in row) for row in self.buttons))


class MessageWork(BaseModel):
    """A message to one user, with files attached as they stand when it is sent."""

    kind: Literal["message"] = "message"
    user: str
    says: list[Say] = []
    forms: list[int] = []  # case ids whose 推荐表 goes along
    summaries: list[str] = []  # unit codes whose 汇总表 goes along


Work = Annotated[FilesWork | MessageWork, Field(discriminator="kind")]
WORK: TypeAdapter[FilesWork | MessageWork] = TypeAdapter(Work)
Sender = Callable[[str, Sequence[Reply], Sequence[OutFile]], Awaitable[None]]


async def record(tx: Tx, key: str, work: FilesWork | MessageWork) -> None:
    """Record ``work`` in the caller's transaction; ``key`` makes recording it twice a no-op."""
    await tx.enqueue(key, work.kind, work.model_dump_json())


def message(
    user: str, replies: Sequence[Reply], forms: Sequence[int] = (), summaries: Sequence[str] = ()
) -> MessageWork:
    return MessageWork(user=user, says=[Say.of(r) for r in replies], forms=list(forms), summaries=list(summaries))


def backoff(attempts: int) -> float:
    return float(min(BACKOFF_FIRST * 2.0 ** min(attempts, 30), BACKOFF_CAP))


class Outbox:
    def __init__(self, store: Store, outputs: Outputs, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.outputs = outputs
        self.clock = clock
        self.sender: Sender | None = None  # set when channels run; messages wait until then
        self._running: dict[int, asyncio.Future[None]] = {}
        self._wake = asyncio.Event()
        self.resumed = asyncio.Event()  # set once the first pass (what a killed run left) is over

    def wake(self) -> None:
        self._wake.set()

    async def run_keys(self, keys: Sequence[str], kinds: tuple[str, ...] = ("files",)) -> None:
        """Carry out these items now (the ones just committed), waiting for any already under way."""
        if not keys:
            return
        async with self.store.atomic() as tx:
            items = [i for i in await tx.items_by_key(list(keys)) if i.kind in kinds]
        await asyncio.gather(*(self._once(item) for item in items))

    async def drain(self) -> int:
        """Every item due now, once: files first (units in parallel), then messages (each user's in order)."""
        async with self.store.atomic() as tx:
            items = await tx.due_items(self.clock())
        building: dict[str, list[asyncio.Future[None]]] = {}  # unit → its files items under way
        by_user: dict[str, list[tuple[OutboxItem, MessageWork]]] = {}
        for item in items:
            work = WORK.validate_json(item.payload)
            if isinstance(work, FilesWork):
                building.setdefault(work.unit, []).append(asyncio.ensure_future(self._once(item)))
            elif self.sender is not None:
                by_user.setdefault(work.user, []).append((item, work))
        every = [f for fs in building.values() for f in fs]
        await asyncio.gather(*every, *(self._in_order(group, building, every) for group in by_user.values()))
        return len(every) + sum(len(g) for g in by_user.values())

    async def _in_order(
        self,
        group: list[tuple[OutboxItem, MessageWork]],
        building: dict[str, list[asyncio.Future[None]]],
        every: list[asyncio.Future[None]],
    ) -> None:
        """A user's messages in order, each once the files it carries are built: those of the units
        it names, or all of them when it names none (a unit's notice need not wait for other units)."""
        for item, work in group:
            waits = [f for u in work.summaries for f in building.get(u, [])] if work.summaries else every
            await asyncio.wait(waits) if waits else None
            await self._once(item)

    async def run(self, stopping: asyncio.Event) -> None:
        """Drain whatever is pending (a restart resumes here), then again whenever woken or due.

        The first pass runs even when ``stopping`` is already set: it is the work a killed run left,
        and the runner waits for it (see :func:`bot.serve.serve`) before the process may end."""
        first = True
        while first or not stopping.is_set():
            first = False
            self._wake.clear()
            try:
                await self.drain()
                async with self.store.atomic() as tx:
                    due = await tx.next_due()
            except Exception:
                log.exception("the outbox could not drain")
                due = self.clock() + timedelta(seconds=BACKOFF_FIRST)
            finally:
                self.resumed.set()
            if stopping.is_set():
                break
            wait = 3600.0 if due is None else max(0.0, (due - self.clock()).total_seconds())
            waking = asyncio.ensure_future(self._wake.wait())
            stop = asyncio.ensure_future(stopping.wait())
            await asyncio.wait({waking, stop}, timeout=min(wait, 3600.0), return_when=asyncio.FIRST_COMPLETED)
            waking.cancel()
            stop.cancel()

    async def _once(self, item: OutboxItem) -> None:
        """One item, never twice at once in this process: a second caller waits for the first."""
        running = self._running.get(item.id)
        if running is not None:
            await asyncio.wait([running])
            return
        future = asyncio.get_running_loop().create_future()
        self._running[item.id] = future
        try:
            await self._attempt(item)
        finally:
            del self._running[item.id]
            future.set_result(None)

    async def _attempt(self, item: OutboxItem) -> None:
        async with self.store.atomic() as tx:  # still pending? (another caller may have just finished it)
            if not await tx.items_by_key([item.key]):
                return
        try:
            work = WORK.validate_json(item.payload)
            if isinstance(work, FilesWork):
                await self.outputs.rebuild_unit(work.unit, fresh=work.case_id)
                kill_point("built")
            else:
                await self._send(work)
                kill_point("sent")
        except Exception as error:
            unreachable = isinstance(error, Unreachable)
            give_up = item.attempts + 1 >= (MAX_UNREACHABLE if unreachable else MAX_ATTEMPTS)
            log.log(
                logging.ERROR if give_up else logging.WARNING,
                "outbox item %s failed (attempt %d%s): %s",
                item.key,
                item.attempts + 1,
                ", given up" if give_up else "",
                error,
                exc_info=not unreachable,
            )
            async with self.store.atomic() as tx:
                await tx.mark_retry(item.id, f"{type(error).__name__}: {error}", backoff(item.attempts), give_up)
            return
        async with self.store.atomic() as tx:
            await tx.mark_done(item.id)

    async def _send(self, work: MessageWork) -> None:
        if self.sender is None:
            raise Unreachable(work.user)
        files = [await self.outputs.current_form(case_id) for case_id in work.forms]
        files += [await self.outputs.current_summary(unit) for unit in work.summaries]
        await self.sender(work.user, [s.reply() for s in work.says], [f for f in files if f is not None])

    async def pending_messages(self) -> list[MessageWork]:
        """The messages not yet sent, oldest first: what the worker will send next."""
        async with self.store.atomic() as tx:
            payloads = await tx.outbox_payloads("message", pending_only=True)
        return [MessageWork.model_validate_json(p) for p in payloads]

    async def counts(self) -> dict[str, int]:
        async with self.store.atomic() as tx:
            return await tx.outbox_counts()
