"""Answers to the field being asked: checked by the field's validator, stored, and the next step.

Long texts follow the rule of :mod:`dialogs.longtext`; pictures come one by one or as an album and
are checked before anything is stored. Every stored answer is one undo level.
"""

from __future__ import annotations

from collections.abc import Callable

from . import categories, headingask, headings, pasteform, periods, person, phones, stray, validators
from .editing import remember
from .events import PicturesRead
from .form import FIELDS, FORM_STEPS, Kind, label, limit_of
from .longtext import fill_lines, on_long
from .models import Step
from .navigation import advance, prompt
from .outcome import Context, Outcome, StorePicture, changed
from .validators import FieldError
from .wordcount import count_chars
from .wording import t

Validator = Callable[[str], object]


def _validator(step: Step, ctx: Context) -> Validator:
    campaign = ctx.campaign
    kind = FIELDS[step].kind
    if kind is Kind.CATEGORY:
        return lambda raw: validators.category(raw, campaign.categories)
    if kind is Kind.UNIT:
        return lambda raw: validators.unit(raw, campaign.units)
    if kind is Kind.PERIOD:
        return lambda raw: validators.period(raw, campaign.window)
    if kind is Kind.PHONE:
        return validators.phone
    return lambda raw: validators.short_text(
        raw, label=label(step), limit=limit_of(step, campaign), chars=campaign.limits.line_chars
    )


def _echo(step: Step, value: object, raw: str) -> str | None:
    """The answer as it was understood, where the dialog normalised it (a category, a period, phones),
    and what of it was not kept (an e-mail address beside the phone)."""
    kind = FIELDS[step].kind
    if kind is Kind.CATEGORY:
        return categories.echo(str(value))
    if kind is Kind.PERIOD:
        return periods.echo(str(value))
    if kind is Kind.PHONE:
        said = t("dialog.echo.phone", phone=str(value))
        if found := phones.emails(raw):
            said += "\n" + t("validators.phone.email_dropped", emails=t("dialog.sep.list").join(found))
        return said
    return None


def refusal(step: Step, message: str) -> str:
    return t("dialog.refusal", label=label(step), message=message)


def on_text(out: Outcome, text: str, ctx: Context) -> None:
    draft = out.session.draft
    if draft is None:
        if ctx.coordinator:
            out.say(t("dialog.stray.no_draft"))
        else:
            prompt(out, ctx)
        return
    if not ctx.is_open:
        out.say(ctx.closed)
        return
    if ctx.coordinator and stray.untouched(draft):
        stray.ask(out, text)
        return
    kind = FIELDS[draft.step].kind
    if count_chars(text) <= ctx.campaign.limits.content_chars and _pasted(out, text, kind, ctx):
        return
    try:
        if kind is Kind.LONG:
            on_long(out, text, ctx)
        elif kind is Kind.PICTURES:
            out.say(t("dialog.pictures.send_here"), hint="send_pictures")
        elif kind is Kind.REVIEW:
            out.say(t("dialog.at_review"))
        elif draft.step is Step.CONTACT:
            person.on_contact(out, text, ctx)
        else:
            value = _validator(draft.step, ctx)(text)
            remember(draft, [draft.step])
            setattr(draft.form, draft.step.value, value)
            echo = _echo(draft.step, value, text)
            if echo:
                out.say(echo)
            advance(out, ctx)
    except FieldError as error:
        said = refusal(draft.step, str(error))
        if kind is Kind.LONG:  # and what the next text will do, as the prompt said it
            said += "\n" + fill_lines(draft, ctx)[0]
        out.say(said)


def _pasted(out: Outcome, text: str, kind: Kind, ctx: Context) -> bool:
    """A heading to ask about, or a whole filled-in form: True when the text was taken that way."""
    form = pasteform.read(text)
    if kind is Kind.LONG or form is not None:
        unsure = headings.ambiguous(text)
        if unsure is not None:
            headingask.ask(out, text, unsure)
            return True
    if form is not None:
        pasteform.offer_paste(out, form, ctx)
        return True
    return False


def on_pictures(out: Outcome, event: PicturesRead, ctx: Context) -> None:
    """Pictures the shell has already decoded and re-encoded; one refused keeps none of the message's."""
    draft = out.session.draft
    if draft is None:
        out.say(t("dialog.pictures.not_now"))
        return
    if draft.step is Step.REVIEW:  # the way there: /edit with the pictures' number
        out.say(t("dialog.pictures.not_now_review", number=FORM_STEPS.index(Step.PICTURES) + 1))
        return
    if draft.step is not Step.PICTURES:
        out.say(t("dialog.pictures.not_now_at", label=label(draft.step)))
        return
    if not ctx.is_open:
        out.say(ctx.closed)
        return
    if not event.items:  # an album that arrived empty: nothing to add, and nothing said to have arrived
        out.say(t("dialog.pictures.send_here"), hint="send_pictures")
        return
    limits = ctx.campaign.limits
    have, sent = len(draft.form.pictures), len(event.items)
    if have + sent > limits.pictures_max:
        over = have + sent - limits.pictures_max
        out.say(t("dialog.pictures.too_many", most=limits.pictures_max, have=have, sent=sent, over=over))
        return
    refused = next((p.refusal for p in event.items if p.ref is None), None)
    if refused is not None:
        out.say(refusal(Step.PICTURES, refused or t("images.broken")))
        return
    checked = [
        (p.ref.model_copy(update={"caption": _caption(p.caption)}), p.data) for p in event.items if p.ref is not None
    ]
    known = {p.sha256 for p in draft.form.pictures}
    if any(ref.sha256 in known for ref, _ in checked) or len({ref.sha256 for ref, _ in checked}) < len(checked):
        out.say(t("dialog.pictures.repeated"))
        return
    changed(out)
    remember(draft, [Step.PICTURES])
    for ref, data in checked:
        out.actions.append(StorePicture(sha256=ref.sha256, data=data))
        draft.form.pictures.append(ref)
    total = len(draft.form.pictures)
    out.say(t("dialog.pictures.received", count=len(checked), total=total, most=limits.pictures_max))
    if total >= limits.pictures_max:
        advance(out, ctx)
    else:
        out.say(t("dialog.pictures.more"), [(t("dialog.button.done"), "cmd:next:0")])


def _caption(raw: str) -> str:
    return validators.clean_text(raw, multiline=False) if raw.strip() else ""
