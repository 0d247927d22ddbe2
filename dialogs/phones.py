"""联系方式 as offices write them on a letterhead, read into one normal form.

An answer holds one or two numbers (an office line and a mobile), separated by 、，,；;/ or by a
space between two complete numbers; a space or dash inside a number is only grouping. Each number is

* a mobile, ``1[3-9]`` and 9 more digits, kept as ``13812345678``;
* a landline with its area code (010 and 02X, or 0 and three digits), followed by a local number that
  never starts with 0 or 1 and has as many digits as that area's numbers have (8 in Hefei 0551, 7 in
  Anqing 0556: :mod:`dialogs.areas` asks phonenumbers, and a number it does not know is refused with
  the area's name and the length it takes). Kept as ``0551-62606335``, with an extension (written 转,
  分机, ext, x, # or a dash with 1～6 digits after a complete number) as ``0551-62606335转8001``;
* a 400/800 service number, kept as ``400-123-4567``.

+86 and 0086 prefixes (the area code then loses its 0), full-width digits, brackets round the area
code and every kind of dash are understood. Annotations such as （办）（手机） or a leading 办公电话：
are dropped: the kind of each number is plain from the number itself, and the form's cell stays a
list of numbers. An e-mail address written beside them is set aside (:func:`emails` finds it, so the
dialog can say it was not needed); Latin letters after a number are refused, never dropped. Two
numbers are joined with 、. The normal form parses back to itself.

A refusal names what is wrong (区号缺失, 位数不对 and by how much) and shows an example; it is a
:class:`~dialogs.validators.FieldError`, the only exception this module raises.
"""

from __future__ import annotations

import re
import unicodedata

from . import areas
from .errors import FieldError
from .wording import t

MAX_NUMBERS = 2
_MAX_TOKENS = 12  # grouping spaces in two numbers never come near this; longer answers are not phone numbers
_DASHES = str.maketrans(dict.fromkeys("\u2014\u2013\u2010\u2011\u2012\u2015\u2212\u30fc\ufe63", "-"))
_EXTENSION = re.compile(r"(?:\u8f6c|\u5206\u673a|ext\.?|x|#)", re.IGNORECASE)  # 转 分机 ext x #
_OPENING = re.compile(r"[\u3010\[]")  # 【 [
_CLOSING = re.compile(r"[\u3011\]]")  # 】 ]
_NOTE = re.compile(r"\([^()0-9]*\)")  # （办）（手机）: brackets without digits
_SEPARATORS = re.compile(r"[\u3001,;/]")  # 、，,；/ (full-width ones are ASCII after NFKC)
_LABEL = re.compile(r"[^0-9+#()|\-\s]+")  # words left once extensions are marked: 电话、手机、办公 …
_ONLY_DIGITS = re.compile(r"[0-9]+")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_EXTENSION_WORD = re.compile(r"(?:ext\.?|x)\s*(?=[0-9])", re.IGNORECASE)  # ext 12, x12: an extension, not letters
_LETTERS_AFTER = re.compile(r"[0-9][\s\-)]*([A-Za-z]+)")


def emails(raw: str) -> list[str]:
    """The e-mail addresses in an answer (offices copy them with the phone); 联系方式 does not keep them."""
    return EMAIL.findall(unicodedata.normalize("NFKC", raw))


def _normalise(raw: str) -> str:
    text = EMAIL.sub(" ", unicodedata.normalize("NFKC", raw)).translate(_DASHES)
    letters = _LETTERS_AFTER.search(_EXTENSION_WORD.sub("#", text))
    if letters:
        raise FieldError(t("validators.phone.letters", letters=letters.group(1)[:10], example=_example()))
    text = _CLOSING.sub(")", _OPENING.sub("(", text))
    text = _SEPARATORS.sub("|", text)
    text = _NOTE.sub(" ", text)
    text = _EXTENSION.sub("#", text)
    text = text.replace(":", " ")
    return _LABEL.sub(" ", text)


def _example() -> str:
    return t("validators.phone.example")


def _length(kind: str, wanted: str, got: int, need: int) -> FieldError:
    """位数不对, with the count and by how much."""
    diff = got - need
    how = t("validators.phone.more", n=diff) if diff > 0 else t("validators.phone.fewer", n=-diff)
    return FieldError(t("validators.phone.length", kind=kind, wanted=wanted, got=got, how=how, example=_example()))


