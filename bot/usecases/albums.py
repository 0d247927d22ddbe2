"""Album pieces, kept in the database as they arrive.

Why: a Telegram album is several updates, answered as one once the last has come; Telegram counts
each update as delivered once the bot has fetched the next batch, so a piece held only in memory
while the rest is awaited would be lost by a crash. Stored here, a restart answers the album.
"""

from __future__ import annotations

from bot.storage import AlbumPart, Store


class Albums:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def keep(self, album: str, part: AlbumPart) -> None:
        """Store one piece; a redelivered piece (same album, same place in it) is stored once."""
        async with self.store.atomic() as tx:
            await tx.put_album_part(album, part)

    async def parts(self, album: str) -> list[AlbumPart]:
        async with self.store.atomic() as tx:
            return await tx.album_parts(album)

    async def forget(self, album: str) -> None:
        async with self.store.atomic() as tx:
            await tx.drop_album(album)

    async def waiting(self) -> list[str]:
        """Albums stored but not yet answered: a restart answers them."""
        async with self.store.atomic() as tx:
            return await tx.albums()
