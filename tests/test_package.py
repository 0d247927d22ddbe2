"""The 报送包: one zip named for the unit and the campaign, with the 汇总表, the 推荐表 numbered by rank,
their pictures (downscaled), PDFs when LibreOffice is installed, the sealed scans and a 报送说明.txt
written from the campaign file; numbered parts where a channel cannot send it whole."""

from __future__ import annotations

import io
import tomllib
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from bot.app import App, open_app
from bot.cli.main import main as cli_main
from bot.disk import office
from bot.disk.office import soffice_path
from bot.settings import Settings
from bot.usecases.package import Packager, zip_parts
from bot.usecases.response import Response
from dialogs.events import Command, PictureIn, Pictures, parse_text
from tests.helpers import make_image
from tests.test_rules_service import answers, coordinator, distinct, text

CAMPAIGNS = Path(__file__).resolve().parent.parent / "dialogs" / "campaigns"
ZIP_2024 = "2024年网络文明建设优秀案例报送包-合肥市委网信办.zip"


async def submit_with_picture(app: App, user: str, unit: str, index: int, size: tuple[int, int]) -> Response:
    """A whole form with one phone photo at the picture step."""
    await app.service.assign_unit(user, unit)
    response = Response()
    for line in answers(*distinct(index)):
        if line == "/skip":
            photo = PictureIn(data=make_image("JPEG", size, "green"), caption="活动现场", filename="IMG.JPG")
            response = await app.service.handle(user, Pictures(items=(photo,)))
            response = await app.service.handle(user, parse_text("/next"))
        else:
            response = await app.service.handle(user, parse_text(line))
    return response


