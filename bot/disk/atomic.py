"""Writing exported files so that nobody ever sees half of one.

The bot sends files while an administrator may be regenerating them, and two exports of the same
unit can run at once; a plain ``open(..., "wb")`` would let a reader pick up a truncated .docx.
Writing to a temporary file in the same folder and renaming it over the target is atomic on
POSIX and on Windows (``os.replace``), so a reader sees the old file or the new one, and two
concurrent writers leave one complete file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

DEFAULT_MODE = 0o644


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and durably (fsync of the file and its folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_of(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_dir(path.parent)


def _mode_of(path: Path) -> int:
    """Keep the permissions of the file being replaced; a new file gets rw-r--r--."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return DEFAULT_MODE


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
