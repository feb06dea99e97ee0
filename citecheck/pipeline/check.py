"""`citecheck check`: parse a draft, resolve every cited work once, and give each its verdict.

Back-references share the verdict of the work they repeat; a work cited
without a URL is `unlinked` unless the editor supplies one (`--links`).
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import fnmatch
import io
import os
import threading
import time
import tomllib
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import partial
from urllib.parse import urlsplit
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable, Iterator

from ..recover.archive import ArchiveOptions, Archives
from ..fetch.cache import Cache
from ..endpoints import Endpoints
from ..errors import InputError
from ..config import DiscoverOptions
from ..fetch.resolver import FetchOptions, HostGate, Resolver
from ..verify.extract import extract, extract_all, from_post, guess_language, text_needed
from ..model import CheckReport, Claim, Document, Finding, Found, Ignore, Level, Note, PageEvidence, PageNeeds, Place, Position, RawDocument, RawNote, Resolution, Skipped, Source, SourceCheck, Verdict
from ..parse.notes import DocumentBuilder, body_claims, parse_notes
from ..outlets import OutletRegistry
from ..recover.platforms import platform_rule
from ..config import VerifyOptions
from ..verify.rules import Cited, level_of, needs_draft_language, summary, verify
from .workers import reads_pages_in_processes, start_process_server, worker_pool


@dataclass(slots=True)
class Verification:
    """How the verifier runs: thresholds, the outlet registry, and whether to use a process pool."""

    options: VerifyOptions = field(default_factory=VerifyOptions)
    registry: OutletRegistry = field(default_factory=OutletRegistry.default)
    processes: bool | None = None  # None: decide by the number of pages


# A page to read: its body, URL, content type, encoding and what it will be checked for (extract_all's items).
_Page = tuple[bytes, str, str | None, str | None, PageNeeds | None]


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

    def __init__(self, executor: Executor | None, in_flight: int = 2, *, open: bool = True,
                 renew: Callable[[], Executor] | None = None, start: Callable[[], object] | None = None) -> None:
        self.executor = executor
        self._start = start  # called at the first page or language guess (a reader made open=False: what opens it)
        self._in_flight = in_flight
        self._running = 0
        # each page, its evidence to come, and whether it goes alone (its last batch broke the pool)
        self._waiting: deque[tuple[_Page, asyncio.Future[PageEvidence], bool]] = deque()
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

    def _next_batch(self) -> list[tuple[_Page, asyncio.Future[PageEvidence], bool]]:
        """Up to PAGE_BATCH waiting pages, or one page that goes alone."""
        batch: list[tuple[_Page, asyncio.Future[PageEvidence], bool]] = []
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

    def _read(self, batch: list[tuple[_Page, asyncio.Future[PageEvidence], bool]], executor: Executor | None,
              read: asyncio.Future[list[PageEvidence]]) -> None:
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

    def _broken(self, batch: list[tuple[_Page, asyncio.Future[PageEvidence], bool]], executor: Executor | None) -> None:
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
    def _settle(batch: list[tuple[_Page, asyncio.Future[PageEvidence], bool]], why: str) -> None:
        for page, future, _ in batch:
            if not future.done():
                future.set_result(_unread(page, why))


def _unread(page: _Page, why: str) -> PageEvidence:
    """The evidence of a page that could not be read: none, and why."""
    return PageEvidence(kind="other", url=page[1], problems=[f"{why}: the page was not verified"])


# New process pools a page reader takes in a row, each without a page read before its workers
# die, before it reports the pages left unread (a machine that kills every worker).
MAX_RENEWALS = 5


# The most pages one hand-over to a page-reading worker carries.
PAGE_BATCH = 16


def found_links(report: CheckReport) -> str:
    """The URLs discovery found for works their notes do not link, as a links file (TOML) that
    `load_links` reads back: by note id where the note cites one work, else by source id."""
    sources = {n.id: len(n.sources) for n in report.document.notes}
    lines = ["# URLs citecheck found for notes that give none: check them, then pass this file with --links", ""]
    for check in report.checks:
        if check.found is None or not check.url or check.verdict is Verdict.MOVED and check.fix is None:
            continue
        url = check.fix if check.verdict is Verdict.MOVED else check.url
        key = check.note_id if sources.get(check.note_id) == 1 else check.source_id
        lines.append(f"{_toml_string(key)} = {_toml_string(url or '')}  # {check.found.via}")
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_links(path: str) -> dict[str, str]:
    """note id (or source id) -> URL, from TOML (`[links]` table or top level) or CSV (two columns)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if path.endswith(".toml"):
        try:
            table = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(path, f"invalid TOML: {exc}") from None
        table = table.get("links", table)
        return {str(k): str(v) for k, v in table.items() if isinstance(v, str)}
    links: dict[str, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(data.decode("utf-8", "replace"))), start=1):
        if not row or row[0].strip().lower() in ("note", "id", "note_id"):
            continue
        if len(row) < 2 or not row[1].strip():
            raise InputError(path, "expected two columns: note id, URL", line=number)
        links[row[0].strip()] = row[1].strip()
    return links


