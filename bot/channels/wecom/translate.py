"""A WeCom message becomes a dialog event; nothing here decides what the event means.

Texts are commands or answers exactly as on every channel; a picture is fetched by its MediaId and
becomes the same :class:`~dialogs.events.Pictures` a Telegram photo does. WeCom never forwards a
file to an application, so a user who tries gets a WeCom-specific refusal saying what to do instead
(paste the text of a .docx, photograph a sealed scan) without troubling the dialog. Of the events,
a new follower is greeted, a button card's press is a :class:`~dialogs.events.Press`, a menu entry
whose key is a command is that command, and the rest (opening the app, leaving it) say nothing.
"""

from __future__ import annotations

import logging

from dialogs.events import Event, PictureIn, Pictures, Press, Unsupported, parse_text
from dialogs.wording import t

from .api import MEDIA_BYTES, MediaTooLarge, WeComApi, WeComApiError
from .messages import Event as WeComEvent
from .messages import Image, Inbound, Text
from .messages import Unsupported as WeComUnsupported

log = logging.getLogger(__name__)

# MsgTypes the form has no place for, and the wording key of each one's name.
_KINDS = {
    "voice": "wecom.kinds.voice",
    "video": "wecom.kinds.video",
    "location": "wecom.kinds.location",
    "link": "wecom.kinds.link",
}
_FILES = frozenset({"file", "doc", "docmessage"})


async def to_event(inbound: Inbound, api: WeComApi) -> Event | str | None:
    """Translate one message: an event for the service, a refusal to send as it is, or None for silence."""
    if isinstance(inbound, Text):
        return parse_text(inbound.content)
    if isinstance(inbound, Image):
        return await _picture(inbound, api)
    if isinstance(inbound, WeComUnsupported):
        if inbound.kind in _FILES:
            return t("wecom.no_files")
        return Unsupported(kind=t(_KINDS.get(inbound.kind, "wecom.kinds.other")))
    if isinstance(inbound, WeComEvent):
        return _event(inbound)
    return None


def _event(inbound: WeComEvent) -> Event | str | None:
    if inbound.event == "subscribe":
        return t("wecom.greeting")
    if inbound.event == "template_card_event" and inbound.event_key:
        return Press(data=inbound.event_key)
    if inbound.event == "click" and inbound.event_key.startswith("/"):
        return parse_text(inbound.event_key)
    return None  # enter_agent, unsubscribe, view, location reports: nothing to answer


async def _picture(inbound: Image, api: WeComApi) -> Pictures | str:
    try:
        data = await api.download_media(inbound.media_id)
    except MediaTooLarge:
        return t("wecom.too_big", mb=MEDIA_BYTES // 1024 // 1024)
    except WeComApiError as error:
        log.warning("picture %s of %s not fetched: %s", inbound.media_id, inbound.user, error)
        return t("wecom.media_failed")
    return Pictures(items=(PictureIn(data=data, filename="image.jpg"),))
