"""write_atomic: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from bot.disk.atomic import write_atomic


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "表.docx"
    write_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    write_atomic(target, b"second, longer")
    assert target.read_bytes() == b"second, longer"
    assert os.listdir(target.parent) == ["表.docx"], "no temporary file left behind"


def test_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "a.xlsx"
    write_atomic(target, b"x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    target.chmod(0o600)
    write_atomic(target, b"y")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


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
