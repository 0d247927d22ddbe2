"""The channels casebot speaks on, as peers: each is a folder or module here behind :mod:`.base`.

May import: dialogs, exporters, bot.settings, bot.storage, bot.disk, bot.reading and bot.usecases (a channel
hands events to the service and sends what it answers). Never the wiring (bot.app, bot.serve) or the CLI: a
channel is given what it needs (:class:`.base.Host`), and :mod:`bot.serve` builds and runs them all.
"""
