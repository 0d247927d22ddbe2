"""A paste the client cut at its message limit is recognised, joined, and stored as one answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs import paste
from tests.helpers import HAPPY, Driver, fill

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
LONG = "网络文明建设走深走实。" * 400  # 4 400 characters: a client cuts it once


def cut(text: str, limit: int = paste.TELEGRAM_LIMIT) -> list[str]:
    """As a client does: pieces of at most ``limit``, cut after a sentence end where it can."""
    pieces = []
    while paste.units(text) > limit:
        head = text[:limit]
        at = head.rfind("。") + 1 or limit
        pieces.append(text[:at])
        text = text[at:]
    return [*pieces, text]


def test_a_cut_paste_is_recognised_and_joined_back() -> None:
    first, second = cut(LONG)
    assert paste.continues(first, T0, T0 + timedelta(seconds=1))
    assert paste.join(first, second) == LONG


@pytest.mark.parametrize(
    ("previous", "gap"),
    [
        ("短消息。", timedelta(seconds=1)),  # far under the limit: an ordinary message
        ("字" * 3000, timedelta(seconds=1)),
        (cut(LONG)[0], timedelta(seconds=30)),  # too late: typed, not cut
        (cut(LONG)[0], timedelta(seconds=-1)),  # out of order
    ],
)
def test_ordinary_messages_are_not_joined(previous: str, gap: timedelta) -> None:
    assert not paste.continues(previous, T0, T0 + gap)


def test_the_limit_is_counted_as_telegram_counts_it() -> None:
    emoji = "😀" * 2048  # 4 096 UTF-16 units in 2 048 characters
    assert paste.units(emoji) == 4096 and paste.continues(emoji, T0, T0)
    assert not paste.continues("😀" * 2049, T0, T0)  # no client sends more than its limit


@given(st.text(min_size=1, max_size=9000))
def test_any_text_cut_and_joined_is_the_text(text: str) -> None:
    pieces = cut(text)
    joined = pieces[0]
    for piece in pieces[1:]:
        joined = paste.join(joined, piece)
    assert joined == text


def test_a_joined_paste_is_one_answer_and_one_undo(driver: Driver) -> None:
    fill(driver, HAPPY[:10])
    # 1 300 字 but 4 550 characters: English words count one 字 each, so such a part passes 4 096
    first, second = cut("志愿者 volunteers 参与 participation 活动。" * 130)
    assert paste.continues(first, T0, T0 + timedelta(seconds=2))
    driver.send(paste.join(first, second))
    assert driver.session.draft.form.background == first + second
    driver.send("/undo")
    assert driver.session.draft.form.background is None
