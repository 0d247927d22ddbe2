"""One fixed date on every member of a .docx or .xlsx, so the same input gives the same bytes.

Why: python-docx and openpyxl write each zip member with the wall clock's time (to the 2 seconds a
zip records), so two builds of one case a second apart differed in a few header bytes. The
exporters are pure functions (cases in, bytes out); a clock inside them made a rebuild after a
restart look like a change and a pool-built file unequal to the same file built here.

The member dates are patched in place (local headers and the central directory), not rewritten:
recompressing every part, the pictures included, would cost a build more than it takes.
"""

from __future__ import annotations

import struct

# 1980-01-01 00:00:00, the first moment a zip can record (what reproducible builds use).
DOS_DATE = (0 << 9) | (1 << 5) | 1
DOS_TIME = 0

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_END_SIZE = 22
_CENTRAL_SIZE = 46
_MAX_COMMENT = 0xFFFF


def fix_member_dates(data: bytes) -> bytes:
    """Return ``data`` with every member dated :data:`DOS_DATE` :data:`DOS_TIME`.

    Only archives as python-docx and openpyxl write them are expected (no zip64, no archive
    comment beyond what the format allows); anything else is returned unchanged rather than
    damaged, since a file that differs by its dates is still the right file.
    """
    end = data.rfind(_END, max(0, len(data) - _END_SIZE - _MAX_COMMENT))
    if end < 0 or end + _END_SIZE > len(data):
        return data
    count, _size, start = struct.unpack_from("<HIIxx", data, end + 10)
    out = bytearray(data)
    at = start
    for _ in range(count):
        if data[at : at + 4] != _CENTRAL:
            return data
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        (local,) = struct.unpack_from("<I", data, at + 42)
        if data[local : local + 4] != _LOCAL:
            return data
        struct.pack_into("<HH", out, at + 12, DOS_TIME, DOS_DATE)
        struct.pack_into("<HH", out, local + 10, DOS_TIME, DOS_DATE)
        at += _CENTRAL_SIZE + name_len + extra_len + comment_len
    return bytes(out)
