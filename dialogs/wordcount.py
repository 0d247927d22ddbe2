"""字数 as Word and WPS count it, because that is the count the reviewers will check.

Each CJK character and each full-width or Chinese punctuation mark counts 1; each run of other
visible characters (Latin letters, digits, half-width punctuation) counts 1, so "2024年" is 2 字
and "5G+AI" is 1 字; whitespace of every kind counts 0: spaces, the ideographic space U+3000, the
no-break spaces U+00A0/U+202F, tabs, line and paragraph separators, every Unicode ``Zs``.

Because a Latin run is 1 字 however long, the 字 limit alone cannot bound an answer's length;
:func:`count_chars` is the second measure, checked against the campaign's per-field character caps.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .wording import t

_WIDE = (
    r"\u1100-\u11ff"  # Hangul Jamo
    r"\u2010-\u2027\u2030-\u205e"  # general punctuation used in Chinese text: — “ ” ‘ ’ … ‰
    r"\u2e80-\u2fff"  # CJK radicals, Kangxi
    r"\u3001-\u303f"  # CJK symbols and punctuation: 、。《》【】 (U+3000, the ideographic space, is whitespace)
    r"\u3040-\u31ff"  # kana, bopomofo, strokes
    r"\u3200-\u4dbf"  # enclosed CJK, compatibility, extension A
    r"\u4e00-\u9fff"  # CJK unified ideographs
    r"\ua960-\ua97f\uac00-\ud7ff"  # Hangul
    r"\uf900-\ufaff"  # compatibility ideographs
    r"\ufe30-\ufe4f"  # CJK compatibility forms
    r"\uff00-\uffef"  # full-width forms: ，：（）０１
    r"\U00020000-\U0003ffff"  # extensions B and later
    r"\u00b7"  # middle dot, as in 人名·人名
)
# str.isspace() whitespace, which is what \s means for str patterns: every Zs, tabs, line and paragraph
# separators; the zero-width characters are not whitespace but count 0 as well (clean_text drops them).
_INVISIBLE = r"\s\u200b\u200c\u200d\u2060\ufeff"
_TOKEN = re.compile(f"[{_WIDE}]|[^{_INVISIBLE}{_WIDE}]+")
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")
_CACHED = 20_000  # longer texts are counted afresh: a cache of huge pasted strings would hold them all


@lru_cache(maxsize=4096)
def _cached(text: str) -> int:
    return len(_TOKEN.findall(text))


def count_zi(text: str) -> int:
    """Return the 字数 of ``text`` (memoised for ordinary lengths: every prompt re-counts the parts so far)."""
    if len(text) > _CACHED:
        return sum(1 for _ in _TOKEN.finditer(text))
    return _cached(text)


def count_chars(text: str) -> int:
    """Visible characters, whitespace excluded: the measure of the per-field character caps."""
    return sum(1 for _ in _VISIBLE.finditer(text))


def rule_zh() -> str:
    """The counting rule in words, as the prompts and the help show it."""
    return t("validators.zi_rule")


RULE_ZH = rule_zh()  # kept for the callers that print it as a constant
