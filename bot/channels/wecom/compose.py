"""The replies of one answer as few WeCom messages as they fit in, in order.

Why: WeCom takes 30 messages a minute per member and silently drops the rest, so casebot waits
(:mod:`.pacing`); every message an answer costs brings that wait closer. The dialog answers one
input with several replies ("已记录：…" and the next question; "已加入" and the welcome and the first
step), and a channel without buttons writes each reply's commands as a line of hints. Here the
replies of one answer are joined, a blank line between them, and cut again only where a message
would pass 2 048 UTF-8 bytes; the hints and the numbered list stay inside the text they belong to.
A reply that also gets a button card (:mod:`.cards`) ends its message, so the card comes right
under its own question and before whatever follows it.

Repeated commands are written once: the review's five "/show 8（查看全文：案例简介）" … become
"/show 序号（查看全文：8、9、10、11、12）", which keeps the review with its hints in one message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dialogs.events import Button, Reply
from dialogs.wording import t

from ..base import Limits
from ..render import COMMAND, command_name, decorate, split_text

SEPARATOR = "\n\n"  # between two replies joined into one message


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class CardFor:
    """The button card of ``reply``, sent right after the message that holds its text."""

    reply: Reply


Outgoing = Text | CardFor


def _grouped(buttons: list[Button]) -> Button | None:
    """One button standing for several of one command with an argument each, or None if they differ."""
    sep = t("wecom.commands.label_sep")
    heads = {b.label.partition(sep)[0] for b in buttons}
    if len(heads) != 1 or not all(sep in b.label for b in buttons):
        return None
    name = command_name(buttons[0]).split(" ")[0]
    numbers = t("wecom.commands.separator").join(command_name(b).partition(" ")[2] for b in buttons)
    label = t("wecom.commands.grouped", label=heads.pop(), numbers=numbers)
    return Button(label=label, data=f"{COMMAND}{name} {t('wecom.commands.argument')}:0")


def compact_commands(reply: Reply) -> Reply:
    """The reply with each command given several times with arguments (``/show 8``, ``/show 9``…) once."""
    commands: dict[str, list[Button]] = {}
    for button in (b for row in reply.buttons for b in row if b.data.startswith(COMMAND)):
        name, _, argument = command_name(button).partition(" ")
        if argument:
            commands.setdefault(name, []).append(button)
    merged = {name: group for name, group in commands.items() if len(group) > 1 and _grouped(group) is not None}
    if not merged:
        return reply
    rows: list[tuple[Button, ...]] = []
    for row in reply.buttons:
        kept: list[Button] = []
        for button in row:
            name = command_name(button).split(" ")[0] if button.data.startswith(COMMAND) else ""
            group = merged.get(name)
            if group is None or button not in group:
                kept.append(button)
            elif button is group[0]:
                kept.append(_grouped(group) or button)
        if kept:
            rows.append(tuple(kept))
    return Reply(reply.text, tuple(rows), reply.transient)


def compose(replies: Sequence[Reply], limits: Limits, has_card: Callable[[Reply], bool]) -> list[Outgoing]:
    """The messages ``replies`` become: texts joined while they fit, each card right after its question."""
    out: list[Outgoing] = []
    waiting: list[str] = []

    def flush() -> None:
        if waiting:
            joined = SEPARATOR.join(waiting)
            out.extend(Text(part) for part in split_text(joined, limits.text_chars, limits.text_bytes) if part.strip())
            waiting.clear()

    for reply in replies:
        text = decorate(compact_commands(reply), limits).text
        if text.strip():  # WeCom refuses an empty text
            waiting.append(text)
        if has_card(reply):
            flush()
            out.append(CardFor(reply))
    flush()
    return out
