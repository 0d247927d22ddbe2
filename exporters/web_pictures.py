"""A case's picture made fit for a web page: at most 1 200 pixels on its longer edge, re-encoded.

Why re-encode and not copy: the 推荐表 keeps pictures up to 3 000 pixels (print quality), which is
too heavy for a phone; and a photo straight from a camera carries EXIF data, GPS position among it,
which a published page must not. Decoding and saving again keeps only the pixels.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

WEB_EDGE = 1200


@dataclass(frozen=True)
class WebPicture:
    data: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int


def web_picture(data: bytes, edge: int = WEB_EDGE) -> WebPicture:
    """``data`` (a checked JPEG or PNG) scaled down to ``edge`` and saved without its metadata."""
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        png = opened.format == "PNG"
        image.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if png:
            image.save(buffer, "PNG", optimize=True)
        else:
            image.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
        return WebPicture(buffer.getvalue(), "png" if png else "jpg", image.width, image.height)
