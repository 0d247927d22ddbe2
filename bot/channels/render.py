"""How a dialog reply looks on a channel: pure, shared by every channel, shaped by its :class:`Limits`.

The dialog emits one kind of reply: a text and rows of buttons. Three kinds of button travel in it,
told apart by their data: ``cmd:next:…`` stands for a command (``/next``), ``co:…`` for a
coordinator's action on a case (which also has a command, listed in the coordinator's usage text),
and anything else is a choice the user may also answer by its number. A channel with buttons shows
them all and says 点击按钮; a channel without buttons writes the commands out, lists the choices by
number and says 回复序号. A sentence that is true on one channel only (how to send a picture, how to join,
where a file went) travels as the reply's ``hint``, worded here from ``channels.hint.<hint>``: the first
variant (see :data:`HINTS`) named after a capability the channel's :class:`Limits` has, else ``default``. Texts longer than
a message are split, at paragraph breaks where possible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.events import Button, Reply
from dialogs.wording import t

from .base import Limits

COMMAND = "cmd:"
ACTION = ("co:", "sc:")  # a coordinator's action on a case (ranking, a sealed scan): each has its typed command
# each hint's variants: the capability of Limits that chooses it, tried in order ("" always fits)
HINTS: dict[str, tuple[tuple[str, str], ...]] = {
    "send_pictures": (
        ("files_as_paths", "channels.hint.send_pictures.files_as_paths"),
        ("", "channels.hint.send_pictures.default"),
    ),
    "form_sent": (
        ("files_as_paths", "channels.hint.form_sent.files_as_paths"),
        ("", "channels.hint.form_sent.default"),
    ),
    "join": (
        ("invite_links", "channels.hint.join.invite_links"),
        ("", "channels.hint.join.default"),
    ),
    "scan_pdf": (
        ("files_as_paths", "channels.hint.scan_pdf.files_as_paths"),
        ("files_in", "channels.hint.scan_pdf.files_in"),
        ("", "channels.hint.scan_pdf.default"),
    ),
}
_NUMBERED = re.compile(r"^\d+\.\s*")


@dataclass(frozen=True)
class Outgoing:
    """One message as a channel sends it: the text, and the buttons under it (only where buttons exist)."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


def choices_of(reply: Reply) -> list[Button]:
    """The buttons that answer a question, in the order the dialog numbers them."""
    return [b for row in reply.buttons for b in row if not b.data.startswith((COMMAND, *ACTION))]


def commands_of(reply: Reply) -> list[Button]:
    return [b for row in reply.buttons for b in row if b.data.startswith(COMMAND)]


def label_of(button: Button) -> str:
    """A choice's label without the number the dialog may have put in front (the list numbers it)."""
    return _NUMBERED.sub("", button.label)


def command_name(button: Button) -> str:
    """``cmd:next:3`` → ``next``."""
    return button.data.split(":")[1]


def _listed_in_text(text: str, labels: list[str]) -> bool:
    """Whether the text already lists the choices as ``1. 名称…`` lines (the category list does)."""
    lines = [line.strip() for line in text.splitlines()]
    return all(any(line.startswith(f"{n}. {label}") for line in lines) for n, label in enumerate(labels, start=1))


def hint_text(hint: str, limits: Limits) -> str:
    """The channel's own wording of a hint: the variant of the first capability it has, else the default."""
    for capability, key in HINTS.get(hint, ()):
        if not capability or getattr(limits, capability):
            return t(key)
    return ""


def decorate(reply: Reply, limits: Limits) -> Outgoing:
    """The reply's text with the channel's own hint, and its buttons if the channel has buttons."""
    choices = choices_of(reply)
    hint = hint_text(reply.hint, limits)
    said = reply.text + ("\n" + hint if hint else "")
    if limits.buttons:
        text = said + ("\n" + t("channels.choices.press") if choices else "")
        return Outgoing(text, reply.buttons)
    lines = [said]
    commands = commands_of(reply)
    if commands:
        lines.append("  ".join(t("channels.choices.command", name=command_name(b), label=b.label) for b in commands))
    if choices:
        labels = [label_of(b) for b in choices]
        if not _listed_in_text(reply.text, labels):
            lines.extend(t("channels.choices.item", number=n, label=label) for n, label in enumerate(labels, start=1))
        lines.append(t("channels.choices.reply_number"))
    return Outgoing("\n".join(lines))


def render(reply: Reply, limits: Limits) -> list[Outgoing]:
    """The messages one reply becomes on a channel; buttons go under the last part."""
    shown = decorate(reply, limits)
    parts = split_text(shown.text, chars=limits.text_chars, utf8_bytes=limits.text_bytes)
    return [Outgoing(part, shown.buttons if index == len(parts) - 1 else ()) for index, part in enumerate(parts)]


# ----------------------------------------------------------------------------- splitting


def _fits(text: str, chars: int | None, utf8_bytes: int | None) -> int:
    """The length of the longest prefix of ``text`` within both limits (at least one character)."""
    end = len(text) if chars is None else min(len(text), chars)
    if utf8_bytes is not None:
        used = 0
        for index, char in enumerate(text[:end]):
            used += len(char.encode("utf-8", "surrogatepass"))
            if used > utf8_bytes:
                end = index
                break
    return max(end, 1)


def _cut(head: str) -> int:
    """Where to end a part taken from ``head``: after a paragraph break, a line break, a sentence, or at the end.

    A break in the first half is not used, so parts do not become needlessly short.
    """
    half = len(head) // 2
    for pattern in ("\n\n", "\n"):
        at = head.rfind(pattern)
        if at >= half:
            return at + len(pattern)
    at = max(head.rfind(mark) for mark in t("channels.split.sentence_ends"))
    if at >= half:
        return at + 1
    return len(head)


def split_text(text: str, chars: int | None = None, utf8_bytes: int | None = None) -> list[str]:
    """Split ``text`` into parts within ``chars`` characters and ``utf8_bytes`` UTF-8 bytes.

    Nothing is lost or changed: ``"".join(parts) == text``; a line break that ends a part stays
    with it. Parts end on character boundaries, at paragraph breaks where possible.
    """
    if chars is None and utf8_bytes is None:
        return [text]
    parts: list[str] = []
    rest = text
    while True:
        room = _fits(rest, chars, utf8_bytes)
        if room >= len(rest):
            parts.append(rest)
            return parts
        end = _cut(rest[:room])
        parts.append(rest[:end])
        rest = rest[end:]
