"""The WeCom channel: callbacks in through the durable inbox, answers out through the WeCom API.

A callback is parsed and checked by :mod:`.server`, written to the inbox (:mod:`bot.storage.inbox`)
and only then acknowledged, in a process of its own (:mod:`.acks`); its user's lane (:mod:`.lanes`) then translates it, lets the service
handle it under the inbox key (so a replay is answered from the record, never applied twice), sends
the answer and marks the row answered. On start-up the rows not yet answered are queued first, in
the order they arrived, before the endpoint listens. Sending joins an answer's replies into as few
messages as fit (:mod:`.compose`: choices as a numbered list, texts below 2 048 UTF-8 bytes) and
paces them per member.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.disk.outputs import OutFile
from bot.usecases.response import Response
from dialogs.events import Reply
from dialogs.wording import t

from ...storage import InboxWriter, utcnow
from ..base import Host, Limits, Unreachable
from ..registry import Channels
from .acks import CallbackProcess
from .api import MEDIA_BYTES, WeComApi, WeComApiError
from .cards import Cards
from .compose import CardFor, compose
from .crypto import WeComCrypto
from .freshness import WINDOW as FRESHNESS_WINDOW
from .lanes import Lanes
from .messages import USER_PREFIX, Inbound
from .pacing import NoPacing, Pacer
from .payload import from_payload, to_payload
from .translate import to_event

log = logging.getLogger("casebot.wecom")

LIMITS = Limits(text_bytes=2048, buttons=False, files_in=False, files_out=True, file_bytes=MEDIA_BYTES)
# errcodes meaning "this member cannot be reached by this application": not a member, outside the
# application's visible range, or the member left or was disabled
UNREACHABLE = frozenset({60111, 60011, 81013, 60103, 60104})
# errcodes of a moment: system busy (and our own "not reached": a network error or an HTTP error status),
# too many calls, too many at once. An answer refused with one of them is sent again.
PASSING = frozenset({-1, 45009, 45033})
RESEND_DELAYS = (2.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0)  # seconds: about nine minutes in all, then given up
KILL_SWITCH = "CASEBOT_TEST_KILL_AT"  # a test fault: "wecom-after-ack" kills the process after a 200
# Answered inbox rows are kept this long, for looking into a problem, and as the keys that make a retry or
# a replay apply once: a callback signed at T is accepted from T - WINDOW to T + WINDOW (.freshness), so its
# key must outlive twice the window, which seven days do many times over.
KEEP_ANSWERED = max(timedelta(days=7), timedelta(seconds=2 * FRESHNESS_WINDOW))
STOP_WAIT = 5.0  # seconds an answer under way may take to finish when stopping


@dataclass(frozen=True)
class Queued:
    key: str
    inbound: Inbound


def inbox_key(inbound: Inbound) -> str:
    """The key of the inbox row and of the service's event record: unique across channels."""
    return f"{USER_PREFIX}:{inbound.dedupe_key}"


def member_of(user: str) -> str | None:
    """The WeCom UserID of a casebot user id, or None for users of other channels."""
    prefix, _, member = user.partition(":")
    return member if prefix == USER_PREFIX and member else None


