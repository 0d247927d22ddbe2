"""The command line: ``casebot`` and its sub-commands (:mod:`.main`), argparse in Chinese
(:mod:`.argparse_zh`), the administrator's tools (:mod:`.admin`, :mod:`.purge`, :mod:`.desk`).

The top floor: may import everything in bot/ (it opens the application with :func:`bot.app.open_app`);
nothing imports it but ``bot.__main__`` and the ``casebot`` entry point.
"""
