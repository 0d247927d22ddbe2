"""同一案例不重复申报: find cases that are the same case sent twice.

The same piece of work is often reported by more than one unit (a city and a provincial news site,
say) or sent twice by one submitter, with the name retyped in full-width characters, different
quotation marks, an extra space, or in traditional characters (網絡 for 网络, pasted from a Hong
Kong or Taiwan source or typed with a traditional input method). So texts are first normalised (:func:`normalise`) and then
compared by the Dice coefficient of their character bigrams, which suits Chinese text: no word
segmentation is needed and small edits change only a few bigrams.

Comparing one case with every case of the campaign must be cheap because it runs inside the
submitting transaction; a :class:`Fingerprint` holds the normalised text and its bigram set so the
storage layer can compute it once per case and keep it.

What a user is told (:func:`duplicate_refusal_zh`, :func:`near_duplicate_question_zh`) says only
that a similar case exists: never who sent it, which unit, or what it is called.
"""

from __future__ import annotations

import operator
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

import opencc

from .campaign import Duplicates
from .models import CaseForm
from .wording import t

# Unicode general categories removed by normalise(): punctuation (P*: ，。、；：“”‘’（）《》【】—…·),
# symbols (S*: the ASCII + < = > ^ ` | ~ $ and emoji), separators and spaces (Z*), and control,
# format (zero-width) and unassigned code points (C*). None of them tells one case from another.
_DROPPED_CATEGORIES = ("P", "S", "Z", "C")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Fingerprints memoised by Fingerprint.of; enough for every case of a large campaign.
FINGERPRINT_CACHE_SIZE = 8192


def _dropped(char: str) -> bool:
    return unicodedata.category(char)[0] in _DROPPED_CATEGORIES or char.isspace()


def _char_class(codes: list[int]) -> re.Pattern[str]:
    """A regex matching one or more of the given BMP code points, as compact ranges."""
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)
    return re.compile(f"[{parts}]+")


@cache
def _bmp_tables() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes for the dropped characters of the Basic Multilingual Plane: those safe to drop
    before NFKC (their NFKC form is dropped too: "，" "“" but not "℃" → "°c" or "㎡" → "m2"), and
    all of them. Built once (about 20 ms) from the running Python's Unicode tables; the regexes
    run in C, which keeps normalising 5 000 summaries fast."""
    dropped = [code for code in range(0x10000) if _dropped(chr(code))]
    early = [c for c in dropped if all(map(_dropped, unicodedata.normalize("NFKC", chr(c))))]
    return _char_class(early), _char_class(dropped)


def _keep_astral(char: str) -> bool:
    return ord(char) <= 0xFFFF or unicodedata.category(char)[0] not in _DROPPED_CATEGORIES


@cache
def _to_simplified() -> opencc.OpenCC:
    """OpenCC's traditional → simplified conversion (characters and the phrases whose simplified
    form differs, 乾隆 kept as 乾隆); built once, its dictionaries ship with the package."""
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """The text as compared: NFKC (full-width → half-width), case-folded, in simplified characters,
    with all whitespace, punctuation (ASCII and Chinese), symbols, zero-width and control characters
    removed."""
    if not text:
        return ""
    early, drop = _bmp_tables()
    # Dropping Chinese punctuation first leaves mostly CJK text, which is_normalized() confirms
    # without the slow full NFKC pass; the second drop removes what NFKC produced ("⑴" → "(1)").
    text = early.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = drop.sub("", text.casefold())
    if _ASTRAL.search(text):  # rare: CJK extension B+ is kept, emoji and tag characters are not
        text = "".join(c for c in text if _keep_astral(c))
    if not text.isascii():
        text = _to_simplified().convert(text)
    return text


def grams(normalised: str) -> frozenset[str]:
    """Character bigrams of an already normalised text; a one-character text is its own gram,
    so that short names can still be compared."""
    if len(normalised) < 2:
        return frozenset((normalised,)) if normalised else frozenset()
    # Interned, so that the same bigram in different cases is one object: set intersection then
    # matches by identity (twice as fast) and 5 000 fingerprints share their strings.
    return frozenset(map(sys.intern, map(operator.add, normalised, normalised[1:])))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient 2|A∩B| / (|A|+|B|); 0.0 when either side is empty."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return 2 * len(a & b) / (len(a) + len(b))


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the duplicate check needs of one case: normalised name and summary, and their bigrams.

    The storage layer may keep these (in memory or as the two normalised strings) instead of
    loading and normalising every case's form for each submission.
    """

    name: str
    summary: str
    name_grams: frozenset[str] = field(init=False, repr=False, compare=False)
    summary_grams: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name_grams", grams(self.name))
        object.__setattr__(self, "summary_grams", grams(self.summary))

    @classmethod
    def of(cls, name: str | None, summary: str | None) -> Fingerprint:
        """Fingerprint of a raw name and summary as the user typed them.

        Memoised on the raw texts (pure, bounded), so that a caller passing plain forms pays
        for normalising each unchanged case only once per process.
        """
        return _fingerprint(name or "", summary or "")

    @classmethod
    def of_form(cls, form: CaseForm) -> Fingerprint:
        return cls.of(form.name, form.summary)

    @classmethod
    def from_normalised(cls, name: str, summary: str) -> Fingerprint:
        """Rebuild from the normalised strings the storage layer kept (``fp.name``, ``fp.summary``)."""
        return cls(name, summary)

    @property
    def empty(self) -> bool:
        return not self.name and not self.summary


