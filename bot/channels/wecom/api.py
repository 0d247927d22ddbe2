"""The WeCom API as casebot uses it: token, text and file messages, button cards, media download.

Why a small client of our own on httpx: it is async like the rest of casebot, its base URL is a
setting (政务微信 and private deployments serve the same ``/cgi-bin/...`` paths under another host,
and the tests point it at a loopback fake), and it sends a multipart file name as raw UTF-8, which
is what WeCom shows the user (a percent-encoded name would reach them as ``%E7%AB%8B…``).

The access token is cached until shortly before ``expires_in`` and fetched again when WeCom says it
has expired or is invalid (errcode 42001 or 40014); the call is then retried once. Every message to a
member waits its turn in the :class:`~.pacing.Pacer`, and messages to one member go out in order.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from .pacing import Clock, MonotonicClock, Pacer
from .split import TEXT_BYTES, split_text

DEFAULT_API_URL = "https://qyapi.weixin.qq.com"
TOKEN_ERRORS = frozenset({40014, 42001})
TOKEN_MARGIN = 300.0  # seconds before expires_in when the token is fetched anew
MEDIA_BYTES = 20 * 1024 * 1024
MAX_BUTTONS = 6


class WeComApiError(Exception):
    """A call WeCom refused (errcode ≠ 0) or that did not reach it (HTTP error: errcode -1)."""

    def __init__(self, path: str, errcode: int, errmsg: str, status: int | None = None) -> None:
        super().__init__(f"{path}: errcode {errcode}: {errmsg}")
        self.path = path
        self.errcode = errcode
        self.errmsg = errmsg
        self.status = status


class MediaTooLarge(WeComApiError):
    """A media download over the size cap; stopped before it was all read."""


def _checked(path: str, response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 200:
        raise WeComApiError(path, -1, f"HTTP {response.status_code}", response.status_code)
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise WeComApiError(path, -1, "answer is not JSON", response.status_code) from None
    if not isinstance(body, dict):
        raise WeComApiError(path, -1, "answer is not a JSON object", response.status_code)
    errcode = body.get("errcode", 0)
    if errcode != 0:
        raise WeComApiError(path, int(errcode) if isinstance(errcode, int) else -1, str(body.get("errmsg", "")))
    return body


class WeComApi:
    """One self-built application: CorpID + its Secret + its AgentID, against ``base_url``."""

    def __init__(
        self,
        corp_id: str,
        secret: str,
        agent_id: int,
        base_url: str = DEFAULT_API_URL,
        *,
        client: httpx.AsyncClient | None = None,
        pacer: Pacer | None = None,
        clock: Clock | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.corp_id = corp_id
        self.secret = secret
        self.agent_id = agent_id
        self.base_url = base_url.rstrip("/")
        self.clock: Clock = clock or MonotonicClock()
        self.pacer = pacer or Pacer(clock=self.clock)
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._own_client = client is None
        self._token = ""
        self._token_until = 0.0
        self._token_lock = asyncio.Lock()
        self._member_locks: dict[str, asyncio.Lock] = {}

    async def aclose(self) -> None:
        if self._own_client:
            await self._client.aclose()

    async def __aenter__(self) -> WeComApi:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- token ---------------------------------------------------------------------------------------

    async def token(self) -> str:
        """A valid access token, fetched once and shared until shortly before it expires."""
        async with self._token_lock:
            if self._token and self.clock.now() < self._token_until:
                return self._token
            body = await self._request(
                "GET", "/cgi-bin/gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret}
            )
            token = body.get("access_token")
            if not isinstance(token, str) or not token:
                raise WeComApiError("/cgi-bin/gettoken", -1, "no access_token in the answer")
            expires_in = body.get("expires_in", 7200)
            lifetime = float(expires_in) if isinstance(expires_in, int | float) else 7200.0
            self._token = token
            self._token_until = self.clock.now() + max(lifetime - TOKEN_MARGIN, lifetime / 2)
            return token

    def _forget_token(self, token: str) -> None:
        if self._token == token:
            self._token = ""

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._client.request(method, self.base_url + path, **kwargs)
        except httpx.HTTPError as error:
            raise WeComApiError(path, -1, f"{type(error).__name__}: {error}") from None
        return _checked(path, response)

    async def call(
        self, method: str, path: str, *, params: Mapping[str, str] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """An authenticated call; on an expired or invalid token, a fresh token and one retry."""
        for attempt in (1, 2):
            token = await self.token()
            try:
                return await self._request(method, path, params={**(params or {}), "access_token": token}, **kwargs)
            except WeComApiError as error:
                if error.errcode not in TOKEN_ERRORS or attempt == 2:
                    raise
                self._forget_token(token)
        raise AssertionError("unreachable")

    # -- messages ------------------------------------------------------------------------------------

    def _lock(self, member: str) -> asyncio.Lock:
        return self._member_locks.setdefault(member, asyncio.Lock())

    async def _send(self, member: str, msgtype: str, content: dict[str, Any]) -> None:
        """One message, after its turn in the pacer (the caller holds the member's lock)."""
        await self.pacer.wait(member)
        body = {"touser": member, "msgtype": msgtype, "agentid": self.agent_id, msgtype: content}
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        # One recipient: outside the application's visible range it is errcode 81013, not a partial success.
        await self.call("POST", "/cgi-bin/message/send", content=data, headers={"Content-Type": "application/json"})

    async def send_text(self, member: str, text: str) -> int:
        """Send ``text`` to the member (a WeCom UserID), split below 2 048 bytes; returns the message count."""
        parts = split_text(text, TEXT_BYTES)
        async with self._lock(member):
            for part in parts:
                await self._send(member, "text", {"content": part})
        return len(parts)

    async def upload_file(self, name: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        """A temporary media id for a file; ``name`` goes out as raw UTF-8, as WeCom shows it."""
        body = await self.call(
            "POST", "/cgi-bin/media/upload", params={"type": "file"}, files={"media": (name, data, content_type)}
        )
        media_id = body.get("media_id")
        if not isinstance(media_id, str) or not media_id:
            raise WeComApiError("/cgi-bin/media/upload", -1, "no media_id in the answer")
        return media_id

    async def send_file(self, member: str, name: str, data: bytes) -> None:
        """Upload then send a file message; both happen in the member's turn, after earlier texts."""
        async with self._lock(member):
            media_id = await self.upload_file(name, data)
            await self._send(member, "file", {"media_id": media_id})

    async def send_buttons(
        self, member: str, title: str, description: str, task_id: str, buttons: Sequence[tuple[str, str]]
    ) -> None:
        """A ``button_interaction`` template card; a press comes back as a template_card_event
        with EventKey = the button's key and TaskId = ``task_id``. ``buttons`` are (key, text), at most 6."""
        if not 1 <= len(buttons) <= MAX_BUTTONS:
            raise ValueError(f"a button card holds 1–{MAX_BUTTONS} buttons")
        card = {
            "card_type": "button_interaction",
            "main_title": {"title": title, "desc": description},
            "task_id": task_id,
            "button_list": [{"text": text, "style": 1, "key": key} for key, text in buttons],
        }
        async with self._lock(member):
            await self._send(member, "template_card", card)

    async def update_buttons(self, member: str, response_code: str, replace_name: str) -> None:
        """After a press: the card's buttons become one that cannot be pressed, reading ``replace_name``.
        ``response_code`` comes with the press and serves once, within 72 hours."""
        body = {
            "userids": [member],
            "agentid": self.agent_id,
            "response_code": response_code,
            "button": {"replace_name": replace_name},
        }
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        await self.call(
            "POST", "/cgi-bin/message/update_template_card", content=data, headers={"Content-Type": "application/json"}
        )

    # -- media in ------------------------------------------------------------------------------------

    async def download_media(self, media_id: str, max_bytes: int = MEDIA_BYTES) -> bytes:
        """The bytes of an incoming picture by its MediaId, refusing anything over ``max_bytes``."""
        path = "/cgi-bin/media/get"
        for attempt in (1, 2):
            token = await self.token()
            try:
                return await self._download(path, {"access_token": token, "media_id": media_id}, max_bytes)
            except WeComApiError as error:
                if error.errcode not in TOKEN_ERRORS or attempt == 2:
                    raise
                self._forget_token(token)
        raise AssertionError("unreachable")

    async def _download(self, path: str, params: dict[str, str], max_bytes: int) -> bytes:
        try:
            async with self._client.stream("GET", self.base_url + path, params=params) as response:
                kind = response.headers.get("content-type", "")
                if response.status_code != 200 or kind.startswith(("application/json", "text/plain")):
                    await response.aread()
                    _checked(path, response)
                    raise WeComApiError(path, -1, f"no media in the answer ({kind})", response.status_code)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise MediaTooLarge(path, -1, f"media of {declared} bytes is over {max_bytes}")
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise MediaTooLarge(path, -1, f"media is over {max_bytes} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.HTTPError as error:
            raise WeComApiError(path, -1, f"{type(error).__name__}: {error}") from None
