"""A case the office received by e-mail or on paper, entered by the admin from its .docx, so that the
评审 covers every case.

The fields come as read from the document (the Word reader is the shell's); each is checked as the
submitter's typed answer would be. A field that fails is named with its reason: the admin gets
the case with what passed, and 形式审查 then shows what is missing, as for any other case.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..campaign import Campaign
from ..errors import FieldError
from ..form import FORM_STEPS, label
from ..importing import check_field
from ..models import CaseForm, Step
from ..wording import t


def form_from_fields(fields: Mapping[Step, str], campaign: Campaign, unit: str) -> tuple[CaseForm, list[str]]:
    """The form the document gives for ``unit``, and one line per field left out, with its reason."""
    form = CaseForm(unit=unit)
    problems = []
    for step in FORM_STEPS:
        raw = fields.get(step)
        if step is Step.UNIT or step is Step.PICTURES or not raw:
            continue
        try:
            value = check_field(step, raw, campaign)  # over its 字 limit: kept, and 形式审查 flags it
        except FieldError as error:
            problems.append(t("panel.entered.left_out", label=label(step), reason=str(error)))
            continue
        form = form.model_copy(update={step.value: value})
    return form, problems
