"""What 形式审查 and the result read from the file, gathered once per step into the dialogs' values."""

from __future__ import annotations

from bot.disk.outputs import recommended
from bot.storage import Tx
from bot.usecases.scans import scan_state
from dialogs.campaign import Campaign
from dialogs.models import Case, CaseState
from dialogs.panel.formal import Facts, Marks, all_items
from dialogs.panel.record import FormalRow
from dialogs.scans import ScanTarget, case_fingerprint, summary_fingerprint
from dialogs.similarity import check_duplicate


def in_review(cases: list[Case]) -> list[Case]:
    """The cases 形式审查 looks at: every recommended one, and those sent back for 补正."""
    return [
        c
        for c in cases
        if c.state is CaseState.RECOMMENDED or (c.state is CaseState.RETURNED and c.held_rank is not None)
    ]


async def formal_rows(tx: Tx, campaign: Campaign) -> list[FormalRow]:
    every = await tx.all_cases()
    marks = await tx.formal_marks()
    contacts = await tx.unit_contacts()
    shown = in_review(every)
    rows = []
    for case in sorted(shown, key=lambda c: (c.unit, c.rank or c.held_rank or 0)):
        unit_cases = [c for c in every if c.unit == case.unit]
        unit = campaign.unit(case.unit)
        kept = await tx.scans_of_unit(case.unit)
        others = [(c.id, c.form) for c in shown if c.unit != case.unit]
        verdict = check_duplicate(case.form, others, campaign.duplicates, self_id=case.id)
        contact = contacts.get(case.unit) or ((unit.contact, unit.phone) if unit else ("", ""))
        facts = Facts(
            recommended_in_unit=len([c for c in shown if c.unit == case.unit]),
            quota=campaign.quota_for(unit) if unit else 0,
            duplicates=verdict.matches if verdict.clear else (),
            case_scan=scan_state(kept.get(ScanTarget(case.id).key(case.unit)), case_fingerprint(case)),
            summary_scan=scan_state(
                kept.get(ScanTarget(None).key(case.unit)), summary_fingerprint(recommended(unit_cases))
            ),
            contact_ok=bool(contact[0] and contact[1]),
        )
        mark = marks.get(case.id)
        items = all_items(case, campaign, facts, mark.marks if mark else Marks())
        rows.append(FormalRow(case, tuple(items), mark.decision if mark else None, mark.note if mark else ""))
    return rows
