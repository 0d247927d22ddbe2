"""The panel's papers written into a folder: the 形式审查表 before, the rest once the panel is closed."""

from __future__ import annotations

from pathlib import Path

from bot.disk.atomic import write_atomic
from bot.storage import Store
from bot.usecases.panel.formal import formal_sheet
from bot.usecases.panel.record import read_record
from dialogs.campaign import Campaign
from dialogs.rules import RuleError
from dialogs.wording import t
from exporters.filenames import safe_component
from exporters.panel_report_docx import build_panel_report_docx
from exporters.panel_selection_xlsx import build_selection_xlsx
from exporters.panel_sheet_docx import build_score_sheet_docx
from exporters.panel_summary_xlsx import build_panel_summary_xlsx


async def write_formal(store: Store, campaign: Campaign, out: Path) -> str:
    data, summary = await formal_sheet(store, campaign)
    path = out / t("panel.files.formal", year=campaign.year)
    write_atomic(path, data)
    return "\n".join([summary, t("panel.run.written", path=path)])


async def write_results(store: Store, campaign: Campaign, out: Path) -> list[Path]:
    async with store.atomic() as tx:
        panel = await tx.panel()
        if panel is None:
            raise RuleError(t("panel.run.not_started"), code="not_started")
        if panel.state == "open":
            raise RuleError(t("panel.run.not_closed"), code="not_closed")
        record = await read_record(tx, campaign)
    papers = [(out / t("panel.files.summary", year=campaign.year), build_panel_summary_xlsx(record))]
    for number, expert in enumerate(record.experts, start=1):
        name = t("panel.files.sheet", number=f"{number:02d}", name=safe_component(expert.name, 20))
        papers.append((out / name, build_score_sheet_docx(record, expert.id)))
    if record.selection:
        papers.append((out / t("panel.files.selection", year=campaign.year), build_selection_xlsx(record)))
    papers.append((out / t("panel.files.report", year=campaign.year), build_panel_report_docx(record)))
    for path, data in papers:
        write_atomic(path, data)
    return [path for path, _ in papers]
