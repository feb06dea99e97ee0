"""Worker processes: the pools that parse a large draft's notes and read pages, and the process
server they are forked from. Light to import, so a command can start the server before it loads
the stages (the HTTP client, the event loop, the verifier).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from ..verify.extract import READER_MODULES, warm_up

# Reading pages is CPU work (trafilatura, htmldate, pypdf): from this many pages on, a process
# pool on every core pays for its start-up (~0.5 s); smaller drafts read pages in a thread.
PROCESS_POOL_FROM = 40

# How often a worker process looks for the process it works for (seconds).
WORKER_WATCH = 1.0


def reads_pages_in_processes(processes: bool | None, pages: int) -> bool:
    """Whether pages are read in a process pool: as asked (`processes`), else from PROCESS_POOL_FROM pages on."""
    return processes if processes is not None else pages >= PROCESS_POOL_FROM


def start_process_server(*, page_reading: bool) -> None:
    """Start the process server the workers are forked from, now, and (`page_reading`) have it load
    the page readers' libraries first.

    Called as soon as a command knows it will read pages in processes, before it loads anything
    heavy itself: the server imports trafilatura on the core this process leaves idle while it
    imports the stages, and the page readers fork from it ready. Measured on a 1,000-link verified
    check: 3.8-3.9 s -> 3.1-3.4 s. Once the server runs, later calls change nothing.
    """
    context = multiprocessing.get_context("forkserver")
    if page_reading:  # the readers' libraries, imported once there instead of in every worker (~0.8 s of CPU each)
        context.set_forkserver_preload(["__main__", "citecheck.verify.extract", *READER_MODULES])
    with _stdio_detached():
        multiprocessing.forkserver.ensure_running()


@contextlib.contextmanager
def _stdio_detached() -> Iterator[None]:
    """This process's standard output and error pointed at the null device while the process
    server starts, so that it and the workers forked from it do not hold them (their failures come
    back as results, and they print nothing).

    Whoever reads citecheck's output through a pipe (a CI runner, `| tee`) waits until every
    process holding the pipe has let it go: a quick run (its pages all in the cache) ended while
    the server was still importing trafilatura, and the pipe stayed open ~0.4 s after citecheck
    had exited (60 verified links: 0.94-1.11 s through a pipe, 0.55-0.69 s into a file).
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()  # what this process has written goes out first
    try:
        saved = (os.dup(1), os.dup(2))
    except OSError:  # closed already: there is nothing to hold
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


def worker_pool(workers: int, *, warm: bool) -> ProcessPoolExecutor:
    """A pool of worker processes that exit with this one (`warm`: load what reading pages needs).
    forkserver: this process has threads (the page reader's starter, the resolver's look-ups), and
    in tests the loopback servers', which must not be forked."""
    start_process_server(page_reading=False)  # if no command has (the parse worker's): without this process's output
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("forkserver"), initializer=_worker_start, initargs=(os.getpid(), warm)
    )


def _worker_start(parent: int, warm: bool) -> None:
    """A worker process's initializer: end when `parent` is gone, and load what reading pages needs (`warm`).

    A process killed outright (SIGKILL, the OOM killer, a CI job cancelled) cannot shut its pools
    down, and their workers would wait for work forever, holding 50-150 MB each (and their
    process server with them). They now notice within WORKER_WATCH and exit.
    """
    threading.Thread(target=_exit_without, args=(parent,), daemon=True).start()
    if warm:
        warm_up()


def _exit_without(parent: int) -> None:
    while True:
        time.sleep(WORKER_WATCH)
        try:
            os.kill(parent, 0)  # signal 0: only asks whether the process exists
        except (ProcessLookupError, PermissionError):  # PermissionError: its number is another user's process now
            os._exit(0)
