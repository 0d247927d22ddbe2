"""The terminal channel: one line is one message, so a whole session can be scripted from a file."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TextIO

from dialogs.events import Event, PictureIn, Pictures, Reply, parse_text

from .service import Response, Service

MAX_FILE = 50 * 1024 * 1024  # never read more than this into memory; the dialog's own limit is lower
_FILE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp|tiff?|heic|pdf|txt|docx?)$", re.IGNORECASE)


def to_event(line: str) -> Event | str:
    """Translate a typed line: an existing file is a picture (``路径 | 图片说明`` adds a caption).

    A string result is a local error to print instead of sending.
    """
    path_part, _, caption = line.partition(" | ")
    name = path_part.strip()
    candidate = Path(name).expanduser()
    if name and candidate.is_file():
        if candidate.stat().st_size > MAX_FILE:
            return f"文件过大（超过 {MAX_FILE // 1024 // 1024} MB），未发送：{candidate}"
        data = candidate.read_bytes()
        return Pictures(items=(PictureIn(data=data, caption=caption.strip(), filename=candidate.name),))
    if _FILE_SUFFIX.search(name):
        return f"找不到文件：{candidate}"
    return parse_text(line)


def render_reply(reply: Reply) -> str:
    lines = [reply.text]
    choices = [b for row in reply.buttons for b in row]
    commands = [b for b in choices if b.data.startswith("cmd:")]
    others = [b for b in choices if not b.data.startswith("cmd:")]
    if commands:
        lines.append("  " + "　".join(f"/{b.data.split(':')[1]}（{b.label}）" for b in commands))
    if others and not all(re.match(r"^\d+\. ", b.label) for b in others):
        lines.extend(f"  [{i}] {b.label}" for i, b in enumerate(others, start=1))
    return "\n".join(lines)


def show(response: Response, out: TextIO) -> None:
    for reply in response.replies:
        print(render_reply(reply), file=out)
        print(file=out)
    for path in response.written:
        print(f"已写入文件：{path}", file=out)
    for made in response.files:
        if made.path is None:
            print(f"文件：{made.name}（{len(made.data)} 字节）", file=out)


async def chat(service: Service, user: str, source: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Run the dialog on standard input; the conversation starts as /start would start it."""
    interactive = source.isatty()
    show(await service.handle(user, parse_text("/start")), out)
    while True:
        if interactive:
            print("> ", end="", file=out, flush=True)
        line = source.readline()
        if not line:
            break
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if not interactive:
            print(f"> {line if len(line) <= 80 else line[:80] + '……'}", file=out)
        event = to_event(line)
        if isinstance(event, str):
            print(event, file=out)
            continue
        show(await service.handle(user, event), out)
    print("（输入结束。已填写的内容均已保存，再次启动即可继续。）", file=out)
