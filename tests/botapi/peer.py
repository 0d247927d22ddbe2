"""A Bot API server on loopback that behaves like api.telegram.org for end-to-end tests.

Why: the bot under test runs unchanged (real python-telegram-bot, real HTTP, real
multipart uploads) while tests play users in-process. Limits and error texts follow the
real server so bugs that only show up against Telegram (too-long texts, bad HTML, 64-byte
callback data, 20 MB getFile cap, 429 floods, edits dropping keyboards) show up here too.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from aiohttp import web

from .formatting import ParseError, parse_text
from .store import FileStore, Signal, StoredFile, guess_mime, image_size
from .user import PeerUser

JSON = dict[str, Any]
Handler = Callable[[JSON, "dict[str, Upload]"], Awaitable[Any]]

DEFAULT_TOKEN = "123456:TEST-TOKEN"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_GETFILE = 20 * 1024 * 1024
MAX_UPLOAD = 50 * 1024 * 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_INT_KEYS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "from_chat_id",
        "duration",
        "width",
        "height",
        "max_connections",
        "user_id",
    }
)
_BOOL_KEYS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_content_type_detection",
        "allow_sending_without_reply",
        "has_spoiler",
        "show_caption_above_media",
        "disable_web_page_preview",
        "allow_paid_broadcast",
    }
)
_JSON_KEYS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "media",
        "commands",
        "allowed_updates",
        "scope",
        "menu_button",
        "link_preview_options",
        "reply_parameters",
        "message_ids",
    }
)
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "copy_text",
        "pay",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "callback_game",
    }
)
_MEDIA_FIELDS = ("photo", "document", "voice", "audio", "video", "sticker", "animation")
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """An error answer of the Bot API; raised inside method handlers."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


class Call(NamedTuple):
    """One HTTP call the bot made: canonical method name and decoded parameters."""

    method: str
    params: JSON


@dataclass
class Upload:
    """A file part of a multipart request."""

    data: bytes
    filename: str | None
    content_type: str | None


@dataclass
class _Query:
    user: PeerUser
    data: str | None
    created: float
    answered: bool = False


