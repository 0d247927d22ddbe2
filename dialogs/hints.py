"""The form's own notes that come along with a text copied out of a filled 推荐表.

附件1 prints "（案例简介不超过 300 字）" under the 案例简介 and "（案例内容不超过 2000 字，可附 1-2 张图片
资料，可以附件形式提交。）" under the 案例内容, and its title "2024年网络文明建设优秀案例推荐表" above the
table. Offices copy them with their text; stored, they are counted, and printed twice (the form prints
them itself). The Word import and a paste both take them off here, and say so. The words come from the
catalog (``pasted.hints``).
"""

from __future__ import annotations

import re

from .wording import t

_OPEN, _CLOSE = r"[\uff08(]", r"[\uff09)]"
_INSIDE = r"[^\uff08\uff09()\n]"


def _alternation(key: str) -> str:
    return "|".join(map(re.escape, sorted(t(key).split(), key=len, reverse=True)))


_LIMIT = re.escape(t("pasted.hints.limit"))
# a paragraph that is one of the form's notes: a bracket holding 不超过 (as the Word import has read them)
_WHOLE = re.compile(rf"^\s*{_OPEN}{_INSIDE}*{_LIMIT}{_INSIDE}*{_CLOSE}\s*$")
# inside a text: a bracket naming the field and its limit, "（案例简介不超过 300 字）"
_INLINE = re.compile(
    rf"{_OPEN}\s*(?:{_alternation('pasted.hints.fields')}){_INSIDE}{{0,80}}?{_LIMIT}{_INSIDE}{{0,80}}?{_CLOSE}"
)
_LEFT = re.compile(rf"{_OPEN}{_INSIDE}{{0,80}}?{_LIMIT}\s*[0-9]+{_INSIDE}{{0,80}}?{_CLOSE}")
_TITLE = re.compile(rf"^\s*\S{{0,40}}?(?:{_alternation('pasted.hints.title')})[0-9]?\s*$")


def is_hint(paragraph: str) -> bool:
    """Whether a whole paragraph is one of the form's notes."""
    return bool(_WHOLE.match(paragraph) or _INLINE.fullmatch(paragraph.strip()))


def is_title(line: str) -> bool:
    """Whether a line is the form's own title ("2024年网络文明建设优秀案例推荐表", "附件1")."""
    return bool(_TITLE.match(line))


def strip(text: str) -> tuple[str, list[str]]:
    """The text without the form's notes, and the notes taken off, as written."""
    removed: list[str] = []

    def take(match: re.Match[str]) -> str:
        removed.append(match.group(0).strip())
        return ""

    kept = _INLINE.sub(take, text)
    lines = []
    for line in kept.split("\n"):
        if _WHOLE.match(line):
            removed.append(line.strip())
        else:
            lines.append(line)
    return "\n".join(lines), removed


def leftovers(text: str) -> list[str]:
    """Notes of the form's kind still in a stored text ("（不超过 300 字）"), for the review's 提示."""
    return [m.group(0) for m in _LEFT.finditer(text)]