def _landline(digits: str, groups: list[str], ext: str) -> str:
    if len(digits) < 3:
        raise FieldError(t("validators.phone.bad_area", example=_example()))
    area_len = 3 if digits[1] in "12" else 4
    if len(digits) < area_len or digits[1] == "0" or (digits[1] == "1" and digits[2] != "0"):
        raise FieldError(t("validators.phone.bad_area", example=_example()))
    area, local = digits[:area_len], digits[area_len:]
    allowed = areas.lengths(area)
    if not allowed:
        raise FieldError(t("validators.phone.unknown_area", area=area, example=_example()))
    if not ext and len(groups) >= 2 and len(local) > max(allowed):
        last = groups[-1]
        if 1 <= len(last) <= 6 and len(local) - len(last) in allowed:
            local, ext = local[: -len(last)], last
    if local and local[0] in "01":
        raise FieldError(t("validators.phone.local_start", area=area, example=_example()))
    if len(local) not in allowed:
        wanted = t("validators.phone.local_7_8") if len(allowed) > 1 else str(allowed[0])
        need = max(allowed) if len(local) > max(allowed) else min(allowed)
        raise _length(_kind_local(area), wanted, len(local), need)
    if not areas.valid(area, local):
        raise FieldError(t("validators.phone.not_in_use", number=f"{area}-{local}", example=_example()))
    return f"{area}-{local}" + (t("validators.phone.ext_mark") + ext if ext else "")


def _kind_local(area: str) -> str:
    """区号 0551（安徽省合肥市）后的本地号码: the area named where the table knows it."""
    place = areas.place(area)
    if place:
        return t("validators.phone.kind_local_place", area=area, place=place)
    return t("validators.phone.kind_local", area=area)


def _one(token: str) -> str:
    """One number, spaces already removed; its normal form or a FieldError."""
    main, _, ext = token.partition("#")
    ext = ext.replace("-", "")
    if "#" in ext or (ext and not ext.isascii()) or (ext and not ext.isdigit()) or len(ext) > 6:
        raise FieldError(t("validators.phone.bad_extension", example=_example()))
    if token.count("#") and not ext:
        raise FieldError(t("validators.phone.bad_extension", example=_example()))
    international = main.startswith(("+86", "0086", "(+86)", "(0086)"))
    main = re.sub(r"^\(?(?:\+86|0086)\)?", "", main)
    if "+" in main:
        raise FieldError(t("validators.phone.foreign", example=_example()))
    main = main.replace("(", "").replace(")", "-")
    groups = [g for g in main.split("-") if g]
    digits = "".join(groups)
    if not digits or not _ONLY_DIGITS.fullmatch(digits):
        raise FieldError(t("validators.phone.unreadable", example=_example()))
    if international and not re.match(r"1[3-9]|[48]00", digits) and not digits.startswith("0"):
        digits = "0" + digits
        groups = ["0" + groups[0], *groups[1:]]
    if digits.startswith(("400", "800")):
        if len(digits) != 10:
            raise _length(t("validators.phone.kind_service"), "10", len(digits), 10)
        number = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        return number + (t("validators.phone.ext_mark") + ext if ext else "")
    if digits.startswith("1"):
        if ext:
            raise FieldError(t("validators.phone.bad_extension", example=_example()))
        if len(digits) != 11:
            raise _length(t("validators.phone.kind_mobile"), "11", len(digits), 11)
        if digits[1] not in "3456789":
            raise FieldError(t("validators.phone.mobile_prefix", example=_example()))
        return digits
    if digits.startswith("0"):
        return _landline(digits, groups, ext)
    if len(digits) in (7, 8):
        raise FieldError(t("validators.phone.no_area", number=digits, example=_example()))
    raise FieldError(t("validators.phone.unreadable", example=_example()))


def _split(chunk: str) -> list[str]:
    """A chunk's numbers: the fewest groups of its space-separated tokens that are each a whole number."""
    tokens = chunk.split()
    if len(tokens) > _MAX_TOKENS:
        raise FieldError(t("validators.phone.too_many", most=MAX_NUMBERS, example=_example()))
    best: dict[int, list[str]] = {0: []}  # tokens consumed → numbers, fewest first
    for end in range(1, len(tokens) + 1):
        for start in range(end):
            if start not in best:
                continue
            try:
                number = _one("".join(tokens[start:end]))
            except FieldError:
                continue
            found = [*best[start], number]
            if end not in best or len(found) < len(best[end]):
                best[end] = found
    if len(tokens) in best:
        return best[len(tokens)]
    done = max(best)
    _one("".join(tokens[done:]))  # raises the reason the rest is not a number
    raise FieldError(t("validators.phone.unreadable", example=_example()))  # pragma: no cover


def parse(raw: str) -> str:
    """联系方式 in its normal form (one or two numbers joined by 、), or a FieldError saying why not."""
    text = _normalise(raw)
    if not re.search(r"[0-9]", text):
        key = "validators.phone.email_only" if emails(raw) else "validators.phone.none"
        raise FieldError(t(key, example=_example()))
    numbers: list[str] = []
    for chunk in text.split("|"):
        if chunk.strip():
            numbers.extend(_split(chunk))
        if len(numbers) > MAX_NUMBERS:
            raise FieldError(t("validators.phone.too_many", most=MAX_NUMBERS, example=_example()))
    unique = list(dict.fromkeys(numbers))
    return t("validators.phone.joiner").join(unique)