class BotApiPeer:
    """The fake Telegram: HTTP Bot API for the bot, Python API (``user()``) for tests."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "casebot_test_bot",
        bot_first_name: str = "Casebot Test",
        host: str = "127.0.0.1",
        port: int = 0,
        first_update_id: int = 700_000_001,
        strict_images: bool = True,
        callback_query_ttl: float | None = None,
    ) -> None:
        self.token = token
        self.host, self._requested_port = host, port
        self.port: int | None = None
        self.strict_images = strict_images
        self.callback_query_ttl = callback_query_ttl
        self.bot_user: JSON = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.files = FileStore()
        self.users: dict[int, PeerUser] = {}
        self.calls: list[Call] = []
        self.rejected: list[tuple[Call, JSON]] = []
        self.updates: dict[int, JSON] = {}
        self.delivery_counts: dict[int, int] = {}
        self.webhook_url = ""
        self.allowed_updates: list[str] | None = None
        self.bot_settings: dict[str, Any] = {}
        self._commands: dict[str, list[JSON]] = {}
        self._pending: list[JSON] = []
        self._sticky: set[int] = set()
        self._next_update_id = first_update_id
        self._poll_generation = 0
        self._active_polls = 0
        self._updates_signal = Signal()
        self._calls_signal = Signal()
        self._queries: dict[str, _Query] = {}
        self._failures: dict[str, list[ApiError]] = {}
        self._counter = itertools.count(1)
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._handlers = self._method_table()

    # ----- lifecycle -----

    async def start(self) -> BotApiPeer:
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._requested_port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Release long polls first so shutdown does not wait for their timeouts."""
        self._closing = True
        self._updates_signal.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiPeer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """PTB ``base_url``: the token is appended to it."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB ``base_file_url``: the token is appended to it."""
        return f"http://{self.host}:{self.port}/file/bot"

    def bot_env(self, prefix: str = "CASEBOT_TELEGRAM_") -> dict[str, str]:
        """Environment for a bot process: TOKEN, BASE_URL, FILE_URL."""
        return {
            f"{prefix}TOKEN": self.token,
            f"{prefix}BASE_URL": self.base_url,
            f"{prefix}FILE_URL": self.base_file_url,
        }

    # ----- test-side API -----

    def user(
        self,
        user_id: int,
        first_name: str = "张三",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> PeerUser:
        """The user (and private chat) with this id; created on first use."""
        if user_id not in self.users:
            self.users[user_id] = PeerUser(self, user_id, first_name, last_name, username, language_code)
        return self.users[user_id]

    @property
    def commands(self) -> list[JSON]:
        """Commands set by setMyCommands for the default scope and no language."""
        return copy.deepcopy(self._commands.get(_commands_key(None, None), []))

    def commands_for(self, scope: JSON | None = None, language_code: str | None = None) -> list[JSON]:
        return copy.deepcopy(self._commands.get(_commands_key(scope, language_code), []))

    def calls_to(self, method: str) -> list[JSON]:
        """Parameters of every call of ``method`` (case-insensitive), in order."""
        return [c.params for c in self.calls if c.method.lower() == method.lower()]

    def fail_next(self, method: str, count: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``count`` calls of ``method`` with 429 Too Many Requests."""
        error = ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        self._failures.setdefault(method.lower(), []).extend([error] * count)

    def fail_with(self, method: str, error_code: int, description: str, count: int = 1) -> None:
        """Answer the next ``count`` calls of ``method`` with an arbitrary error."""
        self._failures.setdefault(method.lower(), []).extend([ApiError(error_code, description)] * count)

    def redeliver(self, update_id: int) -> None:
        """Queue an already delivered update again, with its original update_id.

        Simulates a bot that crashed after handling an update but before confirming it:
        the update is returned by the next getUpdates even if that call's offset is past it.
        """
        update = self.updates[update_id]
        if all(u["update_id"] != update_id for u in self._pending):
            self._pending.append(update)
            self._pending.sort(key=lambda u: u["update_id"])
        self._sticky.add(update_id)
        self._updates_signal.notify()

    @property
    def pending_update_ids(self) -> list[int]:
        return [u["update_id"] for u in self._pending]

    async def wait_until_polling(self, timeout: float = 15.0) -> None:
        """Wait until the bot sits in getUpdates, i.e. it has started and is ready."""
        if not await self._updates_signal.wait_until(lambda: self._active_polls > 0, timeout):
            raise TimeoutError(f"bot did not call getUpdates within {timeout}s")

    async def wait_for_call(self, method: str, timeout: float = 10.0, *, after: int = 0) -> Call:
        """Wait for a call of ``method`` whose index in ``calls`` is >= ``after``."""

        def find() -> Call | None:
            return next((c for c in self.calls[after:] if c.method.lower() == method.lower()), None)

        if not await self._calls_signal.wait_until(lambda: find() is not None, timeout):
            raise TimeoutError(f"no {method} call within {timeout}s")
        return find()  # type: ignore[return-value]

    # ----- used by PeerUser -----

    def next_counter(self) -> int:
        return next(self._counter)

    def enqueue_update(self, kind: str, payload: JSON) -> int:
        """Add an update for getUpdates; returns its update_id."""
        update_id = self._next_update_id
        self._next_update_id += 1
        update = {"update_id": update_id, kind: payload}
        self.updates[update_id] = update
        if self.allowed_updates and kind not in self.allowed_updates:
            return update_id
        self._pending.append(update)
        self._updates_signal.notify()
        return update_id

    def register_callback_query(self, query: JSON, user: PeerUser) -> None:
        self._queries[query["id"]] = _Query(user, query.get("data"), time.monotonic())

    # ----- HTTP -----

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json(ApiError(401, "Unauthorized").body(), 401)
        name = request.match_info["method"]
        try:
            params, uploads = await _read_params(request)
        except web.HTTPRequestEntityTooLarge:
            return _json(ApiError(413, "Request Entity Too Large").body(), 413)
        except ApiError as err:
            return _json(err.body(), err.code)
        canonical, handler = self._handlers.get(name.lower(), (name, None))
        call = Call(canonical, {**params, **{k: _upload_info(u) for k, u in uploads.items()}})
        self.calls.append(call)
        self._calls_signal.notify()
        return await self._dispatch(call, handler, params, uploads)

    async def _dispatch(
        self, call: Call, handler: Handler | None, params: JSON, uploads: dict[str, Upload]
    ) -> web.Response:
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            injected = self._failures.get(call.method.lower())
            if injected:
                raise injected.pop(0)
            result = await handler(params, uploads)
        except ApiError as err:
            self.rejected.append((call, err.body()))
            return _json(err.body(), err.code)
        return _json({"ok": True, "result": result}, 200)

    async def _handle_file(self, request: web.Request) -> web.Response:
        stored = self.files.by_path.get(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return _json(ApiError(404, "Not Found").body(), 404)
        ctype = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, headers={"Content-Type": ctype})

    def _method_table(self) -> dict[str, tuple[str, Handler]]:
        methods: dict[str, Handler] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._store_setting("chat_menu_button", "menu_button"),
            "getChatMenuButton": self._get_menu_button,
            "setMyDescription": self._store_setting("description", "description"),
            "setMyShortDescription": self._store_setting("short_description", "short_description"),
            "setMyName": self._store_setting("name", "name"),
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "sendDocument": functools.partial(self._send_media, "document"),
            "sendPhoto": functools.partial(self._send_media, "photo"),
            "sendVoice": functools.partial(self._send_media, "voice"),
            "sendAudio": functools.partial(self._send_media, "audio"),
            "sendVideo": functools.partial(self._send_media, "video"),
            "sendAnimation": functools.partial(self._send_media, "animation"),
            "sendSticker": functools.partial(self._send_media, "sticker"),
            "sendMediaGroup": self._send_media_group,
            "getFile": self._get_file,
        }
        return {name.lower(): (name, fn) for name, fn in methods.items()}

    # ----- bot identity and settings -----

    async def _true(self, params: JSON, uploads: dict[str, Upload]) -> bool:
        return True

    async def _get_me(self, params: JSON, uploads: dict[str, Upload]) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _set_webhook(self, params: JSON, uploads: dict[str, Upload]) -> bool:
        self.webhook_url = str(params.get("url") or "")
        self._release_polls()
        return True

    async def _delete_webhook(self, params: JSON, uploads: dict[str, Upload]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending.clear()
            self._sticky.clear()
        return True

    async def _get_webhook_info(self, params: JSON, uploads: dict[str, Upload]) -> JSON:
        info: JSON = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.allowed_updates:
            info["allowed_updates"] = list(self.allowed_updates)
        return info

    async def _set_my_commands(self, params: JSON, uploads: dict[str, Upload]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for cmd in commands:
            _check_command(cmd)
        key = _commands_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    async def _get_my_commands(self, params: JSON, uploads: dict[str, Upload]) -> list[JSON]:
        return self.commands_for(params.get("scope"), params.get("language_code"))

    async def _delete_my_commands(self, params: JSON, uploads: dict[str, Upload]) -> bool:
        self._commands.pop(_commands_key(params.get("scope"), params.get("language_code")), None)
        return True

    def _store_setting(self, key: str, param: str) -> Handler:
        async def store(params: JSON, uploads: dict[str, Upload]) -> bool:
            self.bot_settings[key] = params.get(param)
            return True

        return store

    async def _get_menu_button(self, params: JSON, uploads: dict[str, Upload]) -> JSON:
        return self.bot_settings.get("chat_menu_button") or {"type": "default"}

    # ----- getUpdates -----

    async def _get_updates(self, params: JSON, uploads: dict[str, Upload]) -> list[JSON]:
        """Long poll: confirm by offset, then wait (woken at once by a new update)."""
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            )
        if isinstance(params.get("allowed_updates"), list):
            self.allowed_updates = params["allowed_updates"] or None
        self._confirm(params.get("offset"))
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        generation = self._release_polls()
        self._active_polls += 1
        self._updates_signal.notify()  # wakes wait_until_polling()
        try:
            await self._updates_signal.wait_until(
                lambda: bool(self._pending) or generation != self._poll_generation or self._closing, timeout
            )
        finally:
            self._active_polls -= 1
        if generation != self._poll_generation:
            raise ApiError(
                409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
            )
        return self._take(limit)

    def _release_polls(self) -> int:
        """A new getUpdates (or setWebhook) ends the previous long poll with 409, like Telegram."""
        self._poll_generation += 1
        self._updates_signal.notify()
        return self._poll_generation

    def _confirm(self, offset: int | None) -> None:
        if not offset:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
            return
        keep = [u for u in self._pending if u["update_id"] >= offset or u["update_id"] in self._sticky]
        self._pending = keep

    def _take(self, limit: int) -> list[JSON]:
        batch = self._pending[:limit]
        for update in batch:
            self._sticky.discard(update["update_id"])
            self.delivery_counts[update["update_id"]] = self.delivery_counts.get(update["update_id"], 0) + 1
        return batch

    # ----- messages -----

    def _chat(self, chat_id: Any) -> PeerUser:
        user = self.users.get(chat_id) if isinstance(chat_id, int) else None
        if user is None:
            raise bad_request("chat not found")
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return user

    def _new_bot_message(self, chat: PeerUser, params: JSON, **content: Any) -> JSON:
        msg: JSON = {
            "message_id": chat.next_message_id(),
            "from": self.bot_user,
            "chat": chat.chat,
            "date": int(time.time()),
        }
        if reply := _reply_target(chat, params):
            msg["reply_to_message"] = reply
        msg.update({k: v for k, v in content.items() if v is not None})
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        return msg

    def _deliver(self, chat: PeerUser, msg: JSON, params: JSON) -> JSON:
        chat.history[msg["message_id"]] = msg
        chat.record_event("message", msg, params.get("reply_markup"))
        return msg

    async def _send_message(self, params: JSON, uploads: dict[str, Upload]) -> JSON:
        chat = self._chat(params.get("chat_id"))
        text, entities = _parse_text(params, "text", "entities")
        _check_text(text)
        _check_markup(params.get("reply_markup"))
        msg = self._new_bot_message(chat, params, text=text, entities=entities or None)
        if isinstance(params.get("link_preview_options"), dict):
            msg["link_preview_options"] = params["link_preview_options"]
        return self._deliver(chat, msg, params)

    def _editable(self, params: JSON) -> tuple[PeerUser, JSON] | None:
        """The (chat, message) an edit targets; None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat = self._chat(params.get("chat_id"))
        msg = chat.history.get(params.get("message_id"))  # type: ignore[arg-type]
        if msg is None:
            raise bad_request("message to edit not found")
        if msg.get("from", {}).get("id") != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return chat, msg

    def _apply_edit(self, chat: PeerUser, msg: JSON, changes: JSON, params: JSON) -> JSON:
        """Edits without reply_markup remove the inline keyboard, as on Telegram."""
        _check_markup(params.get("reply_markup"))
        markup = params.get("reply_markup")
        new = {k: v for k, v in msg.items() if k not in ("reply_markup", "edit_date")}
        for key, value in changes.items():
            if value:
                new[key] = value
            else:
                new.pop(key, None)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            new["reply_markup"] = markup
        if _same_content(msg, new):
            raise bad_request(NOT_MODIFIED[len("Bad Request: ") :])
        new["edit_date"] = int(time.time())
        chat.history[msg["message_id"]] = new
        chat.record_event("edit", new, markup)
        return new

    async def _edit_message_text(self, params: JSON, uploads: dict[str, Upload]) -> JSON | bool:
        text, entities = _parse_text(params, "text", "entities")
        _check_text(text)
        target = self._editable(params)
        if target is None:
            return True
        chat, msg = target
        if "text" not in msg:
            raise bad_request("there is no text in the message to edit")
        return self._apply_edit(chat, msg, {"text": text, "entities": entities}, params)

    async def _edit_message_caption(self, params: JSON, uploads: dict[str, Upload]) -> JSON | bool:
        caption, entities = _parse_text(params, "caption", "caption_entities")
        _check_caption(caption)
        target = self._editable(params)
        if target is None:
            return True
        chat, msg = target
        if not any(k in msg for k in _MEDIA_FIELDS):
            raise bad_request("there is no caption in the message to edit")
        return self._apply_edit(chat, msg, {"caption": caption, "caption_entities": entities}, params)

    async def _edit_message_reply_markup(self, params: JSON, uploads: dict[str, Upload]) -> JSON | bool:
        target = self._editable(params)
        if target is None:
            return True
        chat, msg = target
        return self._apply_edit(chat, msg, {}, params)

    async def _delete_message(self, params: JSON, uploads: dict[str, Upload]) -> bool:
        chat = self._chat(params.get("chat_id"))
        msg = chat.history.pop(params.get("message_id"), None)  # type: ignore[arg-type]
        if msg is None:
            raise bad_request("message to delete not found")
        chat.record_event("delete", {"message_id": msg["message_id"], "chat": chat.chat})
        return True

    async def _answer_callback_query(self, params: JSON, uploads: dict[str, Upload]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        query = self._queries.get(query_id)
        ttl = self.callback_query_ttl
        if query is None or query.answered or (ttl is not None and time.monotonic() - query.created > ttl):
            raise ApiError(400, QUERY_TOO_OLD)
        query.answered = True
        answer = {
            "callback_query_id": query_id,
            "data": query.data,
            **{k: params[k] for k in ("text", "show_alert", "url", "cache_time") if k in params},
        }
        query.user.record_callback_answer(answer)
        return True

    async def _send_chat_action(self, params: JSON, uploads: dict[str, Upload]) -> bool:
        chat = self._chat(params.get("chat_id"))
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.chat_actions.append(str(action))
        return True

    # ----- files -----

    def _input_file(self, params: JSON, uploads: dict[str, Upload], name: str, kind: str) -> StoredFile | list[JSON]:
        """Resolve an InputFile: multipart part, attach://name, or an existing file_id."""
        value = params.get(name)
        upload = uploads.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = uploads.get(value[len("attach://") :])
            if upload is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
        if upload is not None:
            return self._store_upload(upload, kind)
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        stored = self.files.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if (stored.kind == "photo") != (kind == "photo"):
            raise bad_request(f"can't use file of type {stored.kind.capitalize()} as {kind.capitalize()}")
        return stored

    def _store_upload(self, upload: Upload, kind: str) -> StoredFile | list[JSON]:
        if kind == "photo":
            _check_photo(upload.data)
            try:
                return self.files.photo_sizes(upload.data, strict=self.strict_images)
            except ValueError as err:
                raise bad_request(str(err)) from err
        mime = guess_mime(upload.filename, upload.content_type)
        return self.files.add(upload.data, kind, upload.filename or "file", mime)

    def _media_field(self, kind: str, resolved: StoredFile | list[JSON], params: JSON | None = None) -> Any:
        if isinstance(resolved, list):
            return resolved
        if kind == "photo":
            return [
                {
                    "file_id": resolved.file_id,
                    "file_unique_id": resolved.file_unique_id,
                    "file_size": resolved.size,
                    **dict(zip(("width", "height"), image_size(resolved.data) or (800, 600), strict=False)),
                }
            ]
        field: JSON = {
            "file_id": resolved.file_id,
            "file_unique_id": resolved.file_unique_id,
            "file_size": resolved.size,
        }
        if resolved.filename:
            field["file_name"] = resolved.filename
        if resolved.mime_type:
            field["mime_type"] = resolved.mime_type
        return {**field, **_media_extras(kind, params or {})}

    async def _send_media(self, kind: str, params: JSON, uploads: dict[str, Upload]) -> JSON:
        chat = self._chat(params.get("chat_id"))
        caption, entities = _parse_text(params, "caption", "caption_entities")
        _check_caption(caption)
        _check_markup(params.get("reply_markup"))
        media = self._media_field(kind, self._input_file(params, uploads, kind, kind), params)
        msg = self._new_bot_message(
            chat, params, **{kind: media}, caption=caption or None, caption_entities=entities or None
        )
        return self._deliver(chat, msg, params)

    async def _send_media_group(self, params: JSON, uploads: dict[str, Upload]) -> list[JSON]:
        chat = self._chat(params.get("chat_id"))
        items = params.get("media")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise bad_request("wrong number of messages in the media group")
        kinds = {str(i.get("type")) for i in items if isinstance(i, dict)}
        if "document" in kinds and len(kinds) > 1:
            raise bad_request("document can't be mixed with other media types")
        prepared = [self._group_item(item, uploads) for item in items]
        group_id = str(13_500_000_000_000_000 + self.next_counter())
        sent = []
        for kind, media, caption, entities in prepared:
            content = {
                kind: media,
                "media_group_id": group_id,
                "caption": caption or None,
                "caption_entities": entities or None,
            }
            msg = self._new_bot_message(chat, params, **content)
            sent.append(self._deliver(chat, msg, {}))
        return sent

    def _group_item(self, item: JSON, uploads: dict[str, Upload]) -> tuple[str, Any, str, list[JSON]]:
        kind = str(item.get("type"))
        if kind not in ("photo", "document", "audio", "video"):
            raise bad_request("unsupported media type in the media group")
        caption, entities = _parse_text(item, "caption", "caption_entities")
        _check_caption(caption)
        resolved = self._input_file({"media": item.get("media")}, uploads, "media", kind)
        return kind, self._media_field(kind, resolved, item), caption, entities

    async def _get_file(self, params: JSON, uploads: dict[str, Upload]) -> JSON:
        stored = self.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > MAX_GETFILE:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }


# ----- request decoding -----


async def _read_params(request: web.Request) -> tuple[JSON, dict[str, Upload]]:
    """Query string + JSON / urlencoded / multipart body, with Telegram's type coercion."""
    params: JSON = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise bad_request("parameters must be a JSON object")
            params.update(body)
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    uploads[key] = Upload(value.file.read(), value.filename, value.content_type)
                else:
                    params[key] = value
    return {k: _coerce(k, v) for k, v in params.items()}, uploads


def _coerce(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _JSON_KEYS:
        try:
            return json.loads(value)
        except ValueError as err:
            raise bad_request(f"can't parse {key} JSON object") from err
    if key in _INT_KEYS:
        try:
            return int(value)
        except ValueError:
            return value
    if key in _BOOL_KEYS:
        return value.lower() in ("true", "1")
    return value


def _upload_info(upload: Upload) -> JSON:
    return {"filename": upload.filename, "content_type": upload.content_type, "size": len(upload.data)}


def _json(body: Any, status: int) -> web.Response:
    return web.Response(text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


# ----- validation -----


def _parse_text(params: JSON, key: str, entities_key: str) -> tuple[str, list[JSON]]:
    raw = params.get(key)
    if raw is None:
        return "", []
    entities = params.get(entities_key) if isinstance(params.get(entities_key), list) else None
    try:
        return parse_text(str(raw), params.get("parse_mode"), entities)
    except ParseError as err:
        raise bad_request(f"can't parse entities: {err}") from err


def _check_text(text: str) -> None:
    if not text:
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")


def _check_caption(caption: str) -> None:
    if len(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long")


def _check_markup(markup: Any) -> None:
    """Validate reply_markup the way Telegram rejects it."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
        for button in (b for row in rows for b in row):
            _check_inline_button(button)
    elif "keyboard" in markup:
        if not isinstance(markup["keyboard"], list):
            raise bad_request("can't parse reply keyboard markup JSON object")
    elif not ("remove_keyboard" in markup or "force_reply" in markup):
        raise bad_request("can't parse reply keyboard markup JSON object")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request('can\'t parse inline keyboard button: Field "text" must be of type String')
    if not _BUTTON_ACTIONS & button.keys():
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
        raise bad_request("BUTTON_DATA_INVALID")


def _check_command(cmd: Any) -> None:
    name = cmd.get("command") if isinstance(cmd, dict) else None
    desc = cmd.get("description") if isinstance(cmd, dict) else None
    if (
        not isinstance(name, str)
        or not 1 <= len(name) <= 32
        or not all(c.islower() or c.isdigit() or c == "_" for c in name)
        or not name.isascii()
    ):
        raise bad_request("BOT_COMMAND_INVALID")
    if not isinstance(desc, str) or not 1 <= len(desc) <= 256:
        raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")


def _check_photo(data: bytes) -> None:
    dims = image_size(data)
    if dims and (dims[0] + dims[1] > 10000 or max(dims) > 20 * max(min(dims), 1)):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")


def _media_extras(kind: str, params: JSON) -> JSON:
    """Fields PTB requires for non-document media (Voice.duration, Sticker.type, ...)."""
    duration = {"duration": int(params.get("duration") or 1)}
    size = {"width": int(params.get("width") or 640), "height": int(params.get("height") or 360)}
    return {
        "voice": duration,
        "audio": duration,
        "video": {**size, **duration},
        "animation": {**size, **duration},
        "sticker": {"width": 512, "height": 512, "is_animated": False, "is_video": False, "type": "regular"},
    }.get(kind, {})


def _commands_key(scope: Any, language_code: Any) -> str:
    scope = scope if isinstance(scope, dict) and scope.get("type") != "default" else None
    return json.dumps([scope, language_code or ""], sort_keys=True)


def _reply_target(chat: PeerUser, params: JSON) -> JSON | None:
    """The message a send replies to (reply_parameters or legacy reply_to_message_id)."""
    reply = params.get("reply_parameters")
    target_id = reply.get("message_id") if isinstance(reply, dict) else params.get("reply_to_message_id")
    if target_id is None:
        return None
    target = chat.history.get(int(target_id))
    if target is None:
        allow = params.get("allow_sending_without_reply") or (
            isinstance(reply, dict) and reply.get("allow_sending_without_reply")
        )
        if allow:
            return None
        raise bad_request("message to be replied not found")
    return {k: v for k, v in target.items() if k != "reply_to_message"}


def _same_content(old: JSON, new: JSON) -> bool:
    keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
    return all((old.get(k) or None) == (new.get(k) or None) for k in keys)
