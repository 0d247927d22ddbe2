"""One validator per kind of answer: ``str -> value`` or a :class:`FieldError` saying which rule broke.

The messages are what the submitter reads, so each one names the rule and, where it is a length,
by how much the answer is over.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .campaign import Category, Unit, Window, YearMonth
from .wordcount import count_zi


class FieldError(ValueError):
    """An answer that breaks a rule; ``str(error)`` is the message for the submitter."""


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\ufe0f\u20e3\U000e0020-\U000e007f]"
)


def clean_text(raw: str, *, multiline: bool) -> str:
    """Normalise what a chat client sends, and refuse what cannot go on an official form.

    Zero-width characters are dropped silently (they arrive with copy and paste and are never
    meant); control characters and emoji are refused, because they cannot be printed in 仿宋.
    """
    text = raw.translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    printable = text.replace("\n", "").replace("\t", "").isprintable()  # the usual case, checked in C
    for index, char in enumerate("" if printable else text, start=1):
        if char in "\n\t":
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co"):
            raise FieldError(f"内容中含有无法打印的控制字符（第 {index} 个字符），请删除后重新发送。")
    if _EMOJI.search(text):
        raise FieldError("内容中含有表情符号，推荐表为正式公文材料，请删除表情符号后重新发送。")
    text = text.replace("\t", " ")
    if multiline:
        lines = [line.strip() for line in text.split("\n")]
        text = "\n".join(lines)
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
    else:
        if "\n" in text.strip():
            raise FieldError("此项只需填写一行，请不要换行。")
        text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise FieldError("内容不能为空，请重新填写。")
    return text


def short_text(raw: str, *, label: str, limit: int) -> str:
    """A one-line answer such as 案例名称 or 联系人, at most ``limit`` 字."""
    text = clean_text(raw, multiline=False)
    used = count_zi(text)
    if used > limit:
        raise FieldError(f"{label}不超过 {limit} 字，现为 {used} 字，超出 {used - limit} 字，请精简后重新发送。")
    return text


def long_text(raw: str, *, label: str, limit: int, used_elsewhere: int = 0, whole: str = "") -> str:
    """A long answer, checked against a limit it may share with other parts (``used_elsewhere``)."""
    text = clean_text(raw, multiline=True)
    used = count_zi(text) + used_elsewhere
    if used > limit:
        scope = whole or label
        raise FieldError(
            f"{scope}不超过 {limit} 字，加上本次内容共 {used} 字，超出 {used - limit} 字。"
            f"原有内容已保留，请精简后重新发送。"
        )
    return text


_CATEGORY_NUMBER = re.compile(r"^\s*(?:第\s*)?([0-9０-９一二三四五六七八九十]+)\s*(?:类|项|[.、．)）])?\s*$")
_CN_DIGITS = "一二三四五六七八九"


def _number(token: str) -> int | None:
    token = unicodedata.normalize("NFKC", token)
    if token.isdigit():
        return int(token)
    if token == "十":
        return 10
    if len(token) == 1 and token in _CN_DIGITS:
        return _CN_DIGITS.index(token) + 1
    return None


def category(raw: str, categories: Sequence[Category]) -> str:
    """A category given by its number, its full name, its short name or a known alias."""
    text = clean_text(raw, multiline=False)
    match = _CATEGORY_NUMBER.match(text)
    if match:
        number = _number(match.group(1))
        if number is not None and 1 <= number <= len(categories):
            return categories[number - 1].name
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).removeprefix("网络空间")
    for cat in categories:
        names = (cat.name, *cat.aliases)
        if any(key == n.removeprefix("网络空间") or key == n for n in names):
            return cat.name
    listing = "、".join(f"{i}. {c.name}" for i, c in enumerate(categories, start=1))
    raise FieldError(f"未能识别申报类别“{text[:20]}”。请从以下 {len(categories)} 类中选择一个（可回复序号）：{listing}")


def unit(raw: str, units: Sequence[Unit]) -> str:
    """A recommending unit by number in the list, code or name; returns the unit code."""
    text = clean_text(raw, multiline=False)
    number = _number(text.strip().rstrip(".、"))
    if number is not None and 1 <= number <= len(units):
        return units[number - 1].code
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for u in units:
        if key in (u.code, re.sub(r"\s+", "", u.name)):
            return u.code
    found = [u for u in units if key and key in u.name]
    if len(found) == 1:
        return found[0].code
    raise FieldError("未找到该推荐单位，请回复列表中的序号或单位全称。")


_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月?(?:份)?$"),
    re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


def period(raw: str, window: Window) -> str:
    """开展实施或发布时间: a year and month inside the campaign window, stored as YYYY-MM."""
    text = unicodedata.normalize("NFKC", clean_text(raw, multiline=False)).replace(" ", "")
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            break
    else:
        raise FieldError("未能识别时间，请按“2022年3月”或“2022-03”的格式填写开展实施或发布的年月。")
    if not 1 <= month <= 12:
        raise FieldError(f"月份应在 1 至 12 之间，“{text}”中的月份为 {month}。")
    when = YearMonth(year=year, month=month)
    if not window.contains(when):
        raise FieldError(f"申报案例开展实施或发布时限为{window.zh()}，{when.zh()}不在此范围内，不符合申报要求。")
    return str(when)


_DASHES = str.maketrans({c: "-" for c in "—–‐‑‒―－ー一"})
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:(?:-|转|ext\.?|x|#)(\d{1,6}))?$")


def phone(raw: str) -> str:
    """联系方式: a mobile number, or a landline with its area code and an optional extension.

    Full-width digits, spaces and every kind of dash are accepted, so the notice's own
    ``0551—62606335`` passes; the stored form is ``13812345678`` or ``0551-62606335-123``.
    """
    text = unicodedata.normalize("NFKC", clean_text(raw, multiline=False)).translate(_DASHES)
    text = re.sub(r"[\s()（）]", "", text).lower()
    text = text.removeprefix("+86").removeprefix("0086")
    digits = text.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    match = _LANDLINE.match(text)
    if match:
        area, number, ext = match.groups()
        return f"{area}-{number}" + (f"-{ext}" if ext else "")
    raise FieldError(
        "联系方式格式不正确。请填写 11 位手机号码，或带区号的固定电话（如 0551-62606335，分机可写作 0551-62606335 转 123）。"
    )
