"""`casebot panel import FILE --unit 代码`: a case that reached the office by e-mail or paper, read from
its .docx by the Word reader and stored as recommended by its unit, audited as entered by the admin."""

from __future__ import annotations

from pathlib import Path

from bot.reading.reader import Reader
from bot.storage import Store
from bot.usecases import outbox
from dialogs.campaign import Campaign
from dialogs.importing import refusal_text
from dialogs.models import CaseState
from dialogs.panel.entered import form_from_fields
from dialogs.rules import RuleError
from dialogs.wordfile import Refused
from dialogs.wording import t

ADMIN_OWNER = "admin"


async def import_case(store: Store, campaign: Campaign, actor: str, path: Path, unit: str) -> str:
    if campaign.unit(unit) is None:
        raise RuleError(t("panel.experts.unknown_unit", code=unit), code="unknown_unit")
    read = (await Reader().form(path.read_bytes(), path.name)).read  # in a sandboxed process
    if isinstance(read, Refused):
        raise RuleError(t("panel.entered.refused", reason=refusal_text(read.reason)), code="unreadable")
    form, problems = form_from_fields(read.fields, campaign, unit)
    async with store.atomic() as tx:
        if await tx.panel() is not None:
            raise RuleError(t("panel.check.after_start"), code="started")
        ranks = [c.rank or 0 for c in await tx.cases_of_unit(unit) if c.state is CaseState.RECOMMENDED]
        rank = max(ranks, default=0) + 1
        case_id = await tx.insert_case(
            ADMIN_OWNER, unit, CaseState.RECOMMENDED, rank, form, flags=[t("panel.entered.flag")]
        )
        await tx.audit(actor, "case_import", unit=unit, case_id=case_id, detail=path.name)
        await outbox.record(tx, f"panel-import:{case_id}", outbox.FilesWork(unit=unit, case_id=case_id))
    unit_name = campaign.unit(unit).name  # type: ignore[union-attr]
    return "\n".join([t("panel.entered.added", id=case_id, name=form.name or "", unit=unit_name, rank=rank), *problems])
