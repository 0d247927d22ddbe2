"""The terminal channel: one line is one message, so a whole session can be scripted from a file.

It serves one user, the person at the terminal. Lines are read by a daemon thread and handed to the
event loop, so the loop stays free for reminders and a SIGTERM stops the channel at once.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dialogs.events import Event, PictureIn, Pictures, Reply, parse_text
from dialogs.wording import t

from .base import Limits, Unreachable
from .render import render

if TYPE_CHECKING:
    from ..outputs import OutFile
    from ..service import Response, Service
    from .registry import Channels

MAX_FILE = 50 * 1024 * 1024  # never read more than this into memory; the dialog's own limit is lower
_FILE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp|tiff?|heic|pdf|txt|docx?)$", re.IGNORECASE)
_ECHO = 80  # characters of a scripted line echoed back


def to_event(line: str) -> Event | str:
    """Translate a typed line: an existing file is a picture (``路径 | 图片说明`` adds a caption).

    A string result is a local error to print instead of sending.
    """
    path_part, _, caption = line.partition(" | ")
    name = path_part.strip()
    candidate = Path(name).expanduser()
    if name and candidate.is_file():
        if candidate.stat().st_size > MAX_FILE:
            return t("channels.terminal.too_big", mb=MAX_FILE // 1024 // 1024, path=candidate)
        data = candidate.read_bytes()
        return Pictures(items=(PictureIn(data=data, caption=caption.strip(), filename=candidate.name),))
    if _FILE_SUFFIX.search(name):
        return t("channels.terminal.no_file", path=candidate)
    return parse_text(line)


def _read_lines(source: TextIO, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
    """In a daemon thread: every line into the queue, then None at the end of input."""
    try:
        for line in iter(source.readline, ""):
            loop.call_soon_threadsafe(queue.put_nowait, line)
    finally:
        loop.call_soon_threadsafe(queue.put_nowait, None)


class TerminalChannel:
    prefix = "term"
    limits = Limits(buttons=False, files_in=True, files_out=True)

    def __init__(
        self,
        service: Service,
        channels: Channels,
        user: str,
        unit: str | None = None,
        source: TextIO = sys.stdin,
        out: TextIO = sys.stdout,
    ) -> None:
        self.service, self.channels = service, channels
        self.user, self.unit = user, unit
        self.source, self.out = source, out

    async def send(self, user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
        if user != self.user:
            raise Unreachable(user)
        for reply in replies:
            for part in render(reply, self.limits):
                print(part.text, file=self.out)
            print(file=self.out)
        for made in files:
            if made.path is None:
                print(t("channels.terminal.file", name=made.name, size=len(made.data)), file=self.out)

    async def show(self, response: Response) -> None:
        await self.send(self.user, response.replies)
        await response.sent()
        for path in response.written:
            print(t("channels.terminal.written", path=path), file=self.out)
        for made in response.files:
            if made.path is None:
                print(t("channels.terminal.file", name=made.name, size=len(made.data)), file=self.out)
        await self.channels.deliver_all(response.deliveries)

    async def run(self, stopping: asyncio.Event) -> None:
        """Run the dialog on the input; the conversation starts as /start would start it."""
        if self.unit:
            await self.service.assign_unit(self.user, self.unit)
        interactive = self.source.isatty()
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        threading.Thread(target=_read_lines, args=(self.source, loop, queue), daemon=True).start()
        await self.show(await self.service.handle(self.user, parse_text("/start")))
        stop = asyncio.ensure_future(stopping.wait())
        try:
            while True:
                if interactive:
                    print("> ", end="", file=self.out, flush=True)
                got = asyncio.ensure_future(queue.get())
                await asyncio.wait({got, stop}, return_when=asyncio.FIRST_COMPLETED)
                if not got.done():
                    got.cancel()
                    break
                line = got.result()
                if line is None:
                    break
                await self._line(line.rstrip("\n"), interactive)
        finally:
            stop.cancel()
        print(t("channels.terminal.input_ended"), file=self.out)

    async def _line(self, line: str, interactive: bool) -> None:
        if not line.strip():
            return
        if not interactive:
            print(f"> {line if len(line) <= _ECHO else line[:_ECHO] + t('channels.terminal.ellipsis')}", file=self.out)
        event = to_event(line)
        if isinstance(event, str):
            print(event, file=self.out)
            return
        await self.show(await self.service.handle(self.user, event))
