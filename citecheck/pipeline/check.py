"""`citecheck check`: parse a draft, resolve every cited work once, and give each its verdict.

Back-references share the verdict of the work they repeat; a work cited
without a URL is `unlinked` unless the editor supplies one (`--links`).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from .. import pausepoints
from ..config import DiscoverOptions, FetchOptions
from ..endpoints import Endpoints
from ..fetch.cache import Cache
from ..fetch.resolver import Resolver
from ..model import (
    CheckReport,
    Claim,
    Document,
    Note,
    Place,
    Position,
    RawDocument,
    RawNote,
    Resolution,
    Source,
    SourceCheck,
    Verdict,
)
from ..outlets import OutletRegistry
from ..parse.notes import DocumentBuilder, body_claims, parse_notes
from ..recover.archive import ArchiveOptions, Archives
from ..recover.platforms import platform_rule
from .pages import Verification, page_reader
from .stages import (
    LIVE,
    CitedWorks,
    Finder,
    archive_check,
    earlier_copy,
    evidence_of,
    record_findings,
    resolve_source,
    save_check,
)
from .workers import worker_pool
from .works import Scope, work_url, works_in_scope


def _check_for(src: Source, cited_in: list[str], url: str | None, res: Resolution | None, place: Place) -> SourceCheck:
    if url is None or res is None:
        return SourceCheck(src.id, src.note_id, cited_in, None, Verdict.UNLINKED, "the note gives no URL (supply one with --links)", place=place)
    fix = res.suggested_url if res.verdict is Verdict.MOVED else None
    return SourceCheck(src.id, src.note_id, cited_in, url, res.verdict, res.reason, fix=fix, resolution=res, place=place)


async def resolve_all(
    resolver: Resolver, urls: Iterable[str], endpoints: Endpoints, early: dict[str, asyncio.Task[Resolution]] | None = None
) -> AsyncIterator[Resolution]:
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


# Parsing gives the event loop a turn this often (seconds), so answers are read as they come. A
# connection takes four or five turns to open, and every turn also waits for a slice: at 5 ms the
# first request left 70-90 ms after its note was parsed, at 0.5 ms ~20 ms. Measured, four runs each
# interleaved (benchmarks/bench_check.py): 1,000 links 1.75 s -> 1.61 s (medians), 5,000 links
# 6.20 s -> 6.07 s, the CPU the same (a turn costs ~15 us).
PARSE_SLICE = 0.0005


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
    on_check: Callable[[SourceCheck], None] | None = None,
) -> CheckReport:
    """Resolve every work once, verify what was found, and look for archived copies of those gone,
    unreachable or changed (`archive=None`: never; `verification=None`: a plain link check).

    `on_works` hears how many distinct URLs there are, once the draft is parsed; `on_result`
    hears each resolution as it finishes; `on_stage` hears each later stage that waits on the
    archives' pace (see StageListener); `on_check` hears each work's check as soon as its page is
    fetched and verified, then every check again, final, once the later stages are done. With `discover` (and verification, which decides), works
    the notes do not link, and gone ones with no archived copy, are looked for (citecheck/discover). A live page's text (`PageEvidence.text`) is let go once
    the works citing it are verified; the cache, if any, keeps it for the next run.
    """
    endpoints = endpoints or Endpoints()
    links, scope = links or {}, scope or Scope()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    pages = len(doc.raw.notes) if isinstance(doc, Draft) else len({s.url for s in doc.sources if s.url})
    with page_reader(verification, pages) as reader:
        if reader is not None and verification is not None:
            reader.await_needs()  # told below, once the works are listed
        async with Resolver(options, cache=cache, inspect=reader, reuse=reader.reusable if reader is not None else None) as resolver:
            early: dict[str, asyncio.Task[Resolution]] = {}
            if isinstance(doc, Draft):
                doc = await _parse_resolving(doc, resolver, links, scope, early)
                pausepoints.phase("parsed")
            report = CheckReport(document=doc, started_at=started)
            works = works_in_scope(doc, links, scope, report.skipped)
            cited = None  # each work as cited, for its page's reading and its verification
            if reader is not None and verification is not None:
                cited = CitedWorks(doc, works, reader)
                reader.know_needs(cited.page_needs(verification))
            urls = [u for _, _, u in works if u]
            for url in early.keys() - set(urls):  # cannot happen by construction; never leave a task behind
                early.pop(url).cancel()
            if on_works is not None:
                on_works(len(set(urls)))
            await _check(
                doc,
                report,
                works,
                urls,
                resolver,
                early,
                endpoints,
                archive,
                archive_all,
                save_within_days,
                verification,
                cited,
                on_result,
                on_stage,
                discover,
                on_check,
            )
    return report


async def _parse_resolving(draft: Draft, resolver: Resolver, links: dict[str, str], scope: Scope, early: dict[str, asyncio.Task[Resolution]]) -> Document:
    """Parse the draft note by note, starting (while the resolver's window has room) the live
    resolution of each new work whose URL is final once its note is parsed. A large draft's later
    notes are parsed by a worker process (`NoteRuns`) while this one reads the answers."""
    builder = DocumentBuilder(draft.raw, draft.registry)
    # A config rule ignoring a note also skips the work that note repeats (Ibid.), which an
    # earlier note may have cited: with such rules, nothing starts before the whole draft is read.
    eager = not any(rule.note is not None for rule in scope.ignores) and scope.only is None
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
            url = work_url(src, note, links)
            if (
                url
                and url not in early
                and url not in queued
                and src.position is Position.FIRST
                and platform_rule(url) is None
                and scope.skip_reason([note.id], url) is None
            ):
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
    on_check: Callable[[SourceCheck], None] | None = None,
) -> None:
    places = {n.id: n.place for n in doc.notes}

    async def verify_check(check: SourceCheck) -> None:
        page, against = evidence_of(check)
        if cited is not None and verification is not None and page is not None:
            record_findings(check, page, against, await cited.verified(check.source_id, page, verification))

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
            if on_check is not None:
                on_check(check)
        if cited is not None and res.page is not None:
            # Its works are verified (the cache has the text already): the report shows no page
            # text, and a draft's pages held theirs to the end (5,000 verified pages of 1,500
            # words each: the checking process peaked at 136 MB, 96 MB now)
            res.page.text = ""
        if on_result is not None:
            on_result(res)
    pausepoints.phase("fetched")
    report.checks = [check or _check_for(src, citing, url, None, places[src.note_id]) for check, (src, citing, url) in zip(checks, works)]
    if archive is not None:
        archives = Archives(resolver, endpoints, archive)
    finder = None
    if discover is not None and cited is not None and verification is not None:
        finder = Finder(doc, resolver, endpoints, discover, archives if archive is not None else None, cited, verification)
        unlinked = [(c, src) for c, (src, _, _) in zip(report.checks, works) if c.verdict is Verdict.UNLINKED]
        await run_stage(on_stage, "finding the works the notes do not link", [finder.find(c, src) for c, src in unlinked])
        verified.update(i for i, c in enumerate(report.checks) if c.found is not None)
    if archive is not None:
        wanted = [
            (c, src)
            for c, (src, _, _) in zip(report.checks, works)
            if c.url and c.found is None and (archive_all or src.archive is not None or c.verdict in (Verdict.MISSING, Verdict.UNREACHABLE))
        ]
        await run_stage(on_stage, "looking up archived copies", [archive_check(archives, c, src) for c, src in wanted])
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
            await run_stage(on_stage, "looking up earlier copies", [earlier_copy(archives, c, cited, verification) for c in changed])
    if archive is not None and save_within_days is not None:
        live = [c for c in report.checks if c.url and c.verdict in (Verdict.OK, Verdict.MOVED)]
        await run_stage(on_stage, "saving to the Wayback Machine", [save_check(archives, c, save_within_days) for c in live])
    report.requests = resolver.requests_made
    report.finished_at = datetime.now(UTC).isoformat(timespec="seconds")
    if on_check is not None:
        for check in report.checks:
            on_check(check)
