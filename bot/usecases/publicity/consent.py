"""A unit's consent to publish each picture of its final cases, and the office's publication text.

Why per picture and by the unit: cases in this collection often show minors (网络素养 lessons in
schools), and the unit that recommended a case is the one that knows whether consent was obtained
from the people shown. Without a "yes", a picture is published nowhere (the site and the 汇编 read
only consented pictures). The publication text is the office's edited title and text; the form
itself is never changed.
"""

from __future__ import annotations

from bot.reading.reader import Reader
from bot.storage import Store
from bot.storage.publicity import PublicationText
from bot.usecases.publicity import PublicityRefused
from bot.usecases.publicity.telling import CONSENT_PREFIX
from dialogs.events import Command
from dialogs.headings import by_paragraphs as split_parts
from dialogs.models import PARTS, Step
from dialogs.numbers import read_case_id
from dialogs.wordfile import ReadForm, Refused
from dialogs.wording import t
from exporters.text import one_line, paragraphs


def parse_press(data: str) -> tuple[int, int, bool] | None:
    """``pc:<case>:<number>:<1|0>`` → (case, picture number, consent)."""
    parts = data.removeprefix(CONSENT_PREFIX).split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or parts[2] not in ("0", "1"):
        return None
    return int(parts[0]), int(parts[1]), parts[2] == "1"


def parse_command(event: Command) -> tuple[int, int, bool] | None:
    """``/consent 编号 图号 同意|不同意``."""
    words = event.arg.split()
    if len(words) != 3:
        return None
    case_id, number = read_case_id(words[0]), read_case_id(words[1])
    answer = words[2].strip().lower()
    yes, no = t("publicity.consent.yes_words").split(), t("publicity.consent.no_words").split()
    if case_id is None or number is None or answer not in yes + no:
        return None
    return case_id, number, answer in yes


async def give_consent(store: Store, user: str, case_id: int, number: int, consent: bool, is_admin: bool) -> str:
    """Record one picture's answer from a coordinator of the case's unit; the reply says what was recorded."""
    async with store.atomic() as tx:
        state = await tx.publicity_state()
        if state is None or not state.final:
            return t("publicity.consent.not_final")
        if case_id not in await tx.final_list():
            return t("publicity.consent.not_listed", id=case_id)
        case = await tx.case(case_id)
        assert case is not None
        if not is_admin and (case.unit, "coordinator") not in await tx.roles_of(user):
            return t("publicity.consent.not_yours", id=case_id)
        if not 1 <= number <= len(case.form.pictures):
            return t("publicity.consent.no_picture", id=case_id, number=number)
        await tx.set_picture_consent(case_id, case.form.pictures[number - 1].sha256, consent, user)
        await tx.audit(
            user,
            "picture-consent" if consent else "picture-refused",
            unit=case.unit,
            case_id=case_id,
            detail=str(number),
        )
    key = "publicity.consent.given" if consent else "publicity.consent.refused"
    return t(key, id=case_id, number=number)


async def text_from(data: bytes, filename: str) -> tuple[str, str, tuple[str, ...]]:
    """Title, 简介 and the four parts from a .docx (the 推荐表 reader) or a plain text (split at the part
    headings; what stands before the first heading is the 简介)."""
    if filename.lower().endswith(".docx"):
        read = (await Reader().form(data, filename)).read  # in a sandboxed process, like a submitter's file
        if isinstance(read, Refused):
            raise PublicityRefused(t("publicity.text.unreadable", file=filename))
        return _from_read(read)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PublicityRefused(t("publicity.text.not_utf8", file=filename)) from error
    lines = paragraphs(text)
    found, _, _ = split_parts(lines)
    first_heading = next((i for i, line in enumerate(lines) if _is_heading(line)), len(lines))
    return "", "\n".join(lines[:first_heading]), tuple(found.get(step, "") for step in PARTS)


def _is_heading(line: str) -> bool:
    """A line that opens one of the four parts (the reader then no longer counts that part missing)."""
    return len(split_parts([line])[1]) < len(PARTS)


def _from_read(read: ReadForm) -> tuple[str, str, tuple[str, ...]]:
    fields = read.fields
    return (
        one_line(fields.get(Step.NAME, "")),
        fields.get(Step.SUMMARY, ""),
        tuple(fields.get(step, "") for step in PARTS),
    )


async def set_text(
    store: Store, case_id: int, title: str, data: bytes | None, filename: str, by: str
) -> PublicationText:
    """The office's publication text for a final case: a new title, and/or the text of a file."""
    summary, read_title = "", ""
    parts: tuple[str, ...] = ("",) * len(PARTS)
    if data is not None:
        read_title, summary, parts = await text_from(data, filename)
    text = PublicationText(case_id, one_line(title) or read_title, summary, parts, filename or "paste")
    if not text.title and not text.summary and not any(text.parts):
        raise PublicityRefused(t("publicity.text.empty"))
    async with store.atomic() as tx:
        if case_id not in await tx.final_list():
            raise PublicityRefused(t("publicity.consent.not_listed", id=case_id))
        await tx.set_publication_text(text, by)
        await tx.audit(by, "publication-text", case_id=case_id, detail=text.source)
    return text
