"""`/panel …` in the chat in the command line's words: "decide 4 amend --reason 未盖章 --until 2024-03-20".

The chat has no argparse; this splits a typed line the way a shell would (quotes keep "18 35 36"
together) into the plain words and the ``--name value`` options, so the admin writes in the chat
exactly what the README shows for ``casebot panel``.
"""

from __future__ import annotations

import shlex

OPTIONS = ("reason", "until", "on", "by", "gates", "points", "comment", "groups", "unit")


def split_words(text: str) -> tuple[list[str], dict[str, str]] | None:
    """(words, options), or None for an unbalanced quote or an option without its value."""
    try:
        tokens = shlex.split(text.replace("“", '"').replace("”", '"'))
    except ValueError:
        return None
    words: list[str] = []
    options: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.startswith("--") and token[2:] in OPTIONS:
            if index + 1 >= len(tokens):
                return None
            options[token[2:]] = tokens[index + 1]
            index += 2
            continue
        words.append(token)
        index += 1
    return words, options
