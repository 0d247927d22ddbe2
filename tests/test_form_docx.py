"""附件1《推荐表》: every answer lands in its cell, the fonts are Chinese fonts, nothing breaks it."""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from hypothesis import given
from hypothesis import strategies as st

from bot.disk.samples import sample_campaign, sample_form, sample_pictures
from dialogs.models import CaseForm, PictureRef
from exporters import phones
from exporters.cover_lines import width, wrap
from exporters.form_cover import COVER_LINE_EMS
from exporters.form_docx import (
    COVER_LABELS,
    PICTURE_MAX_HEIGHT,
    PICTURE_MAX_WIDTH,
    TABLE_LABELS,
    build_form_docx,
    content_hint,
    summary_hint,
)
from exporters.form_table import LABEL_WIDTH
from exporters.text import one_line, paragraphs

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def campaign():
    return sample_campaign()


@pytest.fixture(scope="module")
def pictures():
    return sample_pictures()


@pytest.fixture(scope="module")
def form(pictures) -> CaseForm:
    return sample_form(pictures)


@pytest.fixture(scope="module")
def data(form, campaign, pictures) -> bytes:
    return build_form_docx(form, campaign, pictures=[d for d, _ in pictures], on=datetime.date(2024, 3, 1))


@pytest.fixture(scope="module")
def doc(data):
    return Document(io.BytesIO(data))


