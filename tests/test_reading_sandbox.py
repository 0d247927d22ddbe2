"""Hostile files sent as a case (issue 17.2): each is refused quickly, read in a process of its own that is
gone afterwards, without growing casebot's memory, while another user is answered on the same process.

The bombs are those the trial used: one cell with gridSpan = 10^8, a column merged down 800 and 990 rows,
a 40-megapixel WebP under 200 KB, and a PNG whose header claims 10^10 pixels. The wall-clock bound is
the sandbox's own limit (asserted as configured), not a timing measured on a busy machine.
"""

from __future__ import annotations

import asyncio
import io
import re
import zipfile

import pytest
from docx import Document as WordDocument
from PIL import Image

from bot.app import App
from bot.reading import reader as reading
from bot.reading import sandbox
from bot.reading.pictures import read_picture
from bot.reading.word_form import read_form
from dialogs.campaign import Campaign
from dialogs.events import Command, Document, PictureIn, Pictures
from dialogs.machine import help_text
from dialogs.models import Step
from dialogs.wordfile import MAX_COLUMNS, MAX_MERGE, Refusal, Refused

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _with_body(body: str) -> bytes:
    """A real .docx (python-docx's own template) whose body is replaced by ``body``."""
    buffer = io.BytesIO()
    WordDocument().save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>'.encode()
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _cell(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def span_bomb(span: int = 10**8) -> bytes:
    row = "<w:tr>" + _cell("案例名称", f'<w:gridSpan w:val="{span}"/>') + "</w:tr>"
    return _with_body(f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>{row}</w:tbl>")


def merge_bomb(rows: int) -> bytes:
    first = "<w:tr>" + _cell("案例内容", '<w:vMerge w:val="restart"/>') + _cell("一、背景意义") + "</w:tr>"
    rest = ("<w:tr>" + _cell("", "<w:vMerge/>") + _cell("文字") + "</w:tr>") * (rows - 1)
    return _with_body(f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{first}{rest}</w:tbl>")


def webp_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8000, 5000), "white").save(buffer, "WEBP", quality=10)
    data = buffer.getvalue()
    assert len(data) < 200 * 1024
    return data


def png_bomb() -> bytes:
    from tests.test_images import _png_header_claiming

    return _png_header_claiming(100_000, 100_000)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


# -- the XML is judged before python-docx builds anything --------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason", "found", "words"),
    [
        pytest.param(span_bomb(), Refusal.TOO_WIDE, 10**8, "横跨 100000000 列", id="gridSpan-1e8"),
        pytest.param(span_bomb(64), Refusal.TOO_WIDE, 64, "最多 63 列", id="gridSpan-64"),
        pytest.param(merge_bomb(800), Refusal.MERGE_TOO_DEEP, MAX_MERGE + 1, "向下合并", id="vMerge-800"),
        pytest.param(merge_bomb(990), Refusal.MERGE_TOO_DEEP, MAX_MERGE + 1, "向下合并", id="vMerge-990"),
    ],
)
def test_a_table_bomb_is_refused_on_its_xml_saying_what_is_wrong(
    data: bytes, reason: Refusal, found: int, words: str, campaign: Campaign
) -> None:
    from dialogs.importing import refusal_text

    read = read_form(data, "推荐表.docx")
    assert read == Refused(reason, found)
    assert words in refusal_text(read.reason, read.found)


def test_a_table_within_word_s_limits_is_still_read() -> None:
    rows = "".join(
        "<w:tr>" + _cell(label, '<w:gridSpan w:val="2"/>') + _cell(value) + "</w:tr>"
        for label, value in [("案例名称", "清朗网络共建行动"), ("申报单位", "合肥市委网信办")]
    )
    merged = "<w:tr>" + _cell("备注", '<w:vMerge w:val="restart"/>') + _cell("甲") + "</w:tr>"
    merged += ("<w:tr>" + _cell("", "<w:vMerge/>") + _cell("乙") + "</w:tr>") * (MAX_MERGE - 1)
    read = read_form(_with_body(f"<w:tbl>{rows}{merged}</w:tbl><w:p/>"), "推荐表.docx")
    assert not isinstance(read, Refused)
    assert read.fields[next(iter(read.fields))] == "清朗网络共建行动"
    assert MAX_COLUMNS == 63


# -- the sandbox: a process per read, killed at its limits -------------------------------------------------------


def _forever() -> None:
    while True:
        pass


def _hog() -> bytes:
    return b"x" * (2 * 1024**3)


