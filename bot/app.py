"""Wiring: the store, outputs and service of one running application, opened and closed together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.disk.outputs import Outputs
from bot.usecases.service import Service
from dialogs.campaign import Campaign

from .settings import Settings, load_campaign
from .storage import Store


@dataclass
class App:
    settings: Settings
    campaign: Campaign
    store: Store
    outputs: Outputs
    service: Service


@asynccontextmanager
async def open_app(settings: Settings, campaign: Campaign | None = None) -> AsyncIterator[App]:
    """Open the database in the start-up path and close it at shutdown, whatever happens between."""
    campaign = campaign or load_campaign(settings.campaign)
    store = await Store(settings.db).open()
    outputs: Outputs | None = None
    try:
        async with store.atomic() as tx:
            imported = await tx.units()
            retired = await tx.retired_units()
        if imported:
            campaign = campaign.with_units(tuple(imported), tuple(retired))
        outputs = Outputs(store, campaign, settings.out)
        await outputs.start()
        service = Service(store, campaign, outputs)
        await service.start()
        yield App(settings, campaign, store, outputs, service)
    finally:
        if outputs is not None:
            await outputs.close()
        await store.close()
