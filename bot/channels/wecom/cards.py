"""Two questions' choices also as a WeCom button card, and the card settled once it is pressed.

Why both the numbered list and a card: the list works in every WeCom and 政务微信 client and is what
the text promises ("回复序号"); the card saves typing where template cards are supported. Why only
two questions: a card is a message of its own, and WeCom takes 30 a minute per member (:mod:`.compose`
keeps an answer to about one message). The card goes where it saves reading and typing most: the
申报类别, six long names the member would otherwise match against the numbered descriptions above
them, and the submit confirmation, the one step that cannot be taken back, where "确认提交" pressed
leaves no doubt about what was meant. Elsewhere (yes/no for /clear or /cancel, the rare choices of an
import or a paste) "1" is as quick to type as a button is to find. A press
comes back as a ``template_card_event`` whose EventKey is the button's data, which the translation
turns into the same :class:`~dialogs.events.Press` a Telegram button gives, so the dialog decides what
it means (an old card's press is refused there like an old Telegram button). The card is then
settled: its buttons are replaced by one that cannot be pressed again. A card that cannot be sent or
settled costs nothing but a log line: the numbered list is already there.
"""

from __future__ import annotations

import itertools
import logging
import os
import time

from dialogs.events import Reply
from dialogs.wording import t

from ..render import choices_of, label_of
from .api import MAX_BUTTONS, WeComApi, WeComApiError
from .messages import Event, Inbound

log = logging.getLogger(__name__)

TITLE_CHARS = 36  # WeCom shows a card title of about this many characters
CARD_EVENT = "template_card_event"
# the choices that get a card, by the prefix of their button data: the category, and submitting
# (after the review, or past the warning of a near duplicate)
CARD_CHOICES = ("cat:", "yes:submit:", "no:submit:", "yes:near:", "no:near:")
_serial = itertools.count()


def card_title(reply: Reply) -> str:
    """The question's first line, shortened to what a card shows."""
    first = next((line.strip() for line in reply.text.splitlines() if line.strip()), "")
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"


def card_buttons(reply: Reply) -> list[tuple[str, str]]:
    """(key, text) for each choice, or nothing where a card cannot hold them all."""
    choices = choices_of(reply)
    if not 1 <= len(choices) <= MAX_BUTTONS or not all(b.data.startswith(CARD_CHOICES) for b in choices):
        return []
    return [(button.data, label_of(button)) for button in choices]


def task_id() -> str:
    """Unique for the application, as WeCom requires: letters, digits and _-@, at most 128 bytes."""
    return f"casebot-{os.getpid()}-{time.time_ns()}-{next(_serial)}"


class Cards:
    def __init__(self, api: WeComApi, enabled: bool = True) -> None:
        self.api = api
        self.enabled = enabled

    def wanted(self, reply: Reply) -> bool:
        """Whether ``reply`` gets a card after its text."""
        return self.enabled and bool(card_buttons(reply))

    async def offer(self, member: str, reply: Reply) -> None:
        """The card for ``reply``'s choices, sent after its text; nothing for a reply without one."""
        buttons = card_buttons(reply) if self.enabled else []
        if not buttons:
            return
        try:
            await self.api.send_buttons(member, card_title(reply), t("wecom.card.desc"), task_id(), buttons)
        except WeComApiError as error:
            log.warning("button card to %s not sent (the numbered list stands): %s", member, error)

    async def settle(self, inbound: Inbound) -> None:
        """After a press has been answered: the card's buttons read 已收到 and cannot be pressed again."""
        if not isinstance(inbound, Event) or inbound.event != CARD_EVENT or not inbound.response_code:
            return
        member = inbound.user.partition(":")[2]  # lower-cased, as every message to the member is addressed
        try:
            await self.api.update_buttons(member, inbound.response_code, t("wecom.card.received"))
        except WeComApiError as error:
            log.warning("button card of %s not settled: %s", member, error)
