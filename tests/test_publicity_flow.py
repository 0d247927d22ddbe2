"""The publicity from the approved list to the final one, on a real SQLite file: the 公示 and its
notices, objections upheld and rejected, the final list, everyone told once, the consent to
pictures, and what the site and the 汇编 then hold."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.app import App
from bot.usecases.publicity import PublicityRefused
from bot.usecases.publicity.consent import give_consent, set_text
from bot.usecases.publicity.objections import (
    add_by_hand,
    add_objection,
    check_objection,
    decide_objection,
    finalise,
)
from bot.usecases.publicity.showcase import write_showcase
from bot.usecases.publicity.stages import announce, start_notice
from tests.publicity_data import LETTER, OBJECTOR, OBJECTOR_PHONE, by_user, cast, pending

ADMIN = "cli"


async def started(app: App, tmp_path: Path) -> list[int]:
    people = await cast(app)
    approved = people.ids[:3]  # the fourth case (亳州) was not selected by the panel
    async with app.store.atomic() as tx:
        await tx.record_approved_selection(approved, by="省委网信办 王处长")
    await start_notice(app.store, app.campaign, date(2024, 4, 3), 5, ADMIN, tmp_path / "notice")
    return people.ids


async def test_the_notice_records_the_period_writes_three_files_and_tells_each_person_once(
    app: App, tmp_path: Path
) -> None:
    ids = await started(app, tmp_path)
    async with app.store.atomic() as tx:
        state = await tx.publicity_state()
        assert await tx.publicity_list() == ids[:3]
    assert state is not None and (state.period.start, state.period.end) == (date(2024, 4, 3), date(2024, 4, 10))
    title = "关于2024年全省网络文明建设优秀案例拟入选名单的公示"
    assert sorted(p.name for p in (tmp_path / "notice").iterdir()) == sorted(
        f"{title}{s}" for s in (".docx", ".html", ".txt")
    )
    text = (tmp_path / "notice" / f"{title}.txt").read_text(encoding="utf-8")
    assert "2024年4月3日至2024年4月10日（5个工作日）" in text and "anhuiwlwm" not in text  # demo campaign's mailbox
    assert "casebot-demo@example.org" in text and "真实姓名" in text
    assert "“药都清风”" not in text and "“淮北好网民”网络正能量传播工程" in text

    told = by_user(await pending(app))
    assert sorted(told) == sorted(["tg:101", "tg:102", "wecom:sunjg", "tg:104", "tg:501", "wecom:wangm", "tg:503"])
    assert all(len(messages) == 1 for messages in told.values())
    assert "拟入选名单" in told["tg:101"][0] and "2024年4月3日至2024年4月10日" in told["tg:101"][0]
    assert "未列入" in told["tg:104"][0]
    assert "拟入选" in told["tg:501"][0] and "“指尖上的文明课堂”" in told["tg:501"][0]
    assert "未入选" in told["tg:503"][0]

    # the same command again (after a kill, say) rebuilds the files and tells no one twice
    again = await start_notice(app.store, app.campaign, date(2024, 4, 3), 5, ADMIN, tmp_path / "notice")
    assert again.told == 0 and len(await pending(app)) == 7
    with pytest.raises(PublicityRefused, match="公示已经开始"):
        await start_notice(app.store, app.campaign, date(2024, 4, 8), 5, ADMIN, tmp_path / "notice")


async def test_no_notice_without_an_approved_list(app: App, tmp_path: Path) -> None:
    await cast(app)
    with pytest.raises(PublicityRefused, match="报批审定"):
        await start_notice(app.store, app.campaign, date(2024, 4, 3), 5, ADMIN, tmp_path)
    with pytest.raises(PublicityRefused, match="2025年"):
        await start_notice(app.store, app.campaign, date(2025, 4, 3), 5, ADMIN, tmp_path)
    async with app.store.atomic() as tx:
        assert await tx.publicity_state() is None


async def test_an_upheld_objection_withdraws_a_case_a_rejected_one_does_not_and_final_waits(
    app: App, tmp_path: Path
) -> None:
    ids = await started(app, tmp_path)
    first, second, third = ids[:3]
    upheld = await add_objection(app.store, second, date(2024, 4, 8), OBJECTOR, OBJECTOR_PHONE, LETTER, ADMIN)
    rejected = await add_objection(app.store, third, date(2024, 4, 9), "钱七", "qian7@example.com", LETTER, ADMIN)
    with pytest.raises(PublicityRefused, match="不在公示期"):
        await add_objection(app.store, first, date(2024, 4, 11), "钱七", "139", LETTER, ADMIN)
    with pytest.raises(PublicityRefused, match="不在公示名单"):
        await add_objection(app.store, ids[3], date(2024, 4, 9), "钱七", "139", LETTER, ADMIN)

    with pytest.raises(PublicityRefused, match="公示期满后"):
        await finalise(app.store, app.campaign, date(2024, 4, 10), ADMIN)
    with pytest.raises(PublicityRefused, match=f"异议编号：{upheld}、{rejected}"):
        await finalise(app.store, app.campaign, date(2024, 4, 11), ADMIN)
    with pytest.raises(PublicityRefused, match="尚未核查"):
        await decide_objection(app.store, upheld, True, "经核查属实。", ADMIN)
    await check_objection(app.store, upheld, "调取志愿者注册台账，注册人数为2876人，与申报材料不符。", ADMIN)
    await decide_objection(app.store, upheld, True, "申报数据与实际不符，异议成立。", ADMIN)
    with pytest.raises(PublicityRefused, match="已处理"):
        await decide_objection(app.store, upheld, False, "改判。", ADMIN)
    await check_objection(app.store, rejected, "调取活动台账和媒体报道，数据有据可查。", ADMIN)
    with pytest.raises(PublicityRefused, match=f"异议编号：{rejected}"):
        await finalise(app.store, app.campaign, date(2024, 4, 11), ADMIN)
    await decide_objection(app.store, rejected, False, "所述情况与核查结果不符，异议不成立。", ADMIN)

    with pytest.raises(PublicityRefused, match="不能再列入"):
        await add_by_hand(app.store, second, "递补。", ADMIN)
    final, told = await finalise(app.store, app.campaign, date(2024, 4, 11), ADMIN)
    assert final == [first, third]  # nothing filled the gap by itself
    with pytest.raises(PublicityRefused, match="已经确定"):
        await finalise(app.store, app.campaign, date(2024, 4, 12), ADMIN)

    messages = by_user(await pending(app))
    assert len(messages["tg:101"]) == 2 and "正式入选" in messages["tg:101"][1]
    assert len(messages["tg:102"]) == 1  # withdrawn: told of the 公示 only
    assert len(messages["wecom:sunjg"]) == 2 and len(messages["wecom:wangm"]) == 2
    assert len(messages["tg:501"]) == 2 and "图片" in messages["tg:501"][1]  # asked about the pictures
    assert told == 4

    announced = await announce(app.store, app.campaign, date(2024, 4, 12), tmp_path / "announce")
    text = next(p for p in announced.paths if p.suffix == ".txt").read_text(encoding="utf-8")
    assert "关于2024年全省网络文明建设优秀案例名单的公布" in text
    assert "“清风e路”" in text and "“淮北好网民”" in text and "“指尖上的文明课堂”" not in text
    async with app.store.atomic() as tx:
        assert await tx.objector(upheld) == (OBJECTOR, OBJECTOR_PHONE)
        log = " ".join(" ".join(str(x) for x in entry) for entry in await tx.audit_log())
    assert OBJECTOR not in log and OBJECTOR_PHONE not in log  # the audit names the objection, not the person


async def test_a_case_added_by_hand_is_recorded_and_listed(app: App, tmp_path: Path) -> None:
    ids = await started(app, tmp_path)
    with pytest.raises(PublicityRefused, match="理由"):
        await add_by_hand(app.store, ids[3], " ", ADMIN)
    await add_by_hand(app.store, ids[3], "经评审委员会复议，报批同意增补。", ADMIN)
    final, _ = await finalise(app.store, app.campaign, date(2024, 4, 11), ADMIN)
    assert final == ids
    async with app.store.atomic() as tx:
        actions = [entry[2] for entry in await tx.audit_log(case_id=ids[3])]
    assert "publicity-add" in actions


async def test_only_a_coordinator_of_the_unit_consents_and_only_consented_pictures_are_shown(
    app: App, tmp_path: Path
) -> None:
    people = await cast(app)
    async with app.store.atomic() as tx:
        await tx.record_approved_selection(people.ids[:3], by="省委网信办")
    await start_notice(app.store, app.campaign, date(2024, 4, 3), 5, ADMIN, tmp_path / "n")
    first = people.ids[0]
    assert "尚未确定" in await give_consent(app.store, "tg:501", first, 1, True, False)
    await finalise(app.store, app.campaign, date(2024, 4, 11), ADMIN)
    assert "不是本单位" in await give_consent(app.store, "wecom:wangm", first, 1, True, False)
    assert "没有第 3 张" in await give_consent(app.store, "tg:501", first, 3, True, False)
    assert "同意公开" in await give_consent(app.store, "tg:501", first, 1, True, False)
    assert "不同意公开" in await give_consent(app.store, "tg:501", first, 2, False, False)
    # case 2's single picture: no answer at all, so it is not published either
    paths = await write_showcase(app.store, app.campaign, tmp_path / "site")
    pictures = sorted(p.name for p in paths if "pictures" in p.parts)
    assert pictures == [f"case-{first}-1.png"]
    # the unit changes its mind: the site written again holds no trace of the picture
    await give_consent(app.store, "tg:501", first, 1, False, False)
    paths = await write_showcase(app.store, app.campaign, tmp_path / "site")
    assert not [p for p in paths if "pictures" in p.parts] and not (tmp_path / "site" / "pictures").exists()


async def test_the_publication_text_replaces_the_forms_on_the_site_and_leaves_the_form(
    app: App, tmp_path: Path
) -> None:
    people = await cast(app)
    async with app.store.atomic() as tx:
        await tx.record_approved_selection(people.ids[:2], by="省委网信办")
    await start_notice(app.store, app.campaign, date(2024, 4, 3), 5, ADMIN, tmp_path / "n")
    await finalise(app.store, app.campaign, date(2024, 4, 11), ADMIN)
    pasted = (
        "蜀山区整合高校、企业、社区力量，开展网络文明志愿服务。\n"
        "一、背景意义\n辖区青年网民多，网络文明建设需要社会参与。\n"
        "二、主要做法\n组建志愿服务队伍42支。\n三、实施成效\n宣讲680余场。\n四、经验启示\n坚持党的领导。\n"
    )
    first = people.ids[0]
    text = await set_text(
        app.store, first, "清风e路：让网络文明志愿服务走进千家万户", pasted.encode(), "edited.txt", ADMIN
    )
    assert text.summary.startswith("蜀山区整合") and text.parts[1] == "组建志愿服务队伍42支。"
    await write_showcase(app.store, app.campaign, tmp_path / "site")
    page = (tmp_path / "site" / "cases" / f"case-{first}.html").read_text(encoding="utf-8")
    assert "清风e路：让网络文明志愿服务走进千家万户" in page and "组建志愿服务队伍42支。" in page
    assert "一、背景意义" in page
    async with app.store.atomic() as tx:
        case = await tx.case(first)
    assert case is not None and case.form.name == "“清风e路”网络文明志愿服务行动"  # the form is untouched
    with pytest.raises(PublicityRefused, match="不在入选名单"):
        await set_text(app.store, people.ids[3], "标题", None, "", ADMIN)


async def test_purge_waits_for_the_final_list_then_blanks_the_objectors(tmp_path: Path) -> None:
    import sqlite3
    from datetime import UTC, datetime

    from bot.app import open_app
    from bot.cli import purge
    from bot.cli.admin import Refused
    from bot.settings import Settings

    settings = Settings(campaign="2024", db=tmp_path / "db.sqlite3", out=tmp_path / "out", _env_file=None)
    async with open_app(settings) as app:
        app.service.clock = lambda: datetime(2024, 4, 20, 2, tzinfo=UTC)  # type: ignore[method-assign]
        ids = await started(app, tmp_path)
        await add_objection(app.store, ids[2], date(2024, 4, 9), OBJECTOR, OBJECTOR_PHONE, LETTER, ADMIN)
        await check_objection(app.store, 1, "调取活动台账，数据有据可查。", ADMIN)
        await decide_objection(app.store, 1, False, "异议不成立。", ADMIN)
        with pytest.raises(Refused, match="公示尚未结束"):
            await purge.purge(app)
        await finalise(app.store, app.campaign, date(2024, 4, 11), ADMIN)
        assert "公示异议人的姓名、联系方式和异议原文（核查情况和处理理由保留）：1 条" in await purge.purge_preview(app)
        await purge.purge(app)
        async with app.store.atomic() as tx:
            assert await tx.objector(1) == ("", "")
            assert [o.reason for o in await tx.objections()] == ["异议不成立。"]  # the record of it stays
            assert await tx.final_list() == ids[:3]
    with sqlite3.connect(settings.db) as raw:
        assert raw.execute("SELECT COUNT(*) FROM publicity_told").fetchone() == (0,)
        dump = "\n".join(raw.iterdump())
    assert OBJECTOR not in dump and OBJECTOR_PHONE not in dump


async def test_without_libreoffice_the_compilation_is_a_docx_whose_toc_has_no_numbers(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from docx import Document

    from bot.usecases.publicity import compilation

    ids = await started(app, tmp_path)
    await add_objection(app.store, ids[1], date(2024, 4, 8), OBJECTOR, OBJECTOR_PHONE, LETTER, ADMIN)
    await check_objection(app.store, 1, "核查属实。", ADMIN)
    await decide_objection(app.store, 1, True, "异议成立。", ADMIN)
    await finalise(app.store, app.campaign, date(2024, 4, 11), ADMIN)
    monkeypatch.setattr(compilation, "soffice_path", lambda: None)
    book = await compilation.write_compilation(app.store, app.campaign, tmp_path / "book", "2024年4月")
    assert book.pdf is None and book.docx.name == "2024年全省网络文明建设优秀案例汇编.docx"
    doc = Document(io.BytesIO(book.docx.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "\t" not in text and "“清风e路”网络文明志愿服务行动" in text
    assert "“指尖上的文明课堂”" not in text  # withdrawn by the upheld objection
    assert len(doc.inline_shapes) == 0  # no picture was consented to
