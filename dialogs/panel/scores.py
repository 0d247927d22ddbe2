"""What an expert types when scoring, read defensively.

Points come one by one ("18") or all at once ("18 35 36", "18，35，36", full-width digits too);
each is checked against its criterion's maximum, and a refusal names the criterion and the maximum,
so the expert knows what to type. Half points are allowed (an office's panels often give 17.5),
finer steps are not. A gate is answered yes or no; a "no" carries its reason, typed after it or on
its own line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..errors import FieldError
from ..wording import t
from .criteria import Criterion

_SPLIT = re.compile(r"[\s,;/|" + re.escape(t("panel.list")) + "]+")
_NUMBER = re.compile(r"\d{1,4}(?:\.\d{1,2})?")
HALF = Decimal("0.5")
MAX_TEXT = 200  # longer than any list of points: a pasted document is not an answer here


@dataclass(frozen=True)
class GateAnswer:
    passed: bool
    reason: str = ""


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _strip_unit(token: str) -> str:
    return token.removesuffix(t("panel.score.unit")).strip()


def read_point(text: str, criterion: Criterion) -> Decimal:
    """One criterion's points, or a :class:`FieldError` naming the criterion and its maximum."""
    assert criterion.max is not None
    token = _strip_unit(_normal(text))
    if len(token) > MAX_TEXT or not _NUMBER.fullmatch(token):
        raise FieldError(t("panel.score.not_number", name=criterion.name, most=criterion.max))
    try:
        value = Decimal(token)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise FieldError(t("panel.score.not_number", name=criterion.name, most=criterion.max)) from None
    if value > criterion.max:
        raise FieldError(t("panel.score.over", name=criterion.name, most=criterion.max, given=token))
    if value % HALF:
        raise FieldError(t("panel.score.half", name=criterion.name, given=token))
    return value.normalize() if value == value.to_integral() else value


def read_points(text: str, criteria: Sequence[Criterion]) -> tuple[Decimal, ...]:
    """All the points criteria at once, in their order; the count must match."""
    normal = _normal(text)
    if len(normal) > MAX_TEXT:
        raise FieldError(t("panel.score.too_long"))
    tokens = [tok for tok in _SPLIT.split(normal) if tok]
    if len(tokens) != len(criteria):
        raise FieldError(
            t(
                "panel.score.count",
                count=len(criteria),
                given=len(tokens),
                names=t("panel.list").join(c.name for c in criteria),
            )
        )
    return tuple(read_point(token, criterion) for token, criterion in zip(tokens, criteria, strict=True))


def _words(key: str) -> tuple[str, ...]:
    return tuple(w for w in t(key).split("|") if w)


def read_gate(text: str) -> GateAnswer:
    """是 / 否 (and their common variants); the rest of the line after a "否" is the reason."""
    normal = _normal(text)
    if len(normal) > MAX_TEXT * 5:
        raise FieldError(t("panel.gate.too_long"))
    lowered = normal.lower()
    for word in sorted(_words("panel.gate.no_words"), key=len, reverse=True):
        if lowered.startswith(word):
            rest = normal[len(word) :]
            if rest[:1].isascii() and rest[:1].isalpha():
                continue  # "none" is not "no"
            return GateAnswer(passed=False, reason=rest.lstrip(t("panel.gate.reason_lead")).strip())
    for word in sorted(_words("panel.gate.yes_words"), key=len, reverse=True):
        if lowered == word or (lowered.startswith(word) and len(lowered) <= len(word) + 1):
            return GateAnswer(passed=True)
    raise FieldError(t("panel.gate.unclear"))


def total(points: Sequence[Decimal]) -> Decimal:
    return sum(points, Decimal(0))
