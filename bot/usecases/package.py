"""The 报送包: everything a unit sends to the province, in one zip named for the unit and the campaign.

It holds the 汇总表, every recommended case's 推荐表 numbered by rank, their pictures (downscaled:
the forms already carry them at print size), the PDFs when LibreOffice is installed, the sealed
scans, and a 报送说明.txt written from the campaign file (deadline, address, mailbox, phone, the seal).
What is still missing (the contact, a scan, the PDFs) is listed in the 说明 and in the reply, never
papered over. Where the zip is larger than a channel can send, it becomes numbered parts, each a
zip that opens on its own.
"""

from __future__ import annotations

import asyncio
import io
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps

from bot.disk.atomic import write_atomic
from bot.disk.office import OfficeError, convert_all_to_pdf, soffice_path
from bot.disk.outputs import FORM_SUFFIX, OutFile, Outputs, UnknownUnit, recommended
from bot.storage import Tx
from dialogs import contact, deadline, scans
from dialogs.campaign import Campaign, Unit
from dialogs.models import Case
from dialogs.scans import ScanTarget
from dialogs.wording import t
from exporters.filenames import safe_component, summary_filename

ZIP = "application/zip"
PICTURE_EDGE = 1600  # pixels on the long edge: sharp on screen and on A4, a fraction of a photo's size
PART_MARGIN = 64 * 1024  # room for the zip's own records when a part is filled up to a channel's limit


@dataclass
class Contents:
    """What goes into the package, in order, and what the unit still has to do."""

    unit: Unit
    stem: str  # the zip's name without .zip
    files: list[tuple[str, bytes]] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    forms: int = 0


def shrink_picture(data: bytes, edge: int = PICTURE_EDGE) -> tuple[bytes, str]:
    """The picture with its long edge at most ``edge`` pixels, re-encoded; (data, extension)."""
    with Image.open(io.BytesIO(data)) as opened:
        keep_png = opened.format == "PNG" or opened.mode in ("RGBA", "LA", "P")
        image = ImageOps.exif_transpose(opened)
        image.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if keep_png:
            image.save(out, "PNG", optimize=True)
            return out.getvalue(), "png"
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue(), "jpg"


