"""The recommending unit's contact (联系人, 电话) for the 汇总表 header: read from one message, shown back.

A coordinator answers in one line as an office writes it, the name first: "王明 0551-62606335（办）、
13812345678" or "联系人：王明，电话：13812345678". The name is what stands before the first digit;
the rest is read exactly as the submitters' 联系方式 (:func:`dialogs.phones.parse`), so both carry
the same normal form. Every refusal is a :class:`FieldError` that says what to send instead.
"""

from __future__ import annotations

import re
import unicodedata

from . import phones
from .campaign import Limits
from .errors import FieldError
from .wordcount import count_zi
from .wording import t

_FIRST_NUMBER = re.compile(r"[0-9+(]")
_NAME_NOISE = re.compile(r"[\s:;,/|\u3001]+")  # NFKC has made full-width ，：； ASCII; 、 stays


def _labels() -> tuple[str, ...]:
    """The labels an office writes before a name or a number, longest first (联系电话 before 电话)."""
    return tuple(sorted(t("contact.labels").split(), key=len, reverse=True))


def split_person(raw: str) -> tuple[str, str]:
    """(the name, the rest from the first digit on) of a contact line or a pasted letterhead block.

    "联系人:邓海林 025-88802714" → ("邓海林", "025-88802714"); "联系人：张明\n电话：0551-62606335" →
    ("张明", "0551-62606335"). Labels (联系人、姓名、电话 …) and the punctuation around them are taken off
    the name; e-mail addresses are left out of both (see :func:`dialogs.phones.emails`)."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    text = phones.EMAIL.sub(" ", text)
    match = _FIRST_NUMBER.search(text)
    head, tail = (text[: match.start()], text[match.start() :]) if match else (text, "")
    names = []
    for line in head.splitlines():  # "联系人：\n张明": the first line that holds more than labels
        for label in _labels():
            line = line.replace(label, " ")
        if line := _NAME_NOISE.sub(" ", line).strip():
            names.append(line)
    return (names[0] if names else ""), tail.strip()


def parse_contact(raw: str, limits: Limits) -> tuple[str, str]:
    """(联系人, 电话 in its normal form) from one message, or a FieldError naming what is wrong."""
    if not unicodedata.normalize("NFKC", raw or "").strip():
        raise FieldError(t("contact.empty", example=t("contact.example")))
    name, tail = split_person(raw)
    if not name:
        raise FieldError(t("contact.no_name", example=t("contact.example")))
    if not tail:
        raise FieldError(t("contact.no_phone", example=t("contact.example")))
    if any(not (c.isalpha() or c in " ·•.") for c in name) or count_zi(name) > limits.contact_zi:
        raise FieldError(t("contact.bad_name", most=limits.contact_zi, example=t("contact.example")))
    phone = phones.parse(tail)
    return tidy_name(name), phone


def tidy_name(name: str) -> str:
    """A Chinese name loses the spaces typed inside it (张 明 → 张明); a Latin one keeps them."""
    return name.replace(" ", "") if _all_cjk(name) else name


def _all_cjk(name: str) -> bool:
    return all(0x3400 <= ord(c) <= 0x9FFF or c == " " for c in name)


def missing(contact: str, phone: str) -> list[str]:
    """What the 汇总表 header still lacks, as words for a message: ["联系人", "电话"]."""
    lacking = []
    if not contact:
        lacking.append(t("contact.field.contact"))
    if not phone:
        lacking.append(t("contact.field.phone"))
    return lacking


def missing_zh(unit_name: str, contact: str, phone: str) -> str:
    """The reminder /summary and the package give while the header is incomplete; empty when complete."""
    lacking = missing(contact, phone)
    if not lacking:
        return ""
    return t("contact.missing", unit=unit_name, fields=t("dialog.sep.list").join(lacking))


def show_zh(unit_name: str, contact: str, phone: str) -> str:
    """/contact without an argument: the current values and how to change them."""
    if not contact and not phone:
        return t("contact.show_none", unit=unit_name, example=t("contact.example"))
    return t(
        "contact.show",
        unit=unit_name,
        contact=contact or t("contact.unset"),
        phone=phone or t("contact.unset"),
        example=t("contact.example"),
    )


def ask_zh(unit_name: str) -> str:
    """What a coordinator joining a unit without a contact is asked."""
    return t("contact.ask", unit=unit_name)


def saved_zh(unit_name: str, contact: str, phone: str) -> str:
    return t("contact.saved", unit=unit_name, contact=contact, phone=phone)