def _xml(data: bytes, part: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(part).decode("utf-8")


def _cover(doc) -> dict[str, str]:
    """The cover lines as {label: value}, labels without the colon; a value printed on several
    ruled lines (rows without a label) is joined up."""
    cover: dict[str, str] = {}
    label = ""
    for row in doc.tables[0].rows:
        label = row.cells[0].text.rstrip("：:") or label
        cover[label] = cover.get(label, "") + row.cells[1].text
    return cover


def _rows_of(doc, label: str):
    """The cover rows of one line: the labelled row and the unlabelled rows under it."""
    rows = list(doc.tables[0].rows)
    start = next(i for i, row in enumerate(rows) if row.cells[0].text.startswith(label))
    end = next((i for i in range(start + 1, len(rows)) if rows[i].cells[0].text), len(rows))
    return rows[start:end]


def _plain(text: str) -> str:
    """Text without the zero-width joiners and breaks a 联系方式 carries."""
    return text.replace("\u200b", "").replace("\u2060", "")


def _form_table(doc):
    return doc.tables[-1]


def _text(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


# ---------------------------------------------------------------- fields in place


def test_sample_form_is_maximal(form, campaign):
    """The sample the layout tests and the benchmark use sits exactly at the notice's limits."""
    from dialogs.wordcount import count_zi

    assert count_zi(form.summary) == campaign.limits.summary_zi == 300
    assert sum(count_zi(part) for part in form.parts()) == campaign.limits.content_zi == 2000
    assert len(form.pictures) == campaign.limits.pictures_max == 2


def test_title_and_attachment_label(doc, campaign):
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "附件1"
    assert campaign.form_title in texts
    assert campaign.form_title == "2024年网络文明建设优秀案例推荐表"


def test_cover_lines_filled_in(doc, form):
    cover = _cover(doc)
    assert cover == {
        "案例名称": form.name,
        "申报单位": form.applicant,
        "申报类别": form.category,
        "推荐单位": "合肥市委网信办",  # the unit code shown as its name
    }


def _cover_text(doc) -> list[str]:
    """Every line of text on the cover, in order: paragraphs and the cover table's rows."""
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text:
                lines.append(text)
            if any(br.get(qn("w:type")) == "page" for br in child.iter(qn("w:br"))):
                return lines
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                lines.append("".join(t.text or "" for t in tr.iter(qn("w:t"))))
    raise AssertionError("the cover has no page break")


def test_cover_is_exactly_the_four_lines_and_the_date_line(doc, form):
    """附件1: 附件1, the title, 案例名称/申报单位/申报类别/推荐单位, "2024 年  月  日": nothing else."""
    assert _cover_text(doc) == [
        "附件1",
        "2024年网络文明建设优秀案例推荐表",
        f"案例名称：{form.name}",
        f"申报单位：{form.applicant}",
        f"申报类别：{form.category}",
        "推荐单位：合肥市委网信办",
        "2024 年\u3000\u3000\u3000月\u3000\u3000\u3000日",
    ]
    assert COVER_LABELS == ("案例名称", "申报单位", "申报类别", "推荐单位")


def test_cover_labels_set_alike_and_rules_of_one_weight(doc):
    rows = doc.tables[0].rows
    assert {row.cells[0].paragraphs[0].alignment for row in rows} == {WD_ALIGN_PARAGRAPH.DISTRIBUTE}
    assert {len(row.cells[0].text) for row in rows} == {5}  # four 字 and the colon
    weights = {
        (b.get(qn("w:val")), b.get(qn("w:sz"))) for row in rows for b in row.cells[1]._tc.tcPr.iter(qn("w:bottom"))
    }
    assert weights == {("single", "6")}


@pytest.mark.parametrize("on", [None, datetime.date(2024, 3, 1), datetime.date(2023, 12, 31)])
def test_generation_date_and_period_never_printed(campaign, form, on):
    form = form.model_copy(update={"period": "2019-07"})
    document = _xml(build_form_docx(form, campaign, on=on), "word/document.xml")
    for absent in ("开展实施时间", "2019年7月", "2019-07", "3 月 1 日", "12 月 31 日"):
        assert absent not in document, absent


def test_table_shape_follows_the_notice(doc):
    table = _form_table(doc)
    labels = [row.cells[0].text for row in table.rows]
    assert labels == list(TABLE_LABELS)
    assert labels == ["案例名称", "申报类别", "联系人", "案例简介", "案例内容", "申报单位意见", "推荐单位意见"]
    assert table.cell(1, 2).text == "推荐单位"
    assert table.cell(2, 2).text == "联系方式"
    for row in (0, 3, 4, 5, 6):  # the value spans the three right-hand columns
        assert table.cell(row, 1)._tc is table.cell(row, 3)._tc
        assert table.cell(row, 1)._tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "3"
    for row in (1, 2):
        assert len({id(c._tc) for c in table.rows[row].cells}) == 4


def test_short_fields_in_their_cells(doc, form):
    table = _form_table(doc)
    assert table.cell(0, 1).text == form.name
    assert table.cell(1, 1).text == form.category
    assert table.cell(1, 3).text == "合肥市委网信办"
    assert table.cell(2, 1).text == form.contact
    assert _plain(table.cell(2, 3).text) == form.phone


def test_summary_cell_keeps_every_line_under_the_notice_hint(doc, form):
    assert _text(_form_table(doc).cell(3, 1)) == ["（案例简介不超过 300 字）", *paragraphs(form.summary)]


def test_hints_worded_as_the_notice_with_the_campaign_numbers(campaign):
    assert summary_hint(campaign) == "（案例简介不超过 300 字）"
    assert content_hint(campaign) == "（案例内容不超过 2000 字，可附 1-2 张图片资料，可以附件形式提交。）"
    no_pictures = campaign.model_copy(update={"limits": campaign.limits.model_copy(update={"pictures_max": 0})})
    assert content_hint(no_pictures) == "（案例内容不超过 2000 字，可以附件形式提交。）"


def test_content_cell_has_the_four_parts_in_order_then_the_hint(doc, form, campaign):
    expected = []
    for heading, text in zip(
        ("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示"), form.parts(), strict=False
    ):
        expected += [heading, *paragraphs(text)]
    texts = _text(_form_table(doc).cell(4, 1))
    assert texts[: len(expected)] == expected
    assert texts[-1] == content_hint(campaign)  # the hint closes the cell, after the pictures


def test_opinion_rows_leave_room_to_sign(doc):
    table = _form_table(doc)
    for row in (5, 6):
        texts = [t.strip() for t in _text(table.cell(row, 1))]
        assert texts[0] == "签名："
        assert "（单位公章）" in texts
        assert re.sub(r"\s", "", texts[-1]) == "年月日"
        tr = table.rows[row]
        assert tr._tr.trPr.find(qn("w:cantSplit")) is not None
        # what the three lines at the foot take (exact 24 pt each, and their spacing) leaves ≥ 45 mm above
        foot = sum(Pt(24) + (p.paragraph_format.space_after or 0) for p in table.cell(row, 1).paragraphs)
        assert tr.height - foot >= Mm(45)
    # the first row keeps with the second, as Word keeps table rows together
    assert all(p.paragraph_format.keep_with_next for p in table.cell(5, 1).paragraphs)


@pytest.mark.parametrize("label", ["申报单位意见", "推荐单位意见", "案例名称", "联系方式"])
def test_each_label_fits_its_column_on_one_line(doc, label):
    table = _form_table(doc)
    cell = next(c for row in table.rows for c in row.cells if c.text == label)
    margins = cell._tc.tcPr.find(qn("w:tcMar"))
    side = sum(int(margins.find(qn(f"w:{edge}")).get(qn("w:w"))) for edge in ("left", "right"))  # twips
    [run] = cell.paragraphs[0].runs
    width = len(label) * run.font.size.pt * 20  # 黑体 characters are one em wide
    assert width <= int(LABEL_WIDTH / 635) - side, (label, run.font.size.pt)
    assert run.font.size.pt >= 12  # 小四 at the least


PHONES = [
    ("0551-62606335、13812345678", ["0551-62606335、", "13812345678"]),
    ("0551-62606335转8001、13812345678", ["0551-62606335转8001、", "13812345678"]),
    ("0551-62606335（办）、13812345678、010-62345678", ["0551-62606335（办）、", "13812345678、", "010-62345678"]),
    ("13812345678", ["13812345678"]),
]


@pytest.mark.parametrize(("phone", "numbers"), PHONES)
def test_a_phone_number_offers_no_break_but_after_its_enumeration_comma(campaign, phone, numbers):
    """Word, WPS and LibreOffice break a line at "-" and beside a Chinese character; in the 联系方式
    cell hyphens are Word's non-breaking hyphen, a word joiner stands beside every Chinese
    character or bracket, and a zero-width break follows each 、."""
    doc = Document(io.BytesIO(build_form_docx(CaseForm(phone=phone), campaign)))
    cell = _form_table(doc).cell(2, 3)
    [paragraph] = cell.paragraphs
    assert _plain(paragraph.text) == phone
    xml = paragraph._p.xml
    assert xml.count("<w:noBreakHyphen/>") == phone.count("-")
    texts = "".join(t.text for t in paragraph._p.iter(qn("w:t")))
    assert "-" not in texts
    pieces = texts.split("\u200b")
    assert [piece.replace("\u2060", "") for piece in pieces] == [n.replace("-", "") for n in numbers]
    for piece in pieces:
        body = piece.replace("\u2060", "")
        for left, right in zip(body, body[1:], strict=False):  # every neighbour of a non-ASCII character is joined
            if not (left.isascii() and right.isascii()) and right != "、":  # no line starts with 、 anyway
                assert f"{left}\u2060{right}" in piece, (left, right)


@pytest.mark.parametrize("length", [30, 45, 60])
def test_a_long_case_name_is_ruled_on_every_line_with_the_label_at_the_first(campaign, length):
    name = ("“清风e路”网络文明志愿服务行动暨全省网络文明进社区、进校园、进企业、进网站系列活动" * 2)[:length]
    doc = Document(io.BytesIO(build_form_docx(CaseForm(name=name, applicant="合肥市蜀山区委网信办"), campaign)))
    rows = _rows_of(doc, "案例名称")
    least = math.ceil(width(name) / COVER_LINE_EMS)
    assert least <= len(rows) <= least + 1  # one more at most, where a mark may not start a line
    assert "".join(row.cells[1].text for row in rows) == name
    assert rows[0].cells[0].text == "案例名称："
    for row in rows:
        assert width(row.cells[1].text) <= COVER_LINE_EMS  # each line fits its rule in any of the fonts
        rule = row.cells[1]._tc.tcPr.find(qn("w:tcBorders")).find(qn("w:bottom"))
        assert (rule.get(qn("w:val")), rule.get(qn("w:sz"))) == ("single", "6")
        assert row.cells[0]._tc.tcPr.find(qn("w:vAlign")).get(qn("w:val")) == "bottom"
    assert all(not row.cells[0].text for row in rows[1:])
    assert _cover(doc)["申报单位"] == "合肥市蜀山区委网信办"


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("网" * 16 + "，" + "络" * 4, ["网" * 15, "网，" + "络" * 4]),  # a comma never starts a line
        ("网" * 15 + "“清风”", ["网" * 15, "“清风”"]),  # an opening quote never ends one
        ("网" * 14 + "ABCDEF", ["网" * 14, "ABCDEF"]),  # a Latin word is not cut
        ("", [""]),
    ],
)
def test_cover_lines_keep_the_chinese_line_breaking_rules(text, lines):
    assert wrap(text, 16) == lines


