"""Writing exported files so that nobody ever sees half of one.

The bot sends files while an administrator may be regenerating them, and two exports of the same
unit can run at once; a plain ``open(..., "wb")`` would let a reader pick up a truncated .docx.
Writing to a temporary file in the same folder and renaming it over the target is atomic on
POSIX and on Windows (``os.replace``), so a reader sees the old file or the new one, and two
concurrent writers leave one complete file.

Permissions follow the operator, not this module: a new file is created with 0666 and the kernel
takes the process umask off it (``UMask=027`` in the unit file gives rw-r-----), and a file being
replaced keeps the mode it had, so a ``chmod`` the operator made survives the next rebuild.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

NEW_FILE_MODE = 0o666  # before the umask, as open(2) and every shell redirection create files
_ATTEMPTS = 100


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and durably (fsync of the file and its folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_of(path)
    fd, temp_name = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_dir(path.parent)


def _create_temp(path: Path) -> tuple[int, str]:
    """A new hidden file beside ``path``, created 0666 less the umask (``tempfile.mkstemp`` would
    force 0600, and putting a fixed mode back would ignore the umask)."""
    for _ in range(_ATTEMPTS):
        name = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), NEW_FILE_MODE), name
        except FileExistsError:
            continue
    raise FileExistsError(path.parent / f".{path.name}.*.tmp")


def _mode_of(path: Path) -> int | None:
    """The permissions of the file being replaced, kept; None for a new file (the umask decides)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself survive a power cut; not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
