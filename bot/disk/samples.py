"""Sample 推荐表 and 汇总表, rendered to PDF and PNG, to see the layout a reviewer will print.

``casebot render-samples OUT_DIR`` writes a maximal sample form (a
300-字 summary, four parts of 2000 字 in all, two pictures, two phone numbers) and a city's 汇总表
of 15 cases with the remarks casebot writes ("开展实施时间：2022年6月—2023年6月"), converts both
with LibreOffice and renders every page to PNG. The sample data is also what the
layout tests and the benchmark use, so "maximal" means the same thing everywhere.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import tomllib
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from bot.disk.atomic import write_atomic
from bot.disk.office import convert_to_pdf, pdf_to_pngs
from dialogs import periods
from dialogs.campaign import Campaign, Unit, parse_campaign
from dialogs.models import Case, CaseForm, CaseState, PictureRef
from exporters.form_docx import build_form_docx
from exporters.summary_xlsx import build_summary_xlsx

SAMPLE_DATE = datetime.date(2024, 3, 1)
SAMPLE_TIME = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@cache
def _content() -> dict[str, Any]:
    """The sample case, as user content in ``samples.toml`` (not UI wording)."""
    return tomllib.loads(resources.files(__package__).joinpath("samples.toml").read_text(encoding="utf-8"))


_FONT_PLACES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


def _numbered(name: str, number: int) -> str:
    return str(_content()["numbered_name"]).format(name=name, number=number)


def sample_campaign() -> Campaign:
    """The packaged 2024 campaign, with a contact person filled in for 合肥."""
    text = resources.files("dialogs.campaigns").joinpath("2024.toml").read_text(encoding="utf-8")
    campaign = parse_campaign(text, "2024.toml")
    units = tuple(u.model_copy(update=dict(_content()["unit"])) if u.code == "hefei" else u for u in campaign.units)
    return campaign.with_units(units)


def sample_unit(campaign: Campaign) -> Unit:
    unit = campaign.unit("hefei")
    assert unit is not None, "the 2024 campaign lists hefei"
    return unit


def sample_pictures() -> list[tuple[bytes, PictureRef]]:
    """Two pictures made in memory: a JPEG photo-like scene and a PNG chart."""
    return [
        _picture(_scene(), "JPEG", _content()["pictures"]["scene_caption"]),
        _picture(_chart(), "PNG", _content()["pictures"]["chart_caption"]),
    ]


def sample_form(pictures: list[tuple[bytes, PictureRef]] | None = None) -> CaseForm:
    """A maximal 推荐表: every field answered, the text at its limits, two pictures."""
    refs = [ref for _, ref in (pictures if pictures is not None else sample_pictures())]
    return CaseForm(unit="hefei", period="2022-03", pictures=refs, **_content()["form"])


def sample_cases(count: int = 4, unit: str = "hefei") -> list[Case]:
    """``count`` recommended cases of ``unit`` in rank order, names and periods cycling through the samples."""
    cases = []
    samples = _content()["cases"]
    spans = _content()["periods"]
    for index in range(count):
        sample = dict(samples[index % len(samples)])
        if count > len(samples):
            sample["name"] = _numbered(sample["name"], index + 1)
        form = CaseForm(unit=unit, period=spans[index % len(spans)], **sample)
        cases.append(
            Case(
                id=index + 1,
                owner=f"u{index + 1}",
                unit=unit,
                state=CaseState.RECOMMENDED,
                rank=index + 1,
                form=form,
                created_at=SAMPLE_TIME,
                submitted_at=SAMPLE_TIME,
                updated_at=SAMPLE_TIME,
            )
        )
    return cases


def render_samples(out_dir: Path) -> list[Path]:
    """Write the sample .docx and .xlsx to ``out_dir``, convert them, return the page PNGs."""
    out_dir = Path(out_dir)
    campaign = sample_campaign()
    pictures = sample_pictures()
    form = build_form_docx(sample_form(pictures), campaign, pictures=[data for data, _ in pictures], on=SAMPLE_DATE)
    summary = build_summary_xlsx(campaign, sample_unit(campaign), sample_cases(15), period_display=periods.display)
    sources = [out_dir / "sample-form.docx", out_dir / "sample-summary.xlsx"]
    for path, data in zip(sources, (form, summary), strict=False):
        write_atomic(path, data)
    with ThreadPoolExecutor(max_workers=2) as pool:  # each conversion has its own profile
        pdfs = list(pool.map(lambda src: convert_to_pdf(src, out_dir), sources))
    pages: list[Path] = []
    for pdf in pdfs:
        pages.extend(pdf_to_pngs(pdf, out_dir))
    return pages


# ---------------------------------------------------------------- generated pictures


def _picture(image: Image.Image, kind: str, caption: str) -> tuple[bytes, PictureRef]:
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"quality": 85} if kind == "JPEG" else {"optimize": True}))
    data = buffer.getvalue()
    ref = PictureRef(
        sha256=hashlib.sha256(data).hexdigest(),
        mime="image/jpeg" if kind == "JPEG" else "image/png",
        width=image.width,
        height=image.height,
        size=len(data),
        caption=caption,
    )
    return data, ref


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for place in _FONT_PLACES:
        if Path(place).is_file():
            return ImageFont.truetype(place, size)
    return ImageFont.load_default()


def _scene() -> Image.Image:
    """A lecture hall: a banner, a screen and an audience, in soft colours."""
    width, height = 1600, 1000
    image = Image.new("RGB", (width, height), (236, 240, 245))
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):  # a warm wall fading to the floor
        shade = 250 - y // 8
        draw.line([(0, y), (width, y)], fill=(shade, shade - 10, shade - 30))
    draw.rectangle([0, height // 2, width, height], fill=(184, 140, 100))
    draw.rectangle([200, 60, 1400, 150], fill=(190, 30, 45))
    pictures = _content()["pictures"]
    draw.text((800, 105), pictures["scene_banner"], font=_font(56), fill="white", anchor="mm")
    draw.rectangle([450, 190, 1150, 520], fill=(40, 60, 90), outline=(20, 20, 20), width=6)
    draw.text((800, 300), pictures["scene_screen"][0], font=_font(64), fill=(255, 230, 120), anchor="mm")
    draw.text((800, 400), pictures["scene_screen"][1], font=_font(64), fill="white", anchor="mm")
    for row in range(4):
        for column in range(12):
            x = 110 + column * 125 + (row % 2) * 40
            y = 640 + row * 90
            draw.ellipse([x, y, x + 60, y + 60], fill=(60 + row * 20, 50, 40))
            draw.rectangle([x - 10, y + 55, x + 70, y + 120], fill=(50 + column * 12, 90, 150 - row * 20))
    return image


def _chart() -> Image.Image:
    """A bar chart of lectures per quarter, the kind of figure a 实施成效 section shows."""
    width, height = 1200, 900
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    pictures = _content()["pictures"]
    draw.text((600, 60), pictures["chart_title"], font=_font(44), fill="black", anchor="mm")
    values = (32, 58, 71, 86, 94, 105, 112, 122)
    left, bottom, top = 120, 780, 150
    draw.line([(left, top), (left, bottom), (width - 60, bottom)], fill="black", width=3)
    step = (width - 60 - left) // len(values)
    label_font = _font(28)
    for index, value in enumerate(values):
        x = left + 20 + index * step
        bar_top = bottom - int((bottom - top - 40) * value / max(values))
        draw.rectangle([x, bar_top, x + step - 40, bottom], fill=(190, 30, 45))
        draw.text((x + (step - 40) // 2, bar_top - 24), str(value), font=label_font, fill="black", anchor="mm")
        year, quarter = 2022 + index // 4, index % 4 + 1
        draw.text(
            (x + (step - 40) // 2, bottom + 40),
            pictures["chart_label"].format(year=year % 100, quarter=quarter),
            font=label_font,
            fill="black",
            anchor="mm",
        )
    return image