def test_long_rows_may_break_across_pages(doc):
    table = _form_table(doc)
    for row in (3, 4):
        trpr = table.rows[row]._tr.trPr
        assert trpr is None or trpr.find(qn("w:cantSplit")) is None


def test_label_cells_centred_both_ways(doc):
    table = _form_table(doc)
    for row in table.rows:
        cell = row.cells[0]
        assert cell._tc.tcPr.find(qn("w:vAlign")).get(qn("w:val")) == "center"
        assert cell.paragraphs[0].alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER


def test_unknown_unit_code_shown_as_given(campaign):
    doc = Document(io.BytesIO(build_form_docx(CaseForm(unit="某省直单位"), campaign)))
    assert _form_table(doc).cell(1, 3).text == "某省直单位"
    assert _cover(doc)["推荐单位"] == "某省直单位"


# ---------------------------------------------------------------- fonts, language, page


def test_east_asian_font_is_the_default(data):
    styles = _xml(data, "word/styles.xml")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles).group(0)
    assert 'w:eastAsia="仿宋_GB2312"' in defaults
    assert 'w:ascii="Times New Roman"' in defaults and 'w:hAnsi="Times New Roman"' in defaults
    assert "Theme" not in defaults  # theme fonts would override the named ones
    assert re.search(r'<w:lang [^>]*w:eastAsia="zh-CN"', defaults)


