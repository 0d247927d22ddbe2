"""附件2《推荐汇总表》: the official layout, print settings, and no user text ever becoming a formula."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from bot.disk.samples import sample_campaign
from dialogs.campaign import Category, Unit, UnitKind
from dialogs.models import Case, CaseForm, CaseState
from exporters.case_list_xlsx import build_case_list_xlsx
from exporters.summary_xlsx import build_province_xlsx, build_summary_xlsx, period_zh, sheet_title
from exporters.xlsx_cells import LINE_HEIGHT, lines_needed, row_height

T0 = datetime.datetime(2024, 3, 1, 1, 30, tzinfo=datetime.UTC)  # 09:30 in 合肥


def make_case(
    id: int,
    name: str | None = None,
    *,
    category: str = "网络空间生态治理",
    applicant: str = "合肥市蜀山区委网信办",
    state: CaseState = CaseState.RECOMMENDED,
    rank: int | None = None,
    unit: str = "hefei",
    flags: list[str] | None = None,
    submitted_at: datetime.datetime | None = T0,
    period: str | None = None,
) -> Case:
    return Case(
        id=id,
        owner="u1",
        unit=unit,
        state=state,
        rank=rank if rank is not None else (id if state is CaseState.RECOMMENDED else None),
        form=CaseForm(name=name or f"案例{id}", category=category, applicant=applicant, unit=unit, period=period),
        created_at=T0,
        submitted_at=submitted_at,
        updated_at=T0,
        flags=flags or [],
    )


@pytest.fixture(scope="module")
def campaign():
    return sample_campaign()


@pytest.fixture(scope="module")
def unit(campaign):
    return campaign.unit("hefei")


@pytest.fixture(scope="module")
def cases(campaign):
    names = [c.name for c in campaign.categories]
    return [
        make_case(1, "“清风e路”网络文明志愿服务行动", category=names[5]),
        make_case(2, "“庐州网络文化节”系列活动", category=names[1], applicant="合肥日报社"),
        make_case(3, "“合肥好人”网上寻访与宣传推介", category=names[2], applicant="合肥市文明办"),
        make_case(4, "“清朗包河”网络生态共治行动", category=names[4], applicant="包河区委网信办"),
    ]


@pytest.fixture(scope="module")
def data(campaign, unit, cases) -> bytes:
    return build_summary_xlsx(campaign, unit, cases)


@pytest.fixture(scope="module")
def sheet(data):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def _sheet_xml(data: bytes, index: int = 1) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(f"xl/worksheets/sheet{index}.xml").decode()


def _header_row(sheet) -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == "序号":
            return row[0].row
    raise AssertionError("no 序号 header")


# ---------------------------------------------------------------- the official layout


def test_heading_lines(sheet, campaign):
    assert sheet["A1"].value == "附件2"
    assert sheet["A2"].value == campaign.summary_title == "2024年网络文明建设优秀案例推荐汇总表"
    assert "A2:E2" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].alignment.horizontal == "center"
    assert [sheet[f"A{r}"].value for r in (3, 4, 5)] == [
        "推荐单位：合肥市委网信办",
        "联系人：王敏",
        "电话：0551-63500000",
    ]


def test_columns_and_rows_in_recommendation_order(sheet, cases):
    header = _header_row(sheet)
    assert [c.value for c in sheet[header]][:5] == ["序号", "案例名称", "案例类型", "申报单位", "备注"]
    rows = [[c.value for c in sheet[header + i]][:5] for i in range(1, len(cases) + 1)]
    assert rows == [[i, c.form.name, c.form.category, c.form.applicant, None] for i, c in enumerate(cases, 1)]


def test_given_order_wins_over_rank(campaign, unit, cases):
    reordered = [cases[2], cases[0], cases[3], cases[1]]
    sheet = load_workbook(io.BytesIO(build_summary_xlsx(campaign, unit, reordered))).active
    header = _header_row(sheet)
    assert [sheet.cell(header + i, 2).value for i in range(1, 5)] == [c.form.name for c in reordered]
    assert [sheet.cell(header + i, 1).value for i in range(1, 5)] == [1, 2, 3, 4]


def test_notes_under_the_table_list_the_categories(sheet, campaign, cases):
    header = _header_row(sheet)
    notes = [sheet.cell(r, 1).value for r in range(header + len(cases) + 1, sheet.max_row + 1)]
    names = "、".join(c.name for c in campaign.categories)
    assert notes[0] == f"注：1. 案例类型请从{names} 6 类中选择一个。"
    assert notes[1].strip("　") == "2. 如推荐案例超过 1 个，请按照推荐程度进行排序。"


def test_blank_contact_and_phone_left_for_hand_filling(campaign):
    bare = Unit(code="ahwang", name="安徽网", kind=UnitKind.OTHER)
    sheet = load_workbook(io.BytesIO(build_summary_xlsx(campaign, bare, []))).active
    assert [sheet[f"A{r}"].value for r in (3, 4, 5)] == ["推荐单位：安徽网", "联系人：", "电话："]
    header = _header_row(sheet)
    assert sheet.cell(header + 1, 2).border.bottom.style == "thin"  # an empty ruled row


# ---------------------------------------------------------------- look and print


def test_fonts_borders_and_wrapping(sheet):
    header = _header_row(sheet)
    assert sheet["A1"].font.name == "黑体"
    assert sheet["A2"].font.name == "方正小标宋简体"
    assert sheet.cell(header, 2).font.name == "黑体"
    body = sheet.cell(header + 1, 2)
    assert body.font.name == "仿宋_GB2312"
    assert body.alignment.wrap_text
    for column in range(1, 6):
        cell = sheet.cell(header + 1, column)
        assert {cell.border.left.style, cell.border.right.style, cell.border.top.style, cell.border.bottom.style} == {
            "thin"
        }


def test_column_widths_fit_chinese_text(sheet, campaign):
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDE"}
    longest_category = max(len(c.name) for c in campaign.categories)
    assert widths["C"] >= longest_category * 2.2
    assert widths["B"] >= 40 and widths["D"] >= 30
    assert widths["A"] >= 5  # two digits


def test_print_setup(sheet, data):
    """Four cases: one page, at (nearly) full size."""
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 1)
    assert 90 <= int(setup.scale) <= 100
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    header = _header_row(sheet)
    assert sheet.print_title_rows == f"${header}:${header}"
    workbook = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml").decode()
    assert "_xlnm.Print_Titles" in workbook


def test_category_drop_down(sheet, campaign, cases):
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    validation = validations[0]
    assert validation.type == "list"
    for category in campaign.categories:
        assert category.name in validation.formula1
    header = _header_row(sheet)
    assert str(validation.sqref) == f"C{header + 1}:C{header + len(cases)}"


def test_categories_that_cannot_be_inlined_come_from_a_hidden_sheet(campaign, unit, cases):
    odd = campaign.model_copy(
        update={"categories": (Category(name="甲,乙"), Category(name='丙"丁'), *campaign.categories)}
    )
    book = load_workbook(io.BytesIO(build_summary_xlsx(odd, unit, cases)))
    formula = book.active.data_validations.dataValidation[0].formula1
    hidden = book["案例类型列表"]
    assert hidden.sheet_state == "hidden"
    assert formula == "'案例类型列表'!$A$1:$A$8"
    assert [hidden.cell(r, 1).value for r in (1, 2)] == ["甲,乙", '丙"丁']


# ---------------------------------------------------------------- formulas stay text


FORMULA_LIKE = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "=1+1",
    "＝SUM(A1)",
    "=" + "A" * 300,
]


@pytest.mark.parametrize("name", FORMULA_LIKE)
def test_formula_looking_text_stays_text(campaign, unit, name):
    case = make_case(1, name, applicant=name, category=name, period=name)
    data = build_summary_xlsx(campaign, unit, [case])
    listing = build_case_list_xlsx(campaign, unit, [case])
    for xml in (_sheet_xml(data), _sheet_xml(listing)):
        assert "<f>" not in xml and "<f " not in xml
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    header = _header_row(sheet)
    for column in (2, 3, 4):
        cell = sheet.cell(header + 1, column)
        assert cell.value == name
        assert cell.data_type == "s"
        assert cell.quotePrefix, "the quote prefix keeps it text after an edit"
    records = load_workbook(io.BytesIO(listing)).active
    assert records.cell(3, 3).value == name and records.cell(3, 3).data_type == "s"


def test_formula_looking_unit_contact(campaign, cases):
    unit = Unit(code="x1", name="=1+1", kind=UnitKind.OTHER, contact="=2+2", phone="+86 551")
    data = build_province_xlsx(campaign, [(unit, cases[:1])])
    for index in (1, 2):
        assert "<f>" not in _sheet_xml(data, index)
    book = load_workbook(io.BytesIO(data))
    assert book.worksheets[0].cell(4, 2).value == "=1+1"
    assert book.worksheets[0].cell(4, 3).value == "=2+2"
    assert book.worksheets[1]["A4"].value == "联系人：=2+2"


# ---------------------------------------------------------------- hostile text


def test_hostile_text_survives(campaign, unit):
    name = "网络\x00文明\x07建设\x1f😀\u200b\u200d\ufeff" + "长" * 10_000
    case = make_case(1, name, applicant="申报\x0b单位\u202e", flags=["疑似重复\x01"])
    data = build_summary_xlsx(campaign, unit, [case])
    book = load_workbook(io.BytesIO(data))
    header = _header_row(book.active)
    assert book.active.cell(header + 1, 2).value == "网络文明建设😀\u200b\u200d\ufeff" + "长" * 10_000
    assert book.active.cell(header + 1, 4).value == "申报 单位\u202e"
    listing = load_workbook(io.BytesIO(build_case_list_xlsx(campaign, unit, [case]))).active
    assert listing.cell(3, 11).value == "疑似重复"


def test_text_longer_than_an_excel_cell_is_cut_not_fatal(campaign, unit):
    case = make_case(1, "字" * 40_000)
    sheet = load_workbook(io.BytesIO(build_summary_xlsx(campaign, unit, [case]))).active
    value = sheet.cell(_header_row(sheet) + 1, 2).value
    assert len(value) == 32_767 and value.endswith("…")
    assert sheet.row_dimensions[_header_row(sheet) + 1].height <= 409  # Excel's row limit


def test_missing_answers_are_blank(campaign, unit):
    case = make_case(1)
    case.form.name = None
    case.form.category = None
    case.form.applicant = None
    sheet = load_workbook(io.BytesIO(build_summary_xlsx(campaign, unit, [case]))).active
    header = _header_row(sheet)
    assert [sheet.cell(header + 1, c).value for c in range(1, 6)] == [1, None, None, None, None]


# ---------------------------------------------------------------- all cases sheet


def test_case_list_is_a_file_of_its_own(campaign, unit):
    recommended = [make_case(2, rank=1), make_case(1, rank=2)]
    others = [
        make_case(3, state=CaseState.SUBMITTED, flags=["疑似重复:2", "超出时限"]),
        make_case(4, state=CaseState.RETURNED),
        make_case(5, state=CaseState.DRAFT, submitted_at=None),
    ]
    book = load_workbook(io.BytesIO(build_case_list_xlsx(campaign, unit, [*others, *recommended])))
    assert book.sheetnames == ["全部申报案例"]
    sheet = book.active
    assert sheet["A1"].value == "合肥市委网信办全部申报案例（供本单位存档，无需报送）"
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["序号", "案例编号", "案例名称"]
    column = {label: index for index, label in enumerate(header)}
    rows = [[c.value for c in sheet[r]] for r in range(3, 8)]
    assert [r[column["案例编号"]] for r in rows] == [2, 1, 3, 4, 5]
    assert [r[column["状态"]] for r in rows] == ["已推荐", "已推荐", "已提交（候选）", "退回修改", "草稿"]
    assert [r[column["推荐顺序"]] for r in rows] == [1, 2, None, None, None]
    assert rows[0][column["提交时间"]] == datetime.datetime(2024, 3, 1, 9, 30)  # local time
    assert rows[4][column["提交时间"]] is None
    assert rows[2][column["标记"]] == "疑似重复:2；超出时限"


def test_official_workbook_holds_the_official_sheet_only(campaign, unit, cases):
    """The old keyword all_cases is still accepted (bot/ passes it) but adds no sheet."""
    for data in (
        build_summary_xlsx(campaign, unit, cases),
        build_summary_xlsx(campaign, unit, cases, all_cases=[*cases, make_case(9, state=CaseState.DRAFT)]),
    ):
        book = load_workbook(io.BytesIO(data))
        assert book.sheetnames == ["推荐汇总表"]
        assert "全部申报案例" not in str([c.value for row in book.active.iter_rows() for c in row])


# ---------------------------------------------------------------- 开展实施时间 in 备注


def _remarks(data: bytes) -> list[str | None]:
    sheet = load_workbook(io.BytesIO(data)).active
    header = _header_row(sheet)
    return [sheet.cell(r, 5).value for r in range(header + 1, header + 4)]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2022-03", "2022年3月"),
        ("2021-09", "2021年9月"),
        ("2023-12", "2023年12月"),
        ("2022-03/2023-06", "2022年3月至2023年6月"),
        ("去年春天", "去年春天"),
        ("2022-13", "2022-13"),
    ],
)
def test_period_zh(stored, shown):
    assert period_zh(stored) == shown


@given(st.integers(1900, 2999), st.integers(1, 12), st.integers(1900, 2999), st.integers(1, 12))
def test_period_zh_reads_every_month_and_range(y1, m1, y2, m2):
    assert period_zh(f"{y1}-{m1:02d}") == f"{y1}年{m1}月"
    assert period_zh(f"{y1}-{m1:02d}/{y2}-{m2:02d}") == f"{y1}年{m1}月至{y2}年{m2}月"


@given(st.text())
def test_period_zh_never_raises_and_stays_on_one_line(text):
    shown = period_zh(text)
    assert "\n" not in shown and "\r" not in shown


def test_implementation_time_in_remarks_by_default(campaign, unit):
    cases = [make_case(1, period="2022-03"), make_case(2, period="2021-09/2023-06"), make_case(3)]
    assert _remarks(build_summary_xlsx(campaign, unit, cases)) == [
        "开展实施时间：2022年3月",
        "开展实施时间：2021年9月至2023年6月",
        None,  # no period, no remark
    ]


def test_implementation_time_can_be_left_out(campaign, unit):
    cases = [make_case(1, period="2022-03"), make_case(2, period="2023-01"), make_case(3)]
    assert _remarks(build_summary_xlsx(campaign, unit, cases, period_in_remarks=False)) == [None, None, None]


def test_period_display_is_injected(campaign, unit):
    def display(period: str) -> str:
        if period == "boom":
            raise ValueError(period)
        return f"《{period}》"

    cases = [make_case(1, period="2022-03"), make_case(2, period="boom"), make_case(3)]
    assert _remarks(build_summary_xlsx(campaign, unit, cases, period_display=display)) == [
        "开展实施时间：《2022-03》",
        "开展实施时间：boom",  # a failing formatter costs the unit nothing but the formatting
        None,
    ]


# ---------------------------------------------------------------- row heights follow the text


def test_row_heights_follow_the_text(campaign, unit):
    long_name = "“清风e路”网络文明志愿服务行动暨全省网络文明进社区、进校园、进企业、进网站系列活动"
    cases = [
        make_case(1, "短名称", applicant="合肥市文明办", period="2022-03"),
        make_case(2, long_name, applicant="合肥市委网信办、合肥日报社、合肥广播电视台、合肥市文明办"),
    ]
    sheet = load_workbook(io.BytesIO(build_summary_xlsx(campaign, unit, cases))).active
    header = _header_row(sheet)
    one, two = (sheet.row_dimensions[header + i].height for i in (1, 2))
    assert one == row_height(1) <= 2 * LINE_HEIGHT  # a one-line row is not drawn twice as high
    assert lines_needed(long_name, sheet.column_dimensions["B"].width) == 3
    assert two == row_height(3)


def test_notes_follow_each_other_without_a_gap(sheet, campaign, cases):
    header = _header_row(sheet)
    first = header + len(cases) + 1
    assert sheet.cell(first + 1, 1).value.strip("　").startswith("2.")
    width = sum(sheet.column_dimensions[c].width for c in "ABCDE")
    for row in (first, first + 1):
        lines = lines_needed(sheet.cell(row, 1).value, width)
        assert sheet.row_dimensions[row].height <= row_height(lines)  # no room for a blank line


def test_long_list_runs_on_at_full_size(campaign, unit):
    cases = [make_case(i) for i in range(1, 51)]
    sheet = load_workbook(io.BytesIO(build_summary_xlsx(campaign, unit, cases))).active
    setup = sheet.page_setup
    assert (setup.fitToWidth, setup.fitToHeight, int(setup.scale)) == (1, 0, 100)


# ---------------------------------------------------------------- the unit's contact


def test_unit_contact_in_the_header(campaign):
    unit = Unit(
        code="hefei",
        name="合肥市委网信办",
        kind=UnitKind.CITY,
        contact="王敏",
        phone="0551-62606335（办）、13812345678",
    )
    sheet = load_workbook(io.BytesIO(build_summary_xlsx(campaign, unit, []))).active
    assert [sheet[f"A{r}"].value for r in (3, 4, 5)] == [
        "推荐单位：合肥市委网信办",
        "联系人：王敏",
        "电话：0551-62606335（办）、13812345678",
    ]


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_blank_contact_is_visibly_blank(campaign, blank):
    unit = Unit.model_construct(code="ahwang", name="安徽网", kind=UnitKind.OTHER, contact=blank, phone=blank)
    for data in (build_summary_xlsx(campaign, unit, []), build_province_xlsx(campaign, [(unit, [make_case(1)])])):
        book = load_workbook(io.BytesIO(data))
        sheet = book.worksheets[-1]
        assert [sheet[f"A{r}"].value for r in (4, 5)] == ["联系人：", "电话："]
        everything = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
        assert not any("None" in value for value in everything)


# ---------------------------------------------------------------- province workbook


def test_province_workbook(campaign):
    hefei, wuhu = campaign.unit("hefei"), campaign.unit("wuhu")
    odd = Unit(code="odd", name="省直/单位[测试]:*?\\某某某某某某某某某某某某某某某某某某某", kind=UnitKind.OTHER)
    units = [
        (wuhu, [make_case(12, "芜湖二", rank=2, unit="wuhu"), make_case(11, "芜湖一", rank=1, unit="wuhu")]),
        (hefei, [make_case(1, "合肥一", rank=1)]),
        (odd, [make_case(20, "省直一", rank=1, unit="odd")]),
    ]
    book = load_workbook(io.BytesIO(build_province_xlsx(campaign, units)))
    assert book.sheetnames[:3] == ["全省汇总", "芜湖市委网信办", "合肥市委网信办"]
    odd_title = book.sheetnames[3]
    assert len(odd_title) <= 31 and not re.search(r"[\[\]:*?/\\]", odd_title)
    overview = book["全省汇总"]
    header = _header_row(overview)
    assert [c.value for c in overview[header]] == [
        "序号",
        "推荐单位",
        "联系人",
        "电话",
        "案例名称",
        "案例类型",
        "申报单位",
        "备注",
    ]
    rows = [[c.value for c in overview[header + i]][:5] for i in range(1, 5)]
    assert rows == [
        [1, "芜湖市委网信办", wuhu.contact or None, wuhu.phone or None, "芜湖一"],
        [2, "芜湖市委网信办", wuhu.contact or None, wuhu.phone or None, "芜湖二"],
        [3, "合肥市委网信办", "王敏", "0551-63500000", "合肥一"],
        [4, odd.name, None, None, "省直一"],
    ]
    assert overview.page_setup.fitToWidth == 1 and overview.sheet_properties.pageSetUpPr.fitToPage
    hefei_sheet = book["合肥市委网信办"]
    assert [hefei_sheet[f"A{r}"].value for r in (3, 4, 5)] == [
        "推荐单位：合肥市委网信办",
        "联系人：王敏",
        "电话：0551-63500000",
    ]
    wuhu_sheet = book["芜湖市委网信办"]
    assert wuhu_sheet["A3"].value == "推荐单位：芜湖市委网信办"
    h = _header_row(wuhu_sheet)
    assert [wuhu_sheet.cell(h + i, 2).value for i in (1, 2)] == ["芜湖一", "芜湖二"]


def test_province_sheet_names_stay_unique(campaign):
    same = [Unit(code=f"u{i}", name="某" * 40, kind=UnitKind.OTHER) for i in range(3)]
    book = load_workbook(io.BytesIO(build_province_xlsx(campaign, [(u, []) for u in same])))
    names = book.sheetnames[1:]
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("合肥市委网信办", "合肥市委网信办"),
        ("a[b]c:d*e?f/g\\h", "abcdefgh"),
        ("'引号'", "引号"),
        ("", "未命名"),
        ("[]:*?", "未命名"),
        ("History", "History（表）"),
        ("长" * 40, "长" * 31),
    ],
)
def test_sheet_title(name, expected):
    assert sheet_title(name) == expected


def test_sheet_title_deduplicates_case_insensitively():
    used: set[str] = set()
    assert [sheet_title(n, used) for n in ("ABC", "abc", "ABC")] == ["ABC", "abc（2）", "ABC（3）"]


def test_capitals_are_counted_wider_than_small_letters():
    from exporters.xlsx_cells import text_px

    assert text_px("ABCDEFGHIJ") > text_px("abcdefghij") > 0
    assert text_px("网络文明") == 2 * text_px("网络")
    assert lines_needed("A" * 60, 46) > lines_needed("a" * 60, 46) >= 2


# ---------------------------------------------------------------- widths for what casebot writes


def casebot_remarks_cases(count: int) -> list[Case]:
    """``count`` cases with ordinary names (up to 18 字) and the periods the dialog stores, shown as
    casebot shows them in 备注 ("开展实施时间：2022年6月—2023年6月", "开展实施时间：2023年3月15日")."""
    names = ["“清风e路”网络文明志愿服务行动（{n}）", "“合肥好人”网上寻访与宣传推介（{n}）", "网络文明进社区"]
    periods = ["2022-06/2023-06", "2023-03-15", "2022-09/", "2023-05"]
    return [
        make_case(
            n,
            names[n % len(names)].format(n=n),
            applicant="合肥市委网信办、合肥日报社" if n % 2 else "合肥市蜀山区委网信办",
            category="网络空间文明创建",
            period=periods[n % len(periods)],
        )
        for n in range(1, count + 1)
    ]


def test_fifteen_cases_with_casebot_remarks_fit_one_page(campaign, unit):
    from dialogs import periods

    cases = casebot_remarks_cases(15)
    sheet = load_workbook(io.BytesIO(build_summary_xlsx(campaign, unit, cases, period_display=periods.display))).active
    header = _header_row(sheet)
    remarks = [sheet.cell(header + i, 5).value for i in range(1, 16)]
    assert "开展实施时间：2022年6月—2023年6月" in remarks and "开展实施时间：2023年3月15日" in remarks
    for row in range(header + 1, header + 16):  # every row one line: nothing wraps
        assert sheet.row_dimensions[row].height == row_height(1), sheet.cell(row, 2).value
    setup = sheet.page_setup
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 1)
    assert setup.scale >= 90


def test_case_list_prints_the_time_and_phones_whole(campaign, unit):
    """提交时间 in a column wide enough for "2024-03-01 09:30" (else Excel prints ###); 联系方式
    as one number a line, each line ending after its 、, in a column as wide as the longest."""
    from exporters.xlsx_cells import CELL_PAD_PX, column_px, text_px

    phones = ["0551-62606335、13812345678", "0551-62606335转8001", "13812345678"]
    cases = [
        make_case(i + 1).model_copy(
            update={"form": make_case(i + 1).form.model_copy(update={"phone": phone, "contact": "李明"})}
        )
        for i, phone in enumerate(phones)
    ]
    sheet = load_workbook(io.BytesIO(build_case_list_xlsx(campaign, unit, cases))).active
    column = {c.value: c.column_letter for c in sheet[2]}
    assert text_px("2024-03-01 09:30") + 8 <= column_px(sheet.column_dimensions[column["提交时间"]].width)
    width = sheet.column_dimensions[column["联系方式"]].width
    shown = [sheet[f"{column['联系方式']}{row}"].value for row in range(3, 6)]
    assert sorted(shown) == sorted(["0551-62606335、\n13812345678", "0551-62606335转8001", "13812345678"])
    for value in shown:
        for line in value.split("\n"):
            assert text_px(line) <= column_px(width) - CELL_PAD_PX, line
        assert all(line.endswith("、") for line in value.split("\n")[:-1])
    for row in range(3, 6):
        lines = sheet[f"{column['联系方式']}{row}"].value.count("\n") + 1
        assert sheet.row_dimensions[row].height >= row_height(lines)
