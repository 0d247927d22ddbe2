"""A loopback Telegram Bot API peer for end-to-end tests (see README.md)."""

from .peer import DEFAULT_TOKEN, ApiError, BotApiPeer, Call
from .store import StoredFile
from .user import PeerUser

__all__ = ["DEFAULT_TOKEN", "ApiError", "BotApiPeer", "Call", "PeerUser", "StoredFile"]
