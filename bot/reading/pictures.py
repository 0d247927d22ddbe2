"""Checking a picture from its bytes, and keeping a clean copy of it, never the bytes a phone sent.

A PDF renamed to .jpg, a truncated upload or a decompression bomb is refused before any of it
reaches the Word form. Everything else Pillow can open (HEIC/HEIF through pillow-heif, CMYK,
progressive and header-less JPEGs, WebP, TIFF, BMP, GIF …) is decoded once, turned upright by its
EXIF orientation, scaled down to the campaign's ``picture_edge`` if larger, and encoded afresh: an
RGB JPEG, or a PNG when it has transparency or is a graphic (PNG, GIF, palette). The fresh file
carries no metadata at all, no EXIF (GPS above all), XMP, comments or ICC profile, so nothing we
store, embed in the 推荐表 or export can locate the photographer; and python-docx reads every file
it writes (a JPEG without JFIF/EXIF header, which Word cannot take, never reaches it).

It runs in the shell, in a process of its own (:mod:`bot.reading.sandbox`, through :mod:`bot.reading.reader`):
the dialog receives only what was read, a :class:`dialogs.events.PictureChecked`.

Memory stays bounded: the pixel count is checked from the header before anything is decoded, and a
large JPEG is decoded at a reduced scale (``draft``) close to the size it will be kept at.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from functools import cache

from PIL import ExifTags, Image, UnidentifiedImageError

from dialogs.campaign import Limits
from dialogs.errors import FieldError
from dialogs.events import PictureChecked, PictureIn
from dialogs.models import PictureRef
from dialogs.wording import t

_GRAPHICS = {"PNG", "GIF"}
_ALPHA = {"RGBA", "LA", "PA", "RGBa", "La"}
JPEG_QUALITY = 90


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


@cache
def _register_heif() -> None:
    """HEIC/HEIF (iPhone photos) through pillow-heif, registered on first use so importing the dialog stays cheap."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


# Formats decoded at full size in one go (no reduced-scale decoding as JPEG has): one that claims more pixels
# per byte of file than a photograph ever packs is refused from its header, before the decoder spends
# seconds and hundreds of megabytes on it (a 40-megapixel WebP of 200 KB). PNG and GIF graphics (a flat
# screenshot compresses far better than that) are decoded strip by strip below, within a memory bound.
_FULL_DECODE = {"WEBP", "HEIF", "AVIF"}
MAX_PIXELS_PER_BYTE = 100  # a lossy photograph keeps well under 10