@dataclass(slots=True)
class Scope:
    """Which cited works to check: URL patterns to include and exclude, and known false positives."""

    include: list[str] = field(default_factory=list)  # globs; when any is given, only matching URLs are checked
    exclude: list[str] = field(default_factory=list)
    ignores: list[Ignore] = field(default_factory=list)

    def skip_reason(self, note_ids: list[str], url: str | None) -> str | None:
        for ignore in self.ignores:
            if (ignore.note is not None and ignore.note in note_ids) or (ignore.url and url and fnmatch.fnmatchcase(url, ignore.url)):
                return f"ignored by the config: {ignore.reason}"
        if url and any(fnmatch.fnmatchcase(url, pattern) for pattern in self.exclude):
            return "excluded by the config's [urls] exclude"
        if url and self.include and not any(fnmatch.fnmatchcase(url, pattern) for pattern in self.include):
            return "not in the config's [urls] include"
        return None


def _works(doc: Document, links: dict[str, str], scope: Scope, skipped: list[Skipped]) -> list[tuple[Source, list[str], str | None]]:
    """(first citation, notes citing it, URL to check) for every distinct work; the others go to `skipped`."""
    cited_in = doc.citing_notes()
    notes = {n.id: n for n in doc.notes}
    works = []
    for src in doc.sources:
        if src.position is not Position.FIRST and src.refers_to is not None:
            continue
        url = _work_url(src, notes[src.note_id], links)
        citing = cited_in.get(src.id, [src.note_id])
        reason = "ignored in the draft (citecheck: ignore)" if notes[src.note_id].ignored else scope.skip_reason(citing, url)
        if reason is not None:
            skipped.append(Skipped(src.id, src.note_id, url, reason))
            continue
        works.append((src, citing, url))
    return works


def _work_url(src: Source, note: Note, links: dict[str, str]) -> str | None:
    """The URL to check for a cited work: the links file's (by source id, or by note id when
    the note cites one work; "9.2" always names one), else the note's own."""
    by_note = links.get(src.note_id) if len(note.sources) == 1 else None
    return links.get(src.id) or by_note or src.url


def _check_for(src: Source, cited_in: list[str], url: str | None, res: Resolution | None, place: Place) -> SourceCheck:
    if url is None or res is None:
        return SourceCheck(src.id, src.note_id, cited_in, None, Verdict.UNLINKED, "the note gives no URL (supply one with --links)", place=place)
    fix = res.suggested_url if res.verdict is Verdict.MOVED else None
    return SourceCheck(src.id, src.note_id, cited_in, url, res.verdict, res.reason, fix=fix, resolution=res, place=place)


async def resolve_source(resolver: Resolver, endpoints: Endpoints, url: str) -> Resolution:
    """A URL resolved as a cited one is: a post or a video through its platform's embed endpoint,
    anything else fetched live."""
    rule = platform_rule(url)
    if rule is None:
        return await resolver.resolve_one(url)
    match, resolve = rule
    return await resolve(url, match, resolver.fetch_api, endpoints)


async def resolve_all(resolver: Resolver, urls: Iterable[str], endpoints: Endpoints,
                      early: dict[str, asyncio.Task[Resolution]] | None = None) -> AsyncIterator[Resolution]:
    """Platform URLs through their embed endpoints, everything else live; results as they finish.
    `early`: URLs already resolving (started while the draft was parsed), awaited, not fetched again.

    Every result comes as it finishes, whichever way it was started: the early ones (most of a
    large draft's, many finished long ago) used to wait for the last live one, and what is done
    with each result (verifying its page) then piled up after the last answer.
    """
    early = early or {}
    # one queue for all: finished tasks, the live stream's results, and None when that stream ends
    arrived: asyncio.Queue[asyncio.Task[Resolution] | Resolution | None] = asyncio.Queue()
    left = 1  # the live stream, and each task below

    def track(task: asyncio.Task[Resolution]) -> None:
        nonlocal left
        left += 1
        task.add_done_callback(arrived.put_nowait)

    def web() -> Iterator[str]:
        """The URLs to fetch live, pulled as the resolver has room (`urls` may still be coming:
        an audit reads its articles as it goes); the platforms' start their own tasks as they come."""
        seen = set(early)
        for url in urls:
            if url not in seen:
                seen.add(url)
                if platform_rule(url):
                    track(asyncio.create_task(resolve_source(resolver, endpoints, url)))
                else:
                    yield url

    for task in early.values():
        track(task)

    async def live() -> None:
        async with contextlib.aclosing(resolver.resolve(web())) as stream:
            async for res in stream:
                arrived.put_nowait(res)

    streaming = asyncio.create_task(live())
    streaming.add_done_callback(lambda _: arrived.put_nowait(None))
    try:
        while left:
            item = await arrived.get()
            if item is None:
                left -= 1
                streaming.result()  # the live stream's failure, if it failed
            elif isinstance(item, asyncio.Task):
                left -= 1
                yield item.result()
            else:
                yield item
    finally:
        streaming.cancel()  # the caller stopped early: the live resolutions stop with it


