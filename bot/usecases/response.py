"""What the service answers a channel: the replies to the user, files, and messages for other users.

Why a module of its own: every channel reads these types, and the service and its coordinator routes
build them; keeping them apart lets each of those import them without importing the other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.disk.outputs import OutFile
from dialogs.events import Reply


class Unreachable(Exception):
    """A channel cannot reach that user (not one of its users, blocked the bot, chat gone).

    Raised by the channels, caught by the outbox: defined here so that the use cases never import a channel.
    """


@dataclass
class Delivery:
    """Something for another user, such as a unit's coordinators told of a new case."""

    user: str
    replies: list[Reply] = field(default_factory=list)
    files: list[OutFile] = field(default_factory=list)


@dataclass
class Response:
    replies: list[Reply] = field(default_factory=list)
    files: list[OutFile] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # files rewritten on disk, for channels that show paths
    duplicate: bool = False
    changed: bool = False  # False: nothing kept changed (a refusal, a redelivery, a list shown)
    on_sent: Callable[[], Awaitable[None]] | None = None

    async def sent(self) -> None:
        """Every channel calls this once the replies have left: a submission's receipt is then settled."""
        if self.on_sent is not None:
            await self.on_sent()
