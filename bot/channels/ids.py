"""Channel-qualified user ids, as CASEBOT_ADMIN_IDS and the storage spell them.

Why normalise in one place: an administrator list written by hand mixes ``wecom:ZhangSan``,
``tg:123456`` and, from before there were channels, a bare ``123456``; every channel must read it the
same way. A bare number keeps meaning Telegram; WeCom UserIDs are compared lower-cased because WeCom
treats them case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable

KNOWN_PREFIXES = frozenset({"tg", "wecom", "term"})


class UserIdError(ValueError):
    """An id that names no channel casebot knows, or names one without a user."""


def normalise_user_id(raw: str) -> str:
    """``123`` → ``tg:123``; ``WeCom:ZhangSan`` → ``wecom:zhangsan``; ``tg:123`` unchanged."""
    text = raw.strip()
    if text.isascii() and text.isdigit():
        return f"tg:{text}"
    prefix, colon, rest = text.partition(":")
    prefix, rest = prefix.strip().lower(), rest.strip()
    if not colon or not rest or prefix not in KNOWN_PREFIXES:
        raise UserIdError(f"not a channel-qualified user id: {raw!r} (write tg:123456 or wecom:zhangsan)")
    if prefix == "tg" and not (rest.isascii() and rest.lstrip("-").isdigit()):
        raise UserIdError(f"a Telegram user id is a number: {raw!r}")
    if prefix == "wecom":
        rest = rest.lower()
    return f"{prefix}:{rest}"


def normalise_user_ids(raw: Iterable[str]) -> list[str]:
    """The list in its order, each id normalised, blanks skipped, duplicates dropped."""
    seen: dict[str, None] = {}
    for item in raw:
        if item.strip():
            seen.setdefault(normalise_user_id(item), None)
    return list(seen)
