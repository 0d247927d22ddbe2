"""Numbers typed by people: case ids, ranks and item numbers read defensively.

A phone keyboard, an input method or a copy from a document may give full-width digits ("１２"),
superscripts ("²") or digits of another script. ``str.isdigit()`` accepts many of them while
``int()`` refuses some, and a huge id overflows SQLite's 64-bit integers; so every number a user
types goes through :func:`read_number`, which answers ``None`` for anything it cannot read safely.
"""

from __future__ import annotations

import unicodedata

from .wording import t

# SQLite stores integers in 64 bits; an id at or above this can never exist and must not reach it.
MAX_ID = 2**63 - 1
# A rank or an item number is small; anything longer than this is a typing slip, not a place.
MAX_SMALL = 10**6


def read_number(text: str, *, maximum: int = MAX_ID) -> int | None:
    """The positive integer ``text`` spells (after NFKC, so "１２" and "12" are the same), or None.

    Only ASCII digits are accepted once normalised; signs, decimals, other scripts' digits, zero
    and values above ``maximum`` give None, never an exception.
    """
    normal = unicodedata.normalize("NFKC", text).strip()
    if not normal or not normal.isascii() or not normal.isdigit() or len(normal) > len(str(maximum)):
        return None
    value = int(normal)
    return value if 1 <= value <= maximum else None


def read_case_id(text: str) -> int | None:
    """A case id as written in a command: "12", "#12", "１２"; the word 编号 before it is allowed."""
    normal = unicodedata.normalize("NFKC", text).strip().lstrip("#").strip()
    normal = normal.removeprefix(t("dialog.case_id_word")).strip()
    return read_number(normal)