#: Hears a stage that follows the resolving: its label and how many steps it has; what it returns
#: hears each step done. Archive look-ups go at the archives' pace (24 CDX requests a minute, under
#: the Wayback Machine's limit), so 40 dead links take over a minute after the last answer.
StageListener = Callable[[str, int], Callable[[], None]]


async def run_stage(on_stage: StageListener | None, label: str, steps: list[Awaitable[None]]) -> None:
    """Run a stage's steps together, telling `on_stage` how many there are and each one done."""
    done = on_stage(label, len(steps)) if on_stage is not None and steps else None

    async def step(awaitable: Awaitable[None]) -> None:
        try:
            await awaitable
        finally:
            if done is not None:
                done()

    await asyncio.gather(*map(step, steps))


@dataclass(slots=True)
class Draft:
    """A draft read but not yet parsed. `check_document` parses it inside its event loop, a few
    milliseconds at a time, and starts resolving each work as soon as its note is parsed: while
    servers take their 100 ms to answer, the rest of the draft is read (measured: 5,000 notes
    take 1.3 s to parse, time that otherwise came before the first request)."""

    raw: RawDocument
    registry: OutletRegistry | None = None
    handles: dict[str, str] = field(default_factory=dict)  # the newsroom's table; the draft's own bios win


# Parsing gives the event loop a turn this often (seconds), so answers are read as they come.
PARSE_SLICE = 0.005


async def check_document(
    doc: Document | Draft,
    options: FetchOptions,
    *,
    cache: Cache | None = None,
    links: dict[str, str] | None = None,
    endpoints: Endpoints | None = None,
    archive: ArchiveOptions | None = None,
    archive_all: bool = False,
    save_within_days: float | None = None,
    verification: Verification | None = None,
    scope: Scope | None = None,
    on_result: Callable[[Resolution], None] | None = None,
    on_works: Callable[[int], None] | None = None,
    on_stage: StageListener | None = None,
    discover: DiscoverOptions | None = None,
) -> CheckReport:
    """Resolve every work once, verify what was found, and look for archived copies of those gone,
    unreachable or changed (`archive=None`: never; `verification=None`: a plain link check).

    `on_works` hears how many distinct URLs there are, once the draft is parsed; `on_result`
    hears each resolution as it finishes; `on_stage` hears each later stage that waits on the
    archives' pace (see StageListener). With `discover` (and verification, which decides), works
    the notes do not link, and gone ones with no archived copy, are looked for (citecheck/discover). A live page's text (`PageEvidence.text`) is let go once
    the works citing it are verified; the cache, if any, keeps it for the next run.
    """
    endpoints = endpoints or Endpoints()
    links, scope = links or {}, scope or Scope()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    pages = len(doc.raw.notes) if isinstance(doc, Draft) else len({s.url for s in doc.sources if s.url})
    with page_reader(verification, pages) as reader:
        if reader is not None and verification is not None:
            reader.await_needs()  # told below, once the works are listed
        async with Resolver(options, cache=cache, inspect=reader, reuse=reader.reusable if reader is not None else None) as resolver:
            early: dict[str, asyncio.Task[Resolution]] = {}
            if isinstance(doc, Draft):
                doc = await _parse_resolving(doc, resolver, links, scope, early)
            report = CheckReport(document=doc, started_at=started)
            works = _works(doc, links, scope, report.skipped)
            cited = None  # each work as cited, for its page's reading and its verification
            if reader is not None and verification is not None:
                cited = CitedWorks(doc, works, reader)
                reader.know_needs(cited.page_needs(verification))
            urls = [u for _, _, u in works if u]
            for url in early.keys() - set(urls):  # cannot happen by construction; never leave a task behind
                early.pop(url).cancel()
            if on_works is not None:
                on_works(len(set(urls)))
            await _check(doc, report, works, urls, resolver, early, endpoints, archive, archive_all, save_within_days, verification, cited,
                         on_result, on_stage, discover)
    return report


