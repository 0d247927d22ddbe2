"""Test-side Telegram user: sends updates to the bot and reads what the bot sent back.

Why in-process: pytest tests share the event loop with the peer, so a user can enqueue
an update and await the bot's answer without any extra protocol. Each user owns one
private chat (chat id == user id), as on Telegram.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .formatting import detect_entities
from .store import Signal

if TYPE_CHECKING:
    from .peer import BotApiPeer

Message = dict[str, Any]
Match = Callable[[Message], bool] | str | None
DEFAULT_KINDS = ("message", "edit")
MAX_TEXT = 4096
MAX_CAPTION = 1024
_MEDIA_FIELDS = ("document", "photo", "voice", "audio", "video", "sticker", "animation", "video_note")


class PeerUser:
    """One user and their private chat with the bot.

    Events the bot causes are appended to ``events`` in order, each a copy of the
    message with ``_kind`` = "message" | "edit" | "delete" (plus ``_reply_markup`` with
    whatever markup the bot passed, including reply keyboards Telegram does not echo).
    """

    def __init__(
        self,
        peer: BotApiPeer,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> None:
        self.peer = peer
        self.id = user_id
        names = {"first_name": first_name, "last_name": last_name, "username": username}
        names = {k: v for k, v in names.items() if v is not None}
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, **names}
        if language_code:
            self.user["language_code"] = language_code
        self.chat: dict[str, Any] = {"id": user_id, "type": "private", **names}
        self.chat_instance = str(-(4_000_000_000_000_000_000 + user_id * 7919))
        self.history: dict[int, Message] = {}
        self.events: list[Message] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.chat_actions: list[str] = []
        self.reply_keyboard: list[list[str]] | None = None
        self.blocked = False
        self._one_time = False
        self._next_id = 1
        self._cursor = 0
        self._signal = Signal()

    # ----- identity and chat bookkeeping (also used by the peer) -----

    def next_message_id(self) -> int:
        """Message ids grow per chat, shared by both sides, like a private chat's."""
        mid = self._next_id
        self._next_id += 1
        return mid

    def record_event(self, kind: str, message: Message, markup: dict[str, Any] | None = None) -> None:
        """Called by the peer whenever the bot changes this chat."""
        event = copy.deepcopy(message)
        event["_kind"] = kind
        if markup is not None:
            event["_reply_markup"] = copy.deepcopy(markup)
        if kind == "message" and markup is not None:
            self._track_reply_keyboard(markup)
        self.events.append(event)
        self._signal.notify()

    def _track_reply_keyboard(self, markup: dict[str, Any]) -> None:
        if "keyboard" in markup:
            self.reply_keyboard = [[_button_text(b) for b in row] for row in markup["keyboard"]]
            self._one_time = bool(markup.get("one_time_keyboard"))
        elif markup.get("remove_keyboard"):
            self.reply_keyboard = None

    def record_callback_answer(self, answer: dict[str, Any]) -> None:
        self.callback_answers.append(answer)
        self._signal.notify()

    # ----- sending -----

    async def send_text(self, text: str, *, reply_to: Message | None = None) -> Message:
        """Send a text message; "/cmd arg" gets a bot_command entity like Telegram adds."""
        if not text.strip():
            raise ValueError("Telegram clients do not send empty messages")
        if len(text) > MAX_TEXT:
            raise ValueError(f"text longer than {MAX_TEXT}; clients split it: use send_long_text()")
        msg = self._new_message(text=text)
        if entities := detect_entities(text):
            msg["entities"] = entities
        if reply_to is not None:
            msg["reply_to_message"] = self._reply_copy(reply_to)
        return self._send(msg)

    async def send_long_text(self, text: str) -> list[Message]:
        """What a client does with an over-long paste: several 4096-char messages."""
        return [await self.send_text(text[i : i + MAX_TEXT]) for i in range(0, len(text), MAX_TEXT)]

    async def send_photo(
        self, data: bytes, caption: str | None = None, *, media_group_id: str | None = None
    ) -> Message:
        """Send a photo; sizes are real thumbnails when Pillow can decode ``data``."""
        msg = self._new_message(photo=self.peer.files.photo_sizes(data, strict=False))
        return self._send(self._with_caption(msg, caption, media_group_id))

    async def send_document(
        self,
        data: bytes,
        filename: str,
        mime_type: str,
        caption: str | None = None,
        *,
        media_group_id: str | None = None,
        declared_size: int | None = None,
    ) -> Message:
        """Send a file; ``declared_size`` fakes a bigger file_size without the bytes."""
        stored = self.peer.files.add(data, "document", filename, mime_type, declared_size)
        doc = {**_file_fields(stored), "file_name": filename, "mime_type": mime_type}
        msg = self._new_message(document=doc)
        return self._send(self._with_caption(msg, caption, media_group_id))

    async def send_album(self, items: Sequence[tuple[bytes, str]], caption: str | None = None) -> list[Message]:
        """Several photos/documents sharing one media_group_id, one update each.

        items: (data, "photo") or (data, "document"); documents get generated names.
        """
        group = str(13_000_000_000_000_000 + self.peer.next_counter())
        sent = []
        for index, (data, kind) in enumerate(items):
            cap = caption if index == 0 else None
            if kind == "photo":
                sent.append(await self.send_photo(data, cap, media_group_id=group))
            else:
                name = f"file{index + 1}.bin"
                sent.append(await self.send_document(data, name, "application/octet-stream", cap, media_group_id=group))
        return sent

    async def send_sticker(self, emoji: str = "👍") -> Message:
        stored = self.peer.files.add(b"RIFF\x00\x00\x00\x00WEBPVP8 ", "sticker", mime_type="image/webp")
        sticker = {
            **_file_fields(stored),
            "width": 512,
            "height": 512,
            "emoji": emoji,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "set_name": "TestStickers",
        }
        return self._send(self._new_message(sticker=sticker))

    async def send_voice(self, data: bytes, duration: int = 1) -> Message:
        stored = self.peer.files.add(data, "voice", mime_type="audio/ogg")
        voice = {**_file_fields(stored), "duration": duration, "mime_type": "audio/ogg"}
        return self._send(self._new_message(voice=voice))

    async def press(self, message: Message, callback_data: str, *, check: bool = True) -> dict[str, Any]:
        """Press an inline button of a bot message; returns the callback_query sent.

        With check=True the button must be on the message *now* (after edits), since a
        real user cannot press a keyboard that was edited away.
        """
        current = self.history.get(int(message["message_id"]))
        if current is None:
            raise ValueError(f"message {message['message_id']} does not exist in chat {self.id}")
        if check and callback_data not in _callback_datas(current):
            raise ValueError(
                f"no button {callback_data!r} on message {current['message_id']}; has {_callback_datas(current)}"
            )
        query = {
            "id": str(4_300_000_000_000_000_000 + self.peer.next_counter()),
            "from": self.user,
            "message": copy.deepcopy(current),
            "chat_instance": self.chat_instance,
            "data": callback_data,
        }
        self.peer.register_callback_query(query, self)
        self.peer.enqueue_update("callback_query", query)
        return query

    async def press_button(self, message: Message, text: str) -> dict[str, Any]:
        """Press the inline button whose label contains ``text``."""
        current = self.history.get(int(message["message_id"])) or message
        for row in (current.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if text in button.get("text", "") and "callback_data" in button:
                    return await self.press(current, button["callback_data"])
        raise ValueError(f"no button labelled {text!r}; buttons: {self.buttons(current)}")

    def _new_message(self, **content: Any) -> Message:
        if self._one_time:
            self.reply_keyboard, self._one_time = None, False
        return {
            "message_id": self.next_message_id(),
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            **content,
        }

    def _with_caption(self, msg: Message, caption: str | None, group: str | None) -> Message:
        if caption:
            if len(caption) > MAX_CAPTION:
                raise ValueError(f"caption longer than {MAX_CAPTION}")
            msg["caption"] = caption
            if entities := detect_entities(caption):
                msg["caption_entities"] = entities
        if group:
            msg["media_group_id"] = group
        return msg

    def _reply_copy(self, message: Message) -> Message:
        original = self.history.get(int(message["message_id"]), message)
        return {k: v for k, v in copy.deepcopy(original).items() if not k.startswith("_")}

    def _send(self, msg: Message) -> Message:
        self.history[msg["message_id"]] = msg
        self.peer.enqueue_update("message", msg)
        return copy.deepcopy(msg)

    # ----- reading -----

    @property
    def messages(self) -> list[Message]:
        """Every bot message and edit received so far (not consumed by reading)."""
        return [e for e in self.events if e["_kind"] in DEFAULT_KINDS]

    @property
    def last_message(self) -> Message | None:
        msgs = self.messages
        return msgs[-1] if msgs else None

    async def next_message(self, timeout: float = 10.0, *, kinds: Iterable[str] = DEFAULT_KINDS) -> Message:
        """The next unread bot event of the given kinds, in the order the bot caused them."""
        return await self.wait_for(None, timeout, kinds=kinds)

    async def wait_for(
        self, match: Match = None, timeout: float = 10.0, *, kinds: Iterable[str] = DEFAULT_KINDS
    ) -> Message:
        """Consume events until one matches (predicate, or substring of text/caption)."""
        accept, wanted = _matcher(match), tuple(kinds)
        loop_deadline = _Deadline(timeout)
        while True:
            while self._cursor < len(self.events):
                event = self.events[self._cursor]
                self._cursor += 1
                if event["_kind"] in wanted and accept(event):
                    return event
            ok = await self._signal.wait_until(lambda: self._cursor < len(self.events), loop_deadline.left())
            if not ok:
                raise TimeoutError(self._timeout_text(match, timeout))

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until ``condition()`` holds, re-checked whenever the bot changes this chat (nothing is consumed)."""
        if not await self._signal.wait_until(condition, timeout):
            raise TimeoutError(
                f"user {self.id}: {condition!r} not met within {timeout}s; last events: {self._recent()}"
            )

    async def expect_silence(self, seconds: float = 0.3, *, kinds: Iterable[str] = DEFAULT_KINDS) -> None:
        """Assert the bot sends nothing more within ``seconds`` (nothing is consumed)."""
        wanted = tuple(kinds)
        start = self._cursor

        def arrived() -> bool:
            return any(e["_kind"] in wanted for e in self.events[start:])

        if await self._signal.wait_until(arrived, seconds):
            extra = [_summary(e) for e in self.events[start:]]
            raise AssertionError(f"user {self.id}: unexpected bot output {extra}")

    async def wait_callback_answer(self, query_id: str | None = None, timeout: float = 10.0) -> dict[str, Any]:
        """The answerCallbackQuery for ``query_id`` (or the latest one)."""

        def find() -> dict[str, Any] | None:
            for answer in reversed(self.callback_answers):
                if query_id is None or answer["callback_query_id"] == query_id:
                    return answer
            return None

        if not await self._signal.wait_until(lambda: find() is not None, timeout):
            raise TimeoutError(f"user {self.id}: callback query {query_id} not answered in {timeout}s")
        return find()  # type: ignore[return-value]

    async def download(self, message: Message) -> bytes:
        """Bytes of the file in a message (largest photo size), as stored by the peer."""
        for name in _MEDIA_FIELDS:
            media = message.get(name)
            if media:
                file_id = media[-1]["file_id"] if isinstance(media, list) else media["file_id"]
                stored = self.peer.files.get(file_id)
                if stored is None:
                    raise KeyError(f"file {file_id} unknown to the peer")
                return stored.data
        raise ValueError(f"message {message.get('message_id')} has no file")

    def buttons(self, message: Message) -> list[list[str]]:
        """Inline button labels, row by row (current state of the message)."""
        current = self.history.get(int(message["message_id"]), message)
        rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        return [[b.get("text", "") for b in row] for row in rows]

    def block(self) -> None:
        """Further bot sends to this chat fail with 403, as if the user blocked the bot."""
        self.blocked = True

    def unblock(self) -> None:
        self.blocked = False

    def _timeout_text(self, match: Match, timeout: float) -> str:
        what = f"matching {match!r}" if match is not None else "any bot message"
        return f"user {self.id}: no {what} within {timeout}s; last events: {self._recent()}"

    def _recent(self) -> list[str]:
        return [_summary(e) for e in self.events[-5:]]


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        return max(self._end - time.monotonic(), 0.0)


def _matcher(match: Match) -> Callable[[Message], bool]:
    if match is None:
        return lambda _event: True
    if isinstance(match, str):
        return lambda event: match in (event.get("text") or event.get("caption") or "")
    return match


def _summary(event: Message) -> str:
    body = event.get("text") or event.get("caption") or next((k for k in _MEDIA_FIELDS if k in event), "")
    return f"{event.get('_kind')}#{event.get('message_id')}:{str(body)[:60]!r}"


def _file_fields(stored: Any) -> dict[str, Any]:
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_size": stored.size}


def _button_text(button: Any) -> str:
    return button if isinstance(button, str) else str(button.get("text", ""))


def _callback_datas(message: Message) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]
