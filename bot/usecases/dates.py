"""The dates in force for each unit: administrators' extensions and coordinators' own cut-offs.

Both are stored (bot/storage) and read once at start-up; every event asks for its unit's
:class:`dialogs.deadline.Deadlines`, so they are kept in memory and updated as they are set.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.storage import Tx
from dialogs import deadline
from dialogs.campaign import Campaign
from dialogs.deadline import Deadlines


class UnitDates:
    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.extensions: dict[str, datetime] = {}  # unit code or "*" for everyone
        self.cutoffs: dict[str, date] = {}  # unit code: the submitters' last day the coordinator set

    async def load(self, tx: Tx) -> None:
        self.extensions = await tx.extensions()
        self.cutoffs = await tx.cutoffs()

    def extension_for(self, unit: str | None) -> datetime | None:
        candidates = [d for d in (self.extensions.get("*"), self.extensions.get(unit or "")) if d]
        return max(candidates) if candidates else None

    def for_unit(self, unit: str | None) -> Deadlines:
        return deadline.deadlines_for(self.campaign, self.extension_for(unit), self.cutoffs.get(unit or ""))

    def latest_deadline(self) -> datetime:
        """When the campaign is over for every unit, extensions included."""
        units = [u.code for u in self.campaign.all_units]
        return max([self.for_unit(None).deadline, *(self.for_unit(u).deadline for u in units)])