def no_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A server without LibreOffice: nothing on PATH, nothing in the usual places."""
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("CASEBOT_SOFFICE", raising=False)
    monkeypatch.setattr(office, "_SOFFICE_PLACES", ())
    assert soffice_path() is None


async def unit_with_two_cases(app: App) -> None:
    await submit_with_picture(app, "alice", "hefei", 0, (4000, 3000))
    await submit_with_picture(app, "bob", "hefei", 1, (1200, 900))
    await coordinator(app, "boss", "hefei")


def readme(archive: zipfile.ZipFile) -> str:
    raw = archive.read("报送说明.txt")
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # Notepad on any Windows reads it
    return raw.decode("utf-8-sig")


async def test_without_libreoffice_the_package_holds_the_files_named_by_rank(
    app: App, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_libreoffice(monkeypatch, tmp_path)
    await unit_with_two_cases(app)
    got = await app.service.handle("boss", Command("package"))
    [made] = got.files
    assert made.name == "2024年网络文明建设优秀案例报送包-合肥市委网信办.zip"
    assert made.path is not None and made.path.read_bytes() == made.data
    archive = zipfile.ZipFile(io.BytesIO(made.data))
    assert archive.namelist() == [
        "报送说明.txt",
        "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx",
        "01-清朗网络共建行动-推荐表.docx",
        "02-指尖上的文明课堂-推荐表.docx",
        "图片/01-清朗网络共建行动-图1.jpg",
        "图片/02-指尖上的文明课堂-图1.jpg",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read(archive.namelist()[1]))).worksheets[0]
    assert [sheet.cell(r, 2).value for r in (7, 8)] == ["清朗网络共建行动", "指尖上的文明课堂"]
    big = Image.open(io.BytesIO(archive.read("图片/01-清朗网络共建行动-图1.jpg")))
    assert max(big.size) == 1600  # downscaled from the 3 000 px kept with the case
    small = Image.open(io.BytesIO(archive.read("图片/02-指尖上的文明课堂-图1.jpg")))
    assert small.size == (1200, 900)  # never enlarged
    note = readme(archive)
    assert "服务器未安装 LibreOffice" in note and "服务器未安装 LibreOffice" in text(got)
    assert "尚缺联系人、电话" in text(got) and "未上传盖章扫描件（/scan 1）" in text(got)
    assert "本单位汇总表尚未上传盖章扫描件（/scan 汇总表）" in note
    # the reply names what the package holds, and only that: no scans were uploaded, no PDFs made
    assert (
        f"已生成合肥市委网信办的报送包：{ZIP_2024}，内含汇总表、2 份推荐表（按推荐顺序编号）、"
        "图片（“图片”文件夹）和报送说明.txt。"
    ) in text(got)
    assert "已上传的盖章扫描件" not in text(got) and "PDF" not in text(got).split("尚需办理")[0]


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is not installed")
async def test_with_libreoffice_every_document_has_its_pdf(app: App) -> None:
    await unit_with_two_cases(app)
    got = await app.service.handle("boss", Command("package"))
    archive = zipfile.ZipFile(io.BytesIO(got.files[0].data))
    pdfs = sorted(n for n in archive.namelist() if n.startswith("PDF版/"))
    assert pdfs == [
        "PDF版/01-清朗网络共建行动-推荐表.pdf",
        "PDF版/02-指尖上的文明课堂-推荐表.pdf",
        "PDF版/2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.pdf",
    ]
    for name in pdfs:
        assert archive.read(name).startswith(b"%PDF-")
    assert "LibreOffice" not in readme(archive)
    assert "PDF 版（“PDF版”文件夹）" in text(got)


async def test_the_readme_is_written_from_the_campaign_file(
    app: App, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_libreoffice(monkeypatch, tmp_path)
    await unit_with_two_cases(app)
    archive = zipfile.ZipFile(io.BytesIO((await app.service.handle("boss", Command("package"))).files[0].data))
    note = readme(archive)
    demo = tomllib.loads((CAMPAIGNS / "demo.toml").read_text(encoding="utf-8"))
    for key in ("office", "address", "mailbox", "phone"):
        assert demo["submission"][key] in note
    assert "一、报送截止：2030年3月11日前。" in note
    assert "二、纸质材料：将本包中的汇总表和 2 份推荐表打印，加盖本单位公章后" in note
    assert "须加盖本单位公章" in note
    for name in archive.namelist():
        assert f"  · {name}" in note


@pytest.fixture
async def app2024(tmp_path: Path) -> AsyncIterator[App]:
    settings = Settings(campaign="2024", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)
    async with open_app(settings) as running:
        running.service.clock = lambda: datetime(2024, 3, 1, 1, 0, tzinfo=UTC)
        running.service.admins = frozenset({"admin"})
        yield running


async def test_the_2024_package_carries_the_notices_own_addresses_and_an_extension(
    app2024: App, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_libreoffice(monkeypatch, tmp_path)
    app = app2024
    await submit_with_picture(app, "alice", "hefei", 0, (800, 600))
    await coordinator(app, "boss", "hefei")
    note = readme(zipfile.ZipFile(io.BytesIO((await app.service.handle("boss", Command("package"))).files[0].data)))
    assert "一、报送截止：2024年3月11日前。" in note
    assert "交换或邮寄至省委网信办网络社会工作处（地址：合肥市中山路1号省行政中心1号楼东363）" in note
    assert "发送至邮箱 anhuiwlwm@126.com" in note
    assert "四、联系电话：0551—62606335。" in note
    await app.service.handle("admin", Command("extend", "2024-03-15 hefei"))
    note = readme(zipfile.ZipFile(io.BytesIO((await app.service.handle("boss", Command("package"))).files[0].data)))
    assert "一、报送截止：2024年3月15日前。" in note


async def test_contact_and_current_scans_leave_nothing_to_do(
    app: App, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_libreoffice(monkeypatch, tmp_path)
    await unit_with_two_cases(app)
    await app.service.handle("boss", Command("contact", "王明 0551-62606335（办）、13812345678"))
    for target in ("1", "2", "汇总表"):
        await app.service.handle("boss", Command("scan", target))
        await app.service.handle("boss", Pictures(items=(PictureIn(make_image("JPEG", (1200, 1700), "white")),)))
        await app.service.handle("boss", Command("done"))
    got = await app.service.handle("boss", Command("package"))
    archive = zipfile.ZipFile(io.BytesIO(got.files[0].data))
    assert "盖章扫描件/01-清朗网络共建行动-推荐表（盖章扫描件）.jpg" in archive.namelist()
    assert "盖章扫描件/2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办（盖章扫描件）.jpg" in archive.namelist()
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read(archive.namelist()[1]))).worksheets[0]
    assert sheet.cell(4, 1).value == "联系人：王明"
    note = readme(archive)
    assert "尚缺" not in note and "未上传盖章扫描件" not in note and "需重新扫描" not in note
    assert "六、尚需办理：\r\n  · 服务器未安装 LibreOffice" in note
    assert "、已上传的盖章扫描件（“盖章扫描件”文件夹）和报送说明.txt。" in text(got)


async def test_too_large_for_the_channel_it_goes_in_numbered_parts(
    app: App, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_libreoffice(monkeypatch, tmp_path)
    await unit_with_two_cases(app)
    made = await Packager(app.outputs).contents("hefei")
    whole = zip_parts(made, None)
    [(_, single)] = whole
    limit = len(single) * 2 // 3
    app.service.desk.file_limit = lambda user: limit
    got = await app.service.handle("boss", Command("package"))
    assert len(got.files) >= 2 and "已分为" in text(got)
    total = len(got.files)
    seen: list[str] = []
    for index, part in enumerate(got.files, start=1):
        assert part.name == f"2024年网络文明建设优秀案例报送包-合肥市委网信办（第{index}部分，共{total}部分）.zip"
        names = zipfile.ZipFile(io.BytesIO(part.data)).namelist()
        assert names[0] == "报送说明.txt"
        seen += names[1:]
        assert len(part.data) <= limit
    assert sorted(seen) == sorted(n for n, _ in made.files[1:])


async def test_who_may_build_it(app: App) -> None:
    await app.service.assign_unit("alice", "hefei")
    assert "只有推荐单位联络人" in text(await app.service.handle("alice", Command("package")))
    await coordinator(app, "boss", "wuhu")
    assert "尚无已推荐的案例" in text(await app.service.handle("boss", Command("package")))


def test_the_command_line_writes_the_package(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_libreoffice(monkeypatch, tmp_path)
    common = ["--campaign", "demo", "--db", str(settings.db), "--out", str(settings.out)]

    async def prepare() -> None:
        async with open_app(settings) as app:
            await unit_with_two_cases(app)

    import asyncio

    asyncio.run(prepare())
    assert cli_main(["package", "hefei", *common]) == 0
    out = capsys.readouterr().out
    written = settings.out / "合肥市委网信办" / ZIP_2024
    assert f"已写入报送包：{written}" in out and "尚需办理" in out
    assert zipfile.ZipFile(written).namelist()[0] == "报送说明.txt"
    assert cli_main(["package", "nowhere", *common]) == 2
    assert "casebot units list" in capsys.readouterr().err