class Packager:
    def __init__(self, outputs: Outputs) -> None:
        self.outputs = outputs
        self.store = outputs.store
        self.campaign: Campaign = outputs.campaign

    async def contents(
        self, unit_code: str, extension: datetime | None = None, now: datetime | None = None
    ) -> Contents:
        """Everything the package holds for ``unit_code``, read in one transaction, files built after."""
        async with self.store.atomic() as tx:
            unit = await self.outputs.unit_of(tx, unit_code)
            cases = recommended(await tx.cases_of_unit(unit_code))
            pictures = {c.id: [await tx.picture(p.sha256) for p in c.form.pictures] for c in cases}
            kept = await self.scans(tx, unit_code, cases)
        stem = safe_component(t("package.zip_name", year=self.campaign.year, unit=unit.name), max_chars=120)
        made = Contents(unit, stem, forms=len(cases))
        if missing := contact.missing_zh(unit.name, unit.contact, unit.phone):
            made.todo.append(missing)
        summary = await self.outputs.summary_file(unit_code)
        documents = [(summary.name, summary.data)]
        for case in cases:
            form = await self.outputs.form_file(case)
            documents.append((form.name, form.data))
        made.files.extend(documents)
        for case in cases:
            stem_of_case = self.outputs.form_name(case).removesuffix(FORM_SUFFIX)
            for index, data in enumerate(pictures[case.id], start=1):
                if data:
                    small, ext = await asyncio.to_thread(shrink_picture, data)
                    name = t("admin.picture_name", stem=stem_of_case, index=index, ext=ext)
                    made.files.append((f"{t('package.pictures_folder')}/{name}", small))
        made.files.extend(await self._pdfs(documents, made.todo))
        made.files.extend(self.scan_files(unit_code, summary.name, cases, kept, made.todo))
        readme = readme_text(self.campaign, made, extension, now or datetime.now(self.campaign.zone))
        made.files.insert(0, (t("package.readme_name"), readme))
        return made

    async def scans(self, tx: Tx, unit: str, cases: list[Case]) -> dict[str, tuple[str, list[tuple[int, str, bytes]]]]:
        """Per scan target: its state today (none / sealed / stale) and its pages."""
        infos = await tx.scans_of_unit(unit)
        targets = [(ScanTarget(c.id).key(unit), scans.case_fingerprint(c)) for c in cases]
        targets.append((ScanTarget(None).key(unit), scans.summary_fingerprint(cases)))
        found: dict[str, tuple[str, list[tuple[int, str, bytes]]]] = {}
        for key, current in targets:
            info = infos.get(key)
            state = scans.status(info.fingerprint if info else None, current)
            found[key] = (state, await tx.scan_pages(key) if info else [])
        return found

    async def _pdfs(self, documents: list[tuple[str, bytes]], todo: list[str]) -> list[tuple[str, bytes]]:
        if soffice_path() is None:
            todo.append(t("package.todo.no_pdf"))
            return []
        with tempfile.TemporaryDirectory(prefix="casebot-package-") as work:
            sources = []
            for name, data in documents:
                path = Path(work, "src", name)
                write_atomic(path, data)
                sources.append(path)
            try:
                pdfs = await asyncio.to_thread(convert_all_to_pdf, sources, Path(work, "pdf"))
            except OfficeError as error:
                todo.append(t("package.todo.pdf_failed", reason=str(error).splitlines()[0][:80]))
                return []
            return [(f"{t('package.pdf_folder')}/{pdf.name}", pdf.read_bytes()) for pdf in pdfs]

    def scan_files(
        self,
        unit: str,
        summary_name: str,
        cases: list[Case],
        kept: dict[str, tuple[str, list[tuple[int, str, bytes]]]],
        todo: list[str],
    ) -> list[tuple[str, bytes]]:
        papers: list[tuple[ScanTarget, Case | None, str]] = [
            (ScanTarget(c.id), c, self.outputs.form_name(c).removesuffix(".docx")) for c in cases
        ]
        papers.append((ScanTarget(None), None, summary_name.removesuffix(".xlsx")))
        files = []
        for target, case, stem in papers:
            state, pages = kept[target.key(unit)]
            arg = str(target.case_id) if target.case_id is not None else t("scans.what.summary_arg")
            what = scans.what_zh(target, case)
            if state == "none":
                todo.append(t("package.todo.no_scan", what=what, arg=arg))
            elif state == "stale":
                todo.append(t("package.todo.stale_scan", what=what, arg=arg))
            folder = t("package.scans_folder")
            for page, ext, data in pages:
                if len(pages) == 1:
                    name = f"{t('scans.file_name', stem=stem)}.{ext}"
                else:
                    name = f"{t('scans.page_name', stem=stem, page=page)}.{ext}"
                files.append((f"{folder}/{name}", data))
        return files


def contents_zh(made: Contents) -> str:
    """What the package holds, for the reply: only the folders it really has (no 盖章扫描件 before
    any was uploaded, its PDF版 when LibreOffice made one)."""
    folders = {name.split("/", 1)[0] for name, _ in made.files if "/" in name}
    items = [t("package.contents.summary"), t("package.contents.forms", count=made.forms)]
    for key, folder in (
        ("package.contents.pictures", t("package.pictures_folder")),
        ("package.contents.pdf", t("package.pdf_folder")),
        ("package.contents.scans", t("package.scans_folder")),
    ):
        if folder in folders:
            items.append(t(key, folder=folder))
    items.append(t("package.contents.readme", name=t("package.readme_name")))
    return t("package.contents.sep").join(items[:-1]) + t("package.contents.last") + items[-1]


