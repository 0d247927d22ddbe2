"""A WeCom API server on loopback: gettoken, message/send, media/upload, media/get.

Why a fake and not mocks: the channel's real httpx client talks real HTTP to it, so what goes over the
wire is what is checked — the multipart file name's raw bytes, the JSON body of each message, the token
in every query. Where the real service is silent (it truncates long texts and drops sends past a
member's limits without an error) the fake is strict: a text over 2 048 UTF-8 bytes is refused with
errcode 45002 (the WeChat family's "content size out of limit"), so a missing split fails a test
instead of passing unseen.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.botapi.store import Signal

DEFAULT_CORP_ID = "ww0123456789abcdef"
DEFAULT_SECRET = "test-secret-of-the-casebot-app"
TEXT_BYTES = 2048
TEXT_TOO_LONG = 45002
FILE_BYTES = (5, 20 * 1024 * 1024)  # WeCom takes files of more than 5 bytes and at most 20 MB
_FILENAME = re.compile(rb'filename="([^"]*)"')
_FIELD = re.compile(rb'(?<![a-z*])name="([^"]*)"')


@dataclass(frozen=True)
class Upload:
    """A file as it reached the fake: the file name exactly as sent, and the content."""

    media_id: str
    raw_filename: bytes
    data: bytes
    content_type: str

    @property
    def filename(self) -> str:
        return self.raw_filename.decode("utf-8")


@dataclass
class WeComFake:
    corp_id: str = DEFAULT_CORP_ID
    secret: str = DEFAULT_SECRET
    expires_in: int = 7200
    host: str = "127.0.0.1"
    sent: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    tokens_issued: list[str] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)
    outside: set[str] = field(default_factory=set)  # UserIDs outside the application's visible range
    card_updates: list[dict[str, Any]] = field(default_factory=list)  # accepted update_template_card bodies
    _tasks: set[str] = field(default_factory=set)  # task_ids of the cards sent (WeCom refuses a repeated one)
    _codes_used: set[str] = field(default_factory=set)
    port: int | None = None
    _valid: set[str] = field(default_factory=set)
    _media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    _expire_next: int = 0
    _busy_next: int = 0
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _runner: web.AppRunner | None = None
    _changed: Signal = field(default_factory=Signal)  # woken at every message sent and card updated

    # ----- what a test controls -----

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``condition()`` holds, re-checked at every message sent and card updated; whether it does."""
        return await self._changed.wait_until(condition, timeout)

    def add_media(self, data: bytes, content_type: str = "image/jpeg") -> str:
        """Serve ``data`` at media/get under a new MediaId, as WeCom holds a user's photo."""
        media_id = f"MEDIA{next(self._ids)}"
        self._media[media_id] = (data, content_type)
        return media_id

    def expire_token_once(self, times: int = 1) -> None:
        """The next ``times`` authenticated calls answer 42001 (token expired) and void every token."""
        self._expire_next += times

    def busy_once(self, times: int = 1) -> None:
        """The next ``times`` message sends answer errcode -1 (系统繁忙), as WeCom does under load."""
        self._busy_next += times

    def revoke_tokens(self) -> None:
        """Void every token issued so far (as when the Secret is reset): the next call answers 40014."""
        self._valid.clear()

    def texts(self, touser: str | None = None) -> list[str]:
        """Text message contents in the order they were accepted."""
        return [
            m["text"]["content"]
            for m in self.sent
            if m.get("msgtype") == "text" and (touser is None or m.get("touser") == touser)
        ]

    # ----- lifecycle -----

    async def start(self) -> WeComFake:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/cgi-bin/gettoken", self._gettoken)
        app.router.add_post("/cgi-bin/message/send", self._send)
        app.router.add_post("/cgi-bin/message/update_template_card", self._update_card)
        app.router.add_post("/cgi-bin/media/upload", self._upload)
        app.router.add_get("/cgi-bin/media/get", self._media_get)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> WeComFake:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """For CASEBOT_WECOM_API_URL."""
        return f"http://{self.host}:{self.port}"

    # ----- the API -----

    def _error(self, path: str, errcode: int, errmsg: str) -> web.Response:
        self.refused.append((path, errcode))
        return web.json_response({"errcode": errcode, "errmsg": errmsg})

    def _auth(self, request: web.Request) -> web.Response | None:
        """None when the access_token is good; otherwise the error WeCom would answer."""
        if self._expire_next:
            self._expire_next -= 1
            self._valid.clear()
            return self._error(request.path, 42001, "access_token expired")
        if request.query.get("access_token") not in self._valid:
            return self._error(request.path, 40014, "invalid access_token")
        return None

    async def _gettoken(self, request: web.Request) -> web.Response:
        if request.query.get("corpid") != self.corp_id:
            return self._error(request.path, 40013, "invalid corpid")
        if request.query.get("corpsecret") != self.secret:
            return self._error(request.path, 40001, "invalid credential")
        token = f"TOKEN{next(self._ids)}"
        self._valid.add(token)
        self.tokens_issued.append(token)
        return web.json_response({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": self.expires_in})

    async def _send(self, request: web.Request) -> web.Response:
        if (refusal := self._auth(request)) is not None:
            return refusal
        if self._busy_next:
            self._busy_next -= 1
            return self._error(request.path, -1, "system busy")
        try:
            body = json.loads(await request.read())
        except ValueError:
            return self._error(request.path, 47001, "data format error")
        kind = body.get("msgtype")
        if not body.get("touser") or not isinstance(body.get("agentid"), int) or kind not in body:
            return self._error(request.path, 40008, "invalid message type")
        if kind == "text":
            content = body["text"].get("content", "")
            if not content:
                return self._error(request.path, 44004, "empty content")
            if len(content.encode("utf-8")) > TEXT_BYTES:
                return self._error(request.path, TEXT_TOO_LONG, "content size out of limit")
        if kind == "file" and body["file"].get("media_id") not in {u.media_id for u in self.uploads}:
            return self._error(request.path, 40007, "invalid media_id")
        if kind == "template_card" and (refusal := self._card_refusal(request.path, body["template_card"])) is not None:
            return refusal
        invalid = "|".join(u for u in str(body["touser"]).split("|") if u.lower() in self.outside)
        if invalid == body["touser"]:
            return self._error(request.path, 81013, "user & party & tag all invalid")
        self.sent.append(body)
        self._changed.notify()
        answer = {"errcode": 0, "errmsg": "ok", "invaliduser": invalid, "msgid": f"M{next(self._ids)}"}
        return web.json_response(answer)

    def _card_refusal(self, path: str, card: dict[str, Any]) -> web.Response | None:
        """A button card as WeCom checks it: a new task_id of its alphabet, 1–6 buttons with keys and texts."""
        task = card.get("task_id", "")
        buttons = card.get("button_list", [])
        if card.get("card_type") != "button_interaction" or not card.get("main_title", {}).get("title"):
            return self._error(path, 40008, "invalid template_card")
        if not re.fullmatch(r"[A-Za-z0-9_\-@]{1,128}", task) or task in self._tasks:
            return self._error(path, 40058, "invalid task_id")
        if not 1 <= len(buttons) <= 6 or not all(b.get("key") and b.get("text") for b in buttons):
            return self._error(path, 40058, "invalid button_list")
        if any(len(str(b["key"]).encode("utf-8")) > 1024 for b in buttons):
            return self._error(path, 40058, "button key too long")
        self._tasks.add(task)
        return None

    def response_code(self, task_id: str) -> str:
        """What a press on the card ``task_id`` carries; it settles that card once (see event_xml)."""
        return f"RC-{task_id}"

    async def _update_card(self, request: web.Request) -> web.Response:
        if (refusal := self._auth(request)) is not None:
            return refusal
        body = json.loads(await request.read())
        code = body.get("response_code", "")
        if code in self._codes_used or code.removeprefix("RC-") not in self._tasks:
            return self._error(request.path, 40058, "invalid response_code")
        if not isinstance(body.get("agentid"), int) or not body.get("button", {}).get("replace_name"):
            return self._error(request.path, 40058, "invalid parameter")
        self._codes_used.add(code)
        self.card_updates.append(body)
        self._changed.notify()
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _upload(self, request: web.Request) -> web.Response:
        if (refusal := self._auth(request)) is not None:
            return refusal
        if request.query.get("type") != "file":
            return self._error(request.path, 40005, "invalid media type")
        part = _media_part(request.content_type, request.headers.get("Content-Type", ""), await request.read())
        if part is None:
            return self._error(request.path, 41001, "media field missing")
        raw_filename, content_type, data = part
        if not FILE_BYTES[0] < len(data) <= FILE_BYTES[1]:
            return self._error(request.path, 40006, "invalid file size")
        media_id = f"UPLOAD{next(self._ids)}"
        self.uploads.append(Upload(media_id, raw_filename, data, content_type))
        return web.json_response({"errcode": 0, "errmsg": "ok", "type": "file", "media_id": media_id})

    async def _media_get(self, request: web.Request) -> web.Response:
        if (refusal := self._auth(request)) is not None:
            return refusal
        found = self._media.get(request.query.get("media_id", ""))
        if found is None:
            return self._error(request.path, 40007, "invalid media_id")
        data, content_type = found
        return web.Response(body=data, content_type=content_type)


def _media_part(mime: str, header: str, body: bytes) -> tuple[bytes, str, bytes] | None:
    """The ``media`` part of a multipart body, read from the raw bytes so the file name is exactly as sent."""
    boundary = re.search(r'boundary="?([^";]+)"?', header)
    if mime != "multipart/form-data" or boundary is None:
        return None
    for chunk in body.split(b"--" + boundary.group(1).encode("latin-1")):
        head, sep, data = chunk.partition(b"\r\n\r\n")
        field_name = _FIELD.search(head)
        filename = _FILENAME.search(head)
        if sep and field_name and field_name.group(1) == b"media" and filename:
            kind = re.search(rb"content-type:\s*([^\r\n]+)", head, re.IGNORECASE)
            content_type = kind.group(1).decode("latin-1") if kind else ""
            return filename.group(1), content_type, data.removesuffix(b"\r\n")
    return None
