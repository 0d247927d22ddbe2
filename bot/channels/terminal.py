"""The terminal channel: the person at the terminal talks to the dialog, typed or from a script.

At an interactive terminal input is read with prompt_toolkit: Enter sends, Alt+Enter (Esc then
Enter) or Ctrl+J starts a new line, a pasted block of several lines arrives as one message (the
terminal's bracketed paste), ↑/↓ walk the messages sent in this session, and Ctrl+C or Ctrl+D
leave (the draft is saved after every answer, so leaving loses nothing).

Scripted standard input (``casebot chat < answers.txt``) stays one line per message, so a whole
session reads as a list of answers; a line ``<<<`` opens a block that a line ``>>>`` closes and the
lines between them are sent as one multi-line message. Lines are read by a daemon thread and handed
to the event loop, so the loop stays free for reminders and a SIGTERM stops the channel at once.

A message that looks like a file path (quoted or not, with spaces or ``~``) is a file: a picture,
or a Word document (.docx) to import. Text that cannot be a path is never given to the file system,
so a paragraph of any length is just text.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.disk.atomic import write_atomic
from dialogs.events import Document, Event, PictureIn, Pictures, Reply, parse_text
from dialogs.wording import t

from .base import Limits, Unreachable
from .render import render

if TYPE_CHECKING:
    from bot.disk.outputs import OutFile
    from bot.usecases.response import Response
    from bot.usecases.service import Service

    from .registry import Channels

MAX_FILE = 50 * 1024 * 1024  # never read more than this into memory; the dialog's own limits are lower
MAX_PATH_BYTES = 1024  # longer text is never a path (Linux allows 4096, no one types one that long)
BLOCK_OPEN, BLOCK_CLOSE = "<<<", ">>>"
_FILE_SUFFIX = re.compile(
    r"\.(?:jpe?g|png|gif|bmp|webp|tiff?|heic|heif|pdf|txt|docx?|docm|dotx|wps|odt|rtf)$", re.IGNORECASE
)
_DOCUMENT_SUFFIX = re.compile(r"\.(?:docx?|docm|dotx|wps|odt|rtf|pdf)$", re.IGNORECASE)
_PATH_START = re.compile(r"^(?:/|~|\.{1,2}[/\\]|[A-Za-z]:[/\\])")
_ECHO = 80  # characters of a scripted message echoed back


def _unquote(text: str) -> tuple[str, bool]:
    """A path as a file manager pastes it: '…' or "…", or with backslash-escaped spaces."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1], True
    return text.replace("\\ ", " "), False