def test_every_body_run_names_its_chinese_font(data):
    document = _xml(data, "word/document.xml")
    fonts = re.findall(r'<w:rFonts [^>]*w:eastAsia="([^"]+)"', document)
    assert set(fonts) <= {"仿宋_GB2312", "黑体", "方正小标宋简体"}
    assert fonts.count("仿宋_GB2312") > 20
    # quotes and dashes shared by both scripts are set in the Chinese font
    assert len(re.findall(r'<w:rFonts [^>]*w:hint="eastAsia"', document)) == len(fonts)


def test_headings_title_and_labels_fonts(doc):
    def east(run):
        return run._r.rPr.rFonts.get(qn("w:eastAsia"))

    title = next(p for p in doc.paragraphs if p.text.endswith("推荐表"))
    assert east(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22
    assert east(doc.paragraphs[0].runs[0]) == "黑体"  # 附件1
    content = _form_table(doc).cell(4, 1)
    headings = [
        p for p in content.paragraphs if p.text in ("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示")
    ]
    assert len(headings) == 4
    assert all(east(p.runs[0]) == "黑体" for p in headings)
    body = next(p for p in content.paragraphs if p.text.startswith("党的二十大"))
    assert east(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0]._r.rPr.rFonts.get(qn("w:ascii")) == "Times New Roman"


def test_page_is_a4_with_official_margins(doc):
    for section in doc.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.1)
        assert abs(section.page_height - Mm(297)) < Mm(0.1)
        assert abs(section.top_margin - Mm(37)) < Mm(0.1)
        assert abs(section.bottom_margin - Mm(35)) < Mm(0.1)
        assert abs(section.left_margin - Mm(28)) < Mm(0.1)
        assert abs(section.right_margin - Mm(26)) < Mm(0.1)


