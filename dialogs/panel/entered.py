"""A case the office received by e-mail or on paper, entered by the admin from its .docx, so that the
评审 covers every case.

The fields come as read from the document (the Word reader is the shell's); each is checked as the
submitter's typed answer would be. A field that fails is named with its reason: the admin gets
the case with what passed, and 形式审查 then shows what is missing, as for any other case.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import validators
from ..campaign import Campaign
from ..errors import FieldError
from ..form import FIELDS, FORM_STEPS, Kind, label, limit_of
from ..models import PARTS, CaseForm, Step
from ..wordcount import count_zi
from ..wording import t


def _checked(step: Step, raw: str, form: CaseForm, campaign: Campaign) -> str:
    kind = FIELDS[step].kind
    if kind is Kind.CATEGORY:
        return validators.category(raw, campaign.categories)
    if kind is Kind.PERIOD:
        return validators.period(raw, campaign.window)
    if kind is Kind.PHONE:
        return validators.phone(raw)
    if step is Step.SUMMARY:
        return validators.long_text(raw, label=label(step), limit=campaign.limits.summary_zi)
    if step in PARTS:
        others = sum(count_zi(str(form.value(p) or "")) for p in PARTS if p is not step)
        return validators.long_text(
            raw,
            label=label(step),
            limit=campaign.limits.content_zi,
            used_elsewhere=others,
            whole=t("dialog.content_whole"),
        )
    return validators.short_text(raw, label=label(step), limit=limit_of(step, campaign))


def form_from_fields(fields: Mapping[Step, str], campaign: Campaign, unit: str) -> tuple[CaseForm, list[str]]:
    """The form the document gives for ``unit``, and one line per field left out, with its reason."""
    form = CaseForm(unit=unit)
    problems = []
    for step in FORM_STEPS:
        raw = fields.get(step)
        if step is Step.UNIT or step is Step.PICTURES or not raw:
            continue
        try:
            value = _checked(step, raw, form, campaign)
        except FieldError as error:
            problems.append(t("panel.entered.left_out", label=label(step), reason=str(error)))
            continue
        form = form.model_copy(update={step.value: value})
    return form, problems
