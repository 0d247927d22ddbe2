"""casebot's shell: everything that touches the world, around the pure dialogs/ and exporters/.

Its rooms, lowest first; a room may import the rooms below it (and dialogs/, exporters/), never one above:

* :mod:`bot.settings` — configuration from the environment; :mod:`bot.storage` — SQLite, the only SQL;
* :mod:`bot.disk` — files on disk; :mod:`bot.reading` — files users send, read into data;
* :mod:`bot.usecases` — the application's use cases (the service, the coordinators' desk, the outbox);
* :mod:`bot.channels` — the peers (terminal, Telegram, WeCom), translating to and from the service;
* :mod:`bot.app` and :mod:`bot.serve` — the wiring: one application opened, every channel run together;
* :mod:`bot.cli` — the command line.

``tests/test_architecture.py`` walks every import and fails on a circle or an upward arrow.
"""
