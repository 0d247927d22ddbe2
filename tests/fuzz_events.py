"""What the service fuzz test sends: realistic and hostile texts, commands, buttons and pictures.

Kept apart from the test itself so that the test reads as the scenario (several users in one unit,
random events in random order, the invariants after each) and this module as the catalogue of
what a chat can deliver: anything Unicode up to 100 000 characters, pasted 300-字 summaries and
2 000-字 parts, Unicode digits that ``isdigit()`` accepts and ``int()`` refuses, ids beyond SQLite's
64 bits, stale and forged button data, and files that only pretend to be pictures.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.helpers import HAPPY, make_image

SENTENCE = "本案例依托网络文明实践平台，组织志愿者开展网络素养教育，覆盖全市中小学和社区居民，"
SUMMARY_300 = (SENTENCE * 10)[:299] + "。"
PART_HEADINGS = ("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示")
PART_480 = PART_HEADINGS[1] + "\n" + (SENTENCE * 12)[:470] + "。"
PART_2000 = "\n\n".join(h + "\n" + (SENTENCE * 12)[:480] for h in PART_HEADINGS) + "。"

# answers a real office gives at some step, in any order
REALISTIC = [
    "清朗网络共建行动",
    "合肥市委网信办",
    "5",
    "1",
    "网络空间文明创建",
    "2022年3月",
    "2022年3月15日",
    "2022年3月至今",
    "张三",
    "0551-62606335（办）、13812345678",
    "+86 138 1234 5678",
    SUMMARY_300,
    PART_480,
    PART_2000,
    "背景意义内容。",
    "确认提交",
    "是",
    "否",
]

# numbers as phones, input methods and copy-paste deliver them
NUMBERS = [
    "1",
    "2",
    "3",
    "0",
    "-1",
    "²",
    "³",
    "¹",
    "１２",
    "٣",
    "፫",
    "①",
    "Ⅻ",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "1" * 400,
    "#1",
    "编号1",
    "1.5",
    "十二",
]

ODD = [
    "",
    " ",
    "\u3000",
    "\u200b",
    "\u200b\u200d\ufeff",
    "\u202e反向文字\u202c",
    "\u200f\u05e9\u05dc\u05d5\u05dd",
    "\x00\x07\x1b[31m",
    "\ud800",  # a lone surrogate, as JSON "\ud800" decodes
    "😀👨‍👩‍👧",
    "/",
    "//start",
    "/ start",
    "\n\n\n",
    "a" * 61,
]

COMMAND_NAMES = [
    "start",
    "help",
    "new",
    "status",
    "back",
    "next",
    "skip",
    "clear",
    "edit",
    "review",
    "submit",
    "cancel",
    "revise",
    "undo",
    "cases",
    "up",
    "down",
    "recommend",
    "withdraw",
    "rank",
    "return",
    "summary",
    "overview",
    "extend",
    "nosuch",
]

INVITES = ["JOIN-HEFEI-SUBMIT", "JOIN-HEFEI-COORD", "JOIN-HUAIBEI-SUBMIT", "JOIN-REVOKED"]

FILLERS = ["字", "a", "😀", "\u200b", "\u202e", "٣", "²", "１", "\u3000", "\n", "\x00", "，"]


def form_answers(name: str, summary: str) -> list[str]:
    """A whole valid form for a submitter whose unit is fixed (no 推荐单位 step)."""
    body = [a for a in HAPPY if a != "1"]
    body[1], body[body.index(HAPPY[8])] = name, summary
    body[body.index("主要做法内容。")] = PART_480
    return body


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height``: the size is read before any pixel is."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


FAKE_PICTURES = [
    b"",
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    make_image("PNG")[:40],  # truncated
    png_header(100_000, 100_000),
    png_header(0, 0),
    b"GIF89a" + b"\x00" * 10,
    b"\xff\xd8\xff\xe0" + b"\x00" * 30,  # a JPEG that stops after its marker
]


def texts() -> st.SearchStrategy[str]:
    long_run = st.builds(lambda f, n: (f * n)[:n], st.sampled_from(FILLERS), st.integers(1, 100_000))
    return st.one_of(
        st.text(max_size=40),
        st.sampled_from(REALISTIC),
        st.sampled_from(NUMBERS),
        st.sampled_from(ODD),
        st.lists(st.sampled_from(REALISTIC + NUMBERS + ODD + FILLERS), max_size=4).map("".join),
        long_run,
    )


def command_lines() -> st.SearchStrategy[str]:
    args = st.one_of(
        st.just(""),
        st.sampled_from(NUMBERS),
        st.tuples(st.sampled_from(NUMBERS), st.sampled_from(NUMBERS)).map(" ".join),
        st.tuples(st.sampled_from(NUMBERS), st.sampled_from(NUMBERS + ["1,2", "1、7", "¹，²"]), texts()).map(" ".join),
        st.sampled_from(
            ["2030-03-20", "2030-03-20 hefei", "2030-02-30", "hefei", "2030-03-20 nowhere", "9999-12-31", "0001-01-01"]
        ),
        st.sampled_from(INVITES + ["\ud800", "1 \udcff", "1 1 \ud800请补充"]),
        texts(),
    )
    return st.tuples(st.sampled_from(COMMAND_NAMES), args).map(lambda p: f"/{p[0]} {p[1]}")


def press_data() -> st.SearchStrategy[str]:
    kinds = st.sampled_from(["cmd", "cat", "unit", "edit", "yes", "no", "co", "", "x"])
    args = st.sampled_from(
        ["next", "skip", "submit", "cancel", "near", "name", "review", "nonsense", "²", "1", "hefei", "", "9" * 25]
    )
    co_kinds = st.sampled_from(["up", "dn", "rec", "wd", "ret", "zz", ""])
    token = st.one_of(st.sampled_from(NUMBERS), st.integers(0, 40).map(str))
    plain = st.tuples(kinds, args, token).map(":".join)
    co = st.tuples(st.just("co"), co_kinds, st.sampled_from(NUMBERS), st.sampled_from(["s", "r1", "recommended1", ""]))
    return st.one_of(plain, co.map(":".join), st.text(max_size=30))


@dataclass(frozen=True)
class Spec:
    """One random event before it meets the running service; ``what`` says how to build it."""

    user: int
    what: str  # text | command | press | button | pictures | unsupported | twice
    text: str = ""
    index: int = 0  # which button, and how many replies back (0: the latest)
    age: int = 0
    pictures: tuple[bytes, ...] = ()
    key: str = "none"  # none | fresh | again


def pictures() -> st.SearchStrategy[tuple[bytes, ...]]:
    good = st.tuples(st.sampled_from(["PNG", "JPEG"]), st.integers(1, 10**6)).map(
        lambda p: make_image(p[0], (32, 24), f"#{p[1]:06x}")
    )
    return st.lists(
        st.one_of(good, st.sampled_from(FAKE_PICTURES), st.binary(max_size=64)), min_size=0, max_size=3
    ).map(tuple)


def specs(users: int) -> st.SearchStrategy[Spec]:
    who = st.integers(0, users - 1)
    key = st.sampled_from(["none", "none", "fresh", "again"])
    return st.one_of(
        st.builds(Spec, who, st.just("text"), texts(), key=key),
        st.builds(Spec, who, st.just("command"), command_lines(), key=key),
        st.builds(Spec, who, st.just("press"), press_data(), age=st.integers(0, 1), key=key),
        st.builds(Spec, who, st.just("button"), index=st.integers(0, 20), age=st.integers(0, 5), key=key),
        st.builds(Spec, who, st.just("button"), index=st.integers(0, 20), age=st.just(0), key=key),
        st.builds(Spec, who, st.just("twice"), index=st.integers(0, 20)),
        st.builds(Spec, who, st.just("pictures"), pictures=pictures()),
        st.builds(Spec, who, st.just("unsupported"), st.sampled_from(["voice", "sticker", "location", ""])),
    )
