"""Reading pages: the pool of workers that turn fetched bytes into evidence, fed in batches as pages arrive."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial

from ..config import VerifyOptions
from ..model import (
    PageEvidence,
    PageNeeds,
    Resolution,
)
from ..outlets import OutletRegistry
from ..verify.extract import (
    extract_all,
    guess_language,
    text_needed,
)
from .workers import reads_pages_in_processes, start_process_server, worker_pool


@dataclass(slots=True)
class Verification:
    """How the verifier runs: thresholds, the outlet registry, and whether to use a process pool."""

    options: VerifyOptions = field(default_factory=VerifyOptions)
    registry: OutletRegistry = field(default_factory=OutletRegistry.default)
    processes: bool | None = None  # None: decide by the number of pages


# A page to read: its body, URL, content type, encoding and what it will be checked for (extract_all's items).
PageBytes = tuple[bytes, str, str | None, str | None, PageNeeds | None]


class PageReader:
    """The resolver's inspector: a page's body becomes PageEvidence off the event loop, and the body is dropped.

    Pages go to the executor in batches: while `in_flight` batches are being read, pages answered
    meanwhile wait and leave together (up to PAGE_BATCH), so a busy run hands the workers many
    pages at once and a quiet one sends each page at once. A process pool hands work over through
    a thread that needs this process's GIL, which its busy event loop holds: one page at a time,
    the workers waited on that hand-over more than they read (5,000 pages: ~45 requests per
    100 ms where a link check sends 100).

    A reader made `open=False` holds its work until `open()`: a process pool's first hand-over
    starts its workers, waiting on the process server, and the pool's lock is held meanwhile, so
    whoever hands over next waits too (1,000 verified links: the event loop stalled ~300 ms).

    A worker that dies while reading (a page that crashes lxml, the OOM killer) breaks the whole
    pool. The reader then takes a new one from `renew` and reads that batch's pages again one at
    a time: the page that breaks a pool alone is reported as unread, and the others are read.
    After MAX_RENEWALS new pools in a row that read nothing, or without `renew`, the pages left
    are reported as unread. A pool that cannot take work at all (its processes would not start)
    is replaced by a thread, unless a worker has died (the page that killed it would take this
    process with it).
    """

    def __init__(
        self,
        executor: Executor | None,
        in_flight: int = 2,
        *,
        open: bool = True,
        renew: Callable[[], Executor] | None = None,
        start: Callable[[], object] | None = None,
    ) -> None:
        self.executor = executor
        self._start = start  # called at the first page or language guess (a reader made open=False: what opens it)
        self._in_flight = in_flight
        self._running = 0
        # each page, its evidence to come, and whether it goes alone (its last batch broke the pool)
        self._waiting: deque[tuple[PageBytes, asyncio.Future[PageEvidence], bool]] = deque()
        self._opened = asyncio.Event()
        if open:
            self._opened.set()
        self._renew = renew
        self._failing = 0  # pools taken in a row without a page read since
        self._crashed = False  # a worker has died: pages waiting may be what killed it
        self._solo = False  # a page that goes alone is being read
        # what each cited URL's page will be checked for (see PageNeeds); a page with none (not a
        # cited URL: an archived capture; or no one said) is read whole
        self.needs: Callable[[str], PageNeeds | None] | None = None
        self._needs_known: asyncio.Event | None = None

    async def language(self, text: str) -> str | None:
        """The language of a text, guessed where pages are read (the workers have the model loaded)."""
        self._begin()
        await self._opened.wait()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.executor, guess_language, text)
        except BrokenProcessPool:  # the pool is being replaced (see _broken): a thread guesses this one
            return await loop.run_in_executor(None, guess_language, text)

    def await_needs(self) -> None:
        """Hold the pages answered from now on until `know_needs`: a large draft's works, and the
        quotations that tell what their pages will be checked for, are known only once the whole
        draft is parsed, and its first thousand pages were read whole meanwhile. The resolver's
        window bounds the pages held (their bytes count until they are read)."""
        self._needs_known = asyncio.Event()

    def know_needs(self, needs: Callable[[str], PageNeeds | None] | None) -> None:
        self.needs = needs
        if self._needs_known is not None:
            self._needs_known.set()

    async def __call__(self, res: Resolution) -> None:
        body, res.body = res.body, None
        if not body:
            return
        if self._needs_known is not None:
            await self._needs_known.wait()
        page: asyncio.Future[PageEvidence] = asyncio.get_running_loop().create_future()
        needs = self.needs(res.url) if self.needs is not None else None
        self._waiting.append(((body, res.final_url or res.url, res.content_type, res.encoding, needs), page, False))
        self._begin()
        self._send()
        res.page = await page

    async def reusable(self, cached: Resolution) -> bool:
        """Whether a cached result's page serves this run: read whole, or without its text when
        nothing it is checked for now needs it (a quotation added to the draft since needs it).
        A page without its text waits, as pages answered do, until that is known: decided before,
        a large draft's cached pages were all fetched again."""
        page = cached.page
        if page is None:
            return False
        if page.text_read:
            return True
        if self._needs_known is not None:
            await self._needs_known.wait()
        return not text_needed(self.needs(cached.url) if self.needs is not None else None, page)

    def _begin(self) -> None:
        start, self._start = self._start, None
        if start is not None:
            start()

    def open(self) -> None:
        """Start handing work over (a reader made `open=False`)."""
        self._opened.set()
        self._send()

    def close(self) -> None:
        """Shut the executor down, waiting for what it is reading."""
        if self.executor is not None:
            self.executor.shutdown(wait=True)

    def _send(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting and self._running < self._in_flight and self._opened.is_set():
            if self._solo or (self._waiting[0][2] and self._running):
                return  # a page that goes alone is read with nothing else in flight: a pool that breaks then broke on it
            batch = self._next_batch()
            if not batch:
                return
            executor = self.executor
            try:
                read = loop.run_in_executor(executor, extract_all, [page for page, _, _ in batch])
            except BrokenProcessPool:  # a worker died and the pool knew it before its batch came back here
                if self._replace(executor):
                    self._waiting.extendleft(reversed(batch))  # not read: they go again as they were
                else:
                    self._settle(batch, "the page reader's worker processes keep failing")
                continue
            except Exception:  # noqa: BLE001 - the pool takes no work: its processes would not start
                if executor is None or self._crashed:  # a thread would not take it either, or may be killed by it
                    self._settle(batch, "the page reader could not take the page")
                    continue
                self.executor = None  # no page has killed a worker: read them here, in a thread
                self._waiting.extendleft(reversed(batch))
                continue
            self._running += 1
            self._solo = batch[0][2]
            read.add_done_callback(partial(self._read, batch, executor))

    def _next_batch(self) -> list[tuple[PageBytes, asyncio.Future[PageEvidence], bool]]:
        """Up to PAGE_BATCH waiting pages, or one page that goes alone."""
        batch: list[tuple[PageBytes, asyncio.Future[PageEvidence], bool]] = []
        while self._waiting and len(batch) < PAGE_BATCH:
            item = self._waiting[0]
            if item[2] and batch:
                break  # it goes alone, in the next batch
            self._waiting.popleft()
            if item[1].done():
                continue  # its resolution was given up while it waited
            batch.append(item)
            if item[2]:
                break
        return batch

    def _read(
        self, batch: list[tuple[PageBytes, asyncio.Future[PageEvidence], bool]], executor: Executor | None, read: asyncio.Future[list[PageEvidence]]
    ) -> None:
        self._running -= 1
        self._solo = False
        failure = None if read.cancelled() else read.exception()
        if isinstance(failure, BrokenProcessPool):
            self._broken(batch, executor)
        else:
            if not read.cancelled() and failure is None:
                self._failing = 0
            for i, (_, future, _) in enumerate(batch):
                if future.done():
                    continue  # its resolution was cancelled
                if read.cancelled():
                    future.cancel()
                elif failure is not None:
                    future.set_exception(failure)
                else:
                    future.set_result(read.result()[i])
        self._send()

    def _broken(self, batch: list[tuple[PageBytes, asyncio.Future[PageEvidence], bool]], executor: Executor | None) -> None:
        """A worker of `executor` died while it had `batch`: the page sent alone is the one that broke
        it, and is reported unread; the others go again, each alone, to a new pool."""
        alone = [item for item in batch if item[2]]
        self._settle(alone, "reading this page crashed the page reader")
        others = [item for item in batch if not item[2]]
        if not self._replace(executor):
            self._settle(others, "the page reader's worker processes keep failing")
            return
        self._waiting.extendleft(reversed([(page, future, True) for page, future, _ in others if not future.done()]))

    def _replace(self, executor: Executor | None) -> bool:
        """A new pool for the broken `executor`, unless it has been replaced already; False after
        MAX_RENEWALS new pools in a row with no page read (or without `renew`)."""
        self._crashed = True
        if executor is not self.executor:
            return True  # another batch on it came back first and replaced it
        if self._renew is None or self._failing >= MAX_RENEWALS:
            return False
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        self._failing += 1
        self.executor = self._renew()
        return True

    @staticmethod
    def _settle(batch: list[tuple[PageBytes, asyncio.Future[PageEvidence], bool]], why: str) -> None:
        for page, future, _ in batch:
            if not future.done():
                future.set_result(_unread(page, why))


def _unread(page: PageBytes, why: str) -> PageEvidence:
    """The evidence of a page that could not be read: none, and why."""
    return PageEvidence(kind="other", url=page[1], problems=[f"{why}: the page was not verified"])


# New process pools a page reader takes in a row, each without a page read before its workers
# die, before it reports the pages left unread (a machine that kills every worker).
MAX_RENEWALS = 5


# The most pages one hand-over to a page-reading worker carries.
PAGE_BATCH = 16


@contextlib.contextmanager
def page_reader(verification: Verification | None, pages: int) -> Iterator[PageReader | None]:
    """The resolver's page reader: none for a plain link check; a thread for a few pages, a process pool on every core for many."""
    if verification is None:
        yield None
        return
    if not reads_pages_in_processes(verification.processes, pages):
        yield PageReader(None)
        return
    start_process_server(page_reading=True)  # if the command has not already
    workers = os.cpu_count() or 2
    pool = worker_pool(workers, warm=True)
    loop = asyncio.get_running_loop()

    def start() -> None:
        # From a thread: starting the workers blocks whoever submits (the process server, still
        # loading trafilatura, answers when it is done), and that must not be the event loop. The
        # reader hands pages over once they have started. Only at the first page: a run whose pages
        # all come from the cache starts none (60 verified links waited ~0.6 s at their end for
        # workers they never used).
        opened = partial(loop.call_soon_threadsafe, reader.open)
        threading.Thread(target=start_workers, args=(pool, workers, opened), daemon=True).start()

    # one batch being read and one waiting, per worker; none until the workers exist
    reader = PageReader(pool, in_flight=2 * workers, open=False, renew=partial(worker_pool, workers, warm=True), start=start)
    try:
        yield reader
    finally:
        reader.close()  # whichever pool it has by then (a worker that died made it take a new one)


def start_workers(pool: ProcessPoolExecutor, workers: int, started: Callable[[], object]) -> None:
    try:
        for _ in range(workers):
            pool.submit(int)  # a no-op: the pool starts a worker for it
    except Exception:  # noqa: BLE001 - the check ended first (RuntimeError), or the processes would not start: the reader finds out
        pass
    finally:
        try:
            started()
        except RuntimeError:
            pass  # the event loop is closed: the check is over
