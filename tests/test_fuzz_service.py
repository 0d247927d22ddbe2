"""Thousands of random events through the whole service on a real SQLite file, and nothing breaks.

Each example opens a fresh application (demo campaign), puts six people in place — two submitters
with cases already submitted, one stopped at the pictures, a user of no unit, two coordinators of
the same unit, one of them an administrator — and sends them random events in random order:
any Unicode text up to 100 000 characters, commands with random arguments, forged, stale and real
button data (pressed twice at once, too), pictures that are not pictures. After every event:

- no exception escapes :meth:`Service.handle`, and the reply is never the channels' apology;
- every event gets at least one reply, and none is empty;
- a refusal changes nothing: when the service reports ``changed=False``, every stored session,
  case, membership, picture and extension in the database file is exactly what it was before;
- an accepted answer is never lost: a field answer, a picture or a submission the service took
  is in the database file, read through a connection of its own, when the reply is given.

The run is seeded (``SEED``), so a failure in CI reproduces locally with the same events.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from bot.app import App, open_app
from bot.settings import Settings
from bot.usecases.response import Response
from dialogs import machine, person
from dialogs.events import Command, Event, PictureIn, Pictures, Press, Text, Unsupported, parse_text
from dialogs.form import FIELDS, Kind
from dialogs.models import Step
from dialogs.session import Pending, Session
from dialogs.validators import clean_text
from dialogs.wording import t
from tests.fuzz_events import INVITES, SUMMARY_300, Spec, form_answers, specs

EVENTS_PER_EXAMPLE = 220
# 25 × 220 = 5 500 random events per run, besides the set-up's; FUZZ_EXAMPLES and FUZZ_SEED run a longer
# or a different search locally, and a failure in CI reproduces with the same seed
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("FUZZ_SEED", "20240311"))
NOW = datetime(2029, 6, 1, 2, 0, tzinfo=UTC)
UNIT = "hefei"
USERS = ("s1", "s2", "s3", "lone", "c1", "c2")
ADMIN = "c2"
Snapshot = dict[str, list[tuple[object, ...]]]
# what each table keeps (a session saved again unchanged gets a new updated_at, and that is no change)
TABLES = {
    "sessions": "user, state",
    "cases": "*",
    "members": "user, unit, role",
    "pictures": "sha256",
    "extensions": "*",
    "invites": "*",
}


@asynccontextmanager
async def running(folder: Path) -> AsyncIterator[App]:
    """The application on the database file in ``folder``, as the conftest ``app`` fixture opens it."""
    config = Settings(campaign="demo", db=folder / "casebot.sqlite3", out=folder / "out", _env_file=None)
    async with open_app(config) as app:
        app.service.clock = lambda: NOW
        app.service.admins = frozenset({ADMIN})
        yield app


def snapshot(reader: sqlite3.Connection) -> Snapshot:
    """What the database file holds now, read through a connection of its own (so never from a cache)."""
    return {t: reader.execute(f"SELECT {cols} FROM {t} ORDER BY 1").fetchall() for t, cols in TABLES.items()}  # noqa: S608


def reader_of(db: Path) -> closing[sqlite3.Connection]:
    """A read-only connection in autocommit mode: every query sees the last committed state of the file."""
    return closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None))


def stored_session(snap: Snapshot, user: str) -> Session:
    state = next((row[1] for row in snap["sessions"] if row[0] == user), None)
    return Session.model_validate_json(str(state)) if state else Session(user=user)


def ranks_hold(snap: Snapshot) -> None:
    """The notice's rule at every moment: each unit's ranked cases (recommended, or returned and keeping
    their place while revised) ranked 1..n, n within its quota."""
    for unit in {str(row[2]) for row in snap["cases"]}:
        cases = [row for row in snap["cases"] if row[2] == unit]
        ranks = sorted(int(str(row[4])) for row in cases if row[3] in ("recommended", "returned") and row[4])
        assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 4  # a city's quota in the demo campaign
        assert all(row[4] is None for row in cases if row[3] == "submitted")


@dataclass
class Run:
    app: App
    reader: sqlite3.Connection
    buttons: dict[str, list[list[str]]] = field(default_factory=dict)  # each user's button data, reply by reply
    keys: list[str] = field(default_factory=list)
    events: int = 0

    def event_of(self, spec: Spec, user: str) -> Event:
        if spec.what in ("text", "command"):
            return parse_text(spec.text) if spec.what == "command" else Text(spec.text)
        if spec.what == "press" and spec.age == 0:  # forged data carrying the live turn: past the stale check
            head, _, _ = spec.text.rpartition(":")
            return Press(f"{head}:{stored_session(snapshot(self.reader), user).turn}")
        if spec.what == "press":
            return Press(spec.text)
        if spec.what in ("button", "twice"):
            history = [drawn for drawn in self.buttons.get(user, []) if drawn] or [["cmd:next:0"]]
            drawn = history[-1 - min(spec.age, len(history) - 1)]
            return Press(drawn[spec.index % len(drawn)])
        if spec.what == "pictures":
            return Pictures(tuple(PictureIn(data=d, caption="现场照片") for d in spec.pictures))
        return Unsupported(spec.text)

    def key_of(self, spec: Spec) -> str | None:
        if spec.key == "again" and self.keys:
            return self.keys[-1]
        if spec.key == "none":
            return None
        self.keys.append(f"k{len(self.keys)}")
        return self.keys[-1]

    async def send(self, user: str, event: Event, key: str | None = None) -> Response:
        before = snapshot(self.reader)
        response = await self.app.service.handle(user, event, key)
        self.check(user, event, response, before, snapshot(self.reader))
        return response

    async def twice(self, user: str, event: Event) -> None:
        """The same button pressed twice at once (a double tap): both answered, the state consistent."""
        first, second = await asyncio.gather(
            self.app.service.handle(user, event, None), self.app.service.handle(user, event, None)
        )
        self.record(user, first)
        self.record(user, second)
        self.events += 2
        ranks_hold(snapshot(self.reader))

    def record(self, user: str, response: Response) -> None:
        assert response.replies, "an event without a reply"
        for reply in response.replies:
            assert reply.text.strip(), "an empty reply"
            assert reply.text != t("common.apology")
        data = [b.data for r in response.replies for row in r.buttons for b in row]
        self.buttons.setdefault(user, []).append(data)
        for delivery in response.deliveries:
            self.buttons.setdefault(delivery.user, []).append(
                [b.data for r in delivery.replies for row in r.buttons for b in row]
            )

    def check(self, user: str, event: Event, response: Response, before: Snapshot, after: Snapshot) -> None:
        self.events += 1
        self.record(user, response)
        ranks_hold(after)
        if not response.changed:
            assert after == before, f"{event!r} was answered as changing nothing, yet the database changed"
            return
        was, now = stored_session(before, user), stored_session(after, user)
        if was.waiting:  # a coordinator's open question (the contact, a scan's pages) took the event, not the form
            return None
        if was.draft is None or was.pending is not Pending.NONE or response.duplicate:
            return self._check_submission(was, now, after)
        step = was.draft.step
        if isinstance(event, Text) and FIELDS[step].kind not in (Kind.PICTURES, Kind.REVIEW):
            # the answer the pure dialog accepts is the one the file holds
            ctx = self.app.service.context(was)
            if any(row[0] == user and row[2] == "coordinator" for row in before["members"]):
                ctx = dataclasses.replace(ctx, coordinator=True)  # as the service tells the dialog
            expected = machine.handle(was, event, ctx).session
            assert now.draft is not None and expected.draft is not None
            assert now.draft.form.value(step) == expected.draft.form.value(step)
            if now.pending is Pending.CONFIRM_STRAY:  # a coordinator's text on a draft nobody asked for: asked
                assert now.held == event.text and now.draft.form.value(step) is None
                return None
            assert now.draft.form.value(step), f"an accepted answer to {step} was lost"
            if step in (Step.NAME, Step.APPLICANT):  # kept as typed, tidied only
                assert now.draft.form.value(step) == clean_text(event.text, multiline=False)
            if step is Step.CONTACT:  # the name, without its label or a phone written after it
                name, _ = person.read_name(clean_text(event.text, multiline=True), ctx)
                assert now.draft.form.value(step) == name
        if isinstance(event, Pictures) and now.draft is not None:
            kept = {str(row[0]) for row in after["pictures"]}
            assert len(now.draft.form.pictures) > len(was.draft.form.pictures)
            assert all(p.sha256 in kept for p in now.draft.form.pictures)
        return None

    @staticmethod
    def _check_submission(was: Session, now: Session, after: Snapshot) -> None:
        """A confirmed submission leaves the draft only once the case in the file holds the same form."""
        if was.draft is None or was.pending not in (Pending.CONFIRM_SUBMIT, Pending.CONFIRM_NEAR_DUPLICATE):
            return
        if now.draft is None:
            forms = [str(row[5]) for row in after["cases"] if row[1] == was.user]
            assert was.draft.form.model_dump_json() in forms, "a submitted case was lost"


async def prepare(run: Run) -> None:
    """Two cases submitted, one returned and reopened, a fresh draft, one stopped at the pictures, one user of no unit."""
    service = run.app.service
    for user in ("s1", "s2", "s3"):
        await service.assign_unit(user, UNIT)
    for user in ("c1", "c2"):
        await service.assign_unit(user, UNIT, role="coordinator")
    async with run.app.store.atomic() as tx:
        await tx.create_invite(INVITES[3], UNIT, "coordinator")
        await tx.revoke_invites(UNIT, "coordinator")
        for code, unit, role in ((INVITES[0], UNIT, "submitter"), (INVITES[1], UNIT, "coordinator")):
            await tx.create_invite(code, unit, role)
        await tx.create_invite(INVITES[2], "huaibei", "submitter")
    steps = [
        ("s1", form_answers("清朗网络共建行动", SUMMARY_300) + ["/submit", "1"]),
        ("s2", form_answers("指尖上的文明课堂", "面向中小学生开设网络素养公开课，教师与家长共同参与线上学习。")),
        ("s2", ["/submit", "1"]),
        ("c1", ["/cases", "/return 2 1、7 请补充联系人电话"]),
        ("s1", ["/new", "网络公益接力跑"]),
        ("s3", form_answers("法润网络普法直播", "律师团队每周在线直播解读典型案例，网民现场提问互动踊跃。")[:-1]),
        ("lone", ["/start"]),
        ("c2", ["/cases"]),
    ]
    for user, lines in steps:
        for line in lines:
            await run.send(user, parse_text(line))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The people and cases every example starts from, made once through the service itself."""
    folder = tmp_path_factory.mktemp("prepared")

    async def make() -> None:
        async with running(folder) as app:
            with reader_of(app.settings.db) as reader:
                await prepare(Run(app, reader))
            async with app.store.atomic() as tx:
                assert len(await tx.all_cases()) == 2

    asyncio.run(make())
    return folder


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    phases=[Phase.explicit, Phase.generate],  # the seed reproduces a failure; shrinking 60 events costs minutes
)
@seed(SEED)  # the same events every run: a CI failure reproduces
@given(st.lists(specs(len(USERS)), min_size=EVENTS_PER_EXAMPLE, max_size=EVENTS_PER_EXAMPLE))
def test_random_events_never_break_the_service(prepared: Path, events: list[Spec]) -> None:
    async def play(folder: Path) -> int:
        async with running(folder) as app:
            with reader_of(app.settings.db) as reader:
                run = Run(app, reader)
                for user in USERS:  # each on screen: the form's step, or the unit's list with its buttons
                    await run.send(user, Command("cases" if user.startswith("c") else "help"))
                for spec in events:
                    user = USERS[spec.user]
                    event = run.event_of(spec, user)
                    if spec.what == "twice":
                        await run.twice(user, event)
                    else:
                        await run.send(user, event, run.key_of(spec))
                return run.events

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "run"
        shutil.copytree(prepared, folder)
        assert asyncio.run(play(folder)) >= EVENTS_PER_EXAMPLE
