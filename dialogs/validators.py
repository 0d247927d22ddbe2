"""One validator per kind of answer: ``str -> value`` or a :class:`FieldError` saying which rule broke.

The messages are what the submitter reads, so each one names the rule and, where it is a length,
by how much the answer is over. The kinds with a grammar of their own live in their own modules
(:mod:`dialogs.phones`, :mod:`dialogs.periods`, :mod:`dialogs.categories`); this module is the one
place the dialog calls.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from . import categories, periods, phones
from .campaign import Category, Unit, Window
from .errors import FieldError
from .wordcount import count_chars, count_zi
from .wording import t

__all__ = [
    "FieldError",
    "category",
    "clean_text",
    "long_field",
    "long_text",
    "period",
    "phone",
    "short_text",
    "unit",
]

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\ufe0f\u20e3\U000e0020-\U000e007f]"
)


def clean_text(raw: str, *, multiline: bool) -> str:
    """Normalise what a chat client sends, and refuse what cannot go on an official form.

    Zero-width characters are dropped silently (they arrive with copy and paste and are never
    meant); control characters and emoji are refused, because they cannot be printed in 仿宋.
    In a long answer the line and paragraph separators (U+2028/U+2029, U+0085) are line breaks.
    """
    text = raw.translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    printable = text.replace("\n", "").replace("\t", "").isprintable()  # the usual case, checked in C
    for index, char in enumerate("" if printable else text, start=1):
        if char in "\n\t":
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co"):
            raise FieldError(t("validators.control_char", index=index))
    if _EMOJI.search(text):
        raise FieldError(t("validators.emoji"))
    text = text.replace("\t", " ")
    if multiline:
        lines = [line.strip() for line in text.split("\n")]
        text = "\n".join(lines)
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
    else:
        if "\n" in text.strip():
            raise FieldError(t("validators.one_line"))
        text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise FieldError(t("validators.empty"))
    return text


def _default_chars(limit: int) -> int:
    """The character cap when a caller gives none: six times the 字 limit (the campaign file sets its own)."""
    return max(6 * limit, 60)


def check_chars(text: str, label: str, chars: int) -> None:
    """FieldError when ``text`` has more than ``chars`` visible characters (a hard cap beside the 字 limit)."""
    used = count_chars(text)
    if used > chars:
        raise FieldError(t("validators.chars_over", label=label, chars=used, most=chars))


def short_text(raw: str, *, label: str, limit: int, chars: int | None = None) -> str:
    """A one-line answer such as 案例名称 or 联系人: at most ``limit`` 字 and ``chars`` characters."""
    text = clean_text(raw, multiline=False)
    used = count_zi(text)
    if used > limit:
        raise FieldError(t("validators.short_over", label=label, limit=limit, used=used, over=used - limit))
    check_chars(text, label, chars or _default_chars(limit))
    return text


def long_text(
    raw: str, *, label: str, limit: int, used_elsewhere: int = 0, whole: str = "", chars: int | None = None
) -> str:
    """A long answer, checked against a 字 limit it may share with other parts (``used_elsewhere``)
    and against its own character cap ``chars`` (the 字 limit is checked first: its message helps more)."""
    text = clean_text(raw, multiline=True)
    used = count_zi(text) + used_elsewhere
    if used > limit:
        scope = whole or label
        raise FieldError(t("validators.long_over", scope=scope, limit=limit, used=used, over=used - limit))
    check_chars(text, label, chars or _default_chars(limit))
    return text


def long_field(raw: str, *, label: str, chars: int) -> str:
    """A long answer as the dialog stores it: tidied and within its character cap, but *not* refused
    for passing its 字 limit, which :mod:`dialogs.overlimit` marks instead (nothing sent is lost)."""
    text = clean_text(raw, multiline=True)
    check_chars(text, label, chars)
    return text


def category(raw: str, choices: Sequence[Category]) -> str:
    """A category by number, name, alias or its core words; the canonical name (see :mod:`dialogs.categories`)."""
    return categories.resolve(clean_text(raw, multiline=False), choices)


def _number(token: str) -> int | None:
    token = unicodedata.normalize("NFKC", token)
    if token.isascii() and token.isdigit() and len(token) <= 4:
        return int(token)
    if len(token) == 1 and unicodedata.category(token) == "Lo":
        try:
            value = unicodedata.numeric(token)  # 一 … 十
        except ValueError:
            return None
        return int(value) if value == int(value) and 1 <= value <= 10 else None
    return None


def unit(raw: str, units: Sequence[Unit]) -> str:
    """A recommending unit by number in the list, code or name; returns the unit code."""
    text = clean_text(raw, multiline=False)
    number = _number(re.sub(r"[.\u3001\s]+$", "", text))
    if number is not None and 1 <= number <= len(units):
        return units[number - 1].code
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for u in units:
        if key in (u.code, re.sub(r"\s+", "", u.name)):
            return u.code
    found = [u for u in units if key and key in u.name]
    if len(found) == 1:
        return found[0].code
    raise FieldError(t("validators.unit_unknown"))


def period(raw: str, window: Window) -> str:
    """开展实施或发布时间, stored in the grammar of :mod:`dialogs.periods` ("2022-03", "2022-03/2023-06" …)."""
    return periods.parse(clean_text(raw, multiline=False), window)


def phone(raw: str) -> str:
    """联系方式: one or two numbers in the normal form of :mod:`dialogs.phones` ("0551-62606335转8001").

    Notices and letterheads print an office line and a mobile on two lines, so a line break
    separates two numbers as 、 does."""
    lines = clean_text(raw, multiline=True).split("\n")
    return phones.parse(t("validators.phone.joiner").join(line for line in lines if line.strip()))
