"""write_atomic: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterator

import pytest

from bot.disk.atomic import write_atomic


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "表.docx"
    write_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    write_atomic(target, b"second, longer")
    assert target.read_bytes() == b"second, longer"
    assert os.listdir(target.parent) == ["表.docx"], "no temporary file left behind"


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process umask for the test; the one before is put back after."""
    before = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(before)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    target = tmp_path / "out" / "合肥市委网信办" / "01-案例-推荐表.docx"
    write_atomic(target, b"x")
    assert stat.S_IMODE(target.stat().st_mode) == expected


@pytest.mark.parametrize("mask", [0o027, 0o077])
@pytest.mark.parametrize("kept", [0o600, 0o640, 0o644, 0o660])
def test_a_replaced_file_keeps_the_mode_it_had(tmp_path, umask, mask, kept):
    target = tmp_path / "a.xlsx"
    write_atomic(target, b"x")
    target.chmod(kept)
    umask(mask)
    write_atomic(target, b"y")
    assert stat.S_IMODE(target.stat().st_mode) == kept
    assert target.read_bytes() == b"y"


def test_concurrent_writers_leave_one_complete_file(tmp_path):
    target = tmp_path / "same.bin"
    payloads = [bytes([i]) * 200_000 for i in range(8)]
    seen: list[bytes] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            if target.exists():
                seen.append(target.read_bytes())

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write_atomic, args=(target, p)) for p in payloads for _ in range(3)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    stop.set()
    reader.join()
    assert target.read_bytes() in payloads
    assert all(s in payloads for s in seen), "a reader saw a partial file"
    assert os.listdir(tmp_path) == ["same.bin"]


def test_failure_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "keep.docx"
    write_atomic(target, b"old")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["keep.docx"]