@lru_cache(maxsize=FINGERPRINT_CACHE_SIZE)
def _fingerprint(name: str, summary: str) -> Fingerprint:
    return Fingerprint(normalise(name), normalise(summary))


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0..1, after :func:`normalise`; identical normalised text is 1.0."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    return dice(grams(na), grams(nb))


def _text_score(a: str, ga: frozenset[str], b: str, gb: frozenset[str], floor: float) -> float:
    """Similarity of two fingerprinted texts, or 0.0 as soon as it cannot reach ``floor``."""
    if not ga or not gb:
        return 0.0
    if a == b:
        return 1.0
    la, lb = len(ga), len(gb)
    if 2 * min(la, lb) < floor * (la + lb):  # even full overlap of the smaller set stays below
        return 0.0
    return dice(ga, gb)


DuplicateKind = Literal["none", "near", "clear"]


@dataclass(frozen=True, slots=True)
class DuplicateVerdict:
    """Result of :func:`check_duplicate`.

    ``matches`` are the ids of the other cases at the verdict's level (all clear matches for
    "clear", all near matches for "near"), most similar first; ``score`` is the highest similarity
    found among them. These are for the storage layer and administrators, never for the user.
    """

    kind: DuplicateKind
    matches: tuple[int, ...] = ()
    score: float = 0.0

    @property
    def clear(self) -> bool:
        return self.kind == "clear"

    @property
    def near(self) -> bool:
        return self.kind == "near"


NO_DUPLICATE = DuplicateVerdict("none")


def check_duplicate(
    candidate: CaseForm | Fingerprint,
    others: Iterable[tuple[int, CaseForm | Fingerprint]],
    thresholds: Duplicates,
    self_id: int | None = None,
) -> DuplicateVerdict:
    """Compare a case about to be submitted with the other cases of the campaign.

    Clear duplicate: identical normalised names, or name or summary similarity ≥ ``clear``.
    Near duplicate: name or summary similarity ≥ ``near``. ``self_id`` is skipped, so that a case
    resubmitted after revision is not found to duplicate itself. Passing :class:`Fingerprint`
    objects for ``others`` avoids normalising every form again.
    """
    mine = candidate if isinstance(candidate, Fingerprint) else Fingerprint.of_form(candidate)
    if mine.empty:
        return NO_DUPLICATE
    floor = min(thresholds.near, thresholds.clear)
    clear: list[tuple[float, int]] = []
    near: list[tuple[float, int]] = []
    for case_id, other in others:
        if case_id == self_id:
            continue
        theirs = other if isinstance(other, Fingerprint) else Fingerprint.of_form(other)
        score = max(
            _text_score(mine.name, mine.name_grams, theirs.name, theirs.name_grams, floor),
            _text_score(mine.summary, mine.summary_grams, theirs.summary, theirs.summary_grams, floor),
        )
        if score >= thresholds.clear:
            clear.append((score, case_id))
        elif score >= thresholds.near:
            near.append((score, case_id))
    found = clear or near
    kind: DuplicateKind = "clear" if clear else "near"
    if not found:
        return NO_DUPLICATE
    found.sort(key=lambda pair: (-pair[0], pair[1]))
    return DuplicateVerdict(kind, tuple(case_id for _, case_id in found), found[0][0])


def duplicate_refusal_zh() -> str:
    """Why a clear duplicate cannot be submitted; says nothing about the other case or its sender."""
    return t("duplicates.refusal")


def near_duplicate_question_zh() -> str:
    """Asks the submitter to confirm a near duplicate is a different case; reveals nothing else."""
    return t("duplicates.question")
