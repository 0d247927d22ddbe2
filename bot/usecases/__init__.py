"""The application's use cases: one incoming event in (:mod:`.service`), the stored result and what to send out.

Submitting (service, submission, albums, inbound), the coordinators' desk (routes, coordination, desk,
contacts, scans, package), dates and reminders, and the outbox that carries out work recorded in a
transaction after its commit. May import: dialogs, exporters, bot.settings, bot.storage, bot.disk,
bot.reading. Never the channels, the wiring (bot.app, bot.serve) or the CLI: a channel hands an event in and
sends what comes back; whatever the use cases need of the channels is a small Protocol defined here.
"""
