"""What one sandboxed read costs to start: a read of a tiny picture through bot.reading.sandbox, 'forkserver' and 'spawn'.

Run: PYTHONPATH=. python bench/sandbox.py [N]. The per-read cost is what every Word file and every
picture pays before it is read at all; forkserver is used because it is the cheaper of the two.
"""

from __future__ import annotations

import asyncio
import io
import sys
import time

from PIL import Image

from bot.reading import sandbox
from bot.reading.pictures import read_picture
from dialogs.campaign import Limits
from dialogs.events import PictureIn

LIMITS = sandbox.Limits(seconds=10, memory=512 * 1024 * 1024)


def _picture() -> PictureIn:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "PNG")
    return PictureIn(buffer.getvalue())


async def _per_read(n: int) -> float:
    """A read of a tiny picture, so the child's imports (Pillow) count as they would in a real read."""
    picture, limits = _picture(), Limits(summary_zi=300, content_zi=2000, pictures_max=2)
    await sandbox.run(len, b"warm", limits=LIMITS)  # the fork server's own start is paid once
    start = time.perf_counter()
    for _ in range(n):
        done = await sandbox.run(read_picture, picture, limits, limits=LIMITS)
        assert done.value.ref is not None
    return (time.perf_counter() - start) / n


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for method in ("forkserver", "spawn"):
        sandbox._context.cache_clear()
        if method == "spawn":
            import multiprocessing

            sandbox._context = lambda: multiprocessing.get_context("spawn")  # type: ignore[assignment,misc]
        per = asyncio.run(_per_read(n))
        print(f"{method:>10}: {per * 1000:6.1f} ms per read (N={n})")


if __name__ == "__main__":
    main()
