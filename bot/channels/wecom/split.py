"""A long text cut into messages WeCom will carry whole: at most 2 048 UTF-8 bytes each.

Why bytes and why here: WeCom counts a text message's limit in UTF-8 bytes (a Chinese character is
three) and silently truncates anything longer, so a review of a 2 000-字 case would lose its end.
Cuts fall at a paragraph break where one is near enough, else at a line break, else after a
sentence's end, else between two characters — never inside a character.
"""

from __future__ import annotations

TEXT_BYTES = 2048
# Sentence ends (。！？； and their ASCII forms), by code point: punctuation data, not wording for the catalog.
_SENTENCE_ENDS = "".join(map(chr, (0x3002, 0xFF01, 0xFF1F, 0xFF1B))) + "!?;"


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _longest_prefix(text: str, limit: int) -> str:
    """The longest prefix of whole characters within ``limit`` bytes."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def _cut(prefix: str) -> int:
    """Where to end this message inside ``prefix``: the best break in its second half, else its end."""
    floor = len(prefix) // 2
    for separator in ("\n\n", "\n"):
        at = prefix.rfind(separator)
        if at > floor:
            return at
    at = max(prefix.rfind(mark) for mark in _SENTENCE_ENDS)
    if at > floor:
        return at + 1
    return len(prefix)


def split_text(text: str, limit: int = TEXT_BYTES) -> list[str]:
    """``text`` as messages of at most ``limit`` UTF-8 bytes, in order; an empty text gives none."""
    if limit < 4:
        raise ValueError("the limit must hold any one character (4 bytes)")
    parts: list[str] = []
    rest = text
    while utf8_len(rest) > limit:
        prefix = _longest_prefix(rest, limit)
        at = _cut(prefix)
        head = rest[:at].rstrip("\n")
        if head:
            parts.append(head)
        rest = rest[at:].lstrip("\n")
    if rest.strip():
        parts.append(rest)
    return parts
