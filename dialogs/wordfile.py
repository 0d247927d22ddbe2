"""What a Word file gave: the data the shell hands the dialog after reading a .docx, and the rules known
from a file's name alone.

The dialog knows no file format: :mod:`bot.reading.word_form` opens the file (outside the dialog, where a
hostile document can be limited and killed) and returns one of these, which the dialog then judges field
by field as if typed (:mod:`dialogs.importing`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from .models import Step

__all__ = ["MAX_BYTES", "FormRead", "Layout", "ReadForm", "Refusal", "Refused", "check_name"]

MAX_BYTES = 20 * 1024 * 1024  # a filled 推荐表 with two photos is well under 10 MB


class Refusal(Enum):
    TOO_BIG = "too_big"
    OLD_WORD = "old_word"
    PDF = "pdf"
    MACRO = "macro"
    BOMB = "bomb"
    BROKEN = "broken"
    NOT_WORD = "not_word"


@dataclass(frozen=True)
class Refused:
    reason: Refusal


class Layout(Enum):
    FORM = "form"  # labels and values, as in 附件1
    PLAIN = "plain"  # paragraphs split at the part headings


@dataclass(frozen=True)
class ReadForm:
    """What a document holds, as raw text per field; nothing here is checked yet."""

    layout: Layout
    fields: dict[Step, str] = field(default_factory=dict)
    headings_missing: tuple[Step, ...] = ()  # parts whose heading a split found no trace of
    left_out: int = 0  # characters of text that belong to no field (before the first heading)
    pictures: int = 0  # pictures in the document, which are not imported
    linked: int = 0  # of those, pictures only linked (r:link to a file or address elsewhere), never fetched


@dataclass(frozen=True)
class FormRead:
    """The event a submitter's Word file becomes once the shell has read it: its name and what it gave."""

    filename: str
    read: ReadForm | Refused


_NAME_REFUSALS = (
    (re.compile(r"\.(?:doc|wps|dot|wpt)$", re.IGNORECASE), Refusal.OLD_WORD),
    (re.compile(r"\.pdf$", re.IGNORECASE), Refusal.PDF),
    (re.compile(r"\.(?:docm|dotm)$", re.IGNORECASE), Refusal.MACRO),
)


def check_name(filename: str) -> Refusal | None:
    """A refusal known from the file's name alone (a channel can answer without downloading it)."""
    return next((reason for pattern, reason in _NAME_REFUSALS if pattern.search(filename.strip())), None)
