"""Files users send, read where a hostile one can do no harm: each read in a sandboxed process.

The service hands every Word file and every picture here before the dialog sees it (a coordinator's scan
pages too); the answer is plain data (:class:`dialogs.wordfile.FormRead`, :class:`dialogs.events.PictureChecked`).
A read stopped at its time or memory limit is a refusal that says so, never an exception.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.reading import sandbox
from bot.reading.pictures import read_picture
from bot.reading.word_form import read_form
from dialogs.campaign import Limits as CampaignLimits
from dialogs.events import PictureChecked, PictureIn, Pictures, PicturesRead
from dialogs.wordfile import FormRead, Refusal, Refused
from dialogs.wording import t

# A filled 推荐表 with two photos reads in well under half a second, a 6000×6000 picture in about one;
# the limits leave room for a busy machine and stop a bomb long before it costs anyone a wait.
WORD_LIMITS = sandbox.Limits(seconds=2.5, memory=768 * 1024 * 1024)
PICTURE_LIMITS = sandbox.Limits(seconds=2.5, memory=768 * 1024 * 1024)

_STOPPED_WORD = {
    sandbox.Stopped.TIME: Refusal.TOO_SLOW,
    sandbox.Stopped.MEMORY: Refusal.TOO_MUCH_MEMORY,
    sandbox.Stopped.CRASHED: Refusal.BROKEN,
}


@dataclass
class Reader:
    """``structure_first`` is switched off only by tests, to show the sandbox's own limits hold."""

    word: sandbox.Limits = WORD_LIMITS
    picture: sandbox.Limits = PICTURE_LIMITS
    structure_first: bool = True

    async def form(self, data: bytes, filename: str) -> FormRead:
        done = await sandbox.run(read_form, data, filename, self.structure_first, limits=self.word)
        if done.stopped is not None:
            return FormRead(filename, Refused(_STOPPED_WORD[done.stopped]))
        return FormRead(filename, done.value)

    async def one_picture(self, picture: PictureIn, limits: CampaignLimits) -> PictureChecked:
        done = await sandbox.run(read_picture, picture, limits, limits=self.picture)
        if done.stopped is not None:
            return PictureChecked(refusal=t("images.stopped"), caption=picture.caption)
        checked: PictureChecked = done.value
        return checked

    async def pictures(self, event: Pictures, limits: CampaignLimits) -> PicturesRead:
        """Every picture of a message (an album is one), each in its own process, side by side."""
        read = await asyncio.gather(*(self.one_picture(p, limits) for p in event.items))
        return PicturesRead(tuple(read))
