"""What every channel is: one input/output pair between a platform and the service.

A channel translates, it does not decide. Inward it turns its platform's messages into dialog events
(:mod:`dialogs.events`) and calls :meth:`bot.usecases.service.Service.handle`; outward it sends what the
service answers: texts, choices and files, within the limits it declares here. The dialog emits
choices as buttons; a channel with buttons shows them, one without lists them by number (the dialog
accepts the number as the answer), and the hint that says which is the channel's own.

A user id names its channel: ``tg:123`` (Telegram), ``wecom:zhangsan`` (WeCom), ``term:alice``
(terminal). Deliveries to another user (a coordinator told of a new case, a reminder) go through
:class:`Channels`, which hands them to the channel that owns that user.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.usecases.response import Unreachable
from dialogs.events import Reply

if TYPE_CHECKING:
    from bot.disk.outputs import OutFile
    from bot.settings import Settings
    from bot.storage import Store
    from bot.usecases.service import Service

__all__ = ["Channel", "Host", "Limits", "Unreachable", "channel_of"]


@dataclass(frozen=True)
class Limits:
    """What a channel can carry; the shared renderers split and shape replies to fit."""

    text_chars: int | None = None  # characters per message (Telegram: 4096)
    text_bytes: int | None = None  # UTF-8 bytes per message (WeCom: 2048)
    buttons: bool = False  # inline buttons under a message
    files_in: bool = False  # users can send documents (a .docx, a PDF)
    files_out: bool = True  # the bot can send files back
    file_bytes: int | None = None  # largest file the bot can send
    # files are given by typing their path, and files sent are written to disk with their path printed
    files_as_paths: bool = False
    invite_links: bool = False  # an invitation link opens the chat with the code already sent


class Host(Protocol):
    """What a channel is given of the running application: its settings, its database and its service.

    :class:`bot.app.App` is one; a channel asks for this much and no more, so that it never imports the wiring.
    """

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> Store: ...

    @property
    def service(self) -> Service: ...


class Channel(Protocol):
    """One platform. ``prefix`` is the part of a user id before the colon.

    A channel is built by its factory in :mod:`.runner` (given the running app and the registry of
    all channels, through which it sends deliveries to other users) and then run until stopped.
    """

    prefix: str
    limits: Limits

    async def send(self, user: str, replies: Sequence[Reply], files: Sequence[OutFile] = ()) -> None:
        """Send replies, then files, to ``user`` in order; raises :class:`Unreachable` if it cannot."""
        ...

    async def run(self, stopping: asyncio.Event) -> None:
        """Take input and answer it until ``stopping`` is set or the channel's input ends, then let go.

        Returning ends the whole process's run (the terminal returns at the end of its input); an
        exception is logged and stops the other channels too.
        """
        ...


def channel_of(user: str) -> str:
    """The channel prefix of a user id (``tg:123`` → ``tg``)."""
    return user.partition(":")[0]
