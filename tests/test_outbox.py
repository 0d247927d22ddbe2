"""The outbox in one process on a real SQLite file: work recorded with the change, carried out once,
retried with backoff when a channel fails, resumed after a restart; the receipt of a submission;
album pieces kept across a restart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App, open_app
from bot.channels.base import Unreachable
from bot.disk.outputs import OutFile
from bot.settings import Settings
from bot.storage import AlbumPart, utcnow
from bot.usecases.outbox import BACKOFF_CAP, MAX_UNREACHABLE, backoff
from bot.usecases.reminders import due as due_reminders
from dialogs.events import Command, PictureIn, Pictures, Reply, parse_text
from tests.helpers import make_image
from tests.test_rules_service import coordinator, distinct, submit, text

UNIT_DIR = "合肥市委网信办"
SUMMARY = "2024年网络文明建设优秀案例推荐汇总表-合肥市委网信办.xlsx"


class Recorder:
    """A channel as the outbox sees it: records what it is handed; can be told to fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[str], list[str]]] = []
        self.failures: list[Exception] = []

    async def __call__(self, user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((user, [r.text for r in replies], [f.name for f in files]))


def later(app: App, hours: float) -> None:
    """Move the outbox's clock on, so items waiting out their backoff fall due."""
    app.service.outbox.clock = lambda: utcnow() + timedelta(hours=hours)


async def test_a_submission_records_its_files_and_notices_in_its_own_transaction(app: App, settings: Settings) -> None:
    await coordinator(app, "boss", "hefei")
    await coordinator(app, "deputy", "hefei")
    done = await submit(app, "alice", "hefei", *distinct(0))
    assert "已提交" in text(done) and done.files[0].name == "01-清朗网络共建行动-推荐表.docx"
    folder = settings.out / UNIT_DIR
    record = "2024年全部申报案例（存档）-合肥市委网信办.xlsx"  # the unit's list of every case, kept beside
    assert sorted(p.name for p in folder.iterdir()) == sorted(["01-清朗网络共建行动-推荐表.docx", SUMMARY, record])
    pending = await app.service.outbox.pending_messages()
    assert sorted(m.user for m in pending) == ["boss", "deputy"]  # nobody has been sent anything yet
    assert all(m.forms and m.summaries == ["hefei"] for m in pending)

    channel = Recorder()
    app.service.outbox.sender = channel
    await app.service.outbox.drain()
    await app.service.outbox.drain()  # done is done: a second pass sends nothing
    assert sorted(user for user, _, _ in channel.sent) == ["boss", "deputy"]
    for _, says, files in channel.sent:
        assert "清朗网络共建行动" in says[0] and files == ["01-清朗网络共建行动-推荐表.docx", SUMMARY]
    assert (await app.service.outbox.counts())["pending"] == 0


async def test_a_failing_channel_is_retried_with_growing_waits_and_the_notice_goes_once(app: App) -> None:
    await coordinator(app, "boss", "hefei")
    await submit(app, "alice", "hefei", *distinct(0))
    channel = Recorder()
    channel.failures = [ConnectionError("network down"), TimeoutError("slow"), ConnectionError("again")]
    app.service.outbox.sender = channel
    await app.service.outbox.drain()  # the first try fails
    for attempt in range(1, 4):  # each retry waits twice as long as the one before
        wait = backoff(attempt - 1)
        later(app, hours=wait / 2 / 3600)
        await app.service.outbox.drain()
        assert len(channel.failures) == 3 - attempt  # not due yet: nothing was tried
        later(app, hours=(wait + 1) / 3600)
        await app.service.outbox.drain()
        assert len(channel.failures) == max(0, 2 - attempt)
    await app.service.outbox.drain()
    assert [user for user, _, _ in channel.sent] == ["boss"]
    assert [backoff(n) for n in range(4)] == [1.0, 2.0, 4.0, 8.0] and backoff(40) == BACKOFF_CAP


async def test_an_unreachable_user_is_given_up_after_a_few_tries_and_holds_nothing_up(app: App) -> None:
    await coordinator(app, "gone", "hefei")
    await coordinator(app, "boss", "hefei")
    await submit(app, "alice", "hefei", *distinct(0))
    channel = Recorder()

    async def blocked_or_not(user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
        if user == "gone":
            raise Unreachable(f"{user}: bot was blocked by the user")
        await channel(user, replies, files)

    app.service.outbox.sender = blocked_or_not
    for hours in range(MAX_UNREACHABLE + 2):
        later(app, hours * 10)
        await app.service.outbox.drain()
    assert [user for user, _, _ in channel.sent] == ["boss"]
    assert await app.service.outbox.counts() == {"pending": 0, "done": 2, "failed": 1}


async def test_work_left_pending_by_a_failure_is_carried_out_after_a_restart(settings: Settings) -> None:
    async with open_app(settings) as app:
        await coordinator(app, "boss", "hefei")
        broken = app.service.outbox.outputs.rebuild_unit

        async def disk_full(unit: str, fresh: int | None = None) -> tuple[OutFile, list[Path]]:
            raise OSError(28, "No space left on device")

        app.service.outbox.outputs.rebuild_unit = disk_full  # type: ignore[method-assign]
        done = await submit(app, "alice", "hefei", *distinct(0))
        assert "已提交" in text(done) and "推荐表文件生成失败，案例已保存" in text(done)
        assert not (settings.out / UNIT_DIR).exists()
        assert broken is not None
    async with open_app(settings) as app:
        channel = Recorder()
        app.service.outbox.sender = channel
        later(app, hours=1)
        await app.service.outbox.drain()
        assert (settings.out / UNIT_DIR / "01-清朗网络共建行动-推荐表.docx").exists()
        assert (settings.out / UNIT_DIR / SUMMARY).exists()
        assert [user for user, _, _ in channel.sent] == ["boss"]
        assert (await app.service.outbox.counts())["pending"] == 0


async def test_rebuilding_a_units_files_twice_leaves_the_same_files(app: App, settings: Settings) -> None:
    for i in range(3):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    folder = settings.out / UNIT_DIR
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    await app.outputs.rebuild_unit("hefei", fresh=1)
    await app.outputs.rebuild_unit("hefei")
    assert {p.name for p in folder.iterdir()} == set(before)
    assert len([n for n in before if n.endswith("-推荐表.docx")]) == 3


async def test_a_return_and_a_rank_change_go_through_the_outbox(app: App, settings: Settings) -> None:
    for i in range(2):
        await submit(app, f"s{i}", "hefei", *distinct(i))
    await coordinator(app, "boss", "hefei")
    cases = await app.service.unit_cases("hefei")
    await app.service.handle("boss", Command("down", str(cases[0].id)))
    folder = settings.out / UNIT_DIR
    assert sorted(p.name for p in folder.glob("*推荐表.docx")) == [
        f"01-{distinct(1)[0]}-推荐表.docx",
        f"02-{distinct(0)[0]}-推荐表.docx",
    ]
    await app.service.handle("boss", Command("return", f"{cases[1].id} 8 请压缩简介"))
    [told] = await app.service.outbox.pending_messages()
    assert told.user == "s1" and any("请压缩简介" in s.text for s in told.says)
    channel = Recorder()
    app.service.outbox.sender = channel
    await app.service.outbox.drain()
    assert [user for user, _, _ in channel.sent] == ["s1"]


async def test_reminders_are_retried_when_the_channel_fails_and_queued_once(app: App) -> None:
    from datetime import UTC, datetime

    app.service.clock = lambda: datetime(2030, 3, 6, 2, 0, tzinfo=UTC)  # 2 days before the demo cut-off
    await app.service.assign_unit("drafter", "hefei")
    await app.service.handle("drafter", parse_text("/start"))
    assert [d.user for d in await due_reminders(app.service)] == ["drafter"]
    assert await due_reminders(app.service) == []  # recorded: the loop's next round queues nothing
    channel = Recorder()
    channel.failures = [ConnectionError("network down")]
    app.service.outbox.sender = channel
    await app.service.outbox.drain()
    later(app, hours=1)
    await app.service.outbox.drain()
    assert [user for user, _, _ in channel.sent] == ["drafter"]
    assert "2030年3月8日" in channel.sent[0][1][0]


async def test_an_author_who_never_saw_the_reply_is_told_the_case_went_in(app: App) -> None:
    await submit(app, "alice", "hefei", *distinct(0))  # the reply is lost: no channel confirmed it
    for _ in range(2):  # until a reply carrying it has left, every message says so
        told = await app.service.handle("alice", parse_text("/start"))
        assert "已提交成功" in text(told) and "编号 1" in text(told) and "推荐名单第 1 位" in text(told)
        assert "第 1/14 步" not in text(told)
        async with app.store.atomic() as tx:
            assert (await tx.load_session("alice")).draft is None  # no empty draft
    await told.sent()
    fresh = await app.service.handle("alice", parse_text("/start"))
    assert "已提交成功" not in text(fresh) and "第 1/14 步" in text(fresh)


async def test_an_author_who_saw_the_reply_gets_a_new_form_at_once(app: App) -> None:
    done = await submit(app, "bob", "hefei", *distinct(1))
    await done.sent()
    again = await app.service.handle("bob", parse_text("/new"))
    assert "已提交成功" not in text(again) and "第 1/14 步" in text(again)


async def test_a_candidate_is_told_its_place_as_a_candidate(app: App) -> None:
    for i in range(4):
        await (await submit(app, f"s{i}", "hefei", *distinct(i))).sent()
    await submit(app, "late", "hefei", *distinct(4))
    told = await app.service.handle("late", parse_text("你好"))
    assert "候选案例" in text(told) and "编号 5" in text(told)


@pytest.mark.parametrize("pieces", [1, 2])
async def test_album_pieces_survive_a_restart_and_are_answered_once(settings: Settings, pieces: int) -> None:
    album = "tg:album:1234567"
    images = [make_image("JPEG", (200 + i, 200), "red") for i in range(pieces)]
    async with open_app(settings) as app:
        await app.service.assign_unit("tg:7", "hefei")
        for line in ["/start", "清朗网络共建行动", "合肥市委网信办", "5", "2022年3月", "张三", "0551-62606335"]:
            await app.service.handle("tg:7", parse_text(line))
        for i, data in enumerate(images):
            await app.service.albums.keep(
                album, AlbumPart(seq=i + 10, user="tg:7", chat=7, picture=PictureIn(data), refusal=None)
            )
        await app.service.albums.keep(
            album, AlbumPart(seq=10, user="tg:7", chat=7, picture=PictureIn(images[0]), refusal=None)
        )  # redelivered
    async with open_app(settings) as app:
        assert await app.service.albums.waiting() == [album]
        parts = await app.service.albums.parts(album)
        assert [p.seq for p in parts] == [10 + i for i in range(pieces)]
        event = Pictures(items=tuple(p.picture for p in parts if p.picture is not None))
        await app.service.handle("tg:7", event, album, album=album)
        assert await app.service.albums.waiting() == []
        again = await app.service.handle("tg:7", event, album, album=album)
        assert again.duplicate


async def test_only_the_submissions_own_redelivered_update_settles_its_receipt(app: App) -> None:
    from tests.test_rules_service import answers

    await app.service.assign_unit("tg:9", "hefei")
    lines = answers(*distinct(2))
    for n, line in enumerate(lines):
        await app.service.handle("tg:9", parse_text(line), key=f"tg:{n}")
    earlier = await app.service.handle("tg:9", parse_text(lines[3]), key="tg:3")  # an older update comes again
    assert earlier.duplicate
    await earlier.sent()
    still = await app.service.handle("tg:9", parse_text("/start"), key="tg:100")
    assert "已提交成功" in text(still)
    again = await app.service.handle("tg:9", parse_text("1"), key=f"tg:{len(lines) - 1}")  # the confirmation
    assert again.duplicate and "已提交" in text(again)
    await again.sent()
    fresh = await app.service.handle("tg:9", parse_text("/start"), key="tg:101")
    assert "已提交成功" not in text(fresh) and "第 1/14 步" in text(fresh)


async def test_the_registry_raises_for_a_user_no_running_channel_has_so_the_outbox_retries() -> None:
    from bot.channels.registry import Channels

    with pytest.raises(Unreachable):
        await Channels().send("wecom:zhangsan", [Reply("新案例")])
