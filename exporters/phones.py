"""Where a 联系方式 may break across lines: after a 、 and nowhere else.

A clerk dials from the printout; "0551-" at the end of one line and "62606335" on the next is a
number misread. The dialog writes several numbers joined by 、 ("0551-62606335、13812345678",
an extension as "转8001", a note such as "（办）" kept), so each item between two 、 is one unit
that must stay whole, and the 、 after it is the one place a line may end.

The Word form and the workbooks keep an item whole differently (see :mod:`exporters.form_table`
and :mod:`exporters.case_list_xlsx`); what an item is, and how wide it prints, is decided here.
"""

from __future__ import annotations

from .text import one_line
from .xlsx_cells import CELL_PAD_PX, COLUMN_PAD_PX, UNIT_PX, text_px

SEPARATOR = "、"
# No break here, zero width: kept by LibreOffice (ICU line breaking, checked by the office tests);
# Word and WPS are meant to keep it too, which cannot be checked on this server.
WORD_JOINER = "\u2060"
# A break may be made here, zero width. LibreOffice finds no break opportunity between 、 and a
# digit, so without it "0551-62606335、13812345678" is one unbreakable word, cut where it overflows.
BREAK_HERE = "\u200b"


def items(value: object) -> list[str]:
    """The numbers of a 联系方式, each with the 、 that follows it: the pieces a line may end after."""
    text = one_line(value)
    if not text:
        return []
    *heads, last = text.split(SEPARATOR)
    pieces = [head + SEPARATOR for head in heads]
    return [*pieces, last] if last else pieces


def glued(item: str) -> str:
    """``item`` with a word joiner wherever a line could otherwise break inside it.

    Digits and Latin letters never break among themselves; a Chinese character, a bracket or a
    space beside them may, so a joiner goes on both sides of every such character (a space
    becomes a no-break space). Hyphens are left to the caller, which writes Word's own
    non-breaking hyphen.
    """
    out: list[str] = []
    for index, char in enumerate(item):
        if char == " ":
            char = "\u00a0"
        if index and not (_plain(char) and _plain(item[index - 1])) and char != SEPARATOR:
            out.append(WORD_JOINER)
        out.append(char)
    return "".join(out)


def _plain(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "-")


def sheet_lines(value: object, width: float) -> str:
    """The 联系方式 for a wrapped worksheet cell ``width`` units wide: the items packed greedily
    onto lines, each line ended by an explicit line break after a 、. A worksheet cell has no
    non-breaking hyphen, and a spreadsheet may wrap at "-"; a line that holds its numbers whole
    gives it no reason to."""
    lines: list[str] = []
    room = _room_px(width)
    for item in items(value):
        if lines and text_px(lines[-1] + item) <= room:
            lines[-1] += item
        else:
            lines.append(item)
    return "\n".join(lines)


def sheet_width(values: list[object], least: float, most: float) -> float:
    """A column width (in Excel's units) that holds the longest single number of ``values`` on
    one line, between ``least`` and ``most``."""
    widest = max((text_px(item) for value in values for item in items(value)), default=0.0)
    needed = (widest + CELL_PAD_PX - COLUMN_PAD_PX) / UNIT_PX
    return float(min(most, max(least, round(needed + 0.5))))


def _room_px(width: float) -> float:
    return width * UNIT_PX + COLUMN_PAD_PX - CELL_PAD_PX
