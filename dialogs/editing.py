"""The undo history of a draft: every change to a field can be taken back, several levels deep.

The history lives in the draft, so it survives a restart like every answer does. A change records
what the fields it touched held before it (one change may touch several fields, as a whole
案例内容 split into its four parts does), and the history keeps only the last ``UNDO_DEPTH``
changes; as every field is bounded by its 字 limit, so is the history.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Step
from .session import UNDO_DEPTH, Change, Draft


def remember(draft: Draft, steps: Iterable[Step]) -> None:
    """Record what ``steps`` hold now, before they change."""
    before: dict[Step, str | None] = {}
    pictures = None
    for step in steps:
        if step is Step.PICTURES:
            pictures = list(draft.form.pictures)
        else:
            value = draft.form.value(step)
            before[step] = None if value is None else str(value)
    draft.history.append(Change(before=before, pictures=pictures))
    del draft.history[:-UNDO_DEPTH]


def undo(draft: Draft) -> list[Step]:
    """Take back the last change; the fields it restored, in form order ([] when nothing is left)."""
    if not draft.history:
        return []
    change = draft.history.pop()
    for step, value in change.before.items():
        setattr(draft.form, step.value, value)
    restored = list(change.before)
    if change.pictures is not None:
        draft.form.pictures = list(change.pictures)
        restored.append(Step.PICTURES)
    order = list(Step)
    return sorted(restored, key=order.index)
