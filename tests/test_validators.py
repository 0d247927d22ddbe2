"""Tables of good and bad answers for every field of the 推荐表."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dialogs import validators
from dialogs.campaign import Campaign
from dialogs.images import check_picture
from dialogs.validators import FieldError
from dialogs.wordcount import count_zi
from tests.helpers import make_image

BAD_TEXT = [
    pytest.param("", "不能为空", id="empty"),
    pytest.param("   \t  ", "不能为空", id="whitespace-only"),
    pytest.param("\u200b\u200c\ufeff", "不能为空", id="zero-width-only"),
    pytest.param("案例\x00名称", "控制字符", id="nul"),
    pytest.param("案例\x1b[31m名称", "控制字符", id="escape-sequence"),
    pytest.param("案例\u202e名称", "控制字符", id="bidi-override"),
    pytest.param("清朗行动😀", "表情符号", id="emoji"),
    pytest.param("清朗行动👍🏻", "表情符号", id="emoji-skin-tone"),
    pytest.param("字" * 10_000, "超出 9940 字", id="10000-chars"),
    pytest.param("第一行\n第二行", "一行", id="newline"),
]


@pytest.mark.parametrize(("raw", "message"), BAD_TEXT)
def test_a_bad_case_name_is_refused_with_the_rule_named(raw: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        validators.short_text(raw, label="案例名称", limit=60)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("清朗网络共建行动", "清朗网络共建行动"),
        ("  清朗　网络  共建 ", "清朗 网络 共建"),
        ("清\u200b朗行动", "清朗行动"),
        ("“指尖上的文明”——2023 年主题活动", "“指尖上的文明”——2023 年主题活动"),
    ],
)
def test_a_good_case_name_is_stored_normalised(raw: str, stored: str) -> None:
    assert validators.short_text(raw, label="案例名称", limit=60) == stored


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", "网络空间思想引领"),
        ("６", "网络空间文明创建"),
        ("第3类", "网络空间道德建设"),
        ("三", "网络空间道德建设"),
        ("网络空间生态治理", "网络空间生态治理"),
        ("生态治理", "网络空间生态治理"),
        ("网络空间行业规范", "网络空间行为规范"),
        ("行业规范", "网络空间行为规范"),
        (" 4. ", "网络空间行为规范"),
    ],
)
def test_a_category_is_taken_by_number_name_or_alias(campaign: Campaign, raw: str, expected: str) -> None:
    assert validators.category(raw, campaign.categories) == expected


@pytest.mark.parametrize("raw", ["0", "7", "网络安全", "😀", "", "网络空间"])
def test_an_unknown_category_lists_the_six(campaign: Campaign, raw: str) -> None:
    with pytest.raises(FieldError) as error:
        validators.category(raw, campaign.categories)
    if raw and raw != "😀":
        assert "网络空间文明创建" in str(error.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022年3月", "2022-03"),
        ("2022-03", "2022-03"),
        ("2022.3", "2022-03"),
        ("2022/03", "2022-03"),
        ("２０２２年３月", "2022-03"),
        ("2021年9月", "2021-09"),
        ("2023-12", "2023-12"),
        ("202305", "2023-05"),
    ],
)
def test_a_month_inside_the_window_is_accepted(campaign: Campaign, raw: str, expected: str) -> None:
    assert validators.period(raw, campaign.window) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2021年8月", "2021年9月至2023年12月"),
        ("2024年1月", "2021年9月至2023年12月"),
        ("2023年13月", "1 至 12"),
        ("去年春天", "格式"),
        ("", "不能为空"),
        ("2022", "格式"),
    ],
)
def test_a_month_outside_the_window_names_the_window(campaign: Campaign, raw: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        validators.period(raw, campaign.window)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0551—62606335", "0551-62606335"),
        ("0551–62606335", "0551-62606335"),
        ("0551‐62606335", "0551-62606335"),
        ("(0551) 6260 6335", "0551-62606335"),
        ("010-12345678", "010-12345678"),
        ("0551-62606335转123", "0551-62606335-123"),
        ("0551-62606335-8", "0551-62606335-8"),
        ("０５５１－６２６０６３３５", "0551-62606335"),
    ],
)
def test_a_phone_number_is_stored_normalised(raw: str, stored: str) -> None:
    assert validators.phone(raw) == stored


@pytest.mark.parametrize("raw", ["12345", "1381234567", "23812345678", "62606335", "电话", "", "0551-123"])
def test_a_wrong_phone_number_is_refused(raw: str) -> None:
    with pytest.raises(FieldError):
        validators.phone(raw)


@pytest.mark.parametrize(
    ("text", "zi"),
    [("2024年", 2), ("你好，世界。", 6), ("5G+AI", 1), ("hello world", 2), (" \n\t", 0), ("“清朗”行动", 6)],
)
def test_zi_are_counted_as_word_counts_them(text: str, zi: int) -> None:
    assert count_zi(text) == zi


def test_a_summary_of_300_zi_passes_and_301_is_refused_by_1() -> None:
    assert count_zi(validators.long_text("字" * 300, label="案例简介", limit=300)) == 300
    with pytest.raises(FieldError, match="超出 1 字"):
        validators.long_text("字" * 301, label="案例简介", limit=300)


def test_content_of_2000_zi_passes_and_2001_is_refused() -> None:
    assert validators.long_text("字" * 500, label="经验启示", limit=2000, used_elsewhere=1500)
    with pytest.raises(FieldError, match="超出 1 字"):
        validators.long_text("字" * 501, label="经验启示", limit=2000, used_elsewhere=1500)


def test_long_text_keeps_line_breaks_and_trims_blank_runs() -> None:
    assert validators.long_text("第一段。\n\n\n\n第二段。 ", label="x", limit=300) == "第一段。\n\n第二段。"


# -- pictures ------------------------------------------------------------------------------


def _bytes(fmt: str, size: tuple[int, int] = (32, 32), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("fmt", "mime"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_jpeg_and_png_are_kept_as_they_are(campaign: Campaign, fmt: str, mime: str) -> None:
    data = _bytes(fmt)
    checked = check_picture(data, campaign.limits)
    assert checked.ref.mime == mime and checked.data == data


@pytest.mark.parametrize(
    ("fmt", "mode", "mime"),
    [
        ("GIF", "P", "image/png"),
        ("BMP", "RGB", "image/jpeg"),
        ("WEBP", "RGB", "image/jpeg"),
        ("TIFF", "RGBA", "image/png"),
    ],
)
def test_other_image_formats_are_converted(campaign: Campaign, fmt: str, mode: str, mime: str) -> None:
    checked = check_picture(_bytes(fmt, mode=mode), campaign.limits)
    assert checked.ref.mime == mime
    assert Image.open(io.BytesIO(checked.data)).format in ("PNG", "JPEG")


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
    pytest.param(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "不是图片", id="pdf"),
    pytest.param(make_image("JPEG", (200, 200))[:600], "损坏", id="truncated-jpeg"),
    pytest.param(_png_header_claiming(20_000, 20_000), "尺寸过大", id="20000x20000-png"),
    pytest.param(b"\x00" * (11 * 1024 * 1024), "过大", id="11-MB"),
]


@pytest.mark.parametrize(("data", "message"), BAD_PICTURES)
def test_a_bad_picture_is_refused_with_the_reason(campaign: Campaign, data: bytes, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        check_picture(data, campaign.limits)