def to_event(message: str) -> Event | str:
    """Translate one message: a file path becomes a picture or a document (``路径 | 说明`` adds a
    picture's caption), anything else is text or a command.

    A string result is a local error to print instead of sending. Only short one-line text that
    looks like a path is tried on the file system, and no error of the file system escapes.
    """
    if "\n" in message.strip():
        return parse_text(message)
    path_part, bar, caption = message.partition(" | ")
    name, quoted = _unquote(path_part.strip())
    suffix = _FILE_SUFFIX.search(name) is not None
    looks_like_path = bool(name) and (quoted or suffix or _PATH_START.match(name) is not None or "/" in name)
    if not looks_like_path or len(name.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        return parse_text(message)
    candidate = Path(name)
    try:
        candidate = candidate.expanduser()
        is_file, exists = candidate.is_file(), candidate.exists()
    except (OSError, ValueError, RuntimeError):  # too long, a NUL byte, ~someone who is no user here
        is_file = exists = False
    if is_file:
        return _read(candidate, caption.strip() if bar else "")
    if exists:
        return t("channels.terminal.not_a_file", path=candidate)
    if quoted or suffix or name.startswith("~"):
        return t("channels.terminal.no_file", path=candidate)
    return parse_text(message)  # "/start", "清朗/共建": not meant as a path


def _read(path: Path, caption: str) -> Event | str:
    try:
        if path.stat().st_size > MAX_FILE:
            return t("channels.terminal.too_big", mb=MAX_FILE // 1024 // 1024, path=path)
        data = path.read_bytes()
    except OSError:  # no permission, a special file, gone since it was found
        return t("channels.terminal.unreadable", path=path)
    if _DOCUMENT_SUFFIX.search(path.name):
        return Document(data=data, filename=path.name)
    return Pictures(items=(PictureIn(data=data, caption=caption, filename=path.name),))


Message = tuple[str, bool] | None  # (text, whether it closed an unclosed block at the end), None: input ended


def _read_script(source: TextIO, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[Message]) -> None:
    """In a daemon thread: every scripted message into the queue, then None at the end of input."""
    block: list[str] | None = None
    try:
        for raw in iter(source.readline, ""):
            line = raw.rstrip("\r\n")
            if block is None and line.strip() == BLOCK_OPEN:
                block = []
            elif block is None:
                loop.call_soon_threadsafe(queue.put_nowait, (line, False))
            elif line.strip() == BLOCK_CLOSE:
                loop.call_soon_threadsafe(queue.put_nowait, ("\n".join(block), False))
                block = None
            else:
                block.append(line)
        if block is not None:
            loop.call_soon_threadsafe(queue.put_nowait, ("\n".join(block), True))
    finally:
        loop.call_soon_threadsafe(queue.put_nowait, None)


class TerminalChannel:
    prefix = "term"
    limits = Limits(buttons=False, files_in=True, files_out=True, files_as_paths=True)

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
        self._prompting = False

    def _print(self, lines: Sequence[str]) -> None:
        for line in lines:
            print(line, file=self.out)
        self.out.flush()

    async def _write(self, lines: Sequence[str]) -> None:
        """Print; while the prompt is open (a reminder arriving) the prompt steps aside first."""
        if self._prompting:
            from prompt_toolkit.application import run_in_terminal

            await run_in_terminal(lambda: self._print(lines))
        else:
            self._print(lines)

    async def send(self, user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
        if user != self.user:
            raise Unreachable(user)
        lines: list[str] = []
        for reply in replies:
            lines.extend(part.text for part in render(reply, self.limits))
            lines.append("")
        lines += [t("channels.terminal.written", path=path) for path in await self._save(files)]
        await self._write(lines)

    async def _save(self, files: Sequence[OutFile]) -> list[Path]:
        """Files the bot hands over rather than keeps (a preview 推荐表, a case list): a terminal has no chat
        to receive them, so they are written, atomically, into a folder of the output folder (named in the
        catalog: 终端文件), and the path is printed."""
        folder = self.service.outputs.root / t("channels.terminal.folder")
        written: list[Path] = []
        for made in files:
            if made.path is None:
                path = folder / Path(made.name).name  # a name, never a path out of the folder
                await asyncio.to_thread(write_atomic, path, made.data)
                written.append(path)
        return written

    async def show(self, response: Response) -> None:
        await self.send(self.user, response.replies)
        await response.sent()
        lines = [t("channels.terminal.written", path=path) for path in response.written]
        lines += [t("channels.terminal.written", path=path) for path in await self._save(response.files)]
        await self._write(lines)
        await self.channels.deliver_all(response.deliveries)

    async def run(self, stopping: asyncio.Event) -> None:
        """Run the dialog on the input; the conversation starts as /start would start it."""
        if self.unit:
            await self.service.assign_unit(self.user, self.unit)
        await self.show(await self.service.handle(self.user, parse_text("/start")))
        if self.source.isatty():
            await self._interactive(stopping)
        else:
            await self._scripted(stopping)

    async def _scripted(self, stopping: asyncio.Event) -> None:
        queue: asyncio.Queue[Message] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        threading.Thread(target=_read_script, args=(self.source, loop, queue), daemon=True).start()
        stop = asyncio.ensure_future(stopping.wait())
        try:
            while True:
                got = asyncio.ensure_future(queue.get())
                await asyncio.wait({got, stop}, return_when=asyncio.FIRST_COMPLETED)
                if not got.done():
                    got.cancel()
                    break
                item = got.result()
                if item is None:
                    break
                text, unclosed = item
                if unclosed:
                    self._print([t("channels.terminal.block_unclosed", open=BLOCK_OPEN, close=BLOCK_CLOSE)])
                await self._message(text, echo=True)
        finally:
            stop.cancel()
        self._print(
            [t("channels.terminal.input_ended" if await self._has_draft() else "channels.terminal.input_ended_none")]
        )

    async def _interactive(self, stopping: asyncio.Event) -> None:
        """prompt_toolkit at a real terminal; Ctrl+C and Ctrl+D leave, saying the draft is kept."""
        session = _prompt_session(self.source, self.out)
        self._print([t("channels.terminal.keys")])
        stop = asyncio.ensure_future(stopping.wait())
        try:
            while True:
                self._prompting = True
                asking = asyncio.ensure_future(session.prompt_async("> "))
                try:
                    await asyncio.wait({asking, stop}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    self._prompting = False
                if not asking.done():
                    asking.cancel()
                    await asyncio.gather(asking, return_exceptions=True)
                    break
                try:
                    text = asking.result()
                except (KeyboardInterrupt, EOFError):  # Ctrl+C, Ctrl+D
                    break
                await self._message(text, echo=False)
        finally:
            stop.cancel()
        self._print([t("channels.terminal.left" if await self._has_draft() else "channels.terminal.left_none")])

    async def _has_draft(self) -> bool:
        """Whether leaving keeps a draft: after a submission (or /cancel) there is none to speak of."""
        async with self.service.store.atomic() as tx:
            return (await tx.load_session(self.user)).draft is not None

    async def _message(self, text: str, *, echo: bool) -> None:
        if not text.strip():
            return
        if echo:
            first = text.strip().split("\n", 1)[0]
            more = len(first) > _ECHO or "\n" in text.strip()
            self._print([f"> {first[:_ECHO]}{t('channels.terminal.ellipsis') if more else ''}"])
        event = to_event(text)
        if isinstance(event, str):
            self._print([event, ""])
            return
        await self.show(await self.service.handle(self.user, event))


def _prompt_session(source: TextIO, out: TextIO) -> Any:
    """Enter sends; Alt+Enter (Esc, Enter) and Ctrl+J insert a line break; a paste is inserted whole."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_input
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.output import create_output

    bindings = KeyBindings()
    newline: Callable[[Any], None] = lambda event: event.current_buffer.insert_text("\n")  # noqa: E731
    bindings.add("escape", "enter")(newline)
    bindings.add("c-j")(newline)
    # Ctrl+C leaves as Ctrl+D does: a KeyboardInterrupt would escape the event loop instead of the prompt
    leave: Callable[[Any], None] = lambda event: event.app.exit(exception=EOFError, style="class:aborting")  # noqa: E731
    bindings.add("c-c")(leave)
    return PromptSession(
        history=InMemoryHistory(),  # in memory: a case's text is not written to a history file
        key_bindings=bindings,
        multiline=False,
        input=create_input(source),
        output=create_output(stdout=out),
        prompt_continuation=lambda width, line, wrap: ". " if width >= 2 else "",
    )