# ---------------------------------------------------------------- pictures


def test_pictures_embedded_with_captions(data, doc, form, campaign):
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]
    assert len(media) == 2
    texts = _text(_form_table(doc).cell(4, 1))
    before_hint = texts[texts.index(paragraphs(form.lessons)[-1]) + 1 :]
    # each picture with its caption on a line of the same paragraph, so they share a page; then the hint
    assert before_hint == [f"\n{form.pictures[0].caption}", f"\n{form.pictures[1].caption}", content_hint(campaign)]
    for paragraph in _form_table(doc).cell(4, 1).paragraphs:
        if paragraph._p.xpath(".//w:drawing"):
            assert paragraph.paragraph_format.keep_together


def test_pictures_fit_the_cell_and_keep_their_shape(doc, pictures):
    shapes = doc.inline_shapes
    assert len(shapes) == 2
    for shape, (_, ref) in zip(shapes, pictures, strict=False):
        assert shape.width <= PICTURE_MAX_WIDTH and shape.height <= PICTURE_MAX_HEIGHT
        assert abs(shape.width / shape.height - ref.width / ref.height) < 0.01


def test_tall_picture_capped_in_height(campaign):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 3000), "red").save(buffer, "PNG")
    doc = Document(io.BytesIO(build_form_docx(CaseForm(), campaign, pictures=[buffer.getvalue()])))
    shape = doc.inline_shapes[0]
    assert shape.height <= PICTURE_MAX_HEIGHT
    assert abs(shape.width * 10 - shape.height) < shape.height * 0.01


def test_small_picture_not_blown_up(campaign):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (100, 50), "blue").save(buffer, "PNG", dpi=(96, 96))
    doc = Document(io.BytesIO(build_form_docx(CaseForm(), campaign, pictures=[buffer.getvalue()])))
    shape = doc.inline_shapes[0]
    assert abs(shape.width - Mm(100 / 96 * 25.4)) < Mm(0.5)
    assert abs(shape.height - Mm(50 / 96 * 25.4)) < Mm(0.5)


def test_picture_without_caption_adds_no_caption_line(campaign, pictures):
    ref = pictures[0][1].model_copy(update={"caption": ""})
    doc = Document(io.BytesIO(build_form_docx(CaseForm(pictures=[ref]), campaign, pictures=[pictures[0][0]])))
    texts = _text(_form_table(doc).cell(4, 1))
    assert texts[-2:] == ["", content_hint(campaign)]  # the picture's own paragraph, then the hint
    assert len(doc.inline_shapes) == 1


def test_unreadable_picture_is_noted_not_fatal(campaign):
    ref = PictureRef(sha256="0" * 64, mime="image/png", width=1, height=1, size=4, caption="图")
    data = build_form_docx(CaseForm(pictures=[ref]), campaign, pictures=[b"not a picture"])
    texts = _text(_form_table(Document(io.BytesIO(data))).cell(4, 1))
    assert "（图片1无法嵌入，请另附。）\n图" in texts


# ---------------------------------------------------------------- hostile and missing text


