"""The exported files as LibreOffice prints them: no text lost, page numbers on the outer side,
the 汇总表 on one page for a usual list and one page wide for a long one.

Each file is converted once per module (the conversions run in parallel, each with its own
LibreOffice profile); the tests then read the PDFs with poppler.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from bot.disk.office import (
    OfficeError,
    _run,
    convert_to_pdf,
    pdf_page_count,
    pdf_page_size,
    pdf_to_pngs,
    pdf_to_text,
    soffice_path,
)
from bot.disk.samples import SAMPLE_DATE, SAMPLE_TIME, sample_campaign, sample_cases, sample_form, sample_pictures
from dialogs import periods
from dialogs.models import Case, CaseForm, CaseState
from exporters import phones
from exporters.case_list_xlsx import build_case_list_xlsx
from exporters.form_cover import COVER_LABEL_WIDTH, COVER_VALUE_WIDTH
from exporters.form_docx import build_form_docx, content_hint
from exporters.summary_xlsx import build_summary_xlsx, period_remark
from exporters.text import paragraphs

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        soffice_path() is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
        reason="needs LibreOffice (soffice) and poppler-utils",
    ),
]

ROWS = 50
MAXIMAL_FORM_PAGES = 7  # the maximal sample form as LibreOffice printed it before issue 19
LONG_NAMES = {
    length: ("“清风e路”网络文明志愿服务行动暨全省网络文明进社区、进校园、进企业、进网站系列活动" * 2)[:length]
    for length in (30, 45, 60)
}
ARCHIVE_PHONE = "0551-62606335、13812345678"
MM = 72 / 25.4  # points per millimetre
# The form table's columns on the page: left margin 28 mm, label column 28 mm; body between the
# 37 mm top and 35 mm bottom margins (so the page number below is left out).
LABELS = (28 * MM, 37 * MM, 28 * MM, (297 - 37 - 35) * MM)
VALUES = (56 * MM + 2, 37 * MM, (210 - 56 - 26) * MM, (297 - 37 - 35) * MM)


def squash(text: str) -> str:
    """Text without any whitespace: pdftotext spaces and breaks lines as the layout falls."""
    return re.sub(r"\s+", "", text)


def row_case(number: int, campaign) -> Case:
    category = campaign.categories[number % len(campaign.categories)].name
    form = CaseForm(name=f"案例名称{number}号", category=category, applicant=f"申报单位{number}号")
    return Case(
        id=number,
        owner="u1",
        unit="hefei",
        state=CaseState.RECOMMENDED,
        rank=number,
        form=form,
        created_at=SAMPLE_TIME,
        updated_at=SAMPLE_TIME,
    )


@pytest.fixture(scope="module")
def campaign():
    return sample_campaign()


@pytest.fixture(scope="module")
def form():
    return sample_form(sample_pictures())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, campaign, form) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("office")
    pictures = [data for data, _ in sample_pictures()]
    docx = folder / "form.docx"
    docx.write_bytes(build_form_docx(form, campaign, pictures=pictures, on=SAMPLE_DATE))
    hefei = campaign.unit("hefei")
    sources = [docx]
    for name, cases in (
        ("summary", [row_case(n, campaign) for n in range(1, ROWS + 1)]),
        ("summary4", sample_cases(4)),
        ("summary15", sample_cases(15)),
    ):
        sources.append(folder / f"{name}.xlsx")
        # the remarks as casebot writes them: "开展实施时间：2022年6月—2023年6月", "…2023年3月15日"
        sources[-1].write_bytes(build_summary_xlsx(campaign, hefei, cases, period_display=periods.display))
    sources.append(folder / "archive.xlsx")
    sources[-1].write_bytes(build_case_list_xlsx(campaign, hefei, archive_cases()))
    for length, name in LONG_NAMES.items():
        sources.append(folder / f"cover{length}.docx")
        sources[-1].write_bytes(build_form_docx(form.model_copy(update={"name": name}), campaign, on=SAMPLE_DATE))
    with ThreadPoolExecutor(max_workers=2) as pool:
        made = list(pool.map(lambda src: convert_to_pdf(src, folder / "pdf"), sources))
    return {"form": made[0], **{src.stem: pdf for src, pdf in zip(sources[1:], made[1:], strict=True)}}


def archive_cases() -> list[Case]:
    """15 cases whose 联系方式 holds a landline and a mobile, as letterheads give them."""
    return [c.model_copy(update={"form": c.form.model_copy(update={"phone": ARCHIVE_PHONE})}) for c in sample_cases(15)]


def cropped_text(pdf: Path, box: tuple[float, float, float, float], first: int = 2) -> str:
    """Text inside ``box`` (x, y, width, height in points) of pages ``first``…: one table column.

    With the whole page, pdftotext interleaves a label cell's lines with the lines of the value
    cell beside it, so the form's columns are read one at a time.
    """
    x, y, width, height = (str(int(v)) for v in box)
    command = ["pdftotext", "-f", str(first), "-x", x, "-y", y, "-W", width, "-H", height, str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def form_text(pdfs) -> str:
    return pdf_to_text(pdfs["form"])


@pytest.fixture(scope="module")
def cover_text(pdfs) -> str:
    return pdf_to_text(pdfs["form"]).split("\f")[0]


@pytest.fixture(scope="module")
def value_text(pdfs) -> str:
    return squash(cropped_text(pdfs["form"], VALUES))


@pytest.fixture(scope="module")
def label_text(pdfs) -> str:
    return squash(cropped_text(pdfs["form"], LABELS))


@pytest.fixture(scope="module")
def summary_pages(pdfs) -> list[str]:
    return [page for page in pdf_to_text(pdfs["summary"]).split("\f") if page.strip()]


# ---------------------------------------------------------------- 推荐表


def test_form_is_a4_portrait(pdfs):
    width, height = pdf_page_size(pdfs["form"])
    assert abs(width - 595) < 2 and abs(height - 842) < 2


def test_form_cover_printed(cover_text, form, campaign):
    """附件1's cover and nothing else: no implementation time, no date but the year."""
    expected = [
        "附件1",
        campaign.form_title,
        f"案例名称：{form.name}",
        f"申报单位：{form.applicant}",
        f"申报类别：{form.category}",
        "推荐单位：合肥市委网信办",
        "2024年月日",
    ]
    assert squash(cover_text) == squash("".join(expected))


