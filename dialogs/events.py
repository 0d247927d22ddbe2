"""What a channel hands the dialog: one incoming message, already translated from its platform."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import PictureRef
from .wordfile import FormRead


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Command:
    name: str  # without the slash, lower-case: "start", "back", ...
    arg: str = ""


@dataclass(frozen=True)
class Press:
    """A button pressed; ``data`` is what the dialog put in the button."""

    data: str


@dataclass(frozen=True)
class PictureIn:
    data: bytes
    caption: str = ""
    filename: str = ""


@dataclass(frozen=True)
class Pictures:
    """One picture, or an album that arrived as one answer."""

    items: tuple[PictureIn, ...]


@dataclass(frozen=True)
class PictureChecked:
    """A picture as the shell read it (decoded and encoded afresh outside the dialog, in a process of its
    own): the clean copy and what it is, or, with no ``ref``, the reason it was refused in words."""

    ref: PictureRef | None = None
    data: bytes = b""
    refusal: str = ""
    caption: str = ""  # as it was sent; the dialog cleans it


@dataclass(frozen=True)
class PicturesRead:
    """The event :class:`Pictures` becomes once the shell has read every picture in it."""

    items: tuple[PictureChecked, ...]


@dataclass(frozen=True)
class Document:
    """A file sent as a document that is not a picture (a PDF scan, a .docx); channels that can take
    files hand it over whole, with the name it was sent under."""

    data: bytes
    filename: str = ""


@dataclass(frozen=True)
class Unsupported:
    """Something the form has no place for: a voice note, a sticker, a location."""

    kind: str


Event = Text | Command | Press | Pictures | PicturesRead | Document | FormRead | Unsupported


def parse_text(raw: str) -> Text | Command:
    """Split a typed line into a command or plain text, as every channel must do the same way."""
    stripped = raw.strip()
    if stripped.startswith("/") and len(stripped) > 1 and stripped[1].isascii() and stripped[1].isalpha():
        head, _, arg = stripped[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        return Command(name=name, arg=arg.strip())
    return Text(raw)


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """One message to show; ``buttons`` are rows of buttons on channels that have them."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    transient: bool = False  # a passing notice (a stale button); channels with toasts may show it as one
    # a sentence each channel words for itself (how to send a picture, how to join, where a file went):
    # the key of a table ``channels.hint.<hint>`` whose variants the channel's Limits choose
    hint: str = ""
