"""Sealed scans sent back by a coordinator: kept, listed in /cases (已盖章 / 未盖章), replaced whole by a new
scan, flagged as needing a new one after a change, carried into the province export; bad files refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from bot.app import App, open_app
from bot.channels.terminal import to_event
from bot.cli import admin
from bot.settings import Settings
from dialogs.events import Command, Document, PictureIn, Pictures, Press, Text
from tests.helpers import make_image
from tests.test_rules_service import coordinator, distinct, submit, text


def photo(color: str = "white") -> PictureIn:
    """A phone photo of a sealed page: a real-size JPEG."""
    return PictureIn(data=make_image("JPEG", (1200, 1700), color), filename="IMG_0001.JPG")


def pdf_bytes(pages: int = 2) -> bytes:
    images = [Image.new("RGB", (1240, 1754), "white") for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


async def two_recommended(app: App) -> tuple[int, int]:
    await submit(app, "alice", "hefei", *distinct(0))
    await submit(app, "bob", "hefei", *distinct(1))
    await coordinator(app, "boss", "hefei")
    first, second = sorted(await app.service.unit_cases("hefei"), key=lambda c: c.rank or 0)
    return first.id, second.id


async def pages(app: App, target: str) -> list[tuple[int, str]]:
    async with app.store.atomic() as tx:
        return [(page, ext) for page, ext, _ in await tx.scan_pages(target)]


async def test_photos_are_the_pages_in_order_kept_and_listed(app: App) -> None:
    first, _ = await two_recommended(app)
    asked = await app.service.handle("boss", Command("scan", str(first)))
    assert f"请发送《清朗网络共建行动》（编号 {first}）推荐表加盖公章后的扫描件" in text(asked)
    album = await app.service.handle("boss", Pictures(items=(photo("white"), photo("gray"))))
    assert "第 1～2 页" in text(album)
    third = await app.service.handle("boss", Pictures(items=(photo("black"),)))
    assert "第 3 页" in text(third)
    done = await app.service.handle("boss", Command("done"))
    assert "共 3 页" in text(done)
    assert await pages(app, f"case:{first}") == [(1, "jpg"), (2, "jpg"), (3, "jpg")]

    listing = text(await app.service.handle("boss", Command("cases")))
    assert f"编号 {first}：《清朗网络共建行动》 推荐第 1 位（推荐表已盖章）" in listing
    assert "（推荐表未盖章）" in listing and "汇总表：未盖章" in listing


async def test_a_new_scan_replaces_the_whole_set(app: App) -> None:
    first, _ = await two_recommended(app)
    await app.service.handle("boss", Command("scan", str(first)))
    await app.service.handle("boss", Pictures(items=(photo(), photo(), photo())))
    await app.service.handle("boss", Command("done"))
    await app.service.handle("boss", Command("scan", str(first)))
    # until a page of the new scan arrives, the old set is kept
    assert len(await pages(app, f"case:{first}")) == 3
    await app.service.handle("boss", Pictures(items=(photo("gray"),)))
    await app.service.handle("boss", Command("done"))
    assert await pages(app, f"case:{first}") == [(1, "jpg")]
    # a scan started and given up keeps the last one whole
    await app.service.handle("boss", Command("scan", str(first)))
    nothing = await app.service.handle("boss", Command("done"))
    assert "尚未收到" in text(nothing) and len(await pages(app, f"case:{first}")) == 1


async def test_a_pdf_from_the_terminal_is_the_whole_scan(app: App, tmp_path: Path) -> None:
    await two_recommended(app)
    scan = tmp_path / "汇总表盖章.pdf"
    scan.write_bytes(pdf_bytes(2))
    await app.service.handle("boss", Command("scan", "汇总表"))
    event = to_event(str(scan))
    kept = await app.service.handle("boss", event)  # type: ignore[arg-type]
    assert "已保存本单位汇总表的盖章扫描件（PDF）" in text(kept)
    assert await pages(app, "summary:hefei") == [(1, "pdf")]
    assert "汇总表：已盖章" in text(await app.service.handle("boss", Command("cases")))
    # the upload is over: a later photo is not taken as a page
    async with app.store.atomic() as tx:
        assert (await tx.load_session("boss")).waiting == ""


async def test_a_document_event_carries_a_pdf_too(app: App) -> None:
    first, _ = await two_recommended(app)
    await app.service.handle("boss", Command("scan", str(first)))
    kept = await app.service.handle("boss", Document(data=pdf_bytes(1), filename="scan.pdf"))
    assert "（PDF）" in text(kept) and await pages(app, f"case:{first}") == [(1, "pdf")]


async def test_the_button_under_cases_starts_a_scan(app: App) -> None:
    first, _ = await two_recommended(app)
    listing = await app.service.handle("boss", Command("cases"))
    buttons = [b for r in listing.replies for row in r.buttons for b in row]
    [scan] = [b for b in buttons if b.data == f"sc:{first}"]
    assert scan.label == f"扫描件 {first}"
    assert "加盖公章后的扫描件" in text(await app.service.handle("boss", Press(scan.data)))


async def test_a_changed_case_and_a_reordered_list_need_a_new_scan(app: App) -> None:
    first, second = await two_recommended(app)
    for target in (str(first), "汇总表"):
        await app.service.handle("boss", Command("scan", target))
        await app.service.handle("boss", Pictures(items=(photo(),)))
        await app.service.handle("boss", Command("done"))
    listing = text(await app.service.handle("boss", Command("cases")))
    assert "（推荐表已盖章）" in listing and "汇总表：已盖章。" in listing

    await app.service.handle("boss", Command("up", str(second)))
    listing = text(await app.service.handle("boss", Command("cases")))
    assert "汇总表：已盖章，内容已改，需重新扫描" in listing
    assert f"编号 {first}：《清朗网络共建行动》 推荐第 2 位（推荐表已盖章）" in listing

    async with app.store.atomic() as tx:
        case = await tx.case(first)
        assert case is not None
        changed = case.form.model_copy(update={"summary": (case.form.summary or "") + "新增一句。"})
        await tx.update_case(first, form=changed)
    listing = text(await app.service.handle("boss", Command("cases")))
    assert "《清朗网络共建行动》 推荐第 2 位（推荐表已盖章，内容已改，需重新扫描）" in listing


@pytest.mark.parametrize(
    ("event", "says"),
    [
        (Pictures(items=(PictureIn(data=b"%PDF-1.4\n1 0 obj\n", filename="cut.pdf"),)), "不完整"),
        (Pictures(items=(PictureIn(data=b"\x00" * 5000, filename="x.jpg"),)), "图片"),
        (Document(data=b"PK\x03\x04word", filename="推荐表.docx"), "不是 PDF"),
        (Text("好的"), "请发送扫描件的照片"),
        (Pictures(items=(photo(), PictureIn(data=b"GIF89a" + b"\x00" * 100, filename="2.gif"))), "图片"),
    ],
)
async def test_bad_pages_are_refused_and_change_nothing(app: App, event: object, says: str) -> None:
    first, _ = await two_recommended(app)
    await app.service.handle("boss", Command("scan", str(first)))
    refused = await app.service.handle("boss", event)  # type: ignore[arg-type]
    assert says in text(refused)
    assert await pages(app, f"case:{first}") == []
    async with app.store.atomic() as tx:
        assert (await tx.load_session("boss")).waiting.startswith(f"scan:case:{first}:")


@pytest.mark.parametrize(
    ("arg", "says"),
    [("", "请写明要上传扫描件的案例编号"), ("abc", "不是有效的案例编号"), ("9999", "未找到该案例")],
)
async def test_bad_targets_are_refused(app: App, arg: str, says: str) -> None:
    await two_recommended(app)
    refused = await app.service.handle("boss", Command("scan", arg))
    assert says in text(refused)


async def test_only_recommended_cases_and_only_coordinators(app: App) -> None:
    for i in range(5):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    await coordinator(app, "boss", "hefei")
    [candidate] = [c for c in await app.service.unit_cases("hefei") if c.rank is None]
    assert "不在本单位推荐之列" in text(await app.service.handle("boss", Command("scan", str(candidate.id))))
    assert "只有推荐单位联络人" in text(await app.service.handle("s0", Command("scan", "汇总表")))
    assert "当前没有正在上传的扫描件" in text(await app.service.handle("boss", Command("done")))


async def test_the_submitters_picture_step_still_refuses_pdfs(app: App) -> None:
    await app.service.assign_unit("alice", "hefei")
    for line in ["/start", "清朗网络共建行动"]:
        await app.service.handle("alice", Text(line) if not line.startswith("/") else Command("start"))
    refused = await app.service.handle("alice", Document(data=pdf_bytes(1), filename="a.pdf"))
    assert "PDF 文件无法读取" in text(refused) and "图片资料请以 JPG、PNG 图片发送" in text(refused)
    assert not refused.changed
    other = await app.service.handle("alice", Document(data=b"PK\x03\x04", filename="材料.docx"))
    assert not other.changed and other.replies  # a broken .docx is refused with a reason, nothing kept


async def test_the_upload_survives_a_restart_and_scans_reach_the_province_export(
    settings: Settings, tmp_path: Path
) -> None:
    async with open_app(settings) as app:
        first, _ = await two_recommended(app)
        await app.service.handle("boss", Command("scan", str(first)))
        await app.service.handle("boss", Pictures(items=(photo(),)))
    async with open_app(settings) as app:
        await app.service.handle("boss", Pictures(items=(photo("gray"),)))
        assert "共 2 页" in text(await app.service.handle("boss", Command("done")))
        target = await admin.export(app, tmp_path / "province.zip")
    names = zipfile.ZipFile(target).namelist()
    assert "合肥市委网信办/盖章扫描件/01-清朗网络共建行动-推荐表（盖章扫描件）-第1页.jpg" in names
    assert "合肥市委网信办/盖章扫描件/01-清朗网络共建行动-推荐表（盖章扫描件）-第2页.jpg" in names


@pytest.mark.slow
async def test_over_telegram_a_coordinator_sends_a_pdf_scan(botapi_peer: object, tmp_path: Path) -> None:
    from tests.botapi import BotApiPeer
    from tests.test_telegram_e2e import BotProcess, say

    assert isinstance(botapi_peer, BotApiPeer)
    process = BotProcess(botapi_peer, tmp_path)
    settings = Settings(
        campaign="demo", db=Path(process.env["CASEBOT_DB"]), out=Path(process.env["CASEBOT_OUT"]), _env_file=None
    )
    async with open_app(settings) as app:  # a recommended case, and its unit's coordinator on Telegram
        await submit(app, "alice", "hefei", *distinct(0))
        await coordinator(app, "tg:501", "hefei")
        [case] = await app.service.unit_cases("hefei")
    scan = pdf_bytes(2)
    await process.start()
    try:
        boss = botapi_peer.user(501, "联络人")
        await say(boss, f"/scan {case.id}", "加盖公章后的扫描件")
        await boss.send_document(scan, "推荐表盖章.pdf", "application/pdf")
        await boss.wait_for("（PDF）", timeout=20)
        listing = await say(boss, "/cases", "推荐表已盖章")
        assert "汇总表：未盖章" in (listing.get("text") or "")
    finally:
        assert await process.stop() in (None, 0)
    async with open_app(settings) as app, app.store.atomic() as tx:
        [(page, ext, data)] = await tx.scan_pages(f"case:{case.id}")
    assert (page, ext) == (1, "pdf") and data == scan
