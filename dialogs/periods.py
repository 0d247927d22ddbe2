"""开展实施或发布时间: what offices write, read into one stored string, and shown back in words.

Accepted answers: a year and month with or without a day, written 2022年3月、2022年3月份、
2022年3月15日、2022.03.15、2022-03-15、2022/3、202203、20220315, with full-width digits or Chinese
numerals (二〇二二年三月、十二月二十三日), 3月初、3月中旬、3月底 (kept as the month); ranges joined by 至、到、—、–、-、~、～ (the end may omit
its year: 2022年3月至6月); open ranges 2022年3月至今、2022年3月起、2022年3月以来, each also after 自 or 从
(自2022年3月起); a whole year 2023年全年、2023年度 (2023年1月至12月). A two-digit year is refused with a
request for four digits, a year alone with a request for the month, a month or range without a year
(11月5日-11月25日) with a request for the year, and 即日起至… (whose start is the day it was written,
unknown here) with a request for the month it began.

The stored grammar (``CaseForm.period`` stays a ``str``; drafts stored as ``"2022-03"`` keep
their meaning)::

    point  := YYYY "-" MM [ "-" DD ]
    stored := point                 a month or a day            "2022-03", "2022-03-15"
            | point "/" point       a closed range              "2022-03/2023-06"
            | point "/"             an open range (至今, 起)    "2022-03/"

A single date must lie in the campaign window (whole months); a range must overlap it, so a
programme begun before the window and carried on inside it is accepted, and
:func:`starts_before_window` tells the review to note it. :func:`display` turns a stored string back
into words, "2022年3月—2023年6月" or "2022年3月起至今"; a string it does not know is shown as it is.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

from .campaign import Window
from .errors import FieldError
from .wording import t

# Chinese words of a date, mapped to ASCII marks so that the patterns below stay readable:
# 年 Y, 月 M, 日/号 D, 至/到/〜 ~, 起/开(始)/以(来) S, 今/现(在)/目(前)(天) N; 份 止 初 旬 底 末 are dropped;
# 〇零一…九两 are digits and 十 is T (tens, resolved below).
_MARKS = str.maketrans(
    {
        0x5E74: "Y",  # 年
        0x6708: "M",  # 月
        0x65E5: "D",  # 日
        0x53F7: "D",  # 号
        0x81F3: "~",  # 至
        0x5230: "~",  # 到
        0x301C: "~",  # 〜
        0x8D77: "S",  # 起
        0x5F00: "S",  # 开
        0x4EE5: "S",  # 以
        0x4ECA: "N",  # 今
        0x73B0: "N",  # 现
        0x76EE: "N",  # 目
        0x59CB: "",  # 始
        0x6765: "",  # 来
        0x5728: "",  # 在
        0x524D: "",  # 前
        0x5929: "",  # 天
        0x4EFD: "",  # 份
        0x6B62: "",  # 止
        0x521D: "",  # 初  (上旬、中旬、下旬、月初、月中、月底、月末 keep the month's precision)
        0x4E0A: "",  # 上
        0x4E2D: "",  # 中
        0x4E0B: "",  # 下
        0x65EC: "",  # 旬
        0x5E95: "",  # 底
        0x672B: "",  # 末
        0x3007: "0",  # 〇
        0x96F6: "0",  # 零
        0x4E00: "1",
        0x4E8C: "2",
        0x4E24: "2",  # 两
        0x4E09: "3",
        0x56DB: "4",
        0x4E94: "5",
        0x516D: "6",
        0x4E03: "7",
        0x516B: "8",
        0x4E5D: "9",
        0x5341: "T",  # 十
        **dict.fromkeys(map(ord, "\u2014\u2013\u2010\u2011\u2012\u2015\u2212\ufe63"), "-"),
    }
)
_TENS = re.compile(r"(?<![0-9])([0-9])?T([0-9])?")
_POINTS = (
    re.compile(r"(?P<y>[0-9]{4})Y(?P<m>[0-9]{1,2})(?:M(?:(?P<d>[0-9]{1,2})D?)?)?"),
    re.compile(r"(?P<y>[0-9]{4})[-./](?P<m>[0-9]{1,2})(?:[-./](?P<d>[0-9]{1,2})D?)?"),
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})?"),
)
_SHORT_END = re.compile(r"(?P<m>[0-9]{1,2})M(?:(?P<d>[0-9]{1,2})D?)?")  # 2022年3月至6月
_OPEN_TAIL = re.compile(r"(?:S?[~-]*N|S|/)$")
_JOINS = re.compile(r"~+|-+|/")
_TWO_DIGIT_YEAR = re.compile(r"(?:^|[~\-S/])[0-9]{2}(?:Y|[./-][0-9])")
_YEAR_ONLY = re.compile(r"[0-9]{4}Y?")
_STORED = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
_FROM = re.compile(r"^[\u81ea\u4ece\u4e8e]")  # 自 从 于 before the start: 自2022年3月起
_SINCE_TODAY = re.compile(r"^[\u81ea\u4ece]?\u5373(?:\u65e5|\u65f6|\u523b)?\u8d77")  # (自)即(日|时|刻)起
_WHOLE_YEAR = re.compile(r"(?P<y>[0-9]{4})Y?(?:\u5168Y|\u6574Y|Y?\u5ea6)")  # 2023年全年 2023年整年 2023年度
# a start, then words saying it still goes on: 2022年3月起，持续至今 / 开始，至今仍在开展 / 启动以来持续推进至今
_ONGOING = re.compile(
    r"(?:\u8d77|\u5f00\u59cb|\u542f\u52a8|\u4ee5\u6765)*[,\u3001;]*(?:\u5e76|\u4e00\u76f4)?"  # 起 开始 启动 以来；并 一直
    r"(?:\u6301\u7eed|\u5ef6\u7eed|\u575a\u6301)?(?:\u5f00\u5c55|\u5b9e\u65bd|\u63a8\u8fdb|\u8fdb\u884c)?"  # 持续 延续 坚持；开展 实施 推进 进行
    r"(?:\u81f3\u4eca|\u8fc4\u4eca|\u5230\u73b0\u5728|\u5230\u76ee\u524d)"  # 至今 迄今 到现在 到目前
    r"(?:\u4ecd\u5728|\u4ecd|\u4e00\u76f4|\u6301\u7eed)?(?:\u5f00\u5c55|\u5b9e\u65bd|\u63a8\u8fdb|\u8fdb\u884c)?\u4e2d?$"
)
_NO_YEAR = re.compile(r"[0-9]{1,2}M")  # 11月5日-11月25日: a month first, no year before it


@dataclass(frozen=True)
class Point:
    """A month, or a day when ``day`` is given."""

    year: int
    month: int
    day: int | None = None

    def ordinal(self) -> int:
        return self.year * 12 + self.month - 1

    def stored(self) -> str:
        month = f"{self.year:04d}-{self.month:02d}"
        return month if self.day is None else f"{month}-{self.day:02d}"

    def zh(self) -> str:
        if self.day is None:
            return t("campaign.year_month", year=self.year, month=self.month)
        return t("validators.period.day", year=self.year, month=self.month, day=self.day)

    def first(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 1)

    def last(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 31)


@dataclass(frozen=True)
class Period:
    """A point (``ranged`` false), a closed range, or an open one (``end`` None, ``ranged`` true)."""

    start: Point
    end: Point | None = None
    ranged: bool = False

    def stored(self) -> str:
        if not self.ranged:
            return self.start.stored()
        return f"{self.start.stored()}/{self.end.stored() if self.end else ''}"

    def zh(self) -> str:
        if not self.ranged:
            return self.start.zh()
        if self.end is None:
            return t("validators.period.open", start=self.start.zh())
        return t("validators.period.range", start=self.start.zh(), end=self.end.zh())


def _point(year: int, month: int, day: int | None) -> Point:
    if not 1 <= month <= 12:
        raise FieldError(t("validators.period.bad_month", month=month))
    if year < 1000:
        raise FieldError(t("validators.period.unreadable"))
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise FieldError(t("validators.period.bad_day", year=year, month=month, day=day))
    return Point(year, month, day)


def _read_point(text: str, year: int | None = None) -> Point | None:
    for pattern in _POINTS:
        match = pattern.fullmatch(text)
        if match:
            day = match.group("d")
            return _point(int(match.group("y")), int(match.group("m")), int(day) if day else None)
    match = _SHORT_END.fullmatch(text) if year is not None else None
    if match and year is not None:
        day = match.group("d")
        return _point(year, int(match.group("m")), int(day) if day else None)
    return None


def _tens(match: re.Match[str]) -> str:
    return str(int(match.group(1) or 1) * 10 + int(match.group(2) or 0))


def _plain(raw: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))


def _normalise(raw: str) -> str:
    text = _ONGOING.sub("~N", _FROM.sub("", _plain(raw))).translate(_MARKS)  # ~N: 至今 in the marks
    return _TENS.sub(_tens, text)


def _range(text: str) -> Period | None:
    """The first way to read ``text`` as start–end or start–(open); FieldErrors of the sides propagate last."""
    first_error: FieldError | None = None
    tail = _OPEN_TAIL.search(text)
    candidates: list[tuple[str, str | None]] = []
    if tail and tail.start() > 0:
        candidates.append((text[: tail.start()], None))
    candidates += [(text[: m.start()], text[m.end() :]) for m in _JOINS.finditer(text) if m.start() > 0]
    for left, right in candidates:
        try:
            start = _read_point(left)
            if start is None:
                continue
            if right is None:
                return Period(start, None, ranged=True)
            end = _read_point(right, year=start.year)
            if end is None:
                continue
        except FieldError as error:
            first_error = first_error or error
            continue
        if end.last() < start.first():
            raise FieldError(t("validators.period.reversed", start=start.zh(), end=end.zh()))
        return Period(start) if end == start else Period(start, end, ranged=True)
    if first_error is not None:
        raise first_error
    return None


def read(raw: str) -> Period:
    """The period an answer gives, before any window check; a FieldError when it cannot be read."""
    if _SINCE_TODAY.match(_plain(raw)):
        raise FieldError(t("validators.period.since_today"))
    text = _normalise(raw)
    whole = _WHOLE_YEAR.fullmatch(text)
    if whole:
        year = int(whole.group("y"))
        return Period(_point(year, 1, None), _point(year, 12, None), ranged=True)
    try:
        point = _read_point(text)
    except FieldError:
        point = None
        if _range(text) is None:
            raise
    if point is not None:
        return Period(point)
    found = _range(text)
    if found is not None:
        return found
    if _TWO_DIGIT_YEAR.search(text):
        raise FieldError(t("validators.period.two_digit_year"))
    if _YEAR_ONLY.fullmatch(text):
        raise FieldError(t("validators.period.year_only", year=text[:4]))
    if _NO_YEAR.match(text):
        raise FieldError(t("validators.period.no_year", typed=_plain(raw)[:30]))
    raise FieldError(t("validators.period.unreadable"))


def parse(raw: str, window: Window) -> str:
    """The validator: an answer → its stored string, if it lies in (or, as a range, overlaps) ``window``."""
    period = read(raw)
    first, last = window.start.ordinal(), window.end.ordinal()
    start = period.start.ordinal()
    if not period.ranged:
        if not first <= start <= last:
            raise FieldError(t("validators.period.outside", window=window.zh(), period=period.zh()))
    elif start > last or (period.end is not None and period.end.ordinal() < first):
        raise FieldError(t("validators.period.no_overlap", window=window.zh(), period=period.zh()))
    return period.stored()


def _stored_point(text: str) -> Point | None:
    match = _STORED.fullmatch(text)
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), match.group(3)
    try:
        return _point(year, month, int(day) if day else None)
    except FieldError:
        return None


def load(stored: str) -> Period | None:
    """A stored string back as a :class:`Period`; None for anything not in the grammar."""
    left, slash, right = stored.partition("/")
    start = _stored_point(left)
    if start is None:
        return None
    if not slash:
        return Period(start)
    if not right:
        return Period(start, None, ranged=True)
    end = _stored_point(right)
    return None if end is None else Period(start, end, ranged=True)


def display(stored: str | None) -> str:
    """ "2022-03/2023-06" → "2022年3月—2023年6月"; "2022-03/" → "2022年3月起至今"; unknown text as it is."""
    if not stored:
        return ""
    period = load(stored)
    return stored if period is None else period.zh()


def echo(stored: str) -> str:
    """What the dialog says once the answer is kept: "已记录：2022年3月—2023年6月"."""
    return t("validators.period.recorded", period=display(stored))


def starts_before_window(stored: str | None, window: Window) -> bool:
    """True for a range begun before the window (accepted because it runs on inside it)."""
    period = load(stored) if stored else None
    return period is not None and period.start.ordinal() < window.start.ordinal()


def window_note(stored: str | None, window: Window) -> str | None:
    """The review's note for such a range, or None."""
    if not starts_before_window(stored, window):
        return None
    return t("validators.period.early_start", period=display(stored), window=window.zh())
