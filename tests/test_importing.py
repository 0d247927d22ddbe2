"""A case already written in Word: our own 推荐表 read back field for field, a form made by hand in
another layout, a plain document split at its four headings, and every bad file refused unharmed."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document as WordDocument
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.disk.samples import sample_campaign, sample_form, sample_pictures
from bot.reading.word_form import MAX_BYTES, Layout, ReadForm, Refusal, Refused, read_form
from dialogs.events import Document
from dialogs.headings import by_paragraphs as split_parts
from dialogs.importing import paste_instead, refused_by_name
from dialogs.models import PARTS, CaseForm, Step
from dialogs.session import Pending
from dialogs.wordcount import count_zi
from exporters.form_docx import PART_HEADINGS, build_form_docx
from tests.helpers import Driver, make_image

PARAGRAPH = "全县组建网络文明志愿者队伍，开展网络素养进社区、进校园活动，引导网民文明上网、理性表达。"


def docx_bytes(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


@pytest.fixture(scope="module")
def ours() -> tuple[CaseForm, bytes]:
    pictures = sample_pictures()
    form = sample_form(pictures)
    return form, build_form_docx(form, sample_campaign(), pictures=[d for d, _ in pictures])


def hand_made() -> bytes:
    """A 推荐表 typed by an office: one two-column table, labels spaced out, hints kept, headings inline."""
    doc = WordDocument()
    doc.add_paragraph("附件1")
    doc.add_paragraph("2024年网络文明建设优秀案例推荐表")
    table = doc.add_table(rows=0, cols=2)
    rows = [
        ("案 例 名 称", "“指尖上的文明”县域网络文明志愿服务"),
        ("申 报 单 位", "某县委网信办"),
        ("申报类别：", "网络空间生态治理"),
        ("推 荐 单 位", "合肥市委网信办"),
        ("联  系  人", "王芳"),
        ("联系电话", "0551-62606335（办）、13812345678"),
        ("案例简介", "（案例简介不超过 300 字）\n" + PARAGRAPH * 2),
        (
            "案例内容",
            "\n".join(
                [
                    "（一）背景及意义：" + PARAGRAPH,
                    PARAGRAPH,
                    "（二）主要做法",
                    "一是建强队伍。" + PARAGRAPH,
                    "二是搭建平台。" + PARAGRAPH,
                    "（三）实施成效",
                    PARAGRAPH * 2,
                    "（四）经验与启示",
                    PARAGRAPH,
                    "（案例内容不超过 2000 字，可附 1-2 张图片资料，可以附件形式提交。）",
                ]
            ),
        ),
        ("申报单位意见", "签名："),
    ]
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        lines = value.split("\n")
        cells[1].text = lines[0]
        for line in lines[1:]:
            cells[1].add_paragraph(line)
    return docx_bytes(doc)


def plain(headings: tuple[str, ...] = ("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示")) -> bytes:
    doc = WordDocument()
    doc.add_paragraph("关于“指尖上的文明”志愿服务行动的材料")
    for heading in headings:
        doc.add_paragraph(heading)
        doc.add_paragraph(PARAGRAPH)
        doc.add_paragraph("1. " + PARAGRAPH)
    return docx_bytes(doc)


# -- reading --------------------------------------------------------------------------------------------------


def test_our_own_form_reads_back_field_for_field(ours: tuple[CaseForm, bytes]) -> None:
    form, data = ours
    read = read_form(data, "推荐表.docx")
    assert isinstance(read, ReadForm) and read.layout is Layout.FORM
    assert read.headings_missing == () and read.left_out == 0 and read.pictures == 2
    printed = [s for s in Step if s not in (Step.UNIT, Step.PERIOD, Step.PICTURES, Step.REVIEW)]
    assert {s: read.fields[s] for s in printed} == {s: form.value(s) for s in printed}
    assert read.fields[Step.UNIT] == "合肥市委网信办"  # the form prints the unit's name


def test_a_hand_made_form_in_another_layout_fills_every_field() -> None:
    read = read_form(hand_made(), "去年的推荐表.docx")
    assert isinstance(read, ReadForm) and read.layout is Layout.FORM
    fields = read.fields
    assert fields[Step.NAME] == "“指尖上的文明”县域网络文明志愿服务"
    assert fields[Step.APPLICANT] == "某县委网信办" and fields[Step.CATEGORY] == "网络空间生态治理"
    assert fields[Step.CONTACT] == "王芳" and fields[Step.PHONE] == "0551-62606335（办）、13812345678"
    assert fields[Step.SUMMARY] == PARAGRAPH * 2  # the notice's hint is not part of the answer
    assert fields[Step.BACKGROUND] == PARAGRAPH + "\n" + PARAGRAPH  # the inline heading's text is kept
    assert fields[Step.PRACTICE].startswith("一是建强队伍。") and "\n二是搭建平台。" in fields[Step.PRACTICE]
    assert fields[Step.LESSONS] == PARAGRAPH  # the closing hint is dropped
    assert Step.PERIOD not in fields


def test_a_plain_document_is_split_at_its_four_headings() -> None:
    read = read_form(plain(), "材料.docx")
    assert isinstance(read, ReadForm) and read.layout is Layout.PLAIN
    assert [read.fields[p] for p in PARTS] == [f"{PARAGRAPH}\n1. {PARAGRAPH}"] * 4  # sub-numbering stays inside
    assert read.left_out == len("关于“指尖上的文明”志愿服务行动的材料")  # the title is reported, not dropped silently


def test_a_plain_document_missing_a_heading_is_not_split() -> None:
    read = read_form(plain(("一、背景意义", "二、主要做法", "四、经验启示")), "材料.docx")
    assert isinstance(read, ReadForm)
    assert read.fields == {} and read.headings_missing == (Step.RESULTS,)


@pytest.mark.parametrize(
    ("text", "step", "rest"),
    [
        *((heading, step, "") for step, heading in PART_HEADINGS.items()),
        ("（一）背景及意义：网络文明", Step.BACKGROUND, "网络文明"),
        ("第二部分 主要做法", Step.PRACTICE, ""),
        ("３．实施成效", Step.RESULTS, ""),
        ("经验与启示", Step.LESSONS, ""),
        ("四、经验启示。一是坚持", Step.LESSONS, "一是坚持"),
    ],
)
def test_headings_in_their_usual_styles(text: str, step: Step, rest: str) -> None:
    parts, missing, _ = split_parts([text, "正文。"])
    assert parts == {step: f"{rest}\n正文。" if rest else "正文。"}


@pytest.mark.parametrize("line", ["背景意义重大，必须抓好。", "一是主要做法要创新。", "（一）建强队伍"])
def test_sentences_and_sub_numbering_are_not_headings(line: str) -> None:
    assert split_parts([line])[0] == {}


# -- refusing ------------------------------------------------------------------------------------------------


def _rezip(data: bytes, extra: dict[str, bytes], types: tuple[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if types and item.filename == "[Content_Types].xml":
                body = body.replace(types[0].encode(), types[1].encode())
            target.writestr(item, body)
        for name, body in extra.items():
            target.writestr(name, body)
    return out.getvalue()


def bad_files() -> list[tuple[str, bytes, str, Refusal]]:
    good = plain()
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
    return [
        ("zip bomb", _rezip(good, {"word/media/pad.bin": bytes(80 * 1024 * 1024)}), "案例.docx", Refusal.BOMB),
        ("one part", _rezip(good, {"word/embeddings/x.bin": bytes(8 * 1024 * 1024)}), "案例.docx", Refusal.BOMB),
        ("macro", _rezip(good, {"word/vbaProject.bin": b"VBA"}, (main, macro)), "案例.docx", Refusal.MACRO),
        ("docm", good, "案例.docm", Refusal.MACRO),
        ("100 MB", b"PK\x03\x04" + bytes(100 * 1024 * 1024), "案例.docx", Refusal.TOO_BIG),
        (".doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "案例.doc", Refusal.OLD_WORD),
        (".wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "案例.wps", Refusal.OLD_WORD),
        (".doc renamed", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "案例.docx", Refusal.OLD_WORD),
        (".pdf", b"%PDF-1.7\n" + bytes(100), "案例.pdf", Refusal.PDF),
        ("cut short", good[: len(good) // 2], "案例.docx", Refusal.BROKEN),
        ("text", "案例名称：清朗".encode(), "案例.docx", Refusal.BROKEN),
        ("picture", make_image("PNG"), "现场.png", Refusal.NOT_WORD),
    ]


@pytest.mark.parametrize(("kind", "data", "name", "reason"), bad_files(), ids=[b[0] for b in bad_files()])
def test_bad_files_are_refused_before_they_are_opened(kind: str, data: bytes, name: str, reason: Refusal) -> None:
    assert read_form(data, name) == Refused(reason)


def test_the_size_cap_is_what_a_filled_form_needs(ours: tuple[CaseForm, bytes]) -> None:
    assert len(ours[1]) < MAX_BYTES // 4


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from(["a.docx", "a.doc", "", "a.pdf", "a.png"]))
def test_no_bytes_make_the_reader_raise(data: bytes, name: str) -> None:
    for blob in (data, b"PK\x03\x04" + data):
        assert isinstance(read_form(blob, name), ReadForm | Refused)


# -- the dialog ----------------------------------------------------------------------------------------------


def start_a_draft(driver: Driver) -> None:
    for answer in ("/start", "旧名称"):
        driver.send(answer)


def test_a_document_is_shown_field_by_field_and_stored_only_when_confirmed(
    driver: Driver, ours: tuple[CaseForm, bytes]
) -> None:
    form, data = ours
    start_a_draft(driver)
    before = driver.session.draft.form.model_copy(deep=True)  # type: ignore[union-attr]
    shown = driver.send(Document(data=data, filename="2023年推荐表.docx"))
    text = driver.text
    assert shown.session.pending is Pending.CONFIRM_IMPORT
    assert "找到可填入的 11 项" in text
    assert f"· 案例名称：{form.name}（{count_zi(form.name or '')} 字）" in text
    assert f"（{count_zi(form.summary or '')} 字）" in text and "内容 2000/2000 字" in text
    assert "以下各项已有内容，确认导入后将被文件中的内容替换：案例名称" in text
    assert "2 张图片未导入" in text
    assert driver.session.draft.form == before  # type: ignore[union-attr]  # nothing stored yet

    driver.send("导入")  # typed, as on a channel without buttons
    filled = driver.session.draft.form  # type: ignore[union-attr]
    for step in (Step.NAME, Step.APPLICANT, Step.CATEGORY, Step.UNIT, Step.CONTACT, Step.PHONE, Step.SUMMARY):
        assert filled.value(step) == form.value(step)
    assert filled.parts() == form.parts()
    assert "已导入 11 项" in driver.text
    assert driver.step == Step.PERIOD.value  # the form does not print the period: asked next
    assert driver.session.imported == {} and driver.session.pending is Pending.NONE


def test_declining_changes_nothing(driver: Driver) -> None:
    start_a_draft(driver)
    before = driver.session.model_copy(deep=True)
    driver.send(Document(data=hand_made(), filename="推荐表.docx"))
    no = next(data for label, data in driver.buttons() if label == "不导入")
    from dialogs.events import Press

    driver.send(Press(data=no))
    assert "未导入，草稿未作任何改动" in driver.text
    assert driver.session.draft == before.draft and driver.session.imported == {}


def test_a_field_that_breaks_its_rule_is_named_and_left_out(driver: Driver) -> None:
    doc = WordDocument()
    table = doc.add_table(rows=3, cols=2)
    for row, (label, value) in zip(
        table.rows, [("案例名称", "清朗行动"), ("联系方式", "62606335"), ("申报类别", "文")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = label, value
    start_a_draft(driver)
    driver.send(Document(data=docx_bytes(doc), filename="a.docx"))
    text = driver.text
    assert "找到可填入的 1 项" in text and "· 案例名称：清朗行动（4 字）" in text
    assert "· 联系方式未导入：" in text and "区号" in text
    assert "· 申报类别未导入：" in text
    driver.send("1")
    assert driver.session.draft.form.name == "清朗行动" and driver.session.draft.form.phone is None  # type: ignore[union-attr]


def test_a_bad_file_gets_what_to_send_instead_and_changes_nothing(driver: Driver) -> None:
    start_a_draft(driver)
    before = driver.session.model_copy(deep=True)
    driver.send(Document(data=b"%PDF-1.4", filename="案例.pdf"))
    assert "PDF 文件无法读取" in driver.text and ".docx" in driver.text
    assert driver.session == before


def test_channels_that_refuse_by_name_or_cannot_receive_files_say_what_to_do() -> None:
    assert "另存为" in (refused_by_name("去年.doc") or "")
    assert refused_by_name("案例.docx") is None
    assert "粘贴" in paste_instead()


MARKS = [*PART_HEADINGS.values(), "（二）主要做法：", "经验与启示", "（案例简介不超过 300 字）"]
LINES = st.lists(
    st.one_of(st.sampled_from(MARKS), st.text(alphabet="网络文明一二是。，（）、1. ", max_size=30)), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(LINES)
def test_a_split_keeps_every_line_of_text_exactly_once(lines: list[str]) -> None:
    parts, missing, before = split_parts(lines)
    assert set(parts).isdisjoint(missing) and set(parts) | set(missing) <= set(PARTS)
    body = [line.strip() for line in lines if line not in MARKS]
    kept = "".join(parts[p].replace("\n", "") for p in PARTS if p in parts)
    assert len(kept) + before == len("".join(body))


CELL = st.one_of(
    st.sampled_from(["案例名称", "案 例 名 称：", "联系方式", "案例内容", "案例简介", "一、背景意义", "推荐单位", ""]),
    st.text(alphabet="网络文明：:（）一、 \n", max_size=20),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=4), max_size=6), st.lists(CELL, max_size=6))
def test_any_table_and_paragraphs_read_without_raising(rows: list[list[str]], paragraphs: list[str]) -> None:
    doc = WordDocument()
    for text in paragraphs:
        doc.add_paragraph(text)
    if rows:
        table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for row, texts in zip(table.rows, rows, strict=True):
            for cell, text in zip(row.cells, texts, strict=False):
                cell.text = text
    read = read_form(docx_bytes(doc), "a.docx")
    assert isinstance(read, ReadForm)
    assert all(isinstance(v, str) and v.strip() for v in read.fields.values())


def test_an_entity_bomb_inside_the_document_is_not_expanded() -> None:
    good = plain()
    laughs = '<!DOCTYPE w [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        xml = source.read("word/document.xml").decode()
    head, _, body = xml.partition("?>")
    bomb = head + "?>" + laughs + "]>" + body.replace("一、背景意义", "&j;", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, bomb.encode() if item.filename == "word/document.xml" else source.read(item))
    assert read_form(out.getvalue(), "案例.docx") == Refused(Refusal.BROKEN)  # refused, never expanded


def test_label_lines_in_a_plain_document_fill_their_fields() -> None:
    doc = WordDocument()
    for line in ("案例名称：清朗行动", "联 系 人： 王芳", "联系电话:13812345678", "一、背景意义", PARAGRAPH):
        doc.add_paragraph(line)
    read = read_form(docx_bytes(doc), "a.docx")
    assert isinstance(read, ReadForm) and read.layout is Layout.FORM
    assert read.fields == {Step.NAME: "清朗行动", Step.CONTACT: "王芳", Step.PHONE: "13812345678"}
    assert read.headings_missing == (Step.PRACTICE, Step.RESULTS, Step.LESSONS)


def test_a_word_file_in_another_template_is_split_by_the_same_recogniser_as_a_paste() -> None:
    read = read_form(plain(("一、背景与起因", "二、做法与经过", "三、成效与反响", "四、启示与思考")), "材料.docx")
    assert isinstance(read, ReadForm) and read.layout is Layout.PLAIN
    assert [read.fields[p] for p in PARTS] == [f"{PARAGRAPH}\n1. {PARAGRAPH}"] * 4


def test_a_word_heading_naming_two_parts_is_not_guessed() -> None:
    parts, missing, left = split_parts(
        ["一、背景意义", PARAGRAPH, "二、经验做法", PARAGRAPH, "三、实施成效", PARAGRAPH]
    )
    assert parts == {Step.BACKGROUND: PARAGRAPH, Step.RESULTS: PARAGRAPH}
    assert missing == (Step.PRACTICE, Step.LESSONS) and left == len(PARAGRAPH)  # reported, never put anywhere


def test_an_over_limit_summary_in_a_file_is_imported_and_marked(driver: Driver) -> None:
    doc = WordDocument()
    table = doc.add_table(rows=2, cols=2)
    for row, (label, value) in zip(table.rows, [("案例名称", "清朗行动"), ("案例简介", "字" * 320)], strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    start_a_draft(driver)
    driver.send(Document(data=docx_bytes(doc), filename="a.docx"))
    assert "找到可填入的 2 项" in driver.text and "案例简介不超过 300 字，现为 320 字，超出 20 字" in driver.text
    driver.send("导入")
    assert driver.session.draft.form.summary == "字" * 320 and "超出 20 字" in driver.text  # type: ignore[union-attr]