def test_cover_date_leaves_room_to_write(cover_text):
    """At least two 字 of room before 月 and before 日, for the hand-written date."""
    date = next(line for line in cover_text.splitlines() if "月" in line)
    assert re.search(r"2024\s*年\s{2,}月\s{2,}日", date), date


def footer_text(pdf: Path, page: int, side: str) -> str:
    """The text at the foot of ``page`` in its left or right half."""
    x = 0 if side == "left" else 298
    command = ["pdftotext", "-f", str(page), "-l", str(page), "-x", str(x), "-y", "750", "-W", "297", "-H", "92"]
    return squash(subprocess.run([*command, str(pdf), "-"], check=True, capture_output=True).stdout.decode())


def test_page_numbers_on_the_outer_side(pdfs):
    """GB/T 9704: "— N —" right on odd pages, left on even pages; the cover has none."""
    pages = pdf_page_count(pdfs["form"])
    assert pages >= 3
    assert footer_text(pdfs["form"], 1, "left") == footer_text(pdfs["form"], 1, "right") == ""
    for page in range(2, pages + 1):
        outer, inner = ("right", "left") if page % 2 else ("left", "right")
        assert footer_text(pdfs["form"], page, outer) == f"—{page}—", page
        assert footer_text(pdfs["form"], page, inner) == "", page


def test_form_labels_in_order(label_text):
    labels = ("案例名称", "申报类别", "联系人", "案例简介", "案例内容", "申报单位意见", "推荐单位意见")
    assert label_text == "".join(labels)


def test_form_short_fields_printed(value_text, form):
    for expected in (form.name, form.category, "推荐单位", "合肥市委网信办", form.contact, "联系方式", form.phone):
        assert squash(expected) in value_text, expected