async def _parse_resolving(draft: Draft, resolver: Resolver, links: dict[str, str], scope: Scope,
                           early: dict[str, asyncio.Task[Resolution]]) -> Document:
    """Parse the draft note by note, starting (while the resolver's window has room) the live
    resolution of each new work whose URL is final once its note is parsed. A large draft's later
    notes are parsed by a worker process (`NoteRuns`) while this one reads the answers."""
    builder = DocumentBuilder(draft.raw, draft.registry)
    # A config rule ignoring a note also skips the work that note repeats (Ibid.), which an
    # earlier note may have cited: with such rules, nothing starts before the whole draft is read.
    eager = not any(rule.note is not None for rule in scope.ignores)
    # Works found wait here, in the draft's order, and start while the window has room (at once,
    # when it has; else as it gains room). Started only as notes came, they waited for the next note: the worker hands notes over
    # in runs, and between runs the window drained (at 5,000 links, ~85 requests went out per
    # 100 ms while the draft was parsed, ~93 now, of 100). What is still waiting when the draft
    # has been read is left to `_check`, which resolves every work not started here.
    waiting: deque[str] = deque()
    queued: set[str] = set()

    def start_waiting() -> None:
        while waiting and resolver.has_room():
            url = waiting.popleft()
            early[url] = resolver.start(url)

    def start_works(note: Note) -> None:
        if not eager or note.ignored:
            return
        for src in note.sources:
            url = _work_url(src, note, links)
            if (url and url not in early and url not in queued and src.position is Position.FIRST
                    and platform_rule(url) is None and scope.skip_reason([note.id], url) is None):
                waiting.append(url)
                queued.add(url)
        start_waiting()  # at once, if the window has room

    raw_notes = draft.raw.notes
    here = len(raw_notes) if len(raw_notes) < PARSE_ELSEWHERE_FROM else PARSE_HERE
    runs = NoteRuns(draft.raw, here, builder.registry) if here < len(raw_notes) else None

    async def notes() -> AsyncIterator[tuple[RawNote, Note | None]]:
        """Each raw note in order, with the worker's parse of it when there is one."""
        for raw_note in raw_notes[:here]:
            yield raw_note, None
        for run in runs.runs if runs is not None else ():
            parsed = await runs.next()  # type: ignore[union-attr]
            for i, raw_note in enumerate(run):
                yield raw_note, parsed[i] if parsed is not None else None

    stop_listening = resolver.on_room(start_waiting)
    try:
        turn = time.perf_counter()
        async for raw_note, parsed_note in notes():
            start_works(builder.add(raw_note) if parsed_note is None else builder.add_parsed(parsed_note))
            if time.perf_counter() - turn > PARSE_SLICE:
                await asyncio.sleep(0)
                turn = time.perf_counter()
        doc = builder.finish(await runs.claims() if runs is not None else None)
    finally:
        stop_listening()
        if runs is not None:
            runs.close()
    doc.handles = {**draft.handles, **doc.handles}
    return doc


# From this many notes on, the notes after the first PARSE_HERE are parsed by a worker process on
# the other core and sent back in runs of PARSE_RUN: this process has the event loop and the
# answers to read. Measured at 5,000 notes: ~1.1 s to parse them, ~0.15 s to unpickle them. The
# first notes are parsed here, so requests go out while that process starts (~0.3 s).
PARSE_ELSEWHERE_FROM = 1000
PARSE_HERE = 500
PARSE_RUN = 250


def _parse_pool() -> Executor:
    return worker_pool(1, warm=False)


class NoteRuns:
    """A worker process's share of parsing a large draft: its notes from `start` on, in runs of
    PARSE_RUN handed back in order (`runs`, `next`), then the body's claims (`claims`).

    A run the worker could not parse (the process would not start, or died) comes back as None,
    and so do the claims: the caller does that part itself. The worker only ever saves time.
    """

    def __init__(self, raw: RawDocument, start: int, registry: OutletRegistry) -> None:
        self.runs = [raw.notes[i : i + PARSE_RUN] for i in range(start, len(raw.notes), PARSE_RUN)]
        self._body = replace(raw, notes=[])  # what the claims need: the body, not the notes again
        self._note_ids = [note.id for note in raw.notes]
        self._registry = registry
        self._pool = _parse_pool()
        self._done: asyncio.Queue[list[Note] | list[Claim] | None] = asyncio.Queue()
        # submitting starts the process server and the worker, which blocks for a while: not on the event loop
        threading.Thread(target=self._feed, args=(asyncio.get_running_loop(),), daemon=True).start()

    def _feed(self, loop: asyncio.AbstractEventLoop) -> None:
        futures: list[Future[Any]] = []
        try:
            futures = [self._pool.submit(parse_notes, run, self._registry) for run in self.runs]
            futures.append(self._pool.submit(body_claims, self._body, self._note_ids))
        except Exception:  # noqa: BLE001 - no process (or shut down already): the caller does it all
            pass
        for i in range(len(self.runs) + 1):
            try:
                result = futures[i].result() if i < len(futures) else None
            except BaseException:  # noqa: BLE001 - the worker died, or the check ended and cancelled the rest
                result = None
            try:
                loop.call_soon_threadsafe(self._done.put_nowait, result)
            except RuntimeError:
                return  # the event loop is closed: nobody is waiting

    async def next(self) -> list[Note] | None:
        """The next run's notes, parsed (None: parse them yourself)."""
        return await self._done.get()  # type: ignore[return-value]

    async def claims(self) -> list[Claim] | None:
        """The body's claims, once every run has been taken (None: find them yourself)."""
        return await self._done.get()  # type: ignore[return-value]

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


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
        threading.Thread(target=_start_workers, args=(pool, workers, opened), daemon=True).start()

    # one batch being read and one waiting, per worker; none until the workers exist
    reader = PageReader(pool, in_flight=2 * workers, open=False, renew=partial(worker_pool, workers, warm=True), start=start)
    try:
        yield reader
    finally:
        reader.close()  # whichever pool it has by then (a worker that died made it take a new one)


