"""The file builders' process pool: python-docx and openpyxl hold the GIL, so the files are built in
processes of their own, one per core, forked from a server that has imported the exporters already.

Its workers end with the application, even one killed outright, and start either with the first file
or, for the running bot, at once (:func:`start_workers`, off the event loop).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import wait

from bot.disk.forkserver import forkserver
from exporters.form_page import blank_form

# imported by the server the workers fork from: names, so an import error there would pass unseen
# (tests/test_architecture.py imports each)
EXPORTERS = ["exporters.form_docx", "exporters.summary_xlsx", "exporters.case_list_xlsx"]


def warm_builder() -> None:
    """A pool worker's first job, so that it is running, its 推荐表 page prepared, before any
    submitter waits for it."""
    blank_form()


def watch_parent() -> None:
    """A pool worker ends with the application, even one killed outright (a pipe left open would keep
    it waiting for work for ever)."""
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        sentinel = parent.sentinel
        threading.Thread(target=lambda: (wait([sentinel]), os._exit(0)), daemon=True).start()


def new_pool(workers: int) -> ProcessPoolExecutor:
    """The pool, its workers not started yet (each starts with the job that finds none idle)."""
    context = forkserver(EXPORTERS)  # the fork server the readers' sandboxed children come from too
    return ProcessPoolExecutor(workers, mp_context=context, initializer=watch_parent)


def start_workers(pool: ProcessPoolExecutor, workers: int) -> list[Future[None]]:
    """Start every worker now, each preparing its 推荐表 page. This blocks until the server has imported
    the exporters and forked them (a second or more on a busy machine): call it in a thread."""
    return [pool.submit(warm_builder) for _ in range(workers)]
