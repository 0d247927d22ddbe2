"""Who may see what of the panel, and the experts' invitation codes.

An expert sees only the cases given to them and only their own scores; coordinators and
submitters see no score at all; the office (the administrators) sees everything. The shell checks
these before it shows anything; the rules are here so that every channel applies the same.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# An expert's code as `casebot experts add` makes it: "e" and secrets.token_urlsafe(12).
EXPERT_CODE = re.compile(r"e[A-Za-z0-9_-]{16}")


def expert_code(text: str) -> str | None:
    """The expert's code a message stands for (copied codes bring blanks along), or None."""
    stripped = text.strip()
    return stripped if EXPERT_CODE.fullmatch(stripped) else None


def may_open(case_id: int, given: Collection[int]) -> bool:
    """An expert opens only a case given to them."""
    return case_id in given


def may_see_scores(is_expert: bool, is_admin: bool) -> bool:
    """Scores are for the expert who gave them and for the office; never for a unit's people."""
    return is_expert or is_admin