def readme_text(campaign: Campaign, made: Contents, extension: datetime | None, now: datetime) -> bytes:
    """报送说明.txt: UTF-8 with a byte-order mark and CRLF line ends, so Notepad on any Windows reads it."""
    sub = campaign.submission
    unset = t("package.not_set")
    due = deadline.effective_deadline(campaign, extension)
    local = now.astimezone(campaign.zone)
    listing = [t("package.item", name=name) for name, _ in made.files]
    todo = [t("package.todo_item", text=line) for line in made.todo] or [t("package.todo_item", text=t("package.none"))]
    lines = [
        t("package.readme.title", title=campaign.title),
        t("package.readme.unit", unit=made.unit.name),
        "",
        t("package.readme.deadline", deadline=deadline.date_zh(due.date())),
        t("package.readme.paper", count=made.forms, office=sub.office or unset, address=sub.address or unset),
        t("package.readme.electronic", mailbox=sub.mailbox or unset),
        t("package.readme.phone", phone=sub.phone or unset),
        t("package.readme.contents"),
        t("package.item", name=t("package.readme_name")),
        *listing,
        t("package.readme.todo"),
        *todo,
        "",
        t(
            "package.readme.footer",
            made=t(
                "package.readme.made_at",
                year=local.year,
                month=local.month,
                day=local.day,
                time=local.strftime("%H:%M"),
            ),
        ),
    ]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def _estimate(name: str, data: bytes) -> int:
    """An entry's size in the zip: its deflated data and its two headers."""
    return len(zlib.compress(data, 6)) + 2 * len(name.encode()) + 100


def zip_parts(made: Contents, limit: int | None) -> list[tuple[str, bytes]]:
    """The package as one zip, or, beyond ``limit`` bytes, as numbered zips each within it where possible.

    Every part carries the 报送说明 and opens on its own. A single file larger than the limit still
    goes alone into a part of its own (no channel splits it further).
    """
    whole = _zip(made.files)
    if limit is None or len(whole) <= limit:
        return [(f"{made.stem}.zip", whole)]
    readme, rest = made.files[0], made.files[1:]
    budget = limit - PART_MARGIN - _estimate(*readme)
    groups: list[list[tuple[str, bytes]]] = [[]]
    used = 0
    for entry in rest:
        size = _estimate(*entry)
        if groups[-1] and used + size > budget:
            groups.append([])
            used = 0
        groups[-1].append(entry)
        used += size
    total = len(groups)
    return [
        (f"{t('package.part_name', stem=made.stem, index=i, total=total)}.zip", _zip([readme, *group]))
        for i, group in enumerate(groups, start=1)
    ]


async def write_package(
    outputs: Outputs, unit_code: str, *, limit: int | None = None, extension: datetime | None = None
) -> tuple[Contents, list[OutFile]]:
    """Build the unit's package and write it (or its parts) into the unit's folder."""
    made = await Packager(outputs).contents(unit_code, extension)
    folder = outputs.unit_dir(made.unit)
    written = []
    for name, data in zip_parts(made, limit):
        path = folder / name
        await asyncio.to_thread(write_atomic, path, data)
        written.append(OutFile(name, data, ZIP, path))
    return made, written


async def sealed_scans(outputs: Outputs, unit_code: str) -> list[tuple[str, bytes]]:
    """The unit's kept scans, named as in the package, for the province export."""
    packager = Packager(outputs)
    async with outputs.store.atomic() as tx:
        unit = await outputs.unit_of(tx, unit_code)
        cases = recommended(await tx.cases_of_unit(unit_code))
        kept = await packager.scans(tx, unit_code, cases)
    return packager.scan_files(unit_code, summary_filename(outputs.campaign, unit), cases, kept, [])


async def package_cli(outputs: Outputs, unit_code: str, extension: datetime | None) -> str:
    """`casebot package UNIT`: one zip in the unit's output folder, and what is still to do."""
    if outputs.campaign.unit(unit_code) is None:
        raise UnknownUnit(t("service.unknown_unit", code=unit_code))
    made, parts = await write_package(outputs, unit_code, extension=extension)
    lines = [t("cli.package_written", path=p.path) for p in parts]
    if made.todo:
        lines.append(t("cli.package_todo"))
        lines.extend(t("package.todo_item", text=line) for line in made.todo)
    return "\n".join(lines)
