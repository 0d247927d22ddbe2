"""Incoming events made safe to keep: every character of what is echoed or stored verbatim encodable.

A Telegram update may carry "\\ud800" in its JSON, and a terminal reads undecodable bytes as lone
surrogates; SQLite stores UTF-8 only. Such a character in an invitation code looked up, a command
argument echoed in a recorded reply, or a coordinator's comment kept would raise out of the service.
"""

from __future__ import annotations

import re

from dialogs.events import Command, Event, Press, Unsupported

_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with any lone surrogate replaced by U+FFFD (the common case, all encodable, costs one encode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def encodable_event(event: Event) -> Event:
    """The event with what is echoed or stored verbatim made encodable; a typed answer (Text, a
    caption) is left alone, since the field's validator refuses the character with a clear message."""
    if isinstance(event, Command):
        return Command(name=encodable(event.name), arg=encodable(event.arg))
    if isinstance(event, Press):
        return Press(data=encodable(event.data))
    if isinstance(event, Unsupported):
        return Unsupported(kind=encodable(event.kind))
    return event