def _start_workers(pool: ProcessPoolExecutor, workers: int, started: Callable[[], object]) -> None:
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


async def _check(
    doc: Document,
    report: CheckReport,
    works: list[tuple[Source, list[str], str | None]],
    urls: list[str],
    resolver: Resolver,
    early: dict[str, asyncio.Task[Resolution]],
    endpoints: Endpoints,
    archive: ArchiveOptions | None,
    archive_all: bool,
    save_within_days: float | None,
    verification: Verification | None,
    cited: CitedWorks | None,
    on_result: Callable[[Resolution], None] | None,
    on_stage: StageListener | None = None,
    discover: DiscoverOptions | None = None,
) -> None:
    places = {n.id: n.place for n in doc.notes}

    async def verify_check(check: SourceCheck) -> None:
        page, against = _evidence(check)
        if cited is not None and verification is not None and page is not None:
            _verify(check, page, against, await cited.verified(check.source_id, page, verification))

    waiting: dict[str, list[int]] = {}  # URL -> the works it stands for
    for i, (_, _, url) in enumerate(works):
        if url:
            waiting.setdefault(url, []).append(i)
    checks: list[SourceCheck | None] = [None] * len(works)
    verified: set[int] = set()
    async for res in resolve_all(resolver, urls, endpoints, early):
        for i in waiting.pop(res.url, ()):
            src, citing, url = works[i]
            check = checks[i] = _check_for(src, citing, url, res, places[src.note_id])
            if check.verdict in (Verdict.OK, Verdict.MOVED):
                await verify_check(check)  # now, while other answers are awaited
                verified.add(i)
        if cited is not None and res.page is not None:
            # Its works are verified (the cache has the text already): the report shows no page
            # text, and a draft's pages held theirs to the end (5,000 verified pages of 1,500
            # words each: the checking process peaked at 136 MB, 96 MB now)
            res.page.text = ""
        if on_result is not None:
            on_result(res)
    report.checks = [check or _check_for(src, citing, url, None, places[src.note_id]) for check, (src, citing, url) in zip(checks, works)]
    if archive is not None:
        archives = Archives(resolver, endpoints, archive)
    finder = None
    if discover is not None and cited is not None and verification is not None:
        finder = _Finder(doc, resolver, endpoints, discover, archives if archive is not None else None, cited, verification)
        unlinked = [(c, src) for c, (src, _, _) in zip(report.checks, works) if c.verdict is Verdict.UNLINKED]
        await run_stage(on_stage, "finding the works the notes do not link", [finder.find(c, src) for c, src in unlinked])
        verified.update(i for i, c in enumerate(report.checks) if c.found is not None)
    if archive is not None:
        wanted = [(c, src) for c, (src, _, _) in zip(report.checks, works)
                  if c.url and c.found is None and (archive_all or src.archive is not None or c.verdict in (Verdict.MISSING, Verdict.UNREACHABLE))]
        await run_stage(on_stage, "looking up archived copies", [_archive(archives, c, src) for c, src in wanted])
    if finder is not None:  # gone, with no archived copy: the work may have a new home under another URL
        gone = [(c, src) for c, (src, _, _) in zip(report.checks, works) if c.verdict is Verdict.MISSING and c.archive is None and c.found is None]
        await run_stage(on_stage, "looking for new homes of gone works", [finder.find(c, src) for c, src in gone])
        verified.update(i for i, c in enumerate(report.checks) if c.found is not None)
    if cited is not None and verification is not None:  # the rest: pages gone or blocked, against the archived copies found
        for i, check in enumerate(report.checks):
            if i not in verified:
                await verify_check(check)
        if archive is not None:
            changed = [c for c in report.checks if c.verdict is Verdict.MISMATCHED and c.verified_against == LIVE]
            await run_stage(on_stage, "looking up earlier copies", [_earlier_copy(archives, c, cited, verification) for c in changed])
    if archive is not None and save_within_days is not None:
        live = [c for c in report.checks if c.url and c.verdict in (Verdict.OK, Verdict.MOVED)]
        await run_stage(on_stage, "saving to the Wayback Machine", [_save(archives, c, save_within_days) for c in live])
    report.requests = resolver.requests_made
    report.finished_at = datetime.now(timezone.utc).isoformat(timespec="seconds")


