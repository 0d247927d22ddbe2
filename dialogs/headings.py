"""The one recogniser of the 案例内容's part headings, for a paste and for a Word document alike.

Offices write the four headings in many templates: 背景意义 / 主要做法 / 实施成效 / 经验启示, but also
背景与起因 / 做法与经过 / 成效与反响 / 启示与思考, 基本情况 / 取得成效, 案例背景 / 工作成效 / 经验体会,
【背景意义】 in brackets, with any numbering (一、 一. （一） 1. 第一部分 or none), with or without 、 or ：,
on its own line or inline after the previous sentence. A list of templates would always miss the next
one, so a heading is recognised by the *classes* of its key words, kept as data in the catalog
(``headings.classes``): a heading is a short phrase of key words, modifiers (主要、具体、工作……) and
connectors (与、及、和……), in a heading's position. Its key words say its part; when they belong to
two parts (经验做法, 主要做法及成效) the heading is :attr:`Heading.ambiguous` and the caller asks, never
guesses. A phrase of one key word (成效, 做法) counts only where nothing else can be meant: at the end of
its line, before a colon, or in brackets; so "（二）成效显著" inside a part never splits anything.
Pure functions; the words and marks come from the catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import hints
from .models import PARTS, Step
from .wording import t

SUMMARY = -1  # the part number of the 案例简介 heading
AMBIGUOUS = -2  # the part number of a heading whose key words belong to two parts
STRONG = 4  # characters from which a phrase is a heading before any separator (主要做法, not 做法)
_CLASS_KEYS = (
    "headings.classes.background",
    "headings.classes.practice",
    "headings.classes.results",
    "headings.classes.lessons",
)
_NAME_KEYS = ("headings.background", "headings.practice", "headings.results", "headings.lessons")
# full-width digits read as digits, one character for one, so positions stay those of the text
_WIDE_DIGITS = {0xFF10 + digit: ord("0") + digit for digit in range(10)}


def _words(key: str) -> list[str]:
    return sorted(t(key).split(), key=len, reverse=True)


_CLASSES: dict[int, list[str]] = {
    **{part: _words(key) for part, key in enumerate(_CLASS_KEYS)},
    SUMMARY: _words("headings.classes.summary"),
}
_KEYWORD = re.compile("|".join(map(re.escape, sorted((w for ws in _CLASSES.values() for w in ws), key=len)[::-1])))
_CLASS_OF = {word: part for part, words in _CLASSES.items() for word in words}


def _alternation(key: str) -> str:
    return "|".join(map(re.escape, _words(key)))


def _pattern() -> re.Pattern[str]:
    numerals = re.escape(t("headings.marks.numerals"))
    opening, closing = re.escape(t("headings.marks.open")), re.escape(t("headings.marks.close"))
    marks = re.escape(t("headings.marks.marks"))
    section = (
        re.escape(t("headings.marks.section_before"))
        + f"[{numerals}0-9]{{1,2}}"
        + re.escape(t("headings.marks.section_after"))
    )
    number = (
        f"(?:{section}"
        f"|[{opening}(][{numerals}0-9]{{1,2}}[{closing})]"
        f"|[{numerals}]{{1,2}}[{marks}.]"
        f"|[0-9]{{1,2}}[{marks}.](?![0-9]))"
    )
    filler, connector = _alternation("headings.words.fillers"), _alternation("headings.words.connectors")
    keyword = _KEYWORD.pattern
    phrase = f"(?:{filler})*(?:{keyword})(?:(?:{connector})?(?:{filler})*(?:{keyword}))*"
    brackets = re.escape(t("headings.marks.bracket_open")), re.escape(t("headings.marks.bracket_close"))
    stops = re.escape(t("headings.marks.stops"))
    separators = re.escape(t("headings.marks.separators"))
    space = r"[ \t\u3000]"
    return re.compile(
        rf"(?:^|(?<=[\n{stops}!?;]))(?P<lead>{space}*)(?P<num>{number})?[{space[1:-1]}:{separators}]*"
        rf"(?:(?P<open>[{brackets[0]}])(?P<inner>{phrase})[{brackets[1]}]|(?P<phrase>{phrase}))"
        rf"(?P<sep>{space}*[{separators}:,.]|{space}*(?=\n)|{space}*$|{space}+)?"
    )


_HEADING = _pattern()
_COLON = ":" + t("headings.marks.separators")[0]


@dataclass(frozen=True)
class Heading:
    part: int  # 0..3 for the four parts, SUMMARY for 案例简介, AMBIGUOUS when its words name two parts
    start: int  # where the heading (with its numbering) starts
    end: int  # where the text under it starts
    text: str  # the heading as written, e.g. "二、做法与经过"
    options: tuple[int, ...] = ()  # the parts its key words name (two or more when ambiguous)

    @property
    def ambiguous(self) -> bool:
        return self.part == AMBIGUOUS


@dataclass(frozen=True)
class Split:
    lead: str  # text before the first heading that is not a 案例简介 (often the case's title)
    summary: str | None  # the text under a leading 案例简介 heading, if there was one
    parts: tuple[str, str, str, str]
    headings: tuple[Heading, ...]  # the headings used, in the order of the text
    in_order: bool = True  # False: the four headings stand in another order than the form's

    def heading_of(self, part: int) -> Heading:
        return next(h for h in self.headings if h.part == part)


def classify(phrase: str) -> tuple[int, ...]:
    """The parts whose key words a heading phrase holds, in the form's order (案例简介 first)."""
    return tuple(sorted({_CLASS_OF[m.group(0)] for m in _KEYWORD.finditer(phrase)}))


