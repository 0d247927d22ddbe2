"""The 公示 and 公布 notices, the site's pages and the 汇编 as pure builders: what each holds."""

from __future__ import annotations

import io
from datetime import date
from html.parser import HTMLParser

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from dialogs.campaign import Campaign
from exporters.compilation_docx import build_compilation_docx
from exporters.notice_docx import build_notice_docx
from exporters.notice_plain import notice_html, notice_text
from exporters.publicity_notice import ListedCase, announcement, publicity_notice
from exporters.showcase_site import ShownCase, ShownPicture, Site, build_site, case_fragment
from exporters.web_pictures import web_picture
from tests.helpers import SAMPLE_BACKGROUND, SAMPLE_LESSONS, SAMPLE_PRACTICE, SAMPLE_RESULTS, SAMPLE_SUMMARY, make_image

NAMES = ("“清风e路”网络文明志愿服务行动", "“指尖上的文明课堂”青少年网络素养教育", "“淮北好网民”网络正能量传播工程")


def listed(campaign: Campaign) -> list[ListedCase]:
    cats = [c.name for c in campaign.categories]
    return [
        ListedCase(1, NAMES[0], "合肥市蜀山区委网信办", "合肥市委网信办", cats[5]),
        ListedCase(2, NAMES[1], "合肥市包河区教育体育局", "合肥市委网信办", cats[5]),
        ListedCase(3, NAMES[2], "淮北市委网信办", "淮北市委网信办", cats[2]),
    ]


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_notice_lists_every_case_by_category_with_the_period_and_where_to_object(campaign: Campaign) -> None:
    notice = publicity_notice(campaign, listed(campaign), date(2024, 4, 3), date(2024, 4, 10), 5, date(2024, 4, 3))
    assert notice.title == "关于2024年全省网络文明建设优秀案例拟入选名单的公示"
    text = docx_text(build_notice_docx(notice))
    for words in (
        *NAMES,
        "序号",
        "案例名称",
        "申报单位",
        "推荐单位",
        "2024年4月3日至2024年4月10日（5个工作日）",
        "省委网信办网络社会工作处",
        "0551—62606335",
        "anhuiwlwm@126.com",
        "真实姓名",
        "中共安徽省委网信办",
        "2024年4月3日",
    ):
        assert words in text, words
    # categories in the campaign's order, numbered through: 道德建设 before 文明创建
    plain = notice_text(notice)
    assert plain.index("一、网络空间道德建设（1个）") < plain.index("二、网络空间文明创建（2个）")
    assert "1. “淮北好网民”" in plain and "3. “指尖上的文明课堂”" in plain


