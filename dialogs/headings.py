"""Finding the four headings of a 案例内容 pasted whole, and splitting the text at them.

Offices paste the 案例内容 as it stands in their Word file: "一、背景意义 …… 二、主要做法 ……", with
any numbering (一、 一. （一） 1. 第一部分 or none), with or without 、 or ：, each heading on its own
line or inline after the previous sentence. Only the four heading words (and their close variants)
count, and only in a heading's position, so the sub-numbering inside a part (一是…, （一）…, 1. …)
never splits anything. Pure functions; the heading words and marks come from the catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .wording import t

SUMMARY = -1  # the part number of the 案例简介 heading


def _words(key: str) -> list[str]:
    return sorted(t(key).split(), key=len, reverse=True)


_PART_WORDS: tuple[list[str], ...] = (
    _words("headings.background"),
    _words("headings.practice"),
    _words("headings.results"),
    _words("headings.lessons"),
)
_SUMMARY_WORDS = _words("headings.summary")
_NAMES = tuple(
    t(key).split()[0] for key in ("headings.background", "headings.practice", "headings.results", "headings.lessons")
)


def _pattern() -> re.Pattern[str]:
    numerals = re.escape(t("headings.numerals"))
    opening, closing = re.escape(t("headings.open")), re.escape(t("headings.close"))
    marks = re.escape(t("headings.marks"))
    section = (
        re.escape(t("headings.section_before")) + f"[{numerals}0-9]{{1,2}}" + re.escape(t("headings.section_after"))
    )
    number = (
        f"(?:{section}"
        f"|[{opening}(][{numerals}0-9]{{1,2}}[{closing})]"
        f"|[{numerals}]{{1,2}}[{marks}.]"
        f"|[0-9]{{1,2}}[{marks}.](?![0-9]))"
    )
    words = "|".join(
        f"(?P<w{index}>{'|'.join(map(re.escape, group))})" for index, group in enumerate((*_PART_WORDS, _SUMMARY_WORDS))
    )
    stops = re.escape(t("headings.stops"))
    separators = re.escape(t("headings.separators"))
    space = r"[ \t\u3000]"
    return re.compile(
        rf"(?:^|(?<=[\n{stops}!?;]))(?P<lead>{space}*)(?P<num>{number})?[{space[1:-1]}:{separators}]*"
        rf"(?:{words})"
        rf"(?P<sep>{space}*[{separators}:,.]|{space}*(?=\n)|{space}*$|{space}+)?"
    )


_HEADING = _pattern()


@dataclass(frozen=True)
class Heading:
    part: int  # 0..3 for the four parts, SUMMARY for 案例简介
    start: int  # where the heading (with its numbering) starts
    end: int  # where the text under it starts
    text: str  # the heading as written, e.g. "二、主要做法"


@dataclass(frozen=True)
class Split:
    lead: str  # text before the first heading that is not a 案例简介 (often the case's title)
    summary: str | None  # the text under a leading 案例简介 heading, if there was one
    parts: tuple[str, str, str, str]
    headings: tuple[Heading, ...]


def find(text: str) -> list[Heading]:
    """Every heading in a heading's position: numbered, followed by a mark, or alone on its line."""
    found = []
    for match in _HEADING.finditer(text):
        if not (match.group("num") or match.group("sep") is not None):
            continue
        part = next(i for i in range(5) if match.group(f"w{i}") is not None)
        start = match.start() + len(match.group("lead"))
        found.append(
            Heading(
                part=SUMMARY if part == 4 else part,
                start=start,
                end=match.end(),
                text=text[start : match.end()].strip().rstrip(t("headings.separators") + ":,."),
            )
        )
    return found


def split(text: str) -> Split | None:
    """The four parts, if the four headings stand in order; the first of each is taken."""
    chosen: list[Heading] = []
    position = 0
    headings = find(text)
    for part in range(4):
        heading = next((h for h in headings if h.part == part and h.start >= position), None)
        if heading is None:
            return None
        chosen.append(heading)
        position = heading.end
    bounds = [h.start for h in chosen[1:]] + [len(text)]
    parts = tuple(text[h.end : stop].strip() for h, stop in zip(chosen, bounds, strict=True))
    lead, summary, used = text[: chosen[0].start], None, tuple(chosen)
    opening = leading(lead)
    if opening is not None and opening.part == SUMMARY:
        summary, lead, used = lead[opening.end :].strip(), lead[: opening.start], (opening, *chosen)
    return Split(lead=lead.strip(), summary=summary, parts=(parts[0], parts[1], parts[2], parts[3]), headings=used)


def leading(text: str) -> Heading | None:
    """The heading a text begins with (after blank space), if it begins with one."""
    first = next(iter(find(text)), None)
    if first is None or text[: first.start].strip():
        return None
    return first


def strip_own(text: str, part: int) -> tuple[str, str]:
    """A part sent starting with its own heading ("二、主要做法……"): the text without it, and the
    heading removed ('' when there was none), because the form prints the heading itself."""
    first = leading(text)
    if first is None or first.part != part:
        return text, ""
    return text[first.end :].strip(), first.text


def part_name(part: int) -> str:
    """The heading word as the notice writes it."""
    return _NAMES[part] if part >= 0 else t("headings.summary").split()[0]
