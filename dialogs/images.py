"""Checking a picture from its bytes, never from its name or the MIME type a client claims.

A PDF renamed to .jpg, a truncated upload or a decompression bomb must be refused before any of
it reaches the Word form; other real image formats are converted to PNG or JPEG, which Word and
WPS both show.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from .campaign import Limits
from .models import PictureRef
from .validators import FieldError

_KEPT = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class CheckedPicture:
    ref: PictureRef
    data: bytes


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _open(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise FieldError(
                    f"图片尺寸过大（{width}×{height} 像素），单张图片不超过 {max_pixels // 10_000} 万像素，请缩小后重新发送。"
                )
            image.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
        return image
    except FieldError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FieldError("图片尺寸过大，无法处理，请缩小后重新发送。") from exc
    except UnidentifiedImageError as exc:
        raise FieldError("所发送的文件不是图片，请发送 JPG 或 PNG 格式的图片。") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise FieldError("图片文件已损坏或不完整，无法打开，请重新发送。") from exc


def _convert(image: Image.Image) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P") or "transparency" in image.info:
        image.convert("RGBA").save(buffer, "PNG", optimize=True)
        return buffer.getvalue(), "image/png"
    image.convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue(), "image/jpeg"


def check_picture(data: bytes, limits: Limits, caption: str = "") -> CheckedPicture:
    """Verify ``data`` is a real, whole, reasonably sized image; return it as JPEG or PNG."""
    if not data:
        raise FieldError("收到的文件为空，请重新发送图片。")
    if len(data) > limits.picture_bytes:
        raise FieldError(
            f"图片文件过大（{_mb(len(data))}），单张图片不超过 {_mb(limits.picture_bytes)}，请压缩后重新发送。"
        )
    image = _open(data, limits.picture_pixels)
    mime = _KEPT.get(image.format or "")
    if mime is None:
        data, mime = _convert(image)
    ref = PictureRef(
        sha256=hashlib.sha256(data).hexdigest(),
        mime=mime,
        width=image.width,
        height=image.height,
        size=len(data),
        caption=caption,
    )
    return CheckedPicture(ref=ref, data=data)
