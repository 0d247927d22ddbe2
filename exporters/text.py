"""Making user text safe to put into an Office file without losing what the user meant.

Text comes from a chat client and may carry anything: control characters pasted from another
program, lone surrogates, emoji, zero-width joiners. XML 1.0 (both .docx and .xlsx are XML) cannot
hold some of these, and one bad character makes Word refuse the whole file, so they are removed
here, and only they: everything a reader can see survives.
"""

from __future__ import annotations

import re

# Characters XML 1.0 cannot hold, plus the C1 controls no reader can see; \t and \n are kept.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n|[\r\x85\u2028\u2029\x0b\x0c]")
_LEADING_SPACE = re.compile("^[ \t\u3000\u00a0]+")


def xml_text(value: object) -> str:
    """Return ``value`` as text an XML file can hold; None (an unanswered draft field) is ''."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _NEWLINES.sub("\n", text)
    return _NOT_XML.sub("", text)


def one_line(value: object) -> str:
    """Return ``value`` cleaned and on one line, for names and other single-line fields."""
    return " ".join(xml_text(value).split())


def paragraphs(value: object) -> list[str]:
    """Split text into its non-empty lines.

    The form indents every paragraph itself, so the spaces a user typed to indent (often copied
    from Word as two ideographic spaces) and the blank lines between paragraphs are dropped;
    every visible character stays.
    """
    lines = (_LEADING_SPACE.sub("", line).rstrip() for line in xml_text(value).split("\n"))
    return [line for line in lines if line]
