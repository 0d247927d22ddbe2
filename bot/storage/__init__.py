"""SQLite storage: the one place that speaks SQL, split by concern.

``store`` holds the connection and the transaction; ``sessions``, ``cases``, ``members`` and
``deadlines`` the operations on each group of tables; ``migrations`` the numbered schema.
"""

from .core import Statement
from .inbox import InboxRow, InboxWriter
from .migrations import MIGRATIONS
from .outbox import AlbumPart, OutboxItem
from .records import DuplicateEvent, Invite, Member, replies_from_json, replies_to_json, utcnow
from .scans import ScanInfo
from .store import Store, Tx

__all__ = [
    "MIGRATIONS",
    "AlbumPart",
    "OutboxItem",
    "DuplicateEvent",
    "InboxRow",
    "InboxWriter",
    "Invite",
    "Member",
    "ScanInfo",
    "Statement",
    "Store",
    "Tx",
    "replies_from_json",
    "replies_to_json",
    "utcnow",
]
