"""申报类别 from what a submitter types: a number, a name, the notice's alias, or a few of its words.

The rule is general, not a list of spellings: both the answer and every name of a category (its
full name and the aliases in the campaign file) are reduced to their core words, the shared prefix
网络空间 (and 网络, 空间) and trailing 类/方面/领域 taken off. A category matches when its core holds the
answer's core or the answer's core holds it (网络文明创建 → 文明创建 → 网络空间文明创建; 生态 →
网络空间生态治理; 行业规范 is the campaign file's alias of 网络空间行为规范). When no core matches
whole, the two-character words of the cores are compared, and the category sharing most words wins.
More than one candidate at the best level is a question back (FieldError listing them), never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .campaign import Category
from .errors import FieldError
from .wording import t

# 网络空间 / 网络 / 空间 anywhere, 类 方面 领域 at the end; written as escapes to keep the code free of prose.
_SHARED = re.compile(r"\u7f51\u7edc\u7a7a\u95f4|\u7f51\u7edc|\u7a7a\u95f4")
_SUFFIX = re.compile(r"(?:\u7c7b|\u65b9\u9762|\u9886\u57df)+$")
_NUMBER = re.compile(
    r"(?:\u7b2c)?([0-9]{1,2}|[\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341])(?:\u7c7b|\u9879)?[.)]?"
)
_NOISE = re.compile(r"[\s\W_]+")


def _core(text: str) -> str:
    text = _NOISE.sub("", unicodedata.normalize("NFKC", text))
    return _SUFFIX.sub("", _SHARED.sub("", text))


def _words(core: str) -> set[str]:
    return {core[i : i + 2] for i in range(len(core) - 1)}


def _by_number(text: str, count: int) -> int | None:
    match = _NUMBER.fullmatch(_NOISE.sub("", unicodedata.normalize("NFKC", text)) or "-")
    if not match:
        return None
    token = match.group(1)
    number = int(token) if token.isascii() else int(unicodedata.numeric(token))  # 三 → 3
    return number if 1 <= number <= count else None


def candidates(answer: str, categories: Sequence[Category]) -> list[Category]:
    """The categories ``answer`` may mean, best first; one for a clear answer, none for an unknown one."""
    number = _by_number(answer, len(categories))
    if number is not None:
        return [categories[number - 1]]
    core = _core(answer)
    if not core:
        return []
    cores = {cat.name: {_core(n) for n in (cat.name, *cat.aliases)} - {""} for cat in categories}
    exact = [cat for cat in categories if core in cores[cat.name]]
    if exact:
        return exact
    whole = [cat for cat in categories if any(core in c or c in core for c in cores[cat.name])]
    if whole:
        return whole
    if len(core) < 2:
        return []
    asked = _words(core)
    shared = {cat.name: max(len(asked & _words(c)) for c in cores[cat.name]) for cat in categories}
    best = max(shared.values())
    return [cat for cat in categories if best and shared[cat.name] == best]


def _listing(found: Sequence[Category], every: Sequence[Category]) -> str:
    return t("validators.category.joiner").join(
        t("validators.category.item", number=every.index(cat) + 1, name=cat.name) for cat in found
    )


def resolve(answer: str, categories: Sequence[Category]) -> str:
    """The canonical name of the category ``answer`` means, or a FieldError that asks (listing the choices)."""
    found = candidates(answer, categories)
    if len(found) == 1:
        return found[0].name
    shown = answer.strip()[:20]
    if found:
        raise FieldError(
            t("validators.category.ambiguous", answer=shown, count=len(found), listing=_listing(found, categories))
        )
    raise FieldError(
        t(
            "validators.category.unknown",
            answer=shown,
            count=len(categories),
            listing=_listing(categories, categories),
        )
    )


def echo(name: str) -> str:
    """What the dialog says once a category is chosen: "已选择申报类别：网络空间文明创建"."""
    return t("validators.category.recorded", name=name)
