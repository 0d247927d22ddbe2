"""Shared state helpers for the Bot API peer: wake-up signal and file storage.

Why a separate module: both the HTTP side (peer.py) and the test-side users (user.py)
create files and wait on events, and neither should import the other at runtime.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import mimetypes
import secrets
from collections.abc import Callable
from dataclasses import dataclass

# Telegram file_id prefixes per media kind (first bytes of the real base64 ids).
_ID_PREFIX = {
    "photo": "AgACAgIAAxkBAAI",
    "document": "BQACAgIAAxkBAAI",
    "voice": "AwACAgIAAxkBAAI",
    "audio": "CQACAgIAAxkBAAI",
    "video": "BAACAgIAAxkBAAI",
    "sticker": "CAACAgIAAxkBAAI",
    "animation": "CgACAgIAAxkBAAI",
}
_FOLDER = {
    "photo": "photos",
    "document": "documents",
    "voice": "voice",
    "audio": "music",
    "video": "videos",
    "sticker": "stickers",
    "animation": "animations",
}
_DEFAULT_EXT = {"photo": ".jpg", "voice": ".oga", "sticker": ".webp", "audio": ".mp3", "video": ".mp4"}
PHOTO_SIDES = (90, 320, 800)


class Signal:
    """Wake every waiter at once.

    Why not asyncio.Condition: notify() must be callable from sync code (enqueueing an
    update, recording a bot message) and waiters re-check their own predicate anyway.
    """

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)
        self._waiters.clear()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until predicate() is true or timeout passes; returns predicate()."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0.0)
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            fut: asyncio.Future[None] = loop.create_future()
            self._waiters.add(fut)
            handle = loop.call_later(remaining, _resolve, fut)
            try:
                await fut
            finally:
                handle.cancel()
                self._waiters.discard(fut)
        return True


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


@dataclass
class StoredFile:
    """One file known to the peer: uploaded by the bot or sent by a test user."""

    file_id: str
    file_unique_id: str
    data: bytes
    kind: str
    file_path: str
    filename: str | None = None
    mime_type: str | None = None
    declared_size: int | None = None

    @property
    def size(self) -> int:
        """Size reported to the bot; declared_size lets tests fake huge files cheaply."""
        return self.declared_size if self.declared_size is not None else len(self.data)


class FileStore:
    """All files by file_id and by file_path (the /file/bot<token>/<path> download URL)."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}
        self._counter = itertools.count(1)

    def add(
        self,
        data: bytes,
        kind: str,
        filename: str | None = None,
        mime_type: str | None = None,
        declared_size: int | None = None,
    ) -> StoredFile:
        n = next(self._counter)
        ext = _extension(kind, filename, mime_type)
        stored = StoredFile(
            file_id=f"{_ID_PREFIX.get(kind, 'BQACAgIAAxkBAAI')}{n:06d}{secrets.token_urlsafe(24)}",
            file_unique_id=f"AgAD{n:06d}{secrets.token_urlsafe(6)}",
            data=bytes(data),
            kind=kind,
            file_path=f"{_FOLDER.get(kind, 'documents')}/file_{n}{ext}",
            filename=filename,
            mime_type=mime_type,
            declared_size=declared_size,
        )
        self.by_id[stored.file_id] = stored
        self.by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self.by_id.get(file_id)

    def photo_sizes(self, data: bytes, *, strict: bool) -> list[dict[str, object]]:
        """PhotoSize array like Telegram's: small thumbnails first, the original last.

        Thumbnails are real downscaled JPEGs when Pillow can decode the image, so a bot
        that wrongly takes photo[0] gets a 90px picture, as it would on Telegram.
        Undecodable bytes raise ValueError when strict (bot uploads), else every size
        points at the original bytes (tests may send fake photos).
        """
        dims = image_size(data)
        if dims is None:
            if strict:
                raise ValueError("IMAGE_PROCESS_FAILED")
            fake = [(90, 67), (320, 240), (800, 600)]
            return [self._photo_entry(data, w, h) for w, h in fake]
        width, height = dims
        sizes = []
        for side in PHOTO_SIDES:
            if side < max(width, height):
                thumb, tw, th = _thumbnail(data, side)
                sizes.append(self._photo_entry(thumb, tw, th))
        sizes.append(self._photo_entry(data, width, height))
        return sizes

    def _photo_entry(self, data: bytes, width: int, height: int) -> dict[str, object]:
        stored = self.add(data, "photo", mime_type="image/jpeg")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "width": width,
            "height": height,
        }


def _extension(kind: str, filename: str | None, mime_type: str | None) -> str:
    if filename and "." in filename:
        return "." + filename.rsplit(".", 1)[1][:10]
    if mime_type and (guessed := mimetypes.guess_extension(mime_type)):
        return guessed
    return _DEFAULT_EXT.get(kind, "")


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) if Pillow can read the image header, else None."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            return int(img.width), int(img.height)
    except Exception:  # noqa: BLE001 - any decode problem means "not an image"
        return None


def _thumbnail(data: bytes, side: int) -> tuple[bytes, int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        img.draft("RGB", (side, side))
        small = img.convert("RGB")
        small.thumbnail((side, side))
        buf = io.BytesIO()
        small.save(buf, "JPEG", quality=80)
        return buf.getvalue(), small.width, small.height


def guess_mime(filename: str | None, content_type: str | None) -> str:
    """Telegram trusts the file name more than a generic octet-stream content type."""
    if content_type and content_type != "application/octet-stream":
        return content_type
    guessed = mimetypes.guess_type(filename or "")[0]
    return guessed or content_type or "application/octet-stream"
