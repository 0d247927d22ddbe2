"""评审 in the SQLite file: experts and their codes, the panel's state, 形式审查 marks, 回避, scores
(changed, replaced), 复核 and the selection, all surviving a reopen; a failed step leaves nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from bot.storage import Store
from dialogs.panel.formal import Decision
from dialogs.panel.result import Review, Sheet
from dialogs.panel.scores import GateAnswer


def _sheet(expert: int, case: int, *points: int, veto: str = "") -> Sheet:
    gates = (GateAnswer(True), GateAnswer(not veto, veto))
    return Sheet(expert, case, tuple(Decimal(p) for p in points), gates, "")


async def test_a_whole_panel_survives_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    async with Store(path) as store:
        async with store.atomic() as tx:
            one = await tx.add_expert("周明远", "合肥市社会科学院", "hefei", None, "E1")
            two = await tx.add_expert("吴晓岚", "安徽大学", None, None, "E2")
            await tx.bind_expert(two, "tg:42")
            await tx.pledge(two)
            await tx.save_conversation(two, {"case": 3, "points": ["18"]})
            await tx.tick(3, "paper", True, datetime.date(2024, 3, 10))
            await tx.tick(3, "sealed", False)
            await tx.decide(3, Decision.AMEND, "请补盖公章", "admin", datetime.date(2024, 3, 20))
            await tx.start_panel(datetime.date(2024, 4, 1), "admin", [(1, None), (2, None)])
            await tx.recuse(two, 2, "曾参与策划", "expert")
            await tx.put_score(_sheet(two, 1, 18, 35, 36), "expert")
            old = await tx.put_score(_sheet(two, 1, 18, 35, 37, veto="导向偏差"), "expert")
            assert old is not None and old.total == 89
            await tx.put_score(_sheet(one, 2, 10, 10, 10), "admin")
            await tx.put_review(Review(1, False, "维持", "admin"))
            await tx.set_selection([1])
            await tx.set_panel_state("closed")
    async with Store(path) as store, store.atomic() as tx:
        experts = await tx.experts()
        assert [e.expert.name for e in experts] == ["周明远", "吴晓岚"]
        assert experts[0].expert.unit == "hefei" and experts[1].user == "tg:42" and experts[1].pledged_at
        assert experts[1].conversation == {"case": 3, "points": ["18"]}
        assert (await tx.expert_by_code("E2")).expert.id == two  # type: ignore[union-attr]
        assert (await tx.expert_of_user("tg:42")).expert.id == two  # type: ignore[union-attr]
        mark = (await tx.formal_marks())[3]
        assert mark.marks.ticks == {"paper": True, "sealed": False} and mark.marks.paper_on == datetime.date(
            2024, 3, 10
        )
        assert mark.decision is Decision.AMEND and mark.amend_until == datetime.date(2024, 3, 20)
        panel = await tx.panel()
        assert panel is not None and panel.state == "closed" and panel.until == datetime.date(2024, 4, 1)
        assert await tx.panel_cases() == {1: None, 2: None}
        assert await tx.recusals() == [(two, 2, "曾参与策划", "expert")]
        score = await tx.score(two, 1)
        assert score is not None and score.points[-1] == 37 and score.vetoed and score.gates[1].reason == "导向偏差"
        assert await tx.entered_by_admin() == {(one, 2)}
        assert (await tx.reviews())[1].reason == "维持" and await tx.selection() == [1]


async def test_a_recusal_drops_a_score_already_given_and_a_replacement_frees_the_user(tmp_path: Path) -> None:
    async with Store(tmp_path / "r.sqlite3") as store:
        async with store.atomic() as tx:
            one = await tx.add_expert("甲", "单位", None, None, "C1")
            await tx.bind_expert(one, "u1")
            await tx.put_score(_sheet(one, 5, 1, 2, 3), "expert")
            await tx.recuse(one, 5, "", "admin")
            assert await tx.score(one, 5) is None
            await tx.put_score(_sheet(one, 6, 1, 2, 3), "expert")
            two = await tx.add_expert("乙", "单位", None, None, "C2")
            await tx.remove_expert(one, replaced_by=two)
            assert await tx.move_scores(one) == 1
        async with store.atomic() as tx:
            assert [e.expert.id for e in await tx.experts()] == [two]
            gone = (await tx.experts(everyone=True))[0]
            assert gone.removed and gone.replaced_by == two and gone.user is None
            assert await tx.expert_by_code("C1") is None and await tx.expert_of_user("u1") is None


async def test_a_failed_step_leaves_nothing(tmp_path: Path) -> None:
    async with Store(tmp_path / "f.sqlite3") as store:
        with pytest.raises(RuntimeError):
            async with store.atomic() as tx:
                await tx.add_expert("甲", "单位", None, None, "C1")
                await tx.audit("cli", "expert_add", detail="甲")
                raise RuntimeError("after the insert")
        async with store.atomic() as tx:
            assert await tx.experts() == [] and await tx.audit_log() == []