LIVE = "the live page"


class CitedWorks:
    """Each work as the draft cites it, built once: for what its page will be checked for
    (`page_needs`, as the pages are read) and for verifying it.

    The draft's language matters only when a quotation is not found on a page whose language is
    known (it may be a translation), so it is guessed only then, by the page reader (in its worker
    processes when it has them, where the language model is loaded already). Guessed for every
    check, it made a run whose pages all came from the cache wait for the page readers to start:
    60 verified links took 1.22 s again where a link check took 0.54-0.59 s, and 30 links loaded
    the model into the checking process (102 MB).
    """

    def __init__(self, doc: Document, works: list[tuple[Source, list[str], str | None]], reader: PageReader) -> None:
        self._doc = doc
        self._notes = {n.id: n for n in doc.notes}
        self._works = works
        self._citing = {src.id: (src, citing) for src, citing, _ in works}
        self._reader = reader
        self._language: asyncio.Task[str | None] | None = None
        self._built: dict[str, Cited] = {}

    def of(self, source_id: str) -> Cited:
        cited = self._built.get(source_id)
        if cited is None:
            src, citing = self._citing[source_id]
            cited = self._built[source_id] = _cited(self._notes, src, citing)
        return cited

    def page_needs(self, verification: Verification) -> Callable[[str], PageNeeds | None]:
        """What each cited URL's page will be checked for (see PageNeeds), from every work citing it."""
        by_url: dict[str, PageNeeds] = {}
        shared: dict[PageNeeds, PageNeeds] = {}  # most pages need the same: one object for them all
        for src, _, url in self._works:
            if not url:
                continue
            quotes = bool(self.of(src.id).quotes)
            people = tuple(a for a in src.authors if verification.registry.lookup(a) is None)
            if (known := by_url.get(url)) is not None:
                quotes = quotes or known.quotes
                people = tuple(dict.fromkeys(known.authors + people))
            needs = PageNeeds(quotes, people, verification.options.author_match)
            by_url[url] = shared.setdefault(needs, needs)
        return by_url.get

    async def verified(self, source_id: str, page: PageEvidence, verification: Verification) -> list[Finding]:
        """The findings on `page` as this work's page, the draft's language guessed if they need it."""
        cited = self.of(source_id)
        if cited.draft_language is None and self._language is not None and self._language.done():
            cited.draft_language = self._language.result()  # guessed already, for another work
        findings = verify(cited, page, verification.registry, verification.options)
        if needs_draft_language(cited, page, findings, verification.options):
            if self._language is None:
                text = " ".join(claim.sentence for note in self._doc.notes for claim in note.claims)
                self._language = asyncio.ensure_future(self._reader.language(text))
            cited.draft_language = await self._language
            if cited.draft_language is not None:
                findings = verify(cited, page, verification.registry, verification.options)
        return findings


def _cited(notes: dict[str, Note], src: Source, cited_in: list[str]) -> Cited:
    """The work as cited: its first citation, and the quotations of every sentence that cites it."""
    quotes: list[str] = []
    for note_id in cited_in:
        for claim in notes[note_id].claims:
            quotes.extend(q for q in claim.quotes if q not in quotes)
    shares = any(len(notes[n].sources) > 1 for n in cited_in)
    return Cited(src, quotes, shares_note=shares)


def _evidence(check: SourceCheck) -> tuple[PageEvidence | None, str]:
    """What to verify a source against: the page found, else the archived copy of a page gone."""
    res = check.resolution
    if check.verdict in (Verdict.OK, Verdict.MOVED) and res is not None:
        if res.post is not None:
            return from_post(res.post, res.url), f"{res.post.provider}'s embed endpoint"
        if res.page is not None:
            return res.page, LIVE
    if check.archive is not None and check.archive.page is not None:
        return check.archive.page, f"the archived copy of {check.archive.date}"
    return None, ""


def _verify(check: SourceCheck, page: PageEvidence, against: str, findings: list[Finding]) -> None:
    """The findings on the page the check was verified against (`against` names it), and their verdict."""
    check.verified_against = against
    check.findings = [Finding("page", Level.WARN, problem) for problem in page.problems] + findings
    if level_of(check.findings) is not Level.FAIL:
        return
    was = check.verdict
    check.verdict = Verdict.MISMATCHED
    check.reason = f"{against} is not the cited work: {summary(check.findings)}"
    if was in (Verdict.MISSING, Verdict.UNREACHABLE):
        check.reason = f"{was.value}, and {check.reason}"
        check.fix = None  # an archived copy of something else is no fix


