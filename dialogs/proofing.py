"""What a careful clerk checks before the 推荐表 is printed, listed on the review as 提示.

Texts copied from a web page bring the page with them ("打开网易新闻 查看精彩图片", a caption number on
a line of its own, "来源：… 编辑：…", "点击查看"); a part sent with its heading as well as the form's
("一、背景意义" printed, then "一、背景与起因"); the form's own notes; half-width , ; : ? ! ( ) between
Chinese characters. None of it is refused (an office may mean it), so it is stored as sent and the
review names each with its item and the words, to be fixed before printing. Numbers, web addresses
and English keep their half-width marks: only a mark with a Chinese character on both sides counts.
"""

from __future__ import annotations

import re

from . import headings, hints
from .form import label
from .models import PARTS, CaseForm, Step
from .wording import t

SHOWN = 8  # 提示 listed on the review; the rest are counted
WORDS = 24  # characters of the words quoted
CHECKED = (Step.NAME, Step.APPLICANT, Step.CONTACT, Step.SUMMARY, *PARTS)
_HAN = r"[\u4e00-\u9fff]"
_URL = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]+", re.IGNORECASE)
_PUNCT = re.compile(rf"{_HAN}[,;:?!(]{_HAN}|{_HAN}\){_HAN}|{_HAN}[,;:?!]\s+{_HAN}")


def _alternation(key: str) -> str:
    return "|".join(map(re.escape, sorted(t(key).split(), key=len, reverse=True)))


_WEB = re.compile(_alternation("pasted.leftovers.app"), re.IGNORECASE)
_BYLINE = re.compile(rf"(?:^|\s)(?:{_alternation('pasted.leftovers.byline')})\s*[:\uff1a]")
_CAPTION = re.compile(rf"^(?:{_alternation('pasted.leftovers.caption')})?\s*[0-9\uff10-\uff19]{{1,2}}[.\u3001]?$")


def _short(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= WORDS else words[:WORDS] + t("dialog.display.more")


def _line_notes(step: Step, text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for line in (raw.strip() for raw in text.split("\n")):
        if not line:
            continue
        if _WEB.search(line):
            found.append(("proofing.what.web", line))
        elif len(_BYLINE.findall(line)) >= 2 or (_BYLINE.match(line) and len(line) <= 40):
            found.append(("proofing.what.byline", line))
        elif _CAPTION.match(line) and step not in (Step.NAME, Step.APPLICANT, Step.CONTACT):
            found.append(("proofing.what.caption", line))
        elif hints.is_title(line):
            found.append(("proofing.what.title", line))
    return found


def _field_notes(step: Step, text: str) -> list[tuple[str, str]]:
    found = _line_notes(step, text)
    if step in PARTS:
        found += [("proofing.what.heading", h.text) for h in headings.find(text) if h.part != headings.SUMMARY]
    found += [("proofing.what.hint", hint) for hint in hints.leftovers(text)]
    plain = _URL.sub(" ", text)
    found += [("proofing.what.punct", m.group(0)) for m in _PUNCT.finditer(plain)]
    return found


def notes(form: CaseForm) -> list[str]:
    """The review's 提示, each with the item and the words; [] when there is nothing to point out."""
    found = [(step, key, words) for step in CHECKED for key, words in _field_notes(step, str(form.value(step) or ""))]
    if not found:
        return []
    lines = [t("proofing.title")]
    lines += [
        t("proofing.item", label=label(step), what=t(key), words=_short(words)) for step, key, words in found[:SHOWN]
    ]
    if len(found) > SHOWN:
        lines.append(t("proofing.more", count=len(found) - SHOWN))
    return lines
