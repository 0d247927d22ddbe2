"""The dialog's requests carried out by the service: the join notice first, the preview 推荐表,
the days left for the deadline line, and the editing rule across a real restart of the store."""

from __future__ import annotations

import io
import zipfile

from bot.app import App, open_app
from bot.settings import Settings
from bot.usecases.response import Response
from dialogs import deadline
from dialogs.events import Command, Text, parse_text
from exporters.form_docx import build_form_docx
from tests.helpers import HAPPY_MEMBER
from tests.helpers import SAMPLE_SUMMARY as SUMMARY


def parts(docx: bytes) -> dict[str, bytes]:
    """A .docx as its parts: the zip's own time stamps are the second it was written, not content."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {name: z.read(name) for name in z.namelist()}


def text(response: Response) -> str:
    return "\n".join(r.text for r in response.replies)


async def test_the_join_notice_comes_before_the_first_question(app: App) -> None:
    from bot.cli import admin

    await admin.invites(app, "bot", "hefei", reissue=False)
    async with app.store.atomic() as tx:
        code = next(i.code for i in await tx.invites("hefei") if i.role == "submitter")
    response = await app.service.handle("newcomer", Command("start", code))
    said = [r.text for r in response.replies]
    joined = next(i for i, s in enumerate(said) if "已加入" in s)
    first_question = next(i for i, s in enumerate(said) if "第 1/14 步" in s)
    assert joined < first_question


async def test_a_preview_is_the_final_exporter_s_form_named_as_a_preview(app: App) -> None:
    await app.service.assign_unit("u1", "hefei")
    for answer in [*HAPPY_MEMBER, "/preview"]:
        response = await app.service.handle("u1", parse_text(answer))
    (made,) = response.files
    async with app.store.atomic() as tx:
        session = await tx.load_session("u1")
    assert session.draft is not None
    assert made.name == "预览-清朗网络共建行动-推荐表.docx"
    on = app.service.clock().astimezone(app.campaign.zone).date()
    assert parts(made.data) == parts(build_form_docx(session.draft.form, app.campaign, on=on))
    async with app.store.atomic() as tx:
        assert await tx.cases_of_owner("u1") == []  # a preview submits nothing
    for answer in ("/submit", "确认"):
        submitted = await app.service.handle("u1", parse_text(answer))
    (final,) = [f for f in submitted.files if f.name.endswith("推荐表.docx")]
    assert parts(final.data) == parts(made.data) and final.name != made.name  # the same form, another name


async def test_the_context_knows_the_days_left(app: App) -> None:
    async with app.store.atomic() as tx:
        session = await tx.load_session("u1")
    ctx = app.service.context(session)
    # the dialog is the submitters': its days are those left to the unit's submitters' cut-off
    cutoff = app.service.dates.for_unit(None).cutoff
    assert ctx.days_left == deadline.days_until(app.campaign, cutoff, ctx.now)


async def test_a_text_after_a_real_restart_is_asked_about_and_kept(settings: Settings) -> None:
    async with open_app(settings) as first:
        await first.service.assign_unit("u1", "hefei")
        for answer in HAPPY_MEMBER[:7]:
            await first.service.handle("u1", parse_text(answer))
        await first.service.handle("u1", Text(SUMMARY[:200]))
    async with open_app(settings) as second:
        resumed = await second.service.handle("u1", Command("start"))
        assert "请先选择：继续补充" in text(resumed)
        held = await second.service.handle("u1", Text("补充一句。"))
        assert "已保留" in text(held)
    async with open_app(settings) as third:
        await third.service.handle("u1", Text("继续补充"))
        async with third.store.atomic() as tx:
            session = await tx.load_session("u1")
    assert session.draft is not None and session.draft.form.summary == f"{SUMMARY[:200]}\n补充一句。"
