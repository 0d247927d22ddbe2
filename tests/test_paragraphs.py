"""Paragraphs as the author wrote them, from the chat to the printed 推荐表: a line break is a
paragraph, a separate message is a paragraph, nothing else splits one, and a heading sent with its
part is printed once."""

from __future__ import annotations

import datetime
import io

from docx import Document

from dialogs.campaign import Campaign
from exporters.form_docx import build_form_docx
from tests.helpers import HAPPY, Driver, fill

HEADINGS = ["一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示"]


def content_cell(driver: Driver, campaign: Campaign) -> list[str]:
    data = build_form_docx(driver.session.draft.form, campaign, on=datetime.date(2024, 3, 1))
    table = Document(io.BytesIO(data)).tables[-1]
    # the notice's own hint line (案例内容不超过 2000 字……) is printed in the cell as 附件1 has it
    return [p.text for p in table.cell(4, 1).paragraphs if p.text and not p.text.startswith("（案例内容不超过")]


def test_lines_and_messages_are_the_paragraphs_on_paper(driver: Driver, campaign: Campaign) -> None:
    fill(driver, HAPPY[:10])
    driver.send("一、背景意义\n第一段，一句很长的话，\n接着的第二段。")  # its own heading, then two lines
    driver.send("第三段，另发的一条。")
    driver.send("/next")
    driver.send("二、主要做法：一是建强队伍。二是打造品牌。")
    for answer in ("/next", "成效。", "/next", "启示。", "/next"):
        driver.send(answer)
    assert content_cell(driver, campaign) == [
        "一、背景意义",
        "第一段，一句很长的话，",
        "接着的第二段。",
        "第三段，另发的一条。",
        "二、主要做法",
        "一是建强队伍。二是打造品牌。",
        "三、实施成效",
        "成效。",
        "四、经验启示",
        "启示。",
    ]


def test_a_whole_content_pasted_at_once_prints_each_heading_once(driver: Driver, campaign: Campaign) -> None:
    fill(driver, HAPPY[:10])
    driver.send("一、背景意义\n甲一。\n甲二。\n二、主要做法\n乙。\n三、实施成效\n丙。\n四、经验启示\n丁。")
    driver.send("确认填入")
    cell = content_cell(driver, campaign)
    assert cell == [
        "一、背景意义",
        "甲一。",
        "甲二。",
        "二、主要做法",
        "乙。",
        "三、实施成效",
        "丙。",
        "四、经验启示",
        "丁。",
    ]
    assert all(cell.count(h) == 1 for h in HEADINGS)
