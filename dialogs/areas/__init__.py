"""Landline area codes: how many digits the local number after each has, and the place it serves.

An area code alone does not say how long its local numbers are (Hefei 0551 has 8 digits, Anqing 0556
has 7), so the dialog asks phonenumbers (libphonenumber's numbering plan, kept up to date by its
maintainers) whether a number exists and, when it does not, which lengths the area takes. The place's
name, shown in a refusal, comes from ``areas.toml`` beside this module, made from phonenumbers' geocoder
by ``scripts/areas.py`` (the geocoder itself loads some 40 MB of tables, too much for one name).
Everything here is computed from data in memory: no I/O once imported, and the answers are cached.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import phonenumbers

LENGTHS = (7, 8)  # the local lengths of Chinese landlines; phonenumbers says which of them an area takes
_LEADS = "23456789"  # a local number never starts with 0 or 1
_FILLERS = "0123456789"


@cache
def _names() -> dict[str, str]:
    text = resources.files(__package__).joinpath("areas.toml").read_text(encoding="utf-8")
    return {str(k): str(v) for k, v in tomllib.loads(text).items()}


_names()  # read with the module, so that a lookup later does no I/O


def place(area: str) -> str:
    """The place an area code serves ("0551" → "安徽省合肥市"); empty when unknown."""
    return _names().get(area, "")


def valid(area: str, local: str) -> bool:
    """Whether ``area``-``local`` is a landline that exists in the numbering plan."""
    try:
        number = phonenumbers.parse(area + local, "CN")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number)) and phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


@cache
def lengths(area: str) -> tuple[int, ...]:
    """The local lengths an area code takes (``(8,)`` for 0551, ``(7,)`` for 0556); ``()`` for a code not in use."""
    found = []
    for length in LENGTHS:
        if any(valid(area, lead + filler * (length - 1)) for lead in _LEADS for filler in _FILLERS):
            found.append(length)
    return tuple(found)
