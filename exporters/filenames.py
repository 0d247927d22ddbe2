"""File names for the exported forms, safe on every system a government office uses.

Names are built from what users typed (a case name), and the files travel by chat, e-mail and
USB stick to Windows machines, so a name must not contain characters Windows refuses, must not be
a reserved device name, must not hide text direction tricks, and must stay readable Chinese.
Characters Windows refuses are replaced by their full-width look-alikes where Chinese text has
one (：？《》“), so "关于：清朗行动" still reads the same.
"""

from __future__ import annotations

import re
import unicodedata

from dialogs.campaign import Campaign, Unit

UNNAMED = "未命名"
MAX_BYTES = 200  # below the 255-byte limit of common file systems, leaving room for a suffix

_REPLACEMENTS = str.maketrans(
    {
        ":": "：",
        "?": "？",
        "<": "《",
        ">": "》",
        '"': "“",
        "/": "-",
        "\\": "-",
        "|": "-",
        "*": "-",
    }
)
# Control, format (zero-width, bidi overrides), surrogate, private-use and unassigned characters,
# and line/paragraph separators: invisible in a file name, or able to disguise it.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_SPACES = re.compile(r"\s+")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.IGNORECASE)
_EDGE = " .\u3000"


def safe_component(text: str, max_chars: int = 60, *, max_bytes: int = MAX_BYTES) -> str:
    """Return ``text`` as one safe path component of at most ``max_chars`` characters.

    Never empty (falls back to 未命名), never a Windows device name, no leading or trailing dots
    or spaces, no leading "-" (which command-line tools read as an option), and at most
    ``max_bytes`` bytes in UTF-8.
    """
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFC", text or ""))
    cleaned = "".join(c for c in cleaned if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    cleaned = _SPACES.sub(" ", cleaned.translate(_REPLACEMENTS))
    cleaned = cleaned.lstrip(_EDGE + "-").rstrip(_EDGE)
    cleaned = _bounded(cleaned, max(1, max_chars), max_bytes)
    if not cleaned:
        return UNNAMED
    stem = cleaned.split(".", 1)[0].rstrip(" ")
    if _RESERVED.match(stem):
        cleaned = f"_{cleaned}"
    return cleaned


def _bounded(text: str, max_chars: int, max_bytes: int) -> str:
    text = text[:max_chars]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text.rstrip(_EDGE)


def form_filename(index: int | None, case_name: str | None) -> str:
    """``01-清朗网络共建行动-推荐表.docx``; without the number when ``index`` is None."""
    prefix = f"{index:02d}-" if index is not None else ""
    suffix = "-推荐表.docx"
    budget = MAX_BYTES - len(f"{prefix}{suffix}".encode())
    return f"{prefix}{safe_component(case_name or '', max_bytes=budget)}{suffix}"


def summary_filename(campaign: Campaign, unit: Unit) -> str:
    """``2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx``."""
    title = safe_component(campaign.summary_title)
    budget = MAX_BYTES - len(f"{title}-.xlsx".encode())
    return f"{title}-{safe_component(unit.name, max_bytes=budget)}.xlsx"


def province_filename(campaign: Campaign) -> str:
    """``2024年网络文明建设优秀案例推荐汇总表-全省.xlsx``."""
    return f"{safe_component(campaign.summary_title)}-全省.xlsx"


def case_list_filename(campaign: Campaign, unit: Unit) -> str:
    """``2024年全部申报案例（存档）-合肥市委网信办.xlsx``: the unit's working list, not 附件2."""
    title = safe_component(f"{campaign.year}年全部申报案例（存档）")
    budget = MAX_BYTES - len(f"{title}-.xlsx".encode())
    return f"{title}-{safe_component(unit.name, max_bytes=budget)}.xlsx"