def _counts(match: re.Match[str], text: str) -> bool:
    """Whether a phrase in a heading's position is a heading, not the first words of a sentence."""
    if match.group("open"):
        return True
    sep = match.group("sep")
    ends_line = match.end() == len(text) or text[match.end()] == "\n"
    if len(match.group("phrase")) < STRONG:  # one key word: only where nothing else can be meant
        return sep is not None and ((ends_line and not sep.strip()) or (bool(sep.strip()) and sep.strip() in _COLON))
    return bool(match.group("num")) or sep is not None


def find(text: str) -> list[Heading]:
    """Every heading in a heading's position: numbered, bracketed, followed by a mark, or alone on its line."""
    normal = text.translate(_WIDE_DIGITS)
    found = []
    for match in _HEADING.finditer(normal):
        if not _counts(match, normal):
            continue
        options = classify(match.group("inner") or match.group("phrase"))
        start = match.start() + len(match.group("lead"))
        found.append(
            Heading(
                part=options[0] if len(options) == 1 else AMBIGUOUS,
                start=start,
                end=match.end(),
                text=text[start : match.end()].strip().rstrip(t("headings.marks.separators") + ":,."),
                options=options,
            )
        )
    return found


def ambiguous(text: str) -> Heading | None:
    """The first heading whose key words name two parts (经验做法): to be asked about before anything is split."""
    return next((h for h in find(text) if h.ambiguous), None)


def resolve(text: str, heading: Heading, part: int) -> str:
    """The text with an ambiguous heading replaced by the heading of the part the submitter chose."""
    return f"{text[: heading.start]}{part_name(part)}\n{text[heading.end :]}"


def sections(text: str) -> tuple[str, dict[int, str], list[Heading]]:
    """The text before the first part heading, the text under the first heading of each part found,
    and those headings in the order of the text (a part with no heading is absent)."""
    found = find(text)
    chosen = [h for part in range(4) if (h := next((h for h in found if h.part == part), None)) is not None]
    ordered = sorted(chosen, key=lambda h: h.start)
    if not ordered:
        return text, {}, []
    bounds = [h.start for h in ordered[1:]] + [len(text)]
    under = {h.part: text[h.end : stop].strip() for h, stop in zip(ordered, bounds, strict=True)}
    return text[: ordered[0].start], under, ordered


def split(text: str) -> Split | None:
    """The four parts, if each has a heading (the first of each is taken), in whatever order they stand."""
    lead, under, ordered = sections(text)
    if len(under) < 4:
        return None
    summary, used = None, tuple(ordered)
    opening = leading(lead)
    if opening is not None and opening.part == SUMMARY:
        summary, lead, used = lead[opening.end :].strip(), lead[: opening.start], (opening, *ordered)
    return Split(
        lead=lead.strip(),
        summary=summary,
        parts=(under[0], under[1], under[2], under[3]),
        headings=used,
        in_order=[h.part for h in ordered] == [0, 1, 2, 3],
    )


def leading(text: str) -> Heading | None:
    """The heading a text begins with (after blank space), if it begins with one."""
    first = next(iter(find(text)), None)
    if first is None or text[: first.start].strip():
        return None
    return first


def strip_own(text: str, part: int) -> tuple[str, str]:
    """A part sent starting with its own heading ("二、做法与经过……"): the text without it, and the
    heading removed ('' when there was none), because the form prints the heading itself."""
    first = leading(text)
    if first is None or first.part != part or not text[first.end :].strip():
        return text, ""  # a message of the heading alone has nothing under it: it is the text sent
    return text[first.end :].strip(), first.text


def by_paragraphs(paragraphs: list[str]) -> tuple[dict[Step, str], tuple[Step, ...], int]:
    """The parts of a document by the headings that begin its paragraphs (how Word carries them).

    Returns the parts found, the parts with no heading, and the characters that belong to no part:
    before the first heading, or under a heading whose words name two parts (never guessed).
    """
    found: dict[int, list[str]] = {}
    current: int | None = None
    left = 0
    for line in (p.strip() for p in paragraphs):
        if not line or hints.is_hint(line):
            continue
        head = leading(line)
        if head is not None and head.part != SUMMARY:
            current = head.part if not head.ambiguous else None
            rest = line[head.end :].strip()
            if current is None:
                left += len(rest)
            else:
                found.setdefault(current, [])
                if rest:
                    found[current].append(rest)
        elif current is None:
            left += len(line)
        else:
            found[current].append(line)
    parts = {PARTS[part]: "\n".join(lines) for part, lines in found.items() if lines}
    return parts, tuple(step for index, step in enumerate(PARTS) if index not in found), left


def part_name(part: int) -> str:
    """The heading word as the notice writes it."""
    return t(_NAME_KEYS[part]) if part >= 0 else t("headings.summary")
