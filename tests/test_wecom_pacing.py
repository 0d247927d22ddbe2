"""Per-member pacing: 30 a minute and 1 000 an hour, reached by waiting, never by dropping; on a fake clock."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.wecom.pacing import Pacer


class FakeClock:
    """Time that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.time = 1000.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.time += seconds


def _max_in_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


async def test_thirty_messages_go_at_once_the_thirty_first_waits_a_minute() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    sent = []
    for _ in range(31):
        await pacer.wait("zhangsan")
        sent.append(clock.now())
    assert sent[:30] == [1000.0] * 30
    assert sent[30] == 1060.0
    assert clock.slept == [60.0]


async def test_members_are_paced_apart() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    for _ in range(30):
        await pacer.wait("zhangsan")
    await pacer.wait("lisi")
    assert clock.slept == []


async def test_a_burst_of_1500_stays_within_both_windows_in_order() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    sent = []
    for _ in range(1500):
        await pacer.wait("zhangsan")
        sent.append(clock.now())
    assert len(sent) == 1500 and sent == sorted(sent)
    assert _max_in_window(sent, 60.0) <= 30
    assert _max_in_window(sent, 3600.0) <= 1000
    assert sent[999] < 1000.0 + 3600.0 <= sent[1000]


async def test_concurrent_senders_each_get_their_own_slot() -> None:
    clock = FakeClock()
    pacer = Pacer(per_minute=2, per_hour=10, clock=clock)
    slots = [pacer.reserve("zhangsan") for _ in range(5)]
    assert slots == [1000.0, 1000.0, 1060.0, 1060.0, 1120.0]
    await asyncio.gather(*(pacer.wait("lisi") for _ in range(3)))
    assert sorted(clock.slept) == [60.0]


async def test_after_a_quiet_minute_nothing_waits() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    for _ in range(30):
        await pacer.wait("zhangsan")
    clock.time += 61
    await pacer.wait("zhangsan")
    assert clock.slept == []


@pytest.mark.parametrize(("per_minute", "per_hour"), [(0, 10), (10, 5), (-1, -1)])
def test_nonsense_limits_are_refused(per_minute: int, per_hour: int) -> None:
    with pytest.raises(ValueError):
        Pacer(per_minute=per_minute, per_hour=per_hour)
