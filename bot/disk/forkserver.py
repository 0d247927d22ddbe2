"""The one fork server every child process of casebot comes from: the file-building pool's workers
(:mod:`bot.disk.outputs`) and the sandboxed reads of users' files (:mod:`bot.reading.sandbox`).

Why one preload list for both: multiprocessing has a single fork server per process, and its preload is
fixed by whoever starts it first (the pool, at start-up). So it is set here in full: the exporters, the
readers, and every module of casebot imported by then. Every child runs the program's main module again
before it starts (multiprocessing's preparation), and for casebot that module imports the whole
application: some hundred milliseconds to a second per child unless the server holds it already.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence

PRELOAD = [  # by name (imported in the server; import errors there are ignored: tests/test_architecture.py checks)
    "exporters.form_docx",
    "exporters.summary_xlsx",
    "exporters.case_list_xlsx",
    "bot.reading.word_form",
    "bot.reading.pictures",
]
_OURS = ("bot", "dialogs", "exporters")


def forkserver(extra: Sequence[str] = ()) -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    loaded = {name for name in sys.modules if name.partition(".")[0] in _OURS}
    context.set_forkserver_preload(sorted({*PRELOAD, *extra, *loaded}))
    return context
