"""The bot's words: one zh-CN catalog, looked up by key, with named placeholders.

Every sentence a user can read lives in the TOML files beside this module, one file per area
(``dialog.toml`` holds the keys ``dialog.*``), so the whole wording can be proofread in one folder
and edited without touching code. The files are package data read once on first use, so a lookup
is pure: the same key and values always give the same text.

Placeholders are named, ``{days}``; a literal brace is written twice, ``{{``. A tests walks the code
and checks that every key is used and that every call passes exactly the placeholders its text has.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from string import Formatter


class WordingError(KeyError):
    """A key the catalog does not have, or a placeholder the caller did not give."""


def _flatten(prefix: str, table: dict[str, object], into: dict[str, str]) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}"
        if isinstance(value, dict):
            _flatten(key, value, into)
        elif isinstance(value, str):
            into[key] = value
        else:
            raise WordingError(f"{key}: only texts and tables belong in the wording catalog")


@cache
def catalog() -> dict[str, str]:
    """Every key and its text; sections are the file names (``dialog.toml`` → ``dialog.*``)."""
    entries: dict[str, str] = {}
    for item in sorted(resources.files(__package__).iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".toml"):
            _flatten(item.name.removesuffix(".toml"), tomllib.loads(item.read_text(encoding="utf-8")), entries)
    return entries


def placeholders(template: str) -> set[str]:
    """The named placeholders a text expects."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def has(key: str) -> bool:
    return key in catalog()


def t(key: str, /, **values: object) -> str:
    """The text of ``key`` with its placeholders filled in."""
    try:
        template = catalog()[key]
    except KeyError:
        raise WordingError(f"wording key not in the catalog: {key}") from None
    if not values and "{" not in template:
        return template
    try:
        return template.format_map(values)
    except (KeyError, IndexError) as error:
        raise WordingError(f"{key}: placeholder {error} not given") from None
