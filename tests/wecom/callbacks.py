"""Callbacks as WeCom sends them: the message XML, encrypted into the envelope, signed in the query.

Why a builder: tests push exactly what WeCom would POST at ``/wecom`` (and the GET of URL verification),
through the same crypto as the real service, so the server is tested on the wire format and not on
objects built around it.
"""

from __future__ import annotations

import itertools
import time

from bot.channels.wecom.crypto import WeComCrypto

# The application the tests play: the documented vector for the token and key, our own CorpID.
TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "ww0123456789abcdef"
AGENT_ID = 1000002
_ids = itertools.count(7_000_000_000_000_000_000)


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _message(sender: str, kind: str, created: int | None, fields: str, msg_id: str | None, agent_id: int) -> str:
    created = int(time.time()) if created is None else created
    msg = "" if msg_id == "" else f"<MsgId>{msg_id or next(_ids)}</MsgId>"
    return (
        f"<xml><ToUserName>{_cdata(CORP_ID)}</ToUserName><FromUserName>{_cdata(sender)}</FromUserName>"
        f"<CreateTime>{created}</CreateTime><MsgType>{_cdata(kind)}</MsgType>{fields}{msg}"
        f"<AgentID>{agent_id}</AgentID></xml>"
    )


def text_xml(
    sender: str, content: str, *, msg_id: str | None = None, created: int | None = None, agent_id: int = AGENT_ID
) -> str:
    """A text message; ``msg_id`` None draws a fresh one (pass the same one again to replay)."""
    return _message(sender, "text", created, f"<Content>{_cdata(content)}</Content>", msg_id, agent_id)


def image_xml(
    sender: str, media_id: str, *, pic_url: str = "", msg_id: str | None = None, created: int | None = None
) -> str:
    url = pic_url or f"https://wework.qpic.cn/wwpic/{media_id}/0"
    fields = f"<PicUrl>{_cdata(url)}</PicUrl><MediaId>{_cdata(media_id)}</MediaId>"
    return _message(sender, "image", created, fields, msg_id, AGENT_ID)


def unsupported_xml(sender: str, kind: str, *, created: int | None = None) -> str:
    """A file, voice, video or location message (the fields casebot does not read are left out)."""
    return _message(sender, kind, created, f"<MediaId>{_cdata('M1')}</MediaId>", None, AGENT_ID)


def event_xml(sender: str, event: str, *, key: str = "", task_id: str = "", created: int | None = None) -> str:
    """An event (subscribe, enter_agent, click, template_card_event): events carry no MsgId."""
    fields = f"<Event>{_cdata(event)}</Event>"
    if key:
        fields += f"<EventKey>{_cdata(key)}</EventKey>"
    if task_id:
        fields += f"<TaskId>{_cdata(task_id)}</TaskId><CardType>{_cdata('button_interaction')}</CardType>"
        fields += f"<ResponseCode>{_cdata('RC-' + task_id)}</ResponseCode>"
    return _message(sender, "event", created, fields, "", AGENT_ID)


class CallbackSigner:
    """Builds the query and body of callbacks for one application, as WeCom's servers do."""

    def __init__(self, token: str = TOKEN, aes_key: str = AES_KEY, corp_id: str = CORP_ID) -> None:
        self.crypto = WeComCrypto(token, aes_key, corp_id)
        self._nonces = itertools.count(100_000_000)

    def _stamp(self, at: float | None = None) -> tuple[str, str]:
        return str(int(time.time() if at is None else at)), str(next(self._nonces))

    def post(self, xml: str, *, at: float | None = None) -> tuple[dict[str, str], bytes]:
        """``(query, body)`` for ``POST /wecom``: the message encrypted into the envelope and signed,
        with the time now (or ``at``, a Unix time) as WeCom signs it."""
        timestamp, nonce = self._stamp(at)
        ciphertext, signature = self.crypto.seal(xml.encode("utf-8"), timestamp, nonce)
        body = (
            f"<xml><ToUserName>{_cdata(self.crypto.receive_id)}</ToUserName>"
            f"<Encrypt>{_cdata(ciphertext)}</Encrypt><AgentID>{_cdata(str(AGENT_ID))}</AgentID></xml>"
        )
        query = {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce}
        return query, body.encode("utf-8")

    def verify(self, echo: str) -> dict[str, str]:
        """The query of ``GET /wecom`` for URL verification with ``echo`` as the plain echostr."""
        timestamp, nonce = self._stamp()
        echostr, signature = self.crypto.seal(echo.encode("utf-8"), timestamp, nonce)
        return {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce, "echostr": echostr}
