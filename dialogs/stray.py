"""A coordinator's stray text never starts a case silently: it is asked about first.

A coordinator mostly answers lists (/cases, a scan, the unit's contact). A number or a word typed after
one of them, when no question is open, would otherwise land in whatever the dialog asks next: on a
draft nobody asked for (the one /start opens for a submitter), as its 案例名称. So for a coordinator
/start opens no draft, and a text that would be the first answer of a draft not opened by /new is held
while the coordinator is asked whether to start a case with it.
"""

from __future__ import annotations

from .models import Step
from .outcome import Context, Outcome, changed, confirm
from .session import Draft, Pending
from .wording import t

WHAT = "stray"  # the yes/no question's name in its buttons' data


def untouched(draft: Draft) -> bool:
    """A draft not opened by /new with nothing in it yet (a coordinator's /start made it)."""
    return not draft.explicit and draft.case_id is None and not draft.history and draft.step is Step.NAME


def ask(out: Outcome, text: str) -> None:
    s = changed(out)
    s.held = text
    s.pending = Pending.CONFIRM_STRAY
    shown = " ".join(text.split())[:30]
    confirm(out, t("dialog.stray.ask", typed=shown), WHAT, t("dialog.stray.yes"), t("dialog.stray.no"))


def on_answer(out: Outcome, yes: bool, ctx: Context) -> str | None:
    """The held text to answer 案例名称 with (yes), or None after the empty draft is closed (no)."""
    s = changed(out)
    held, s.held, s.pending, s.choices = s.held, "", Pending.NONE, []
    if s.draft is None:
        return None
    if yes:
        s.draft.explicit = True
        return held
    s.draft = None
    out.say(t("dialog.stray.dropped"))
    return None