def test_maximal_form_loses_no_text(value_text, form):
    """300 字 of summary, 2000 字 of content and two pictures: every paragraph is printed whole."""
    assert squash(form.summary) in value_text
    for heading, part in zip(
        ("一、背景意义", "二、主要做法", "三、实施成效", "四、经验启示"), form.parts(), strict=False
    ):
        assert heading in value_text
        for paragraph in paragraphs(part):
            assert squash(paragraph) in value_text, paragraph[:20]
    for picture in form.pictures:
        assert squash(picture.caption) in value_text


def test_form_parts_in_order_then_signatures(value_text, form):
    marks = (
        squash(form.summary)[:20],
        "一、背景意义",
        "二、主要做法",
        "三、实施成效",
        "四、经验启示",
        squash(form.pictures[1].caption),
        "签名：（单位公章）年",
    )
    positions = [value_text.index(mark) for mark in marks]
    assert positions == sorted(positions)
    tail = value_text[positions[-1] :]  # pdftotext orders the date's 年 月 日 freely
    assert tail.count("签名：") == tail.count("（单位公章）") == 2
    assert tail.count("月") == tail.count("日") == 2


def test_form_pages_render_to_png(pdfs, tmp_path):
    pages = pdf_to_pngs(pdfs["form"], tmp_path, dpi=20)
    assert len(pages) == pdf_page_count(pdfs["form"]) >= 3
    assert all(p.stat().st_size > 0 and p.suffix == ".png" for p in pages)


# ---------------------------------------------------------------- 推荐表: what a clerk checks on the printout


Row = tuple[float, float, str]  # top, bottom (points from the top of the page), text


def printed_rows(pdf: Path, page: int, x0: float = 0, x1: float = 10_000) -> list[Row]:
    """The printed lines of ``page`` between ``x0`` and ``x1`` (points), top to bottom: the words
    pdftotext finds, grouped by their baseline."""
    command = ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"]
    found = subprocess.run(command, check=True, capture_output=True).stdout.decode()
    words = [
        (float(a), float(b), float(c), float(d), html.unescape(w))
        for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', found
        )
    ]
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for word in sorted((w for w in words if w[0] >= x0 and w[2] <= x1), key=lambda w: (w[3], w[0])):
        if rows and abs(rows[-1][-1][3] - word[3]) < 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [
        (min(w[1] for w in row), max(w[3] for w in row), "".join(w[4] for w in sorted(row)).replace("\u2011", "-"))
        for row in rows
    ]


