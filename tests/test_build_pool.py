"""Files built in the process pool are the very files the exporters make in this process.

Why: since the pool, every 推荐表 and 汇总表 crosses a process boundary (the case pickled in, the bytes
pickled out); a copy of the campaign or the case that lost something on the way would change the file
the unit mails, silently.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.app import App
from bot.disk.outputs import recommended
from bot.disk.samples import sample_cases
from dialogs import periods
from exporters.case_list_xlsx import build_case_list_xlsx
from exporters.form_docx import build_form_docx
from exporters.summary_xlsx import build_summary_xlsx


async def test_a_full_form_from_the_pool_is_the_exporters_form(app: App) -> None:
    cases = sample_cases(4, unit="hefei")
    made = await asyncio.gather(*(app.outputs.form_file(c) for c in cases))  # side by side, in the pool
    for case, file in zip(cases, made, strict=True):
        on = (case.submitted_at or case.updated_at).astimezone(app.campaign.zone).date()
        assert file.data == build_form_docx(case.form, app.campaign, pictures=[], on=on)
    assert len({f.data for f in made}) == len(cases), "each case its own form, none swapped in the pool"


async def test_the_units_files_from_the_pool_are_the_exporters_files(app: App) -> None:
    unit = app.campaign.unit("hefei")
    assert unit is not None
    summary = await app.outputs.summary_file("hefei")
    listing = await app.outputs.case_list_file("hefei")
    expected = build_summary_xlsx(
        app.campaign,
        unit,
        recommended([]),
        period_in_remarks=app.campaign.period_in_remarks,
        period_display=periods.display,
    )
    assert summary.data == expected
    assert listing.data == build_case_list_xlsx(app.campaign, unit, [])


async def test_closed_outputs_still_build_in_this_process(app: App) -> None:
    await app.outputs.close()
    await app.outputs.close()  # twice is harmless: the app closes it again at shutdown
    case = sample_cases(1, unit="hefei")[0]
    made = await app.outputs.form_file(case)
    on = (case.submitted_at or case.updated_at).astimezone(app.campaign.zone).date()
    assert made.data == build_form_docx(case.form, app.campaign, pictures=[], on=on)


KILLED = """
import asyncio, os, signal, sys
from pathlib import Path
from bot.app import open_app
from bot.settings import Settings

async def main() -> None:
    folder = Path(sys.argv[1])
    settings = Settings(campaign="demo", db=folder / "db.sqlite3", out=folder / "out", _env_file=None)
    async with open_app(settings) as app:
        await app.outputs.summary_file("hefei")
        workers = {app.outputs._pool.submit(os.getpid).result() for _ in range(8)}
        print(*workers, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_the_pool_workers_end_with_an_application_killed_outright(tmp_path: Path) -> None:
    script = tmp_path / "killed.py"
    script.write_text(KILLED, encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    workers = [int(p) for p in done.stdout.split()]
    assert workers, done.stderr
    for _ in range(200):  # they notice within moments; give a loaded machine plenty of room
        alive = [p for p in workers if Path(f"/proc/{p}").exists() and "zombie" not in _state(p)]
        if not alive:
            break
        time.sleep(0.05)
    assert not alive, f"pool workers {alive} outlived the application"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"
