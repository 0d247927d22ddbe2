"""A long text over its 字 limit is kept, marked with how much it is over, and holds back /submit.

Refusing a text that passes the limit threw away what the user had just sent (a 2 041-字 part left
the field empty, with "原有内容已保留" where there was nothing). Now the text goes into the field as
sent, every reply and the review say by how much it is over, and only submitting waits until it fits.
The character caps (``content_chars`` …) still refuse an absurd input outright: they are a refusal,
this is an acceptance with a mark. The mark is computed from the form itself, so nothing extra is
stored and an /undo or /clear takes it away with the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .campaign import Campaign
from .form import label
from .models import PARTS, CaseForm, Step
from .wordcount import count_zi
from .wording import t


@dataclass(frozen=True)
class Over:
    scope: str  # 案例简介, or 案例内容（四部分合计）
    used: int
    limit: int

    @property
    def by(self) -> int:
        return self.used - self.limit

    def line(self) -> str:
        return t("dialog.over.line", scope=self.scope, limit=self.limit, used=self.used, over=self.by)


def summary_over(form: CaseForm, campaign: Campaign) -> Over | None:
    used = count_zi(form.summary or "")
    limit = campaign.limits.summary_zi
    return Over(label(Step.SUMMARY), used, limit) if used > limit else None


def content_over(form: CaseForm, campaign: Campaign) -> Over | None:
    used = sum(count_zi(str(form.value(p) or "")) for p in PARTS)
    limit = campaign.limits.content_zi
    return Over(t("dialog.content_whole"), used, limit) if used > limit else None


def of(step: Step, form: CaseForm, campaign: Campaign) -> Over | None:
    """The mark of the limit ``step`` counts against, if that limit is passed."""
    if step is Step.SUMMARY:
        return summary_over(form, campaign)
    return content_over(form, campaign) if step in PARTS else None


def all_over(form: CaseForm, campaign: Campaign) -> list[Over]:
    """Every limit the form passes, as /submit and the review name them."""
    return [o for o in (summary_over(form, campaign), content_over(form, campaign)) if o is not None]


def kept(step: Step, form: CaseForm, campaign: Campaign) -> str:
    """What a reply adds after storing a text: '' when it fits, else that all of it was kept and by how much it is over."""
    over = of(step, form, campaign)
    return t("dialog.over.kept", line=over.line(), limit=over.limit) if over else ""