def _expands(image: Image.Image, data: bytes, edge: int) -> bool:
    pixels = image.size[0] * image.size[1]
    return image.format in _FULL_DECODE and pixels > edge * edge and pixels > MAX_PIXELS_PER_BYTE * len(data)


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """The image with only its header read; refuses non-images and sizes beyond ``max_pixels``."""
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FieldError(t("images.bomb")) from exc
    except UnidentifiedImageError as exc:
        raise FieldError(t("images.not_a_picture")) from exc
    except Exception as exc:  # a decoder meeting hostile bytes raises anything from OSError to struct.error
        raise FieldError(t("images.broken")) from exc
    width, height = image.size
    if width < 1 or height < 1:
        raise FieldError(t("images.broken"))
    if width * height > max_pixels:
        raise FieldError(t("images.too_many_pixels", width=width, height=height, most=max_pixels // 10_000))
    return image


# EXIF orientation → the transposition that shows the picture upright (as ImageOps.exif_transpose does).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_STRIP_ROWS = 256  # rows of the kept picture made at a time when scaling down


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # a malformed EXIF block: the pixels are fine, only their orientation is unknown
        return 1
    return value if isinstance(value, int) else 1


def _target(image: Image.Image, source: str) -> tuple[str, str]:
    """The mode and format to keep: PNG for transparency and graphics, an RGB JPEG for photographs."""
    if image.mode in _ALPHA or "transparency" in image.info:
        return "RGBA", "PNG"
    if source in _GRAPHICS or image.mode in ("P", "1"):
        return "RGB", "PNG"
    return "RGB", "JPEG"


def _as(image: Image.Image, mode: str) -> Image.Image:
    if image.mode == mode:
        return image
    try:
        return image.convert(mode)
    except ValueError:  # 16-bit and float modes convert through L
        return image.convert("L").convert(mode)


def _shrunk(image: Image.Image, mode: str, edge: int) -> Image.Image:
    """``image`` in ``mode`` with its long side at most ``edge``, never holding a second full-size copy.

    Scaling is by a whole factor, a strip at a time: each strip is converted and box-averaged on its
    own (a whole-image resize of RGBA would first make a premultiplied copy as large as the original).
    """
    factor = -(-max(image.size) // edge)
    if factor <= 1:
        return _as(image, mode)
    width, height = image.size
    kept = Image.new(mode, (-(-width // factor), -(-height // factor)))
    rows = _STRIP_ROWS * factor
    for top in range(0, height, rows):
        strip = _as(image.crop((0, top, width, min(top + rows, height))), mode)
        kept.paste(strip.reduce(factor), (0, top // factor))
    return kept


def _decode(image: Image.Image, source: str, edge: int) -> tuple[Image.Image, str]:
    """Pixels upright, in the mode they are kept in and at most ``edge`` on the long side; and the format."""
    if source == "JPEG":
        image.draft(None, (edge, edge))  # DCT scaling: a 6000-px photo decodes at 1/2 or 1/4 straight away
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image.load()
    mode, fmt = _target(image, source)
    turn = _UPRIGHT.get(_orientation(image))
    kept = _shrunk(image, mode, edge)
    if turn is not None:
        kept = kept.transpose(turn)
    return kept, fmt


def _encode(image: Image.Image, fmt: str) -> tuple[bytes, str]:
    """A fresh file without any metadata: ``info`` is emptied, so no EXIF, XMP, ICC or comment is copied."""
    buffer = io.BytesIO()
    image.info = {}
    if fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
        return buffer.getvalue(), "image/png"
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue(), "image/jpeg"


def check_picture(data: bytes, limits: Limits, caption: str = "") -> PictureChecked:
    """Verify ``data`` is a real, whole, reasonably sized image; return a clean JPEG or PNG of it.

    ``data`` of the result is what must be stored: never the bytes received.
    """
    if not data:
        raise FieldError(t("images.empty"))
    if len(data) > limits.picture_bytes:
        raise FieldError(t("images.too_large", size=_mb(len(data)), most=_mb(limits.picture_bytes)))
    if data.startswith(b"%PDF"):
        raise FieldError(t("images.pdf"))
    image = _open(data, limits.picture_pixels)
    source = image.format or ""
    if _expands(image, data, limits.picture_edge):
        width, height = image.size
        raise FieldError(t("images.expands", width=width, height=height, kb=max(len(data) // 1024, 1)))
    try:
        kept, fmt = _decode(image, source, limits.picture_edge)
        clean, mime = _encode(kept, fmt)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FieldError(t("images.bomb")) from exc
    except MemoryError as exc:
        raise FieldError(t("images.bomb")) from exc
    except Exception as exc:  # truncated or corrupt pixel data, an unsupported variant of a format
        raise FieldError(t("images.broken")) from exc
    width, height = kept.size
    image.close()
    ref = PictureRef(
        sha256=hashlib.sha256(clean).hexdigest(),
        mime=mime,
        width=width,
        height=height,
        size=len(clean),
        caption=caption,
    )
    return PictureChecked(ref=ref, data=clean)


def read_picture(picture: PictureIn, limits: Limits) -> PictureChecked:
    """One picture as the dialog receives it: the clean copy, or the reason it was refused in words.

    Runs in the sandbox's child; its answer is plain data, so it crosses the pipe whatever happened."""
    try:
        checked = check_picture(picture.data, limits)
    except FieldError as error:
        return PictureChecked(refusal=str(error), caption=picture.caption)
    return PictureChecked(ref=checked.ref, data=checked.data, caption=picture.caption)
