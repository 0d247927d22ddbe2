"""A loopback WeCom API and callback builders for tests of the WeCom channel."""

from .callbacks import CallbackSigner, event_xml, image_xml, text_xml, unsupported_xml
from .fake import TEXT_TOO_LONG, Upload, WeComFake

__all__ = [
    "TEXT_TOO_LONG",
    "CallbackSigner",
    "Upload",
    "WeComFake",
    "event_xml",
    "image_xml",
    "text_xml",
    "unsupported_xml",
]