async def _earlier_copy(archives: Archives, check: SourceCheck, works: CitedWorks, verification: Verification) -> None:
    """A live page that no longer matches: the archived copy closest to the cited date may still say what was cited."""
    cited = works.of(check.source_id)
    snapshot, tried = await archives.find(check.url or "", cited.source.accessed or cited.source.issued)
    check.archive_tried.extend(tried)
    if snapshot is None or snapshot.page is None:
        return
    findings = await works.verified(check.source_id, snapshot.page, verification)
    if level_of(findings) is Level.FAIL:
        check.archive_tried.append(f"the archived copy of {snapshot.date} does not match either: {summary(findings)}")
        return
    check.archive = snapshot
    check.fix = snapshot.url
    check.reason += f"; the archived copy of {snapshot.date} matches the citation (the page has changed since)"


async def _save(archives: Archives, check: SourceCheck, within_days: float) -> None:
    """Make sure a live source has a recent archived copy, asking Save Page Now when it has none."""
    url = check.fix if check.verdict is Verdict.MOVED and check.fix else check.url or ""
    recent = await archives.recent(url, within_days)
    if recent is not None:
        check.archive = recent
        check.archive_tried.append(f"already archived {recent.date}, within {within_days:g} days: not saved again")
        return
    snapshot, what = await archives.save(url)
    check.archive_tried.append(what)
    if snapshot is not None:
        check.archive = snapshot


class _Finder:
    """The discovery stage of a check: finds the URL of a work its note does not link (or of a
    gone work's new home), each lead fetched by the run's resolver and verified as the work."""

    def __init__(self, doc: Document, resolver: Resolver, endpoints: Endpoints, options: DiscoverOptions, archives: Archives | None,
                 cited: CitedWorks, verification: Verification) -> None:
        from ..discover.find import Context, backends

        self.doc, self.resolver, self.cited, self.verification = doc, resolver, cited, verification
        self.ctx = Context(resolver, endpoints, verification.registry, options, learnt_sites=_learnt_sites(doc, verification.registry),
                           archives_on=archives is not None)
        # each service at a pace well inside its published limits; the CDX API's is the archive
        # look-ups' own when the archives are on (the first gate registered for a prefix is the one used)
        archives = archives or Archives(resolver, endpoints, ArchiveOptions())
        self.order = backends(options.backends, archives)
        gates = {"gdelt": (endpoints.gdelt, HostGate(1, options.gdelt_interval)),
                 "crossref": (endpoints.crossref, HostGate(2, 0.2)),  # then kept to half its x-rate-limit-* (discover/crossref.py)
                 "openalex": (endpoints.openalex, HostGate(1, 0.2)),
                 "semantic-scholar": (endpoints.semantic_scholar, HostGate(1, 1.0))}  # about one a second without a key
        if options.search_url:
            gates["search"] = (options.search_url, HostGate(2, 0.5))
        for name, (prefix, gate) in gates.items():
            resolver.pace(prefix, gate)
            self.ctx.gates[name] = gate

    async def find(self, check: SourceCheck, src: Source) -> None:
        from ..discover.find import Lead, Trial, WorkQuery, find_url
        from ..discover.accept import evidence, rejection

        if not src.title:
            check.discovery_tried = ["not searched: the note gives no title to search for"]
            return
        # the title's language, for outlets whose addresses carry it (/en/, /fr/), when the note does not say
        language = src.language or guess_language(src.title, min_confidence=0.8)
        work = WorkQuery(src.id, src.title, src.title_truncated, tuple(src.authors), src.outlet, src.issued, src.kind, language, src.text,
                         src.volume, src.issue, src.platform, _post_handle(src, self.doc))
        outlet_known = bool(src.outlet and self.verification.registry.lookup(src.outlet))
        pages: dict[str, tuple[Resolution, PageEvidence, list[Finding]]] = {}

        async def trial(lead: Lead) -> Trial:
            res = await resolve_source(self.resolver, self.ctx.endpoints, lead.url)
            page = from_post(res.post, res.url) if res.post is not None else res.page
            if res.verdict not in (Verdict.OK, Verdict.MOVED) or page is None:
                return Trial(lead, False, f"{res.verdict.value}: {res.reason}")
            findings = await self.cited.verified(src.id, page, self.verification)
            why = rejection(findings, res.final_url or lead.url, src.issued, outlet_known, listed_day=lead.published, posted=res.post is not None,
                            identified=lead.via == "identifiers")
            if why is not None:
                return Trial(lead, False, why)
            pages[lead.url] = (res, page, findings)
            return Trial(lead, True, "; ".join(evidence(findings)))

        found = await find_url(work, self.ctx, self.order, trial)
        check.discovery_tried = found.tried()
        rejected = [f"{t.lead.url}: {t.why}" for t in found.rejected[:3]]
        if found.accepted is None:
            what = "; ".join(found.answers())
            if check.verdict is Verdict.UNLINKED and not found.asked:  # every backend said why it does not apply
                check.reason = f"the note gives no URL; not searched ({'; '.join(found.skipped)})"
            elif check.verdict is Verdict.UNLINKED:
                check.reason = f"the note gives no URL; not found ({what})" + (f"; {len(found.rejected)} candidates were not the work" if found.rejected else "")
            else:
                check.discovery_tried.insert(0, "no new home found for the gone work")
            return
        lead = found.accepted.lead
        res, page, findings = pages[lead.url]
        # an identifier's address is the lasting one (doi.org/…); a found page is named where it answered
        url = lead.url if lead.lasting else (res.final_url or lead.url)
        check.found = Found(lead.via, lead.score, [lead.why, *evidence(findings)], rejected)
        was_missing = check.verdict is Verdict.MISSING
        check.resolution = res
        if was_missing:
            check.verdict, check.fix = Verdict.MOVED, url
            check.reason = f"{check.reason}; its new home was found at {url} ({lead.why})"
        else:
            check.url, check.verdict, check.fix = url, Verdict.OK, url
            check.reason = f"the note gives no URL; found {url} ({lead.why})"
        _verify(check, page, LIVE if res.post is None else f"{res.post.provider}'s embed endpoint", findings)