def test_draft_with_nothing_answered_builds(campaign):
    doc = Document(io.BytesIO(build_form_docx(CaseForm(), campaign)))
    table = _form_table(doc)
    assert table.cell(0, 1).text == ""
    assert _text(table.cell(3, 1)) == [summary_hint(campaign)]  # the hint alone, room to write
    assert _text(table.cell(4, 1)) == [
        "一、背景意义",
        "二、主要做法",
        "三、实施成效",
        "四、经验启示",
        content_hint(campaign),
    ]
    assert set(_cover(doc).values()) == {""}


HOSTILE = "A\x00B\x01\x08\x0e\x1f\x7f\x9fC\ud800D\udfffE\ufffeF\uffffG"


def test_characters_xml_cannot_hold_are_removed(campaign):
    # model_construct: pydantic itself refuses lone surrogates, but a builder must not rely on it
    form = CaseForm.model_construct(name=HOSTILE, summary=HOSTILE, background=HOSTILE, contact=HOSTILE, pictures=[])
    doc = Document(io.BytesIO(build_form_docx(form, campaign)))
    table = _form_table(doc)
    assert table.cell(0, 1).text == "ABCDEFG"
    assert table.cell(2, 1).text == "ABCDEFG"
    assert _text(table.cell(3, 1))[1:] == ["ABCDEFG"]
    assert "ABCDEFG" in _text(table.cell(4, 1))
    assert _cover(doc)["案例名称"] == "ABCDEFG"


def test_vertical_tab_and_form_feed_are_line_breaks(campaign):
    form = CaseForm(name="甲\x0b乙", summary="甲\x0b乙\x0c丙\x85丁")
    doc = Document(io.BytesIO(build_form_docx(form, campaign)))
    assert _form_table(doc).cell(0, 1).text == "甲 乙"  # a name stays on one line
    assert _text(_form_table(doc).cell(3, 1))[1:] == ["甲", "乙", "丙", "丁"]


def test_emoji_zero_width_and_tabs_survive(campaign):
    text = "网络👨‍👩‍👧文明\u200b建设\u200d\tTab\u3000全角 ＡＢＣ ①②"
    form = CaseForm(name=text, summary=text, practice=text)
    doc = Document(io.BytesIO(build_form_docx(form, campaign)))
    table = _form_table(doc)
    assert "👨‍👩‍👧" in table.cell(0, 1).text
    summary = _text(table.cell(3, 1))[1:][0]
    assert summary == text  # tabs and zero-width characters included
    assert text in _text(table.cell(4, 1))


def test_line_breaks_become_paragraphs(campaign):
    form = CaseForm(summary="第一段\r\n第二段\r第三段\n\n\n　　第四段\u2028第五段")
    doc = Document(io.BytesIO(build_form_docx(form, campaign)))
    assert _text(_form_table(doc).cell(3, 1))[1:] == ["第一段", "第二段", "第三段", "第四段", "第五段"]


def test_ten_thousand_characters_everywhere(campaign):
    long = ("网络文明建设😀\u200b" * 1000)[:10_000]
    form = CaseForm(
        name=long,
        applicant=long,
        category=long,
        unit=long,
        period=long,
        contact=long,
        phone=long,
        summary=long,
        background=long,
        practice=long,
        results=long,
        lessons=long,
    )
    doc = Document(io.BytesIO(build_form_docx(form, campaign)))
    table = _form_table(doc)
    assert table.cell(0, 1).text == long
    assert _text(table.cell(3, 1))[1:] == [long]
    assert _text(table.cell(4, 1)).count(long) == 4


def test_non_string_values_do_not_raise(campaign):
    form = CaseForm.model_construct(name=12345, summary=None, unit=None, pictures=[])
    doc = Document(io.BytesIO(build_form_docx(form, campaign)))
    assert _form_table(doc).cell(0, 1).text == "12345"


def test_builder_is_pure_and_repeatable(form, campaign, pictures):
    blobs = [d for d, _ in pictures]
    first = build_form_docx(form, campaign, pictures=blobs, on=datetime.date(2024, 3, 1))
    second = build_form_docx(form, campaign, pictures=blobs, on=datetime.date(2024, 3, 1))
    assert _xml(first, "word/document.xml") == _xml(second, "word/document.xml")


