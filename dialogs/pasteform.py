"""A whole filled-in 推荐表 pasted as text: each labelled line fills the field it names.

Offices paste the form as it stands in their file: a title line, "案例名称：……", "申报单位：……",
"联系人：……" lines (a label may also stand alone with its value on the next line), the 案例简介, then
the four parts under their headings. Such a text goes the way a Word document does
(:func:`dialogs.importing.offer`: each field shown and checked as a typed answer, then confirmed), so
a paste and a file can never be judged differently. What fits no field (a lead paragraph with no
label, the text before the first heading) is shown and held until the submitter decides; it can go
into the 案例简介 with one choice. A pasted 推荐单位 never overrides the unit the user joined (that
unit holds the quota): :func:`dialogs.importing.offer` leaves it out. The label words are data in the
catalog (``pasted.labels``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import headings, hints, render, validators
from .errors import FieldError
from .form import label
from .importing import offer, on_import_confirm
from .models import PARTS, Step
from .outcome import Context, Outcome, changed
from .session import Pending
from .wordcount import count_zi
from .wording import t

CONTENT = "content"  # the 案例内容 label: the four parts follow, split at their headings
_KEYS = {
    Step.NAME: "pasted.labels.name",
    Step.APPLICANT: "pasted.labels.applicant",
    Step.CATEGORY: "pasted.labels.category",
    Step.UNIT: "pasted.labels.unit",
    Step.PERIOD: "pasted.labels.period",
    Step.CONTACT: "pasted.labels.contact",
    Step.PHONE: "pasted.labels.phone",
    Step.SUMMARY: "pasted.labels.summary",
}
_LABELS: dict[str, Step | str] = {
    **{word: step for step, key in _KEYS.items() for word in t(key).split()},
    **dict.fromkeys(t("pasted.labels.content").split(), CONTENT),
}
_INLINE = re.compile(r"^\*?(?P<label>[^:\uff1a\n]{2,20}?)\s*[:\uff1a]\s*(?P<value>.*)$")


@dataclass
class Pasted:
    """What a pasted form holds, as raw text per field; nothing here is checked yet."""

    fields: dict[Step, str] = field(default_factory=dict)
    left: list[str] = field(default_factory=list)  # paragraphs that fit no field, in order
    removed: list[str] = field(default_factory=list)  # the form's notes and title, taken off
    missing: tuple[Step, ...] = ()  # parts with no heading, when a 案例内容 was found
    labels: int = 0  # distinct labels seen


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip(":")


def _label(line: str) -> tuple[Step | str, str] | None:
    """(field, value on the same line) when a line begins with a label ("案 例 名 称：……" or "案例简介" alone)."""
    whole = _LABELS.get(_key(line))
    if whole is not None:
        return whole, ""
    inline = _INLINE.match(line)
    if inline is None:
        return None
    found = _LABELS.get(_key(inline.group("label")))
    return (found, inline.group("value").strip()) if found is not None else None


def read(text: str) -> Pasted | None:
    """The fields a pasted form names, or None when the text is not one (fewer than two labels, or
    none of a one-line field: "案例简介：……" and the four parts are a 案例内容 to split)."""
    stripped, removed = hints.strip(text)
    got = Pasted(removed=removed)
    seen: set[Step | str] = set()
    content: list[str] = []
    summary: list[str] = []
    current: Step | str | None = None  # the label whose value the next lines continue
    for line in (raw.strip() for raw in stripped.split("\n")):
        if not line:
            continue
        found = _label(line)
        if found is not None and (current != CONTENT or found[0] not in (CONTENT, Step.SUMMARY)):
            target, value = found
            seen.add(target)
            current = target
            if target == CONTENT:
                content += [value] if value else []
            elif target is Step.SUMMARY:
                summary += [value] if value else []
            elif isinstance(target, Step) and value:
                got.fields.setdefault(target, value)
                current = None
            continue
        head = headings.leading(line)
        if current == CONTENT or (head is not None and head.part >= 0):
            current = CONTENT
            content.append(line)
        elif current is Step.SUMMARY:
            summary.append(line)
        elif isinstance(current, Step):  # a label alone on its line: its value is the next line
            got.fields.setdefault(current, line)
            current = None
        elif not seen and not got.left and hints.is_title(line):
            got.removed.append(line)
        else:
            got.left.append(line)
    got.labels = len(seen)
    if summary:
        got.fields[Step.SUMMARY] = "\n".join(summary)
    if content:
        lead, under, _ = headings.sections("\n".join(content))
        got.left += [lead.strip()] if lead.strip() else []
        got.fields.update({PARTS[part]: value for part, value in under.items() if value})
        got.missing = tuple(step for index, step in enumerate(PARTS) if index not in under)
        got.labels += 0 if CONTENT in seen else 1  # four headings count as the 案例内容's label
    # a 案例简介 before the four headings is the split's to handle; a form names at least one short field
    short = any(isinstance(label, Step) and label is not Step.SUMMARY for label in seen)
    # a letterhead block (联系人、电话、手机) is an answer to the contact steps, which read it themselves
    contact_block = seen <= {Step.CONTACT, Step.PHONE}
    return got if got.labels >= 2 and short and not contact_block else None


def offer_paste(out: Outcome, pasted: Pasted, ctx: Context) -> None:
    """Show what goes where, checked, and ask (the Word import's question); unplaced text waits in ``held``."""
    notes = []
    if pasted.removed:
        quoted = "".join(t("dialog.split.quoted", name=h) for h in pasted.removed)
        notes.append(t("pasted.removed", hints=quoted))
    if pasted.missing and any(step in pasted.fields for step in PARTS):
        names = t("dialog.sep.list").join(label(p)[2:] for p in pasted.missing)
        notes.append(t("importing.parts_missing", missing=names))
    left = "\n".join(pasted.left)
    extra: list[tuple[str, str]] = []
    if left and Step.SUMMARY not in pasted.fields:
        notes.append(t("pasted.left_lead", opening=render.opening(left)))
        extra.append((t("pasted.button.lead"), "lead:import:0"))
    elif left:
        notes.append(t("pasted.left", opening=render.opening(left)))
    if offer(out, pasted.fields, notes, lambda count: t("pasted.found", count=count), ctx, extra):
        out.session.held = left


def on_answer(out: Outcome, yes: bool, ctx: Context, lead: bool = False) -> None:
    """导入 / 不导入 (for a file or a paste alike), or 导入 with the unplaced text as the 案例简介."""
    s = out.session
    held = s.held
    if lead and s.pending is Pending.CONFIRM_IMPORT and held:
        limits = ctx.campaign.limits
        try:
            s.imported[Step.SUMMARY.value] = validators.long_field(
                held, label=label(Step.SUMMARY), chars=limits.summary_chars
            )
        except FieldError as error:  # the question stays open: 导入 without it, or not at all
            out.say(str(error), s.choices)
            return
        held = ""
    changed(out)
    s.held = ""
    if yes and held and s.pending is Pending.CONFIRM_IMPORT:
        out.say(t("pasted.left_dropped", count=count_zi(held)))
    on_import_confirm(out, yes, ctx)