def _learnt_sites(doc: Document, registry: OutletRegistry) -> dict[str, str]:
    """Outlet name -> site (scheme and host), from the draft's own notes that cite the outlet with a URL."""
    sites: dict[str, str] = {}
    for src in doc.sources:
        outlet = registry.lookup(src.outlet) if src.outlet else None
        if outlet is not None and src.url and not outlet.is_platform:
            parts = urlsplit(src.url)
            if parts.scheme in ("http", "https") and parts.netloc:
                sites.setdefault(outlet.name, f"{parts.scheme}://{parts.netloc}")
    return sites


def _post_handle(src: Source, doc: Document) -> str | None:
    """The X handle of a post cited without a URL: from the note, or the article's bios."""
    if src.platform != "X" or src.url or not src.title or src.issued is None:
        return None
    if src.handle:
        return src.handle
    for author in src.authors:
        if author in doc.handles:
            return doc.handles[author]
    return None


async def _archive(archives: Archives, check: SourceCheck, src: Source) -> None:
    """Attach the archived copy to a check and say so in its reason and fix."""
    if src.archive is not None:
        snapshot = await archives.check_pointer(src.archive)
        check.archive_tried = [f"the draft's own archive link: {'a real page' if snapshot.verified else 'an error page or unreachable'}"]
    else:
        snapshot, tried = await archives.find(check.url or "", src.accessed or src.issued)
        check.archive_tried = tried
        if snapshot is None and check.verdict is Verdict.MISSING:
            # "no copy" only once an archive answered; a look-up that could not run proves nothing
            check.reason += "; no archived copy found" if tried.answered else f"; could not search the archives ({(tried.failures or ['no answer'])[0]})"
    if snapshot is None:
        return
    check.archive = snapshot
    if check.verdict in (Verdict.MISSING, Verdict.UNREACHABLE):
        check.reason = f"{check.verdict.value}, archived {snapshot.date}: {check.reason}"
        if check.fix is None and (snapshot.verified or snapshot.service == "archive.today"):
            check.fix = snapshot.url


def verify_citation(
    note: str,
    page: bytes,
    *,
    url: str,
    content_type: str | None = None,
    quotes: list[str] | None = None,
    draft_language: str | None = "en",
    verification: Verification | None = None,
) -> list[Finding]:
    """Verify one note's (first) citation against a page already in hand: the verifier without the web.

    For tools and evaluation sets: `note` is the note as written, `page` the bytes of the page (HTML or PDF).
    """
    from ..parse.notes import parse_note

    verification = verification or Verification()
    parsed = parse_note(RawNote("1", note, Place("<note>")), verification.registry)
    if not parsed.sources:
        raise InputError("<note>", "no citation found in the note")
    evidence = extract(page, url=url, content_type=content_type)
    cited = Cited(parsed.sources[0], list(quotes or []), shares_note=len(parsed.sources) > 1, draft_language=draft_language)
    findings = [Finding("page", Level.WARN, problem) for problem in evidence.problems]
    return findings + verify(cited, evidence, verification.registry, verification.options)
