"""评审 in the chat: experts join with their code, score with /score and /scores; admins use /panel.

The service hands every event here first; what is not the panel's (a submitter's answer, a
coordinator's command) comes back as None and goes on as before. An expert's answer is one
transaction: the conversation (dialogs.panel.scoring) moves one step, what it asks for (the
承诺书, a clearance, a 回避, a finished score) is written and audited, and the reply is recorded
under the event's key, so a redelivery changes nothing and a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from bot.disk.outputs import OutFile, Outputs
from bot.storage import Store, Tx
from bot.storage.panel import ExpertRow
from bot.usecases.panel import formal, papers, run
from bot.usecases.panel.plan import current_plan
from bot.usecases.response import Response
from dialogs import periods
from dialogs.campaign import Campaign
from dialogs.errors import FieldError
from dialogs.events import Command, Event, Press, Reply, Text
from dialogs.numbers import read_case_id
from dialogs.panel import access
from dialogs.panel.assignment import cases_of
from dialogs.panel.criteria import parse_groups
from dialogs.panel.scoring import Act, CaseView, Scoring, Turn, answer, begin
from dialogs.panel.words import split_words
from dialogs.rules import RuleError
from dialogs.wording import t

ACTOR_EXPERT = "expert"


class PanelChat:
    def __init__(
        self,
        store: Store,
        campaign: Campaign,
        outputs: Outputs,
        admins: Callable[[], frozenset[str]],
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.campaign = campaign
        self.outputs = outputs
        self.admins = admins
        self.clock = clock

    async def route(self, user: str, event: Event, key: str | None) -> Response | None:
        code = None
        if isinstance(event, Command) and event.name == "start":
            code = access.expert_code(event.arg)
        elif isinstance(event, Text):
            code = access.expert_code(event.text)
        async with self.store.atomic() as tx:
            row = await tx.expert_of_user(user)
        if code is not None and row is None:
            return await self._join(user, code, key)
        is_admin = user in self.admins()
        if row is None:
            if isinstance(event, Command) and event.name in ("score", "scores"):
                if not access.may_see_scores(False, is_admin):
                    return Response(replies=[Reply(t("panel.chat.only_experts"))])
                return Response(replies=[Reply(t("panel.chat.admin_usage"))])
            if isinstance(event, Command) and event.name == "panel":
                if not is_admin:
                    return Response(replies=[Reply(t("panel.chat.only_experts"))])
                return await self._admin(user, event.arg)
            return None
        return await self._expert(row, user, event, key)

    # -- joining -------------------------------------------------------------------------------------

    async def _join(self, user: str, code: str, key: str | None) -> Response | None:
        async def work(tx: Tx) -> list[Reply]:
            row = await tx.expert_by_code(code)
            if row is None:
                return []
            if row.user is not None and row.user != user:
                return [Reply(t("panel.chat.used_code"))]
            await tx.bind_expert(row.expert.id, user)
            await tx.audit(user, "expert_join", detail=f"{row.expert.id} {row.expert.name}")
            plan = await current_plan(tx, self.campaign)
            replies = [Reply(t("panel.chat.welcome", name=row.expert.name, count=len(cases_of(plan, row.expert.id))))]
            if await tx.panel() is None:
                replies.append(Reply(t("panel.chat.not_started")))
            return replies

        replies = await self.store.once(key, user, work)
        if not replies:
            return None  # not an expert's code: the unit invitations' handling answers it
        return Response(replies=replies, changed=True)

    # -- the expert ----------------------------------------------------------------------------------

    async def _expert(self, row: ExpertRow, user: str, event: Event, key: str | None) -> Response:
        opened: list[int] = []

        async def work(tx: Tx) -> list[Reply]:
            fresh = await tx.expert(row.expert.id)
            assert fresh is not None
            panel = await tx.panel()
            if panel is None:
                return [Reply(t("panel.chat.not_started"))]
            plan = await current_plan(tx, self.campaign)
            mine = cases_of(plan, fresh.expert.id)
            if isinstance(event, Command) and event.name == "scores":
                return await self._progress(tx, fresh, mine)
            if panel.state != "open":
                return [Reply(t("panel.chat.closed"))]
            state = Scoring.model_validate(fresh.conversation)
            if isinstance(event, Command) and event.name == "score":
                turn = await self._open(tx, fresh, mine, state, event.arg)
            elif isinstance(event, (Text, Press)) and state.step is not None:
                text = event.text if isinstance(event, Text) else event.data
                turn = answer(state, text, self.campaign.panel, fresh.expert.id)
            else:
                return [Reply(t("panel.chat.expert_help"))]
            replies = [Reply(r) for r in turn.replies]
            pledged = await self._carry_out(tx, fresh, turn.acts, user)
            if pledged:  # straight on to the case asked for, or the next one
                follow = await self._open(tx, fresh, mine, turn.state, str(turn.state.then or ""), pledged=True)
                replies += [Reply(r) for r in follow.replies]
                turn = follow
            await tx.save_conversation(fresh.expert.id, turn.state.model_dump())
            if turn.open_case is not None:
                opened.append(turn.open_case)
            return replies

        replies = await self.store.once(key, user, work)
        files: list[OutFile] = []
        for case_id in opened:
            async with self.store.atomic() as tx:
                case = await tx.case(case_id)
            if case is not None:
                files.append(await self.outputs.form_file(case))
        return Response(replies=replies, files=files, changed=True)

    async def _open(
        self, tx: Tx, row: ExpertRow, mine: list[int], state: Scoring, arg: str, pledged: bool = False
    ) -> Turn:
        done = {s.case_id for s in await tx.scores(row.expert.id)}
        if arg.strip():
            case_id = read_case_id(arg)
            if case_id is None or not access.may_open(case_id, mine):
                return Turn(state, [t("panel.chat.not_yours", id=arg.strip())])
        else:
            left = [c for c in mine if c not in done]
            if not left:
                return Turn(Scoring(), [t("panel.chat.all_done", count=len(mine))])
            case_id = left[0]
        case = await tx.case(case_id)
        assert case is not None
        form = case.form
        summary = t(
            "panel.chat.case_summary",
            name=form.name or "",
            category=form.category or "",
            applicant=form.applicant or "",
            unit=self.outputs.unit_name(case.unit),
            period=periods.display(form.period),
            summary=form.summary or "",
        )
        view = CaseView(case_id, summary, mine.index(case_id) + 1, len(mine))
        cleared = case_id in await tx.cleared(row.expert.id)
        return begin(state, view, self.campaign.panel, pledged or row.pledged_at is not None, cleared)

    async def _carry_out(self, tx: Tx, row: ExpertRow, acts: list[Act], user: str) -> bool:
        pledged = False
        for act in acts:
            if act.kind == "pledge":
                await tx.pledge(row.expert.id)
                await tx.audit(user, "pledge", detail=str(row.expert.id))
                pledged = True
            elif act.kind == "clear":
                await tx.clear(row.expert.id, act.case_id)
                await tx.audit(user, "clear", case_id=act.case_id, detail=str(row.expert.id))
            elif act.kind == "recuse":
                await tx.recuse(row.expert.id, act.case_id, act.reason, ACTOR_EXPERT)
                await tx.audit(user, "recuse", case_id=act.case_id, detail=f"expert={row.expert.id} {act.reason}")
            elif act.sheet is not None:
                old = await tx.put_score(act.sheet, ACTOR_EXPERT)
                was = f" was={old.total}" if old is not None else ""
                detail = f"expert={row.expert.id} total={act.sheet.total}{was}"
                await tx.audit(user, "score", case_id=act.case_id, detail=detail)
        return pledged

    async def _progress(self, tx: Tx, row: ExpertRow, mine: list[int]) -> list[Reply]:
        scores = {s.case_id: s for s in await tx.scores(row.expert.id)}  # this expert's own, no one else's
        lines = [t("panel.chat.progress", done=sum(1 for c in mine if c in scores), count=len(mine))]
        for case_id in mine:
            case = await tx.case(case_id)
            sheet = scores.get(case_id)
            state = t("panel.chat.scored", total=sheet.total) if sheet else t("panel.chat.unscored")
            lines.append(t("panel.chat.progress_line", id=case_id, name=case.form.name if case else "", state=state))
        return [Reply("\n".join(lines))]

    # -- the office ----------------------------------------------------------------------------------

    async def _admin(self, user: str, arg: str) -> Response:
        """The command line's words (see the README's 评审); a refusal is the same Chinese sentence."""
        split = split_words(arg)
        if split is None or not split[0]:
            return Response(replies=[Reply(t("panel.chat.admin_usage"))])
        (action, *rest), options = split
        today = self.clock().astimezone(self.campaign.zone).date()
        store, campaign = self.store, self.campaign
        reason = options.get("reason", "")
        try:
            if action == "check":
                data, text = await formal.formal_sheet(store, campaign)
                name = t("panel.files.formal", year=campaign.year)
                return Response(replies=[Reply(text)], files=[OutFile(name, data, _XLSX)])
            if action == "results":
                folder = self.outputs.root / t("panel.folder")
                paths = await papers.write_results(store, campaign, folder)
                files = [OutFile(p.name, p.read_bytes(), _mime(p.name), p) for p in paths]
                return Response(replies=[Reply(t("panel.run.written", path=folder))], files=files, written=paths)
            answer_text = await self._step(user, action, rest, options, reason, today)
        except (RuleError, FieldError, ValueError) as error:
            return Response(replies=[Reply(str(error))])
        if answer_text is None:
            return Response(replies=[Reply(t("panel.chat.admin_usage"))])
        return Response(replies=[Reply(answer_text)], changed=True)

    async def _step(
        self, user: str, action: str, rest: list[str], options: dict[str, str], reason: str, today: date
    ) -> str | None:
        store, campaign = self.store, self.campaign
        if action == "status":
            return await run.status(store, campaign)
        if action == "start" and (rest or "until" in options):
            groups = None
            if "groups" in options:
                groups = parse_groups(options["groups"], tuple(c.name for c in campaign.categories))
            return await run.start(store, campaign, user, options.get("until") or rest[0], today, groups)
        if action == "close":
            return await run.close(store, campaign, user)
        if action == "review" and len(rest) >= 2 and rest[1] in ("keep", "exclude"):
            return await run.review(store, user, rest[0], rest[1] == "exclude", reason or " ".join(rest[2:]))
        if action == "select" and rest:
            return await run.select(store, campaign, user, rest)
        if action == "approve" and (rest or "by" in options):
            return await run.approve(store, campaign, user, options.get("by") or " ".join(rest))
        if action == "mark" and len(rest) == 3:
            return await formal.mark(store, user, rest[0], rest[1], rest[2], options.get("on", ""))
        if action == "category" and len(rest) == 2:
            return await formal.recategorise(store, campaign, user, rest[0], rest[1])
        if action == "decide" and len(rest) == 2:
            return await formal.decide(store, campaign, user, rest[0], rest[1], reason, options.get("until", ""), today)
        if action == "enter" and len(rest) == 2 and rest[0].isdigit():
            gates = [g for g in options.get("gates", "").replace(t("panel.groups.comma"), ",").split(",") if g.strip()]
            points, comment = options.get("points", ""), options.get("comment", "")
            return await run.enter_sheet(store, campaign, user, int(rest[0]), rest[1], gates, points, reason, comment)
        return None


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _mime(name: str) -> str:
    return _XLSX if name.endswith(".xlsx") else _DOCX