def rules(pdf: Path, page: int, x0: float, x1: float, folder: Path) -> list[float]:
    """Heights (points from the top) of the horizontal lines drawn across all of ``x0``…``x1``."""
    scale = 2  # 144 dpi: two pixels a point
    stem = folder / f"{pdf.stem}-p{page}"
    command = ["pdftoppm", "-r", str(72 * scale), "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run([*command, str(pdf), str(stem)], check=True, capture_output=True)
    with Image.open(f"{stem}.png") as image:
        pixels = image.convert("L").load()
        left, right = int(x0 * scale), int(x1 * scale)
        dark = [
            y
            for y in range(image.height)
            if sum(pixels[x, y] < 160 for x in range(left, right)) >= 0.95 * (right - left)
        ]
    found: list[float] = []
    for y in dark:  # one rule may be two pixel rows thick
        if not found or y / scale - found[-1] > 1.5:
            found.append(y / scale)
    return found


@pytest.mark.parametrize("length", sorted(LONG_NAMES))
def test_a_long_case_name_is_ruled_on_every_printed_line(pdfs, length, tmp_path):
    """A name of 30, 45 or 60 字 wraps on the cover: every printed line sits on a rule of its own,
    and "案例名称：" stands at the first line."""
    pdf = pdfs[f"cover{length}"]
    left = 28 * MM + (156 * MM - (COVER_LABEL_WIDTH + COVER_VALUE_WIDTH) / 12700) / 2
    middle = left + COVER_LABEL_WIDTH / 12700
    right = middle + COVER_VALUE_WIDTH / 12700
    labels = printed_rows(pdf, 1, left - 2, middle)
    name_label = next(row for row in labels if row[2].startswith("案例名称"))
    applicant_label = next(row for row in labels if row[2].startswith("申报单位"))
    lines = [
        row for row in printed_rows(pdf, 1, middle, right + 2) if name_label[0] - 3 <= row[0] < applicant_label[0] - 3
    ]
    assert "".join(row[2] for row in lines) == squash(LONG_NAMES[length])
    assert len(lines) >= 2
    assert abs(lines[0][1] - name_label[1]) < 3  # the label on the first line's baseline
    drawn = rules(pdf, 1, middle + 3 * MM, right - 3 * MM, tmp_path)
    for index, (top, bottom, text) in enumerate(lines):
        below = lines[index + 1][0] if index + 1 < len(lines) else bottom + 6 * MM
        # under the characters (a word's box reaches below the rule by the font's descent)
        assert [y for y in drawn if (top + bottom) / 2 < y < below], f"line {index + 1} has no rule: {text}"
    assert len([y for y in drawn if name_label[0] < y < applicant_label[0]]) == len(lines)


def test_no_phone_number_is_broken_across_lines(pdfs, form):
    """The 联系方式 cell holds a landline and a mobile: each is whole on a line, the line ends at 、."""
    rows = printed_rows(pdfs["form"], 2, VALUES[0] + 78 * MM, VALUES[0] + VALUES[2])
    numbers = [item.rstrip("、") for item in phones.items(form.phone)]
    assert len(numbers) == 2
    for number in numbers:
        assert any(number in text for _, _, text in rows), (number, [r[2] for r in rows])


def test_pictures_come_before_the_hint_that_closes_the_cell(value_text, form, campaign):
    hint = value_text.index(squash(content_hint(campaign)))
    last_text = value_text.index(squash(paragraphs(form.lessons)[-1]))
    for picture in form.pictures:
        assert last_text < value_text.index(squash(picture.caption)) < hint
    assert hint < value_text.index("签名：")


def test_the_maximal_form_takes_no_more_pages_than_before(pdfs):
    assert pdf_page_count(pdfs["form"]) <= MAXIMAL_FORM_PAGES


def test_no_page_of_the_table_holds_pictures_alone(pdfs):
    """Every page after the cover prints text in the value column: no page of pictures only."""
    for page in range(2, pdf_page_count(pdfs["form"]) + 1):
        rows = printed_rows(pdfs["form"], page, VALUES[0], VALUES[0] + VALUES[2])
        assert any(len(text) >= 10 for _, _, text in rows), page


def test_opinion_rows_share_a_page_with_labels_on_one_line_and_room_for_the_seal(pdfs, tmp_path):
    """Both 意见 rows on one page, each label on one line, ≥ 45 mm clear above 签名 for a 42 mm seal."""
    pages = [page for page in pdf_to_text(pdfs["form"]).split("\f") if page.strip()]
    [page] = [n for n, text in enumerate(pages, start=1) if "申报单位意见" in squash(text)]
    assert "推荐单位意见" in squash(pages[page - 1])
    labels = [text for _, _, text in printed_rows(pdfs["form"], page, LABELS[0] - 2, LABELS[0] + LABELS[2])]
    assert "申报单位意见" in labels and "推荐单位意见" in labels
    values = printed_rows(pdfs["form"], page, VALUES[0], VALUES[0] + VALUES[2])
    signatures = [top for top, _, text in values if text.startswith("签名")]
    assert len(signatures) == 2
    drawn = rules(pdfs["form"], page, VALUES[0] + 2 * MM, VALUES[0] + VALUES[2] - 4 * MM, tmp_path)
    for top in signatures:
        above = max(y for y in drawn if y < top)
        assert top - above >= 45 * MM, f"{(top - above) / MM:.1f} mm above 签名"


# ---------------------------------------------------------------- 汇总表


def test_summary_is_landscape_a4(pdfs):
    width, height = pdf_page_size(pdfs["summary"])
    assert abs(width - 842) < 2 and abs(height - 595) < 2


def calibri_has_its_metrics() -> bool:
    """Column widths are counted in "0"s of Calibri: only with it (or its metric twin Carlito)
    does LibreOffice lay the sheet out at the size Excel does."""
    found = subprocess.run(["fc-match", "Calibri"], capture_output=True, text=True).stdout
    return "Carlito" in found or "Calibri" in found


def glyph_scale(pdf: Path, word: str, size: float = 12.0) -> float:
    """Printed width of ``word`` (all Chinese) over its width at ``size`` pt: the print scale."""
    result = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True)
    box = re.search(rf'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>{word}<', result.stdout.decode())
    assert box, word
    return (float(box.group(2)) - float(box.group(1))) / (len(word) * size)


