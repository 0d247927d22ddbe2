"""联系人 as offices write it: the name kept, a phone written with it offered for 联系方式.

Offices paste their letterhead block whole ("联系人：张明\\n电话：0551-62606335\\n手机：13812345678") or
write "联系人:邓海林 025-88802714" in one line. The 联系人 cell is for the name alone, so the label is taken
off and the name kept; the numbers are read as 联系方式 is read (:func:`dialogs.validators.phone`) and
offered as a choice, never filled silently: 联系方式 may already hold another number. A text instead of
the choice answers the step the dialog is at, as if the offer had not been made.
"""

from __future__ import annotations

from . import contact, validators
from .editing import remember
from .form import label, limit_of
from .models import Step
from .navigation import advance, prompt
from .outcome import Context, Outcome, changed
from .phones import emails
from .session import Pending
from .validators import FieldError
from .wording import t

OFFER = "phone"  # the button data's action: ``phone:<number>:<turn>``


def on_contact(out: Outcome, text: str, ctx: Context) -> None:
    """The answer to 联系人: the name stored (one undo level), then any phone in it offered."""
    draft = out.session.draft
    assert draft is not None
    cleaned = validators.clean_text(text, multiline=True)
    name, rest = read_name(cleaned, ctx)
    phone, why = "", ""
    if rest:
        try:
            phone = validators.phone(rest)
        except FieldError as error:
            why = str(error)
    remember(draft, [Step.CONTACT])
    draft.form.contact = name
    said = [t("dialog.person.recorded", name=name)]
    if found := emails(cleaned):
        said.append(t("validators.phone.email_dropped", emails=t("dialog.sep.list").join(found)))
    if why:
        said.append(t("dialog.person.phone_unread", reason=why))
    out.say("\n".join(said))
    advance(out, ctx)
    if phone and phone != draft.form.phone:
        _offer(out, phone, draft.form.phone or "")


def read_name(cleaned: str, ctx: Context) -> tuple[str, str]:
    """(the name as 联系人 keeps it, the rest from the first digit on); a FieldError when there is no name."""
    name, rest = contact.split_person(cleaned)
    if not any(c.isalpha() for c in name):
        raise FieldError(t("dialog.person.no_name"))
    limits = ctx.campaign.limits
    checked = validators.short_text(
        name, label=label(Step.CONTACT), limit=limit_of(Step.CONTACT, ctx.campaign), chars=limits.line_chars
    )
    return contact.tidy_name(checked), rest


def _offer(out: Outcome, phone: str, current: str) -> None:
    s = changed(out)
    s.pending = Pending.OFFER_PHONE
    s.choices = [(t("dialog.person.use", phone=phone), f"{OFFER}:{phone}:0"), (t("dialog.person.keep"), "no:phone:0")]
    key = "dialog.person.offer_replace" if current else "dialog.person.offer"
    out.say(t(key, phone=phone, current=current), s.choices, per_row=1)


def on_offer(out: Outcome, phone: str | None, ctx: Context) -> None:
    """The choice: fill 联系方式 with the number (checked again: a button's data is not trusted), or not."""
    s = changed(out)
    s.pending, s.choices = Pending.NONE, []
    draft = s.draft
    assert draft is not None
    if phone is None:
        out.say(t("dialog.person.kept"))
        prompt(out, ctx)
        return
    value = validators.phone(phone)
    remember(draft, [Step.PHONE])
    draft.form.phone = value
    out.say(t("dialog.echo.phone", phone=value))
    if draft.step is Step.PHONE:
        advance(out, ctx)
    else:
        prompt(out, ctx)
