"""SQLite storage: the one place that speaks SQL, split by concern.

``store`` holds the connection and the transaction; ``sessions``, ``cases``, ``members`` and
``deadlines`` the operations on each group of tables; ``migrations`` the numbered schema.
"""

from .core import Statement
from .inbox import InboxRow, InboxWriter
from .migrations import MIGRATIONS
from .records import DuplicateEvent, Invite, replies_from_json, replies_to_json, utcnow
from .store import Store, Tx

__all__ = [
    "MIGRATIONS",
    "DuplicateEvent",
    "InboxRow",
    "InboxWriter",
    "Invite",
    "Statement",
    "Store",
    "Tx",
    "replies_from_json",
    "replies_to_json",
    "utcnow",
]
