"""argparse speaking Chinese: its own words (``usage:``, ``options``, its error messages) from the catalog.

argparse looks every one of its strings up through ``gettext`` at the moment it uses it, by calling
the module's ``_`` and ``ngettext``. While :func:`chinese` is active those two answer from the
wording catalog instead; a string we have no text for passes through unchanged, as gettext does.
Building the parser and parsing both happen inside, since titles are looked up at construction.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from dialogs.wording import t

# argparse's message ids (Python 3.11 onwards) and the wording keys of their Chinese texts
_KEYS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positionals",
    "options": "cli.argparse.options",
    "optional arguments": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "the following arguments are required: %s": "cli.argparse.required",
    "one of the arguments %s is required": "cli.argparse.one_required",
    "expected one argument": "cli.argparse.expected_one",
    "expected at most one argument": "cli.argparse.expected_at_most_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
    "expected %s argument": "cli.argparse.expected_n",
    "expected %s arguments": "cli.argparse.expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "not allowed with argument %s": "cli.argparse.not_allowed_with",
    "ignored explicit argument %r": "cli.argparse.ignored_argument",
    "can't open '%(filename)s': %(error)s": "cli.argparse.cannot_open",
}


def translate(message: str) -> str:
    key = _KEYS.get(message)
    return t(key) if key is not None else message


def translate_plural(singular: str, plural: str, count: int) -> str:
    return translate(singular if count == 1 else plural)


@contextmanager
def chinese() -> Iterator[None]:
    """argparse's own strings in Chinese while the block runs; restored after, even on SystemExit."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    setattr(argparse, "_", translate)  # noqa: B010
    setattr(argparse, "ngettext", translate_plural)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


class ChineseArgumentParser(argparse.ArgumentParser):
    """Section titles end in a full-width colon, as Chinese text does (argparse appends ``:`` itself)."""

    def format_help(self) -> str:
        text = super().format_help()
        titles = {group.title for group in self._action_groups if group.title}
        colon = t("cli.argparse.title_colon")
        return "\n".join(f"{line[:-1]}{colon}" if line[:-1] in titles else line for line in text.split("\n"))
