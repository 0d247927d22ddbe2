"""The same cases give the same file, byte for byte, whatever the clock says.

Why: the exporters are pure (cases in, bytes out), and the outbox rebuilds files after a restart or
in the process pool. A clock read inside python-docx's or openpyxl's zip writer made two builds a
second apart differ (the pool test failed on CI for exactly that), and a workbook's "modified"
property said when the server saved it rather than when its cases last changed.
"""

from __future__ import annotations

import datetime
import io
import time
import zipfile
from collections.abc import Callable

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.disk.samples import SAMPLE_DATE, SAMPLE_TIME, sample_campaign, sample_cases, sample_form, sample_pictures
from dialogs.campaign import Campaign
from exporters.case_list_xlsx import build_case_list_xlsx
from exporters.form_docx import build_form_docx
from exporters.summary_xlsx import build_province_xlsx, build_summary_xlsx
from exporters.zip_stamps import fix_member_dates

A_DAY_LATER = 86_400.0


def _form(campaign: Campaign) -> bytes:
    pictures = sample_pictures()
    form = sample_form(pictures)
    return build_form_docx(form, campaign, pictures=[data for data, _ in pictures], on=SAMPLE_DATE)


def _summary(campaign: Campaign) -> bytes:
    unit = campaign.unit("hefei")
    assert unit is not None
    return build_summary_xlsx(campaign, unit, sample_cases(4))


def _case_list(campaign: Campaign) -> bytes:
    unit = campaign.unit("hefei")
    assert unit is not None
    return build_case_list_xlsx(campaign, unit, sample_cases(3))


def _province(campaign: Campaign) -> bytes:
    units = [(u, sample_cases(2, unit=u.code) if u.code == "hefei" else []) for u in campaign.units[:3]]
    return build_province_xlsx(campaign, units)


BUILDERS: dict[str, Callable[[Campaign], bytes]] = {
    "推荐表": _form,
    "汇总表": _summary,
    "全部申报案例": _case_list,
    "全省汇总": _province,
}


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_a_build_a_day_later_gives_the_same_bytes(
    build: Callable[[Campaign], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = sample_campaign()
    first = build(campaign)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + A_DAY_LATER)  # what zipfile stamps members with
    again = build(campaign)
    monkeypatch.undo()
    assert again == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None, "every member's CRC still matches after the dates were set"
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_form_still_opens_and_is_dated_by_its_case() -> None:
    doc = Document(io.BytesIO(_form(sample_campaign())))
    assert doc.core_properties.created == datetime.datetime.combine(SAMPLE_DATE, datetime.time(), tzinfo=datetime.UTC)
    assert any("案例名称" in cell.text for table in doc.tables for row in table.rows for cell in row.cells)


def test_a_workbook_is_dated_by_the_latest_change_of_its_cases() -> None:
    campaign = sample_campaign()
    unit = campaign.unit("hefei")
    assert unit is not None
    cases = sample_cases(3)
    later = SAMPLE_TIME + datetime.timedelta(days=2, hours=3)
    cases[1] = cases[1].model_copy(update={"updated_at": later})
    book = load_workbook(io.BytesIO(build_summary_xlsx(campaign, unit, cases)))
    expected = later.astimezone(datetime.UTC).replace(tzinfo=None)
    assert book.properties.modified == expected
    assert book.properties.created == expected
    empty = load_workbook(io.BytesIO(build_summary_xlsx(campaign, unit, [])))
    assert empty.properties.modified == datetime.datetime(campaign.year, 1, 1), "not the moment it was saved"


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"PK\x05\x06" + b"\x00" * 10, b"PK\x05\x06" + b"\x00" * 6 + b"\x01\x00" + b"\x00" * 10],
    ids=["empty", "text", "cut end record", "end record pointing nowhere"],
)
def test_what_is_not_a_zip_as_we_write_them_is_returned_unchanged(data: bytes) -> None:
    assert fix_member_dates(data) == data