@pytest.mark.parametrize(("name", "count"), [("summary4", 4), ("summary15", 15)])
def test_usual_summary_prints_on_one_page(pdfs, name, count, campaign):
    """附件2 on one sheet of paper: "第 1 页，共 1 页", every row, the contact, the notes."""
    pdf = pdfs[name]
    assert pdf_page_count(pdf) == 1
    text = pdf_to_text(pdf)
    flat = squash(text)
    assert "第1页，共1页" in flat
    assert "联系人：王敏" in flat and "电话：0551-63500000" in flat
    for number, case in enumerate(sample_cases(count), start=1):
        # each row on one printed line, its remark whole: "开展实施时间：2022年6月—2023年6月"
        row = next(line for line in text.splitlines() if re.match(rf"^\s*{number}\s+“", line))
        assert squash(case.form.name) in squash(row), number
        assert squash(period_remark(case, periods.display)) in squash(row), row
    assert "2.如推荐案例超过1个，请按照推荐程度进行排序。" in flat
    if calibri_has_its_metrics():
        assert glyph_scale(pdf, "合肥市文明办") >= 0.9


def test_notes_follow_the_table_without_a_gap(pdfs):
    text = pdf_to_text(pdfs["summary4"])
    lines = [line for line in text.splitlines()]
    first = next(i for i, line in enumerate(lines) if "注：" in line)
    second = next(i for i, line in enumerate(lines) if "如推荐案例超过" in line)
    assert all(line.strip() for line in lines[first : second + 1]), lines[first : second + 1]


def test_summary_text_printed(summary_pages, campaign):
    text = squash("".join(summary_pages))
    for expected in (
        "附件2",
        campaign.summary_title,
        "推荐单位：合肥市委网信办",
        "联系人：王敏",
        "电话：0551-63500000",
    ):
        assert expected in text
    assert squash(f"注：1.案例类型请从{'、'.join(c.name for c in campaign.categories)}6类中选择一个。") in text
    assert "2.如推荐案例超过1个，请按照推荐程度进行排序。" in text


def test_summary_prints_one_page_wide(summary_pages, pdfs):
    """Fitted to the width, every page repeats the whole header and holds whole rows."""
    assert len(summary_pages) == pdf_page_count(pdfs["summary"]) >= 2
    for page in summary_pages:
        header = next(line for line in page.splitlines() if "序号" in line)
        assert re.search(r"序号\s+案例名称\s+案例类型\s+申报单位\s+备注", header), header
    for number in range(1, ROWS + 1):
        row = re.compile(rf"^\s*{number}\s+案例名称{number}号\s+\S+\s+申报单位{number}号\s*$", re.M)
        pages = [i for i, page in enumerate(summary_pages) if row.search(page)]
        assert len(pages) == 1, f"row {number} is not whole on one page"


def test_summary_rows_in_order(summary_pages):
    numbers = [int(m) for page in summary_pages for m in re.findall(r"^\s*(\d+)\s+案例名称", page, re.M)]
    assert numbers == list(range(1, ROWS + 1))


def test_archive_prints_submission_times_and_phones_whole(pdfs):
    """The 存档 workbook: 提交时间 printed (not ###), every number whole on one line."""
    text = pdf_to_text(pdfs["archive"])
    assert "###" not in text
    lines = [squash(line) for line in text.splitlines()]
    assert sum(line.count("2024-03-0109:30") for line in lines) == 15
    for number in (item.rstrip("、") for item in phones.items(ARCHIVE_PHONE)):
        assert sum(line.count(number) for line in lines) == 15, number


# ---------------------------------------------------------------- the helpers themselves


def test_missing_source_reports_an_error(tmp_path):
    with pytest.raises(OfficeError):
        convert_to_pdf(tmp_path / "missing.docx", tmp_path)


def test_hung_tool_is_killed():
    started = time.monotonic()
    with pytest.raises(OfficeError, match="超过"):
        _run(["sleep", "30"], timeout=0.5)
    assert time.monotonic() - started < 5
