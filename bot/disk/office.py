"""LibreOffice headless and poppler, used to turn the exported files into PDF and pictures.

A converted PDF is how we see the forms the way a reviewer's printer will: the sample renders and
the layout tests both use these helpers. Each conversion runs LibreOffice with its own throw-away
user profile, because two instances sharing a profile block each other (the second one silently
exits without converting), and it runs in its own process group, so a hung conversion can be
killed with all its children.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from dialogs.wording import t

_SOFFICE_NAMES = ("soffice", "libreoffice")
_SOFFICE_PLACES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)


class OfficeError(RuntimeError):
    """A conversion tool is missing, failed or ran out of time; the message says which."""


def soffice_path() -> str | None:
    """The LibreOffice executable: $CASEBOT_SOFFICE, then PATH, then the usual install places."""
    configured = os.environ.get("CASEBOT_SOFFICE")
    if configured and Path(configured).is_file():
        return configured
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for place in _SOFFICE_PLACES:
        if Path(place).is_file():
            return place
    return None


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` in its own process group; on timeout kill the whole group."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except FileNotFoundError as exc:
        raise OfficeError(t("admin.office.missing_program", program=command[0])) from exc
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise OfficeError(t("admin.office.timeout", program=Path(command[0]).name, seconds=f"{timeout:g}")) from exc
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode("utf-8", "replace").strip()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        process.kill()
    process.communicate()


def convert_to_pdf(src: Path, out_dir: Path, timeout: float = 120) -> Path:
    """Convert ``src`` (.docx, .xlsx, …) to ``out_dir/<stem>.pdf`` and return that path.

    The PDF is produced in a private folder and moved into place, so a reader of ``out_dir`` never
    sees half a PDF and two conversions of the same name do not mix.
    """
    return convert_all_to_pdf([src], out_dir, timeout)[0]


def convert_all_to_pdf(srcs: Sequence[Path], out_dir: Path, timeout: float = 120) -> list[Path]:
    """Convert several files in one LibreOffice run (starting it is most of the cost); PDFs in order.

    Raises :class:`OfficeError` if LibreOffice is missing or any file was not converted.
    """
    soffice = soffice_path()
    if soffice is None:
        raise OfficeError(t("admin.office.no_soffice"))
    sources = [Path(src).resolve() for src in srcs]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="casebot-lo-") as work:
        profile = Path(work, "profile")
        produced = Path(work, "out")
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(produced),
            *(str(src) for src in sources),
        ]
        result = _run(command, timeout * max(1, len(sources)))
        targets = []
        for src in sources:
            pdf = produced / f"{src.stem}.pdf"
            if not pdf.is_file():
                detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
                raise OfficeError(t("admin.office.not_converted", file=src.name, code=result.returncode, detail=detail))
            target = out_dir / pdf.name
            shutil.move(str(pdf), str(target))
            targets.append(target)
    return targets


def pdf_to_text(pdf: Path, timeout: float = 60) -> str:
    """The PDF's text with its layout kept (``pdftotext -layout``); pages end with a form feed."""
    result = _run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], timeout)
    if result.returncode != 0:
        raise OfficeError(t("admin.office.failed", program="pdftotext", detail=_stderr(result)))
    return result.stdout.decode("utf-8", "replace")


def _pdfinfo(pdf: Path, timeout: float = 60) -> str:
    result = _run(["pdfinfo", str(pdf)], timeout)
    if result.returncode != 0:
        raise OfficeError(t("admin.office.failed", program="pdfinfo", detail=_stderr(result)))
    return result.stdout.decode("utf-8", "replace")


def pdf_page_count(pdf: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)", _pdfinfo(pdf), re.MULTILINE)
    if match is None:
        raise OfficeError(t("admin.office.no_pages", file=Path(pdf).name))
    return int(match.group(1))


def pdf_page_size(pdf: Path) -> tuple[float, float]:
    """Width and height of the first page in points (A4 portrait is about 595 × 842)."""
    match = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", _pdfinfo(pdf), re.MULTILINE)
    if match is None:
        raise OfficeError(t("admin.office.no_size", file=Path(pdf).name))
    return float(match.group(1)), float(match.group(2))


def pdf_to_pngs(pdf: Path, out_dir: Path, dpi: int = 80, timeout: float = 120) -> list[Path]:
    """Render every page to ``out_dir/<stem>-<n>.png`` and return them in page order.

    Pages are rendered in a private folder first: pdftoppm pads page numbers to the page count's
    width, so renders of an older, longer version would otherwise be mixed into the list.
    """
    pdf = Path(pdf)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="casebot-png-") as work:
        command = ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(Path(work, "page"))]
        result = _run(command, timeout)
        if result.returncode != 0:
            raise OfficeError(t("admin.office.failed", program="pdftoppm", detail=_stderr(result)))
        pages = sorted(
            (int(m.group(1)), p) for p in Path(work).iterdir() if (m := re.fullmatch(r"page-(\d+)\.png", p.name))
        )
        targets = []
        for number, page in pages:
            target = out_dir / f"{pdf.stem}-{number}.png"
            shutil.move(str(page), str(target))
            targets.append(target)
    return targets