def test_the_same_notice_gives_the_same_bytes(campaign: Campaign) -> None:
    make = lambda: build_notice_docx(  # noqa: E731
        publicity_notice(campaign, listed(campaign), date(2024, 4, 3), date(2024, 4, 10), 5, date(2024, 4, 3))
    )
    assert make() == make()


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("img", "meta", "link", "br"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    assert not tags.open, f"left open: {tags.open}"
    return tags


def test_the_fragment_for_a_cms_is_balanced_html_without_script_or_style_sheet(campaign: Campaign) -> None:
    notice = announcement(campaign, listed(campaign), date(2024, 4, 12), date(2024, 4, 10))
    html = notice_html(notice)
    tags = parsed(html)
    assert {t for t, _ in tags.tags} <= {"div", "h2", "h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td"}
    assert "关于2024年全省网络文明建设优秀案例名单的公布" in html and "经2024年4月10日公示期满" in html


@given(st.text(min_size=1, max_size=80))
def test_any_case_name_is_escaped_in_the_fragment(name: str) -> None:
    from bot.settings import load_campaign

    campaign = load_campaign("2024")
    case = ListedCase(1, name, "<申报>&单位", "合肥市委网信办", campaign.categories[0].name)
    parsed(notice_html(announcement(campaign, [case], date(2024, 4, 12), None)))


def shown(number: int, category: str, pictures: int = 1) -> ShownCase:
    parts = (
        ("一、背景意义", SAMPLE_BACKGROUND),
        ("二、主要做法", SAMPLE_PRACTICE),
        ("三、实施成效", SAMPLE_RESULTS),
        ("四、经验启示", SAMPLE_LESSONS),
    )
    pics = tuple(
        ShownPicture(web_picture(make_image("JPEG", (2400, 1600), "blue")), alt=f"图{n}的说明", caption=f"图{n}")
        for n in range(1, pictures + 1)
    )
    return ShownCase(
        number,
        f"{NAMES[number % 3]}（{number}）",
        category,
        "某区委网信办",
        "合肥市委网信办",
        SAMPLE_SUMMARY,
        parts,
        pics,
    )


SITE = Site(
    "2024年全省网络文明建设优秀案例",
    ("中共安徽省委网信办", "安徽省文明办"),
    (
        "网络空间思想引领",
        "网络空间文化培育",
        "网络空间道德建设",
        "网络空间行为规范",
        "网络空间生态治理",
        "网络空间文明创建",
    ),
)


def test_the_site_has_an_index_by_category_a_page_per_case_and_pictures_for_the_web() -> None:
    cases = [shown(1, "网络空间文明创建", 2), shown(2, "网络空间思想引领", 0), shown(3, "网络空间文明创建")]
    files = build_site(SITE, cases)
    assert sorted(files) == [
        "all.html",
        "cases/case-1.html",
        "cases/case-2.html",
        "cases/case-3.html",
        "index.html",
        "pictures/case-1-1.jpg",
        "pictures/case-1-2.jpg",
        "pictures/case-3-1.jpg",
        "style.css",
    ]
    index = files["index.html"].decode()
    assert index.index("网络空间思想引领") < index.index("网络空间文明创建") and "cases/case-2.html" in index
    for name, data in files.items():
        if name.endswith(".html"):
            page = data.decode()
            assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page and "<script" not in page
            for tag, attrs in parsed(page).tags:
                if tag == "img":
                    assert (attrs.get("alt") or "").strip(), name
    page = files["cases/case-1.html"].decode()
    for heading in ("案例简介", "一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示", "推荐单位"):
        assert heading in page
    from PIL import Image

    with Image.open(io.BytesIO(files["pictures/case-1-1.jpg"])) as picture:
        assert max(picture.size) == 1200 and not picture.getexif()


def test_a_cms_fragment_of_a_case_is_one_article_with_inline_style() -> None:
    fragment = case_fragment(shown(1, "网络空间文明创建"))
    tags = parsed(fragment)
    assert tags.tags[0][0] == "article" and "class=" not in fragment and "<script" not in fragment


def test_the_compilation_has_a_cover_a_toc_and_each_case_from_a_new_page() -> None:
    cases = [shown(1, "网络空间文明创建"), shown(2, "网络空间思想引领", 0), shown(3, "网络空间文明创建", 0)]
    data = build_compilation_docx(SITE, cases, year_month="2024年4月", pages={1: 7, 2: 3, 3: 11})
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "《2024年全省网络文明建设优秀案例汇编》"
    toc = texts.index("目\u3000\u3000录")
    assert texts[toc + 1] == "一、网络空间思想引领" and texts[toc + 2].endswith("\t3")
    assert (
        texts[toc + 3] == "二、网络空间文明创建" and texts[toc + 4].endswith("\t7") and texts[toc + 5].endswith("\t11")
    )
    starts = [p for p in doc.paragraphs if p.paragraph_format.page_break_before]
    assert [p.text for p in starts] == [cases[1].title, cases[0].title, cases[2].title]
    assert len(doc.inline_shapes) == 1
    unnumbered = Document(io.BytesIO(build_compilation_docx(SITE, cases, year_month="2024年4月", numbered=False)))
    assert "\t" not in "".join(p.text for p in unnumbered.paragraphs)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_small_picture_keeps_its_size_and_loses_its_metadata(fmt: str) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    Image.new("RGB", (640, 480), "red").save(buffer, fmt, exif=exif)
    out = web_picture(buffer.getvalue())
    assert (out.width, out.height) == (640, 480) and b"CameraMaker" not in out.data
