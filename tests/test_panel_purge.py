"""`purge` waits for the panel: refused while 形式审查 or the panel runs, allowed after 报批审定, and it
takes the experts' chat identities with it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import open_app
from bot.cli import admin, purge
from bot.settings import Settings
from dialogs.panel.formal import Decision


async def test_purge_is_refused_until_the_panel_is_approved(tmp_path: Path) -> None:
    settings = Settings(campaign="2024", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)
    async with open_app(settings) as app:
        app.service.clock = lambda: datetime(2024, 5, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
        assert await purge.purge_refusal(app) is None  # no panel at all: the campaign's own rule
        async with app.store.atomic() as tx:
            await tx.decide(1, Decision.PASS, "", "admin")
        with pytest.raises(admin.Refused, match="尚未完成报批审定"):
            await purge.purge(app)
        async with app.store.atomic() as tx:
            expert = await tx.add_expert("吴晓岚", "安徽大学", None, None, "e" + "x" * 16)
            await tx.bind_expert(expert, "tg:7")
            await tx.start_panel(date(2024, 4, 30), "admin", [(1, None)])
            await tx.set_panel_state("closed")
        assert await purge.purge_refusal(app) == (await _refusal())
        async with app.store.atomic() as tx:
            await tx.set_panel_state("approved", "李处长")
        assert await purge.purge_refusal(app) is None
        await purge.purge(app)
        async with app.store.atomic() as tx:
            row = await tx.expert(expert)
        assert row is not None and row.user is None and row.expert.name == "吴晓岚"


async def _refusal() -> str:
    from dialogs.wording import t

    return t("panel.purge_refused")
