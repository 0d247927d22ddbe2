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

__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_MERGE",
    "MAX_ROWS",
    "FormRead",
    "Layout",
    "ReadForm",
    "Refusal",
    "Refused",
    "check_name",
]

MAX_BYTES = 20 * 1024 * 1024  # a filled 推荐表 with two photos is well under 10 MB
# A document's tables, checked on its XML before anything is built from them (附件1 has some twenty rows).
MAX_COLUMNS = 63  # Word's own limit: no table, and no cell's span, is wider
MAX_ROWS = 1_000  # table rows in the whole document
MAX_CELLS = 10_000  # table cells in the whole document
MAX_MERGE = 100  # rows one cell may be merged down over (vMerge)


class Refusal(Enum):
    TOO_BIG = "too_big"
    OLD_WORD = "old_word"
    PDF = "pdf"
    MACRO = "macro"
    BOMB = "bomb"
    BROKEN = "broken"
    NOT_WORD = "not_word"
    TOO_WIDE = "too_wide"  # a cell spanning, or a row holding, more columns than Word allows
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_CELLS = "too_many_cells"
    MERGE_TOO_DEEP = "merge_too_deep"
    TOO_SLOW = "too_slow"  # the read was stopped at its time limit
    TOO_MUCH_MEMORY = "too_much_memory"  # the read was stopped at its memory limit


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    found: int = 0  # what the file claims, for the refusals of a structure beyond a limit


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
