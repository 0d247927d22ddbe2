"""The decrypted callback XML, read into typed inbound messages.

Why typed here and not in the service: WeCom's XML is one flat element with fields that depend on
``MsgType``; the rest of casebot should see "a text from wecom:zhangsan", never the XML. Parsing is
strict about what could hurt (a DTD or entity declaration is refused, never expanded) and
forgiving about what does not (unknown extra fields are ignored).

The dedupe key is what makes a retried delivery apply once: WeCom retries a callback up to three
times when the 5-second deadline is missed, with the same MsgId; events carry no MsgId, so
FromUserName + CreateTime (+ the event and its key) stand in for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.parsers import expat

USER_PREFIX = "wecom"
MAX_XML_BYTES = 1 << 20


class MessageError(ValueError):
    """A callback body that is not a WeCom message we can read."""


@dataclass(frozen=True)
class Inbound:
    """What every callback carries. ``sender`` is the raw UserID; ``user`` the casebot user id."""

    sender: str
    create_time: int
    agent_id: str
    msg_id: str

    @property
    def user(self) -> str:
        """``wecom:<userid>``, lower-cased: WeCom treats UserIDs case-insensitively."""
        return f"{USER_PREFIX}:{self.sender.lower()}"

    @property
    def dedupe_key(self) -> str:
        """MsgId when present, otherwise the sender, the time and what the event says."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"evt:{self.sender.lower()}:{self.create_time}:{self._event_part()}"

    def _event_part(self) -> str:
        return ""


@dataclass(frozen=True)
class Text(Inbound):
    content: str


@dataclass(frozen=True)
class Image(Inbound):
    pic_url: str
    media_id: str


@dataclass(frozen=True)
class Unsupported(Inbound):
    """A message kind casebot does not take (files never reach an application; voice, video, places)."""

    kind: str


@dataclass(frozen=True)
class Event(Inbound):
    """subscribe, enter_agent, click, template_card_event (EventKey = the button's key, TaskId = the card's)."""

    event: str
    event_key: str = ""
    task_id: str = ""
    response_code: str = ""  # template_card_event: lets the card be updated once (update_template_card)

    def _event_part(self) -> str:
        return f"{self.event}:{self.event_key}:{self.task_id}"


def _refuse(*_: object) -> None:
    raise MessageError("DTDs and entity declarations are refused")


def _children(data: bytes | str) -> dict[str, str]:
    """The text of each element directly under ``<xml>`` (WeCom's messages are flat), first one wins.

    Read with expat directly, told the document is UTF-8 whatever it declares, with every DTD and
    entity hook refusing: so no declaration, internal or external, is ever expanded, and a user who
    types ``<!DOCTYPE`` into a message (it arrives inside CDATA) is still just text.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_XML_BYTES:
        raise MessageError("callback body too large")
    parser = expat.ParserCreate("UTF-8")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse  # type: ignore[assignment]
    parser.buffer_text = True
    fields: dict[str, str] = {}
    path: list[str] = []
    text: list[str] = []

    def start(name: str, _attrs: object) -> None:
        if not path and name != "xml":
            raise MessageError(f"root element is <{name}>, not <xml>")
        path.append(name)
        text.clear()

    def end(name: str) -> None:
        if len(path) == 2:
            fields.setdefault(name, "".join(text))
        path.pop()
        text.clear()

    def chars(data: str) -> None:
        if len(path) == 2:
            text.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as error:
        raise MessageError(f"not XML: {error}") from None
    return fields


def _field(fields: dict[str, str], name: str, *, required: bool = False) -> str:
    value = fields.get(name, "")
    if required and not value.strip():
        raise MessageError(f"{name} missing")
    return value if name == "Content" else value.strip()


def envelope_ciphertext(data: bytes | str) -> str:
    """The ``Encrypt`` value of a POSTed envelope (``<xml><ToUserName/><Encrypt/><AgentID/></xml>``)."""
    return _field(_children(data), "Encrypt", required=True)


def parse(data: bytes | str) -> Inbound:
    """One decrypted callback → a typed message; anything else raises :class:`MessageError` only."""
    fields = _children(data)
    kind = _field(fields, "MsgType", required=True).lower()
    created = _field(fields, "CreateTime", required=True)
    if not created.isascii() or not created.isdigit() or len(created) > 12:
        raise MessageError("CreateTime is not a timestamp")
    head = (
        _field(fields, "FromUserName", required=True),
        int(created),
        _field(fields, "AgentID"),
        _field(fields, "MsgId"),
    )
    if kind == "text":
        return Text(*head, content=_field(fields, "Content"))
    if kind == "image":
        media_id = _field(fields, "MediaId", required=True)
        return Image(*head, pic_url=_field(fields, "PicUrl"), media_id=media_id)
    if kind == "event":
        return Event(
            *head,
            event=_field(fields, "Event", required=True).lower(),
            event_key=_field(fields, "EventKey"),
            task_id=_field(fields, "TaskId"),
            response_code=_field(fields, "ResponseCode"),
        )
    return Unsupported(*head, kind=kind)