class WeComChannel:
    prefix = USER_PREFIX
    limits = LIMITS

    def __init__(
        self, app: Host, channels: Channels, api: WeComApi, crypto: WeComCrypto, *, cards: bool = True
    ) -> None:
        self.app = app
        self.channels = channels
        self.api = api
        self.crypto = crypto
        self.cards = Cards(api, cards)
        self.lanes: Lanes[Queued] = Lanes(self._answer)
        self.inbox = InboxWriter(app.store.path)
        self._kill_after_ack = os.environ.get(KILL_SWITCH, "") == "wecom-after-ack"
        self.resend_delays: Sequence[float] = RESEND_DELAYS

    # -- in ---------------------------------------------------------------------------------------

    async def record(self, inbound: Inbound) -> bool:
        """The inbox row, committed before the callback is acknowledged; False for a retried delivery.

        For an endpoint in this loop (tests); :meth:`run` serves callbacks in a process of their own.
        """
        if not self.inbox.is_open:
            await self.inbox.open()
        return await self.inbox.record(inbox_key(inbound), inbound.user, to_payload(inbound))

    async def process(self, inbound: Inbound) -> None:
        """After the acknowledgement: queue the message behind its user's earlier ones."""
        self.accept(inbound)

    def accept(self, inbound: Inbound) -> None:
        """The same, called in the main loop with each message the callback process recorded."""
        if self._kill_after_ack:
            # the fault the crash test needs: the 200 has gone (or goes within this delay), nothing is applied
            asyncio.get_running_loop().call_later(0.2, os.kill, os.getpid(), signal.SIGKILL)
            return
        self.lanes.put(inbound.user, Queued(inbox_key(inbound), inbound))

    async def _answer(self, queued: Queued) -> None:
        inbound = queued.inbound
        try:
            event = await to_event(inbound, self.api)
            if event is None:
                response = Response()
            elif isinstance(event, str):
                response = Response(replies=[Reply(event)])
            else:
                response = await self.app.service.handle(inbound.user, event, queued.key)
            await self._respond(inbound.user, response)
            await self.cards.settle(inbound)
        except Unreachable as error:
            log.warning("could not answer %s: %s", inbound.user, error)
        except Exception:
            log.exception("wecom message %s of %s failed", queued.key, inbound.user)
            await self._apologise(inbound.user)
        # not reached when cancelled at shutdown: the row stays unanswered and is taken up at the next start
        async with self.app.store.atomic() as tx:
            await tx.mark_answered(queued.key)

    async def _respond(self, user: str, response: Response) -> None:
        """Send the answer, again after a pause while WeCom is busy or out of reach.

        Why here and not by dropping: the answer is already applied and recorded, and a member who gets
        no answer cannot tell whether the form took it. The member's later messages wait behind this
        one, so the answers keep their order; a stop meanwhile leaves the inbox row unanswered, and the
        next start sends the recorded answer. A part that went out before the failure may go twice.
        """
        for delay in (*self.resend_delays, None):
            try:
                await self.channels.respond(user, response)
                return
            except WeComApiError as error:
                if delay is None or error.errcode not in PASSING:
                    raise
                log.warning("answer to %s not sent (%s); trying again in %.0f s", user, error, delay)
                await asyncio.sleep(delay)

    async def _apologise(self, user: str) -> None:
        member = member_of(user)
        if member is None:
            return
        try:
            await self.api.send_text(member, t("common.apology"))
        except WeComApiError:
            log.exception("could not apologise to %s", user)

    async def _take_up_inbox(self) -> int:
        """Queue the rows a previous run acknowledged but did not answer, in the order they arrived."""
        async with self.app.store.atomic() as tx:
            rows = await tx.unanswered(USER_PREFIX)
        for row in rows:
            try:
                inbound = from_payload(row.payload)
            except ValueError:
                log.exception("inbox row %s cannot be read; left as it is", row.key)
                continue
            self.lanes.put(row.user, Queued(row.key, inbound))
        return len(rows)

    # -- out --------------------------------------------------------------------------------------

    async def send(self, user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
        """Replies then files to a member, in order and paced; a member WeCom cannot reach is Unreachable."""
        member = member_of(user)
        if member is None:
            raise Unreachable(user)
        try:
            for message in compose(replies, LIMITS, self.cards.wanted):
                if isinstance(message, CardFor):
                    await self.cards.offer(member, message.reply)
                else:
                    await self.api.send_text(member, message.text)
            for made in files:
                if len(made.data) > MEDIA_BYTES:
                    await self.api.send_text(
                        member, t("wecom.file_too_big", name=made.name, mb=MEDIA_BYTES // 1024 // 1024)
                    )
                else:
                    await self.api.send_file(member, made.name, made.data)
        except WeComApiError as error:
            if error.errcode in UNREACHABLE:
                raise Unreachable(f"{user}: {error}") from error
            raise

    # -- running ----------------------------------------------------------------------------------

    async def start(self) -> int:
        """Queue what a previous run left unanswered, in order; the number of such messages."""
        async with self.app.store.atomic() as tx:
            await tx.forget_answered(utcnow() - KEEP_ANSWERED)
        return await self._take_up_inbox()

    async def stop(self) -> None:
        """After the endpoint has closed: finish or put back the answers under way, then let go."""
        await self.lanes.close(STOP_WAIT)
        await self.inbox.close()
        await self.api.aclose()

    @staticmethod
    async def _until(stopping: asyncio.Event) -> None:
        await stopping.wait()

    async def run(self, stopping: asyncio.Event) -> None:
        settings = self.app.settings
        taken_up = await self.start()
        callbacks = CallbackProcess(
            self.crypto, self.app.store.path, inbox_key, self.accept, settings.wecom_listen, settings.wecom_port
        )
        port = await callbacks.start()
        log.info(
            "wecom callbacks on %s:%s/wecom, API %s%s",
            settings.wecom_listen,
            port,
            self.api.base_url,
            f", {taken_up} unanswered messages taken up" if taken_up else "",
        )
        stop: asyncio.Future[None] = asyncio.ensure_future(self._until(stopping))
        try:
            assert callbacks.ended is not None
            await asyncio.wait({stop, callbacks.ended}, return_when=asyncio.FIRST_COMPLETED)
            if callbacks.ended.done():
                callbacks.ended.result()  # the callback process failed: so does the channel (and casebot stops)
                raise RuntimeError("the WeCom callback process ended")
        finally:
            stop.cancel()
            await callbacks.stop()  # no new callbacks; those being recorded finish
            await self.stop()


def wecom_channel(app: Host, channels: Channels) -> WeComChannel:
    """The factory the runner calls when CASEBOT_WECOM_CORP_ID is set."""
    settings = app.settings
    pacer = (
        Pacer(per_minute=settings.wecom_per_minute, per_hour=max(settings.wecom_per_hour, settings.wecom_per_minute))
        if settings.wecom_per_minute > 0
        else NoPacing()
    )
    api = WeComApi(
        settings.wecom_corp_id,
        settings.wecom_secret.get_secret_value(),
        int(settings.wecom_agent_id),
        settings.wecom_api_url,
        pacer=pacer,
    )
    crypto = WeComCrypto(
        settings.wecom_token.get_secret_value(), settings.wecom_aes_key.get_secret_value(), settings.wecom_corp_id
    )
    return WeComChannel(app, channels, api, crypto, cards=settings.wecom_cards)
