"""A cover value cut into the lines it prints on, so that every line can have its own rule.

附件1's cover is a label and a line to write on ("案例名称：______"). A name longer than the line
wraps; a rule drawn under a wrapping cell would underline only its last line and leave the first
floating. So the value is broken here, each line gets a row and a rule of its own, and the label
stands at the first. The break follows the Chinese rules a typesetter keeps (禁则): no line starts
with a closing mark (，。、）” …) and none ends with an opening one (（“《 …); a Latin word or a
number is never cut unless it is longer than a whole line.

Widths are counted in ems of the cover's size: a Chinese character or full-width mark is 1, a
Latin letter or digit about half (more for capitals); the line is given a little less than the
cell holds, so that Word, WPS and LibreOffice, whose fonts differ, all keep each line on one line.
"""

from __future__ import annotations

import re
import string

NO_START = set("，。、；：？！）》」』】〉”’…—·%‰,.;:?!)]}")
NO_END = set("（《「『【〈“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/@&+]*|\s+|.", re.S)
_CAPITALS = set(string.ascii_uppercase + "@%&#")


def em(char: str) -> float:
    """Printed width of ``char`` in ems of its size."""
    if not char.isascii():
        return 1.0
    if char in _CAPITALS:
        return 0.75
    return 0.6


def width(text: str) -> float:
    return sum(em(char) for char in text)


def wrap(text: str, line_ems: float) -> list[str]:
    """``text`` (one line already) as the lines it prints on, each at most ``line_ems`` wide."""
    lines: list[str] = []
    current: list[str] = []
    for token in _tokens(text, line_ems):
        if current and width("".join(current) + token) > line_ems:
            carried: list[str] = []
            if token[0] in NO_START and len(current) > 1:
                carried.append(current.pop())  # a closing mark never starts a line: take a character along
            while len(current) > 1 and current[-1][-1] in NO_END:
                carried.insert(0, current.pop())  # an opening mark never ends one
            lines.append("".join(current).strip())
            current = [*carried, token] if not token.isspace() else carried
        else:
            current.append(token)
    lines.append("".join(current).strip())
    return [line for line in lines if line] or [""]


def _tokens(text: str, line_ems: float) -> list[str]:
    """Unbreakable pieces: a Latin word or number (cut if longer than a line), a space, a character."""
    pieces: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        while width(token) > line_ems and len(token) > 1:
            cut = 1
            while cut < len(token) and width(token[: cut + 1]) <= line_ems:
                cut += 1
            pieces.append(token[:cut])
            token = token[cut:]
        pieces.append(token)
    return pieces
