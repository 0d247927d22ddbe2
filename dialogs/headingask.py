"""A heading whose key words name two parts ("三、经验做法", "主要做法及成效") is asked about, never guessed.

The text waits in ``Session.held`` while the submitter says which part the heading stands for; the
chosen part's heading then takes the place of the ambiguous one and the text goes the usual way
(a whole 案例内容 is shown split and confirmed, a part alone loses its own heading). Nothing is
filled by the answer itself, so "不填入" or a command leaves the draft as it was.
"""

from __future__ import annotations

from . import headings
from .form import FIELDS, Kind, label
from .longtext import on_unsplit_choice
from .outcome import Context, Outcome, changed
from .session import Pending
from .wording import t


def ask(out: Outcome, text: str, heading: headings.Heading) -> None:
    """Hold ``text`` and ask which part ``heading`` belongs to."""
    s = changed(out)
    draft = s.draft
    assert draft is not None
    s.held, s.pending = text, Pending.CHOOSE_HEADING
    names = t("dialog.sep.list").join(
        t("dialog.split.quoted", name=headings.part_name(part)) for part in heading.options
    )
    s.choices = [
        (t("dialog.button.heading_part", name=headings.part_name(part)), f"heading:{part}:0")
        for part in heading.options
    ]
    if FIELDS[draft.step].kind is Kind.LONG:
        s.choices.append((t("dialog.button.whole_here"), "heading:keep:0"))
        question = t("dialog.heading.ask_here", heading=heading.text, options=names, label=label(draft.step))
    else:
        question = t("dialog.heading.ask", heading=heading.text, options=names)
    s.choices.append((t("dialog.button.drop"), "heading:drop:0"))
    out.say(question, s.choices, per_row=2)


def on_choice(out: Outcome, arg: str, ctx: Context) -> str | None:
    """The answer: the text with the heading resolved, to be handled again; None when nothing more is to be done."""
    s = changed(out)
    held, heading = s.held, headings.ambiguous(s.held) if s.held else None
    s.pending, s.choices = Pending.NONE, []
    if heading is None:
        s.held = ""
        out.say(t("dialog.stale_confirm"))
        return None
    if arg == "keep" and s.draft is not None and FIELDS[s.draft.step].kind is Kind.LONG:
        s.pending = Pending.CONFIRM_UNSPLIT  # the whole text, headings and all, into this field
        on_unsplit_choice(out, True, ctx)
        return None
    s.held = ""
    part = int(arg) if arg.lstrip("-").isdigit() else None
    if part is None or part not in heading.options:
        out.say(t("dialog.split.dropped"))
        return None
    out.say(t("dialog.heading.chosen", heading=heading.text, name=headings.part_name(part)))
    return headings.resolve(held, heading, part)
