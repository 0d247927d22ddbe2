"""Pictures as a phone takes them: upright, without any metadata, in a format the 推荐表 embeds."""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
import zipfile

import pytest
from PIL import ExifTags, Image

from bot.reading.pictures import check_picture
from dialogs.campaign import Campaign, Limits
from dialogs.models import CaseForm
from dialogs.validators import FieldError
from exporters.form_docx import build_form_docx
from tests.helpers import make_image

RED, BLUE = (220, 20, 20), (20, 20, 220)
LATITUDE = (31.0, 52.0, 12.3456)


def _phone_photo(orientation: int = 6, size: tuple[int, int] = (80, 40)) -> bytes:
    """A JPEG as a phone stores it: sensor-wise (left half red, right half blue), EXIF orientation, GPS, XMP."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (117.0, 17.0, 0.0)
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="31,52N"/></rdf:RDF></x:xmpmeta>'
    image.save(buffer, "JPEG", quality=95, exif=exif, xmp=xmp, comment=b"secret place")
    return buffer.getvalue()


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel[:3], colour, strict=True))


def _assert_clean(data: bytes) -> None:
    """No EXIF (so no GPS), XMP, comment or ICC profile in the bytes we keep."""
    image = Image.open(io.BytesIO(data))
    assert len(image.getexif()) == 0
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"):
        assert key not in image.info, key
    for marker in (b"Exif\x00\x00", b"GPS", b"xmpmeta", b"secret place", b"PhoneMaker"):
        assert marker not in data, marker


def test_the_photo_has_what_the_test_claims() -> None:
    original = Image.open(io.BytesIO(_phone_photo()))
    assert original.getexif()[ExifTags.Base.Orientation] == 6
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"secret place" in _phone_photo()


def test_orientation_6_comes_out_upright(campaign: Campaign) -> None:
    checked = check_picture(_phone_photo(6), campaign.limits)
    upright = Image.open(io.BytesIO(checked.data)).convert("RGB")
    # rotated 90° clockwise for display: the sensor's left (red) half is now on top
    assert upright.size == (40, 80) == (checked.ref.width, checked.ref.height)
    assert _near(upright.getpixel((20, 10)), RED)  # type: ignore[arg-type]
    assert _near(upright.getpixel((20, 70)), BLUE)  # type: ignore[arg-type]


@pytest.mark.parametrize(("orientation", "size"), [(1, (80, 40)), (3, (80, 40)), (8, (40, 80))])
def test_other_orientations_come_out_upright(campaign: Campaign, orientation: int, size: tuple[int, int]) -> None:
    upright = Image.open(io.BytesIO(check_picture(_phone_photo(orientation), campaign.limits).data)).convert("RGB")
    assert upright.size == size
    if orientation == 8:  # rotated 90° anticlockwise: the red half is at the bottom
        assert _near(upright.getpixel((20, 70)), RED)  # type: ignore[arg-type]
    else:
        left = upright.getpixel((10, 20))
        assert _near(left, RED if orientation == 1 else BLUE)  # type: ignore[arg-type]


def test_gps_and_every_other_metadata_are_gone_from_the_stored_bytes(campaign: Campaign) -> None:
    checked = check_picture(_phone_photo(), campaign.limits)
    _assert_clean(checked.data)
    assert checked.ref.mime == "image/jpeg"


def test_the_embedded_picture_in_the_form_is_upright_and_clean(campaign: Campaign) -> None:
    checked = check_picture(_phone_photo(6), campaign.limits, "活动现场")
    form = CaseForm(name="清朗行动", pictures=[checked.ref])
    docx = build_form_docx(form, campaign, pictures=[checked.data], on=datetime.date(2024, 3, 1))
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        media = [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]
    assert media == [checked.data]
    embedded = Image.open(io.BytesIO(media[0])).convert("RGB")
    assert embedded.size == (40, 80) and _near(embedded.getpixel((20, 10)), RED)  # type: ignore[arg-type]
    _assert_clean(media[0])


def _cmyk_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("CMYK", (64, 48), (0, 255, 255, 0)).save(buffer, "JPEG")
    return buffer.getvalue()


def _headerless_jpeg() -> bytes:
    """A JPEG with its JFIF APP0 segment cut out: SOI straight into the tables, as some cameras write."""
    data = make_image("JPEG", (64, 48))
    assert data[2:4] == b"\xff\xe0"
    app0_length = int.from_bytes(data[4:6], "big")
    stripped = data[:2] + data[4 + app0_length :]
    assert b"JFIF" not in stripped and b"Exif" not in stripped
    return stripped


def _progressive_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "JPEG", progressive=True)
    return buffer.getvalue()


def _heic() -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), RED).save(buffer, "HEIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "make", [_cmyk_jpeg, _headerless_jpeg, _progressive_jpeg, _heic], ids=["cmyk", "headerless", "progressive", "heic"]
)
def test_every_jpeg_variant_and_heic_is_reencoded_and_embedded(campaign: Campaign, make) -> None:  # type: ignore[no-untyped-def]
    checked = check_picture(make(), campaign.limits)
    assert checked.ref.mime == "image/jpeg"
    kept = Image.open(io.BytesIO(checked.data))
    assert kept.format == "JPEG" and kept.mode == "RGB" and kept.size == (64, 48)
    assert b"JFIF" in checked.data[:20]  # python-docx (and Word) need the header
    form = CaseForm(name="清朗行动", pictures=[checked.ref])
    docx = build_form_docx(form, campaign, pictures=[checked.data])
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        assert [n for n in archive.namelist() if n.startswith("word/media/")]
        assert "无法嵌入" not in archive.read("word/document.xml").decode()


def test_cmyk_colours_survive_the_conversion(campaign: Campaign) -> None:
    kept = Image.open(io.BytesIO(check_picture(_cmyk_jpeg(), campaign.limits).data)).convert("RGB")
    assert _near(kept.getpixel((5, 5)), (255, 0, 0))  # type: ignore[arg-type]  # C0 M100 Y100 K0 is red


def _bytes(fmt: str, size: tuple[int, int] = (32, 32), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "mode", "mime"),
    [
        ("JPEG", "RGB", "image/jpeg"),
        ("JPEG", "L", "image/jpeg"),
        ("PNG", "RGB", "image/png"),
        ("PNG", "RGBA", "image/png"),
        ("PNG", "I;16", "image/png"),
        ("GIF", "P", "image/png"),
        ("BMP", "RGB", "image/jpeg"),
        ("WEBP", "RGB", "image/jpeg"),
        ("WEBP", "RGBA", "image/png"),
        ("TIFF", "RGBA", "image/png"),
        ("TIFF", "CMYK", "image/jpeg"),
    ],
)
def test_every_format_pillow_opens_becomes_a_jpeg_or_png(campaign: Campaign, fmt: str, mode: str, mime: str) -> None:
    checked = check_picture(_bytes(fmt, mode=mode), campaign.limits)
    assert checked.ref.mime == mime
    kept = Image.open(io.BytesIO(checked.data))
    assert kept.format == mime.removeprefix("image/").upper() and kept.mode in ("RGB", "RGBA")
    assert checked.ref.sha256 and checked.ref.size == len(checked.data)


def test_a_huge_picture_is_scaled_down_to_the_campaign_edge(campaign: Campaign) -> None:
    big = Image.new("RGB", (6000, 4000), "white")
    buffer = io.BytesIO()
    big.save(buffer, "JPEG", quality=50)
    checked = check_picture(buffer.getvalue(), campaign.limits)
    assert (checked.ref.width, checked.ref.height) == (campaign.limits.picture_edge, 2000)


_RSS_PROBE = """
import sys
from dialogs.campaign import Limits
from bot.reading.pictures import check_picture
def peak_mb():  # VmHWM: this process's own peak resident memory (ru_maxrss would include the parent's)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) // 1024
data = open(sys.argv[1], "rb").read()
before = peak_mb()
checked = check_picture(data, Limits(summary_zi=300, content_zi=2000, pictures_max=2, picture_bytes=50_000_000))
print(checked.ref.width, checked.ref.height, checked.ref.mime, peak_mb() - before)
"""


def test_a_6000_by_6000_rgba_png_is_scaled_down_within_a_memory_bound(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.png"
    Image.new("RGBA", (6000, 6000), (10, 200, 30, 128)).save(path, "PNG")
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    out = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(path)], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    width, height, mime, grown_mb = int(out[0]), int(out[1]), out[2], int(out[3])
    assert (width, height, mime) == (3000, 3000, "image/png")
    assert grown_mb < 250  # the decoded 6000×6000 RGBA is 137 MB; no second copy of that size is made


def _png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: the shape of a decompression bomb."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = zlib.compress(row * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


BAD_PICTURES = [
    pytest.param(b"", "为空", id="empty"),
    pytest.param("这是一个文本文件，不是图片。".encode(), "不是图片", id="text-file"),
    pytest.param(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "PDF 文件，不是图片", id="pdf"),
    pytest.param(make_image("JPEG", (200, 200))[:600], "损坏", id="truncated-jpeg"),
    pytest.param(make_image("PNG", (200, 200))[:-40], "损坏", id="truncated-png"),
    pytest.param(b"\xff\xd8\xff\xe0" + b"\x00" * 100, "损坏|不是图片", id="jpeg-magic-only"),
    pytest.param(_png_header_claiming(20_000, 20_000), "尺寸过大", id="20000x20000-png"),
    pytest.param(_png_header_claiming(100_000, 100_000), "尺寸过大", id="bomb-beyond-pillow-limit"),
    pytest.param(b"\x00" * (11 * 1024 * 1024), "过大", id="11-MB"),
]


@pytest.mark.parametrize(("data", "message"), BAD_PICTURES)
def test_a_bad_picture_is_refused_with_the_reason(campaign: Campaign, data: bytes, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        check_picture(data, campaign.limits)


def test_the_limits_come_from_the_campaign() -> None:
    tight = Limits(summary_zi=300, content_zi=2000, pictures_max=2, picture_pixels=10_000, picture_edge=100)
    with pytest.raises(FieldError, match="1 万像素"):
        check_picture(make_image("PNG", (200, 200)), tight)
    checked = check_picture(make_image("PNG", (100, 50)), tight)
    assert (checked.ref.width, checked.ref.height) == (100, 50)
