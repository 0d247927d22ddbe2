"""The showcase site in a real browser: Debian's chromium headless, driven by selenium through
Debian's chromedriver (Selenium Manager never runs: the driver's path is given and its statistics
are off). Every page loads with no missing file and no console error, every picture has alt text,
a 375-pixel phone shows no horizontal scroll, printing gives whole A4 pages with each case
starting a page, and no file of the site holds a phone, a contact name, a chat id or the objector.

With CASEBOT_SAMPLES_DIR set, the same browser also saves the README's screenshots there.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver import Chrome as WebDriver

from bot.app import App
from bot.usecases.publicity.consent import give_consent
from bot.usecases.publicity.objections import add_objection, check_objection, decide_objection, finalise
from bot.usecases.publicity.showcase import write_showcase
from bot.usecases.publicity.stages import start_notice
from tests.publicity_data import CONTACTS, COORDINATORS, LETTER, OBJECTOR, OBJECTOR_PHONE, PHONES, ROWS, cast

# Debian's packages; elsewhere (Ubuntu's chromium is a snap, whose private /tmp cannot see the site) point
# these at a browser and its matching driver installed from a .deb
CHROMIUM = os.environ.get("CASEBOT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CASEBOT_CHROMEDRIVER", "/usr/bin/chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists() and shutil.which("pdftotext")),
        reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver) and poppler",
    ),
]
PHONE_WIDTH = 375


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    os.environ["SE_AVOID_STATS"] = "true"  # no statistics sent by selenium
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={PHONE_WIDTH},800")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


async def site(app: App, root: Path) -> tuple[Path, list[int], int]:
    """The final list after one upheld objection; one picture of the first case consented to."""
    people = await cast(app)
    async with app.store.atomic() as tx:
        await tx.record_approved_selection(people.ids, by="省委网信办")
    await start_notice(app.store, app.campaign, date(2024, 4, 3), 5, "cli", root / "notice")
    withdrawn = people.ids[1]
    objection = await add_objection(app.store, withdrawn, date(2024, 4, 8), OBJECTOR, OBJECTOR_PHONE, LETTER, "cli")
    await check_objection(app.store, objection, "经核查，申报数据与实际不符。", "cli")
    await decide_objection(app.store, objection, True, "异议成立。", "cli")
    final, _ = await finalise(app.store, app.campaign, date(2024, 4, 11), "cli")
    await give_consent(app.store, COORDINATORS["hefei"], people.ids[0], 1, True, False)
    await write_showcase(app.store, app.campaign, root / "site")
    return root / "site", final, withdrawn


def phone_view(driver: WebDriver) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE_WIDTH, "height": 800, "deviceScaleFactor": 2, "mobile": True},
    )


def severe(driver: WebDriver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def printed(driver: WebDriver, pdf: Path) -> list[str]:
    """The page printed as the browser prints it (A4, the site's print style); each PDF page's text."""
    result = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    pdf.write_bytes(base64.b64decode(result["data"]))
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in sizes), info
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[: len(sizes)]
    assert len(pages) == len(sizes)
    return [re.sub(r"\s+", "", page) for page in pages]


async def test_the_site_in_a_real_browser(app: App, tmp_path: Path, browser: WebDriver) -> None:
    folder, final, withdrawn = await site(app, tmp_path)
    pages = sorted(folder.rglob("*.html"))
    assert {p.relative_to(folder).as_posix() for p in pages} >= {"index.html", "all.html"} | {
        f"cases/case-{i}.html" for i in final
    }
    assert not (folder / "cases" / f"case-{withdrawn}.html").exists()
    phone_view(browser)
    samples = os.environ.get("CASEBOT_SAMPLES_DIR")
    for page in pages:
        browser.get(page.as_uri())
        fragment = page.parent.name == "cms"  # a CMS fragment: its root element carries the language
        root = "document.body.firstElementChild" if fragment else "document.documentElement"
        assert browser.execute_script(f"return {root}.lang") == "zh-CN", page
        assert severe(browser) == [], page  # a missing picture or style sheet is logged as an error
        broken = browser.execute_script(
            "return [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        assert broken == [], page
        no_alt = browser.execute_script(
            "return [...document.images].filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src)"
        )
        assert no_alt == [], page
        if not fragment:  # the CMS fragments carry no style sheet of their own: the CMS styles them
            styled = browser.execute_script(
                "return getComputedStyle(document.querySelector('header.site')).borderBottomStyle"
            )
            assert styled == "solid", page
        if not fragment:  # a fragment is laid out by the CMS page that holds it (its viewport, its column)
            wide = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            assert wide[0] <= wide[1] == PHONE_WIDTH, (page, wide)
    pictures = sorted(p.name for p in (folder / "pictures").iterdir())
    assert pictures == [f"case-{final[0]}-1.png"]  # the unconsented second picture is nowhere

    # a case page printed: whole A4 pages, its title on the first
    case_page = folder / "cases" / f"case-{final[0]}.html"
    browser.get(case_page.as_uri())
    if samples:
        Path(samples).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(samples, "showcase-case.png")))
    texts = printed(browser, tmp_path / "case.pdf")
    assert re.sub(r"\s+", "", ROWS[0][1]) in texts[0]
    # all cases printed: each starts a page of its own
    browser.get((folder / "all.html").as_uri())
    texts = printed(browser, tmp_path / "all.pdf")
    names = [re.sub(r"\s+", "", row[1]) for row in ROWS]
    starts = [i for i, text in enumerate(texts) for name in names if text.startswith(name)]
    assert len(starts) == len(final) - 1  # the first case follows the masthead on page 1
    assert len(texts) >= len(final)
    if samples:
        browser.get((folder / "index.html").as_uri())
        browser.save_screenshot(str(Path(samples, "showcase-index.png")))


async def test_no_file_of_the_site_holds_personal_data(app: App, tmp_path: Path) -> None:
    folder, _, _ = await site(app, tmp_path)
    owners = [row[5] for row in ROWS] + list(COORDINATORS.values())
    searched = [*CONTACTS, *PHONES, OBJECTOR, OBJECTOR_PHONE, *owners, *(o.split(":")[1] for o in owners)]
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) > 5
    for path in files:
        data = path.read_bytes()
        for word in searched:
            assert word.encode() not in data, (path, word)
        assert not re.search(rb"1[3-9]\d{9}", data), path  # no mobile number of any kind
