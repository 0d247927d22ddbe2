"""The coordinators' and administrators' work, which the submission dialog never sees.

A mixin of :class:`bot.usecases.service.Service`: the service hands an event here first; a coordinator's
command or button, /summary, /overview and /extend are answered here, everything else goes on to the
submission dialog. Kept apart so the service's own path (one event, one transaction) reads alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.disk.outputs import Outputs
from bot.storage import Store
from bot.usecases.coordination import Coordination, Result
from bot.usecases.dates import UnitDates
from bot.usecases.desk import Desk
from bot.usecases.members import Members
from bot.usecases.outbox import Outbox
from bot.usecases.panel.chat import PanelChat
from bot.usecases.publicity import chat as publicity_chat
from bot.usecases.response import Delivery, Response
from dialogs import access, coordinator, deadline
from dialogs.campaign import Campaign
from dialogs.coordinator import CaseOp
from dialogs.events import Command, Event, Press, Reply
from dialogs.machine import Context
from dialogs.session import Session
from dialogs.wording import t


class Routes:
    """What the service keeps that the routes use."""

    store: Store
    campaign: Campaign
    outputs: Outputs
    admins: frozenset[str]
    clock: Callable[[], datetime]
    dates: UnitDates
    coordination: Coordination
    desk: Desk
    members: Members
    outbox: Outbox
    panel_chat: PanelChat
    context: Callable[[Session], Context]  # the dialog's context for a user (the returned case's owner)

    # -- coordinators and administrators --------------------------------------------------------

    async def _route(self, user: str, event: Event, key: str | None) -> Response | None:
        """Events for the coordinator's and administrator's work, which the submission dialog never sees."""
        panel = await self.panel_chat.route(user, event, key)  # 评审: experts, /score, /panel
        if panel is not None:
            return panel
        is_admin = user in self.admins
        written = self.store.changes()
        managed = await self.members.route(user, event, key, is_admin)
        if managed is not None:  # /members, /remove and the removal's question
            return Response(replies=managed, changed=self.store.changes() != written)
        answer = await self.desk.route(user, event, key)
        if answer is not None:  # changed when the desk wrote anything (a refusal writes nothing)
            changed = self.store.changes() != written
            return Response(replies=answer.replies, files=answer.files, written=answer.written, changed=changed)
        if isinstance(event, (Command, Press)) and publicity_chat.is_ours(event):
            return await self._publicity(user, event, is_admin)
        op: CaseOp | str | None = None
        if isinstance(event, Press) and event.data.startswith("co:"):
            op = coordinator.parse_press(event.data) or t("service.stale_case_button")
        elif isinstance(event, Command):
            if event.name == "summary":
                return await self.summary(user)
            if event.name == "cases":
                return await self._followed(await self.coordination.list_cases(user, is_admin))
            if event.name in coordinator.COMMANDS:
                op = coordinator.parse_command(event)
            elif event.name in ("overview", "extend"):
                return await self._admin(user, event, is_admin)
            elif event.name == "cutoff":
                return self._response_of(await self.coordination.set_cutoff(user, event.arg))
        if op is None:
            return None
        if isinstance(op, str):
            return Response(replies=[Reply(op)])
        return await self._followed(await self.coordination.operate(user, op, is_admin, self.context, key))

    async def _publicity(self, user: str, event: Command | Press, is_admin: bool) -> Response:
        """公示, 公布 and 展示推广 (bot/usecases/publicity/chat.py); its notices go through the outbox."""
        chat = publicity_chat.PublicityChat(self.store, self.campaign, self.outputs.root, self.clock)
        written = self.store.changes()
        answer = await chat.answer(user, event, is_admin)
        if answer.recorded:
            self.outbox.wake()
        return Response(replies=answer.replies, files=answer.files, changed=self.store.changes() != written)

    async def _followed(self, result: Result) -> Response:
        """A coordinator's result, its recorded file work done at once and its messages handed to the outbox."""
        response = self._response_of(result)
        response.changed = bool(result.enqueued)
        await self.outbox.run_keys(result.enqueued)
        if result.enqueued:
            self.outbox.wake()
        return response

    @staticmethod
    def _response_of(result: Result) -> Response:
        deliveries: dict[str, Delivery] = {}
        for target, reply in result.notify:
            deliveries.setdefault(target, Delivery(target)).replies.append(reply)
        return Response(replies=result.replies, deliveries=list(deliveries.values()))

    async def _admin(self, user: str, event: Command, is_admin: bool) -> Response:
        if not is_admin:
            return Response(replies=[Reply(t("access.admin_only"))])
        if event.name == "overview":
            note = deadline.coordinator_note_zh(self.campaign, self.dates.for_unit(None), self.clock())
            return Response(replies=[await self.coordination.overview(note)])
        reply, scope, day = await self.coordination.extend(user, event.arg)
        if scope is not None and day is not None:
            return Response(replies=[reply], changed=True)
        return Response(replies=[reply])

    async def summary(self, user: str) -> Response:
        """/summary: a coordinator gets the unit's 汇总表, an administrator every unit's."""
        async with self.store.atomic() as tx:
            roles = await tx.roles_of(user)
        scope = access.summary_scope(self.campaign, roles, user in self.admins)
        if scope.empty:
            return Response(replies=[Reply(t("access.refused"), hint="join")])
        if scope.everything:
            made = await self.outputs.province_file()
            return Response(replies=[Reply(access.summary_caption_zh(scope))], files=[made])
        files, notes = await self.desk.unit_files([u.code for u in scope.units])
        return Response(replies=[Reply(access.summary_caption_zh(scope)), *notes], files=files)
