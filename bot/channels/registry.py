"""Every running channel, by prefix: what lets a message for any user leave through that user's channel.

A submission on Telegram may have to tell a coordinator who uses WeCom; a reminder goes to whoever
still has work, on whatever channel they joined by. The sender never needs to know which.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from dialogs.events import Reply

from .base import Channel, Unreachable, channel_of

if TYPE_CHECKING:
    from bot.disk.outputs import OutFile
    from bot.usecases.response import Delivery, Response

log = logging.getLogger(__name__)


class Channels:
    def __init__(self) -> None:
        self._by_prefix: dict[str, Channel] = {}

    def add(self, channel: Channel) -> None:
        if channel.prefix in self._by_prefix:
            raise ValueError(f"two channels claim the prefix {channel.prefix!r}")
        self._by_prefix[channel.prefix] = channel

    def __iter__(self) -> Iterator[Channel]:
        return iter(self._by_prefix.values())

    def __len__(self) -> int:
        return len(self._by_prefix)

    def owner(self, user: str) -> Channel | None:
        """The channel of ``user`` (``tg:42`` → the Telegram channel), if it is running."""
        return self._by_prefix.get(channel_of(user))

    def file_bytes(self, user: str) -> int | None:
        """The largest file ``user``'s channel can send (its ``Limits.file_bytes``); None: no known limit."""
        channel = self.owner(user)
        return channel.limits.file_bytes if channel is not None else None

    async def deliver(self, delivery: Delivery) -> bool:
        """Send one delivery through its user's channel; False (and a log line) if it could not go."""
        channel = self.owner(delivery.user)
        if channel is None:
            log.warning("no running channel for %s; delivery dropped", delivery.user)
            return False
        try:
            await channel.send(delivery.user, delivery.replies, delivery.files)
        except Unreachable as error:
            log.warning("could not reach %s: %s", delivery.user, error)
            return False
        except Exception:
            log.exception("delivery to %s failed", delivery.user)
            return False
        return True

    async def send(self, user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
        """Send through the user's channel; raises :class:`Unreachable` if no running channel has them,
        and whatever the channel raises, so the outbox can retry."""
        channel = self.owner(user)
        if channel is None:
            raise Unreachable(user)
        await channel.send(user, replies, files)

    async def deliver_all(self, deliveries: Iterable[Delivery]) -> None:
        """Each delivery in turn; one that cannot go does not hold up the others."""
        for delivery in deliveries:
            await self.deliver(delivery)

    async def respond(self, user: str, response: Response) -> None:
        """Answer ``user`` with what the service returned, then send its deliveries to the other users.

        The usual last step of a channel's handler; a failure to answer propagates (the channel
        apologises or logs as it can), a failed delivery to someone else does not.
        """
        channel = self.owner(user)
        if channel is None:
            raise Unreachable(user)
        await channel.send(user, response.replies, response.files)
        await response.sent()
        await self.deliver_all(response.deliveries)