def test_every_style_the_form_names_is_defined_and_no_other(data):
    """The page is prepared from python-docx's template slimmed to the styles the form uses: a style
    removed that a paragraph still names would silently fall back to Normal in Word."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        used = set()
        for name in names:
            if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
                used |= set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', archive.read(name).decode()))
        styles = archive.read("word/styles.xml").decode()
    defined = set(re.findall(r'w:styleId="([^"]+)"', styles))
    assert used and used <= defined
    assert {"Normal", "TableNormal", "DefaultParagraphFont", "NoList"} <= defined  # the defaults Word falls back to
    assert len(defined) < 20, "the template's 164 styles, parsed and compressed for every form"
    assert "word/stylesWithEffects.xml" not in names
    assert not [n for n in names if "thumbnail" in n.lower()]
    assert '<w:rFonts w:ascii="Times New Roman"' in styles and 'w:eastAsia="仿宋_GB2312"' in styles


# ---------------------------------------------------------------- page numbers (GB/T 9704)


def _footers(data: bytes) -> dict[str, str]:
    """{"default"|"even"|"first": footer XML}, following the section's references."""
    document = _xml(data, "word/document.xml")
    rels = _xml(data, "word/_rels/document.xml.rels")
    found = {}
    for kind, rid in re.findall(r'<w:footerReference w:type="(\w+)" r:id="(\w+)"', document):
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rid}"', rels
        )
        found[kind] = _xml(data, f"word/{target.group(1)}")
    return found


def test_page_numbers_alternate_sides(data):
    """Odd pages "— N —" on the right, even pages on the left, one 字 in; none on the cover."""
    assert re.search(r'<w:evenAndOddHeaders(?: w:val="(?:1|true)")?\s*/>', _xml(data, "word/settings.xml"))
    footers = _footers(data)
    assert set(footers) == {"default", "even", "first"}
    for kind, side, jc in (("default", "right", "right"), ("even", "left", "left")):
        xml = footers[kind]
        assert f'<w:jc w:val="{jc}"/>' in xml, kind
        assert re.search(rf'<w:ind w:{side}="280"/>', xml), kind  # 14 pt = one 4号 字
        assert re.search(r'<w:fldSimple w:instr=" PAGE ">', xml), kind
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
        assert text == "— 1 —", kind  # the field's cached value; Word and LibreOffice recompute it
        fonts = set(re.findall(r'<w:rFonts w:ascii="([^"]+)" w:hAnsi="[^"]+" w:eastAsia="([^"]+)"', xml))
        assert fonts == {("宋体", "宋体")}, kind  # half-width 宋体 digits
        assert set(re.findall(r'<w:sz w:val="(\d+)"/>', xml)) == {"28"}, kind  # 4号
    assert "PAGE" not in footers["first"]


@given(st.text(alphabet=st.sampled_from("网络文明ABCabc123，。、“”（）《》 -"), max_size=80))
def test_cover_lines_lose_nothing_and_fit_their_rule(text):
    lines = wrap(text, COVER_LINE_EMS)
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert all(width(line) <= COVER_LINE_EMS for line in lines)


def test_short_values_are_set_flush_left(doc):
    """Justified, the first line of "0551-62606335、13812345678" would be spaced out up to its 、."""
    table = _form_table(doc)
    for row, column in ((1, 1), (1, 3), (2, 1), (2, 3)):
        assert table.cell(row, column).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


@given(st.text(alphabet=st.sampled_from("0123456789-、转（办） x"), max_size=60))
def test_phone_items_lose_nothing(text):
    pieces = phones.items(text)
    assert "".join(pieces) == one_line(text)
    assert all(piece.count("、") <= 1 and (piece.endswith("、") or piece is pieces[-1]) for piece in pieces)
    for piece in pieces:
        assert phones.glued(piece).replace("\u2060", "").replace("\u00a0", " ") == piece