async def test_a_read_that_runs_away_is_killed_at_its_time_limit_and_is_gone() -> None:
    done = await sandbox.run(_forever, limits=sandbox.Limits(seconds=0.5, memory=256 * 1024**2))
    assert done.stopped is sandbox.Stopped.TIME and done.pid
    assert not sandbox.alive(done.pid)


async def test_a_read_that_wants_too_much_memory_is_stopped_and_is_gone() -> None:
    before = rss_mb()
    done = await sandbox.run(_hog, limits=sandbox.Limits(seconds=10, memory=256 * 1024**2))
    assert done.stopped is sandbox.Stopped.MEMORY
    assert not sandbox.alive(done.pid)
    assert rss_mb() - before < 50


def test_the_limits_are_those_the_issue_asks_for() -> None:
    for limits in (reading.WORD_LIMITS, reading.PICTURE_LIMITS):
        assert limits.seconds <= 3 and limits.memory <= 1024**3


def test_a_picture_bomb_is_refused_from_its_header(campaign: Campaign) -> None:
    webp = read_picture(PictureIn(webp_bomb()), campaign.limits)
    assert webp.ref is None and "8000×5000" in webp.refusal
    png = read_picture(PictureIn(png_bomb()), campaign.limits)
    assert png.ref is None and "尺寸过大" in png.refusal


# -- through a running service: refused, child gone, memory flat, another user answered first -----------------


async def _at_step(app: App, user: str, step: Step | None) -> None:
    """A submitter with a draft (at ``step``, as if walked there)."""
    await app.service.assign_unit(user, "hefei")
    await app.service.handle(user, Command("start"))
    if step is not None:
        async with app.store.atomic() as tx:
            session = await tx.load_session(user)
            assert session.draft is not None
            session.draft.step = step
            await tx.save_session(session)


def _watch(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], asyncio.Event]:
    """Record each child the service starts, and signal when one is running."""
    pids: list[int] = []
    started = asyncio.Event()
    real = sandbox.run

    async def run(fn, *args, limits):  # type: ignore[no-untyped-def]
        task = asyncio.ensure_future(real(fn, *args, limits=limits))
        started.set()
        done = await task
        pids.append(done.pid)
        return done

    monkeypatch.setattr(reading.sandbox, "run", run)
    return pids, started


BOMBS = [
    pytest.param("docx", span_bomb, id="gridSpan-1e8"),
    pytest.param("docx", lambda: merge_bomb(800), id="vMerge-800"),
    pytest.param("docx", lambda: merge_bomb(990), id="vMerge-990"),
    pytest.param("picture", webp_bomb, id="webp-40MP"),
    pytest.param("picture", png_bomb, id="png-bomb"),
]


# a Word file with its XML checked first, and with that check off (the sandbox's limits alone); a picture has
# no XML to check first, so it is read once
CASES = [
    *(pytest.param(*bomb.values, True, id=f"{bomb.id}-xml-checked") for bomb in BOMBS),
    *(pytest.param(*bomb.values, False, id=f"{bomb.id}-sandbox-alone") for bomb in BOMBS if bomb.values[0] == "docx"),
]


@pytest.mark.parametrize(("kind", "make", "structure_first"), CASES)
async def test_a_bomb_is_refused_while_another_user_is_answered(
    app: App, monkeypatch: pytest.MonkeyPatch, kind: str, make, structure_first: bool
) -> None:  # type: ignore[no-untyped-def]
    app.service.reader.structure_first = structure_first
    await _at_step(app, "bomber", Step.PICTURES if kind == "picture" else None)
    await app.service.handle("other", Command("start"))
    pids, started = _watch(monkeypatch)
    data = make()
    before = rss_mb()
    event = Document(data, "推荐表.docx") if kind == "docx" else Pictures((PictureIn(data, filename="p.webp"),))
    bomb = asyncio.ensure_future(app.service.handle("bomber", event))
    await started.wait()
    helped = await app.service.handle("other", Command("help"))
    assert help_text(app.campaign) in "\n".join(r.text for r in helped.replies)
    if not structure_first:  # the read runs until the sandbox stops it: the other user was answered meanwhile
        assert not bomb.done()
    answer = "\n".join(r.text for r in (await bomb).replies)
    assert re.search("不予读取|停止|过大|不相称", answer), answer
    assert pids and all(not sandbox.alive(pid) for pid in pids)
    assert rss_mb() - before < 50


def test_the_dialog_no_longer_decodes_pictures() -> None:
    """dialogs/ receives checked pictures as data: nothing in it imports Pillow (or any image decoder)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "dialogs"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] in ("PIL", "pillow_heif") for n in names), path
