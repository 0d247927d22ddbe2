"""展示推广 on the server: the static site of the final cases, and its per-case CMS fragments.

The site is written into a fresh folder beside ``out`` and swapped in whole: a reader (or the web
server) sees the old site or the new one, and a picture whose consent was withdrawn, or a case
withdrawn, leaves no file behind from an earlier run.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from bot.storage import Store
from bot.usecases.publicity import PublicityRefused
from bot.usecases.publicity.reading import gather, site_of, with_pictures
from dialogs.campaign import Campaign
from dialogs.wording import t
from exporters.showcase_site import ShownCase, build_site, case_fragment
from exporters.web_pictures import WEB_EDGE


async def final_cases(store: Store, campaign: Campaign, edge: int = WEB_EDGE) -> list[ShownCase]:
    async with store.atomic() as tx:
        state = await tx.publicity_state()
        if state is None or not state.final:
            raise PublicityRefused(t("publicity.showcase.not_final"))
        gathered = await gather(tx, campaign, await tx.final_list())
    return await asyncio.to_thread(with_pictures, gathered, edge)


def site_files(campaign: Campaign, cases: list[ShownCase]) -> dict[str, bytes]:
    """The site's files and, under ``cms/``, one fragment per case (its pictures from ../pictures/)."""
    files = build_site(site_of(campaign), cases)
    for case in cases:
        fragment = case_fragment(case).replace('src="case-', 'src="../pictures/case-')
        files[f"cms/case-{case.id}.html"] = fragment.encode()
    return files


def write_folder(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` as the whole content of the folder ``out``, replacing what it held."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    for name, data in files.items():
        path = fresh / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    fresh.chmod(0o755)
    old = out.with_name(f".{out.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    fresh.rename(out)
    if old.exists():
        shutil.rmtree(old)
    return sorted(out / name for name in files)


async def write_showcase(store: Store, campaign: Campaign, out: Path) -> list[Path]:
    cases = await final_cases(store, campaign)
    return await asyncio.to_thread(lambda: write_folder(out, site_files(campaign, cases)))
