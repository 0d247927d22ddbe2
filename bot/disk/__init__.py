"""Files on disk: the units' folders of built files (:mod:`.outputs`, built in the processes of :mod:`.pool`),
atomic writes (:mod:`.atomic`), LibreOffice and poppler (:mod:`.office`), the sample files (:mod:`.samples`) and
the one fork server child processes come from (:mod:`.forkserver`).

May import: dialogs, exporters, bot.storage, bot.settings. Never the use cases, channels, wiring or CLI:
the use cases decide what to write, this room only knows how it lands on disk.
"""
