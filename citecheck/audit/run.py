"""`citecheck audit`: every published article, checked again and again, with rot confirmed over time.

One run reads the articles (files, globs, folders, article URLs, sitemaps), records their citations,
and checks every source that is due. A source is called `missing` only after it has failed at least
`confirm_checks` times over at least `confirm_days` days — as the Internet Archive's bot does before
it rewrites a Wikipedia link — and one success resets it; until then it is `failing` since its first
failure. Healthy sources are rechecked every `recheck_healthy_days`, failing ones daily, confirmed
rot monthly (to see a recovery). Each check is committed with the state it leads to, so a run
killed at any point resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import glob
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from ..config import FetchOptions
from ..endpoints import Endpoints
from ..errors import CitecheckError, InputError
from ..fetch.cache import Cache
from ..fetch.resolver import Resolver
from ..ingest import READERS
from ..model import (
    Document,
    Finding,
    Level,
    PageNeeds,
    PartialDate,
    Position,
    Resolution,
    Source,
    Verdict,
)
from ..parse.notes import build_document
from ..pipeline.check import StageListener, resolve_all, run_stage
from ..pipeline.pages import PageReader, Verification, page_reader
from ..pipeline.workers import PROCESS_POOL_FROM
from ..recover.archive import ArchiveOptions, Archives
from ..verify.extract import from_post
from ..verify.rules import Cited, level_of, summary, verify
from .store import AuditStore, SourceRow

Clock = Callable[[], float]
DAY = 86400.0
ARTICLE_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".json")


@dataclass(frozen=True, slots=True)
class AuditOptions:
    confirm_checks: int = 3  # failures before a source is called missing
    confirm_days: float = 3.0  # ... spread over at least this many days
    recheck_healthy_days: float = 7.0
    recheck_failing_days: float = 1.0
    recheck_missing_days: float = 30.0
    max_sitemap_urls: int = 100_000


@dataclass(slots=True)
class RunSummary:
    run_id: int
    resumed: bool
    articles: int = 0
    unchanged: int = 0  # articles whose bytes had not changed since the last audit: not parsed again
    citations: int = 0
    checked: int = 0
    archived: int = 0
    saved: int = 0
    problems: list[str] = field(default_factory=list)  # articles that could not be read, one line each


# --- the state of a source --------------------------------------------------------------------------------

FAILURES = (Verdict.MISSING, Verdict.UNREACHABLE)


def next_state(row: SourceRow, verdict: Verdict, now: float, options: AuditOptions) -> tuple[str, int, float | None, float]:
    """(status, fail count, failing since, next check) after a check of `row` with `verdict` at `now`.

    `mismatched` (the page answers but is no longer the cited work) is not rot: it is reported at
    once and rechecked on the healthy schedule.
    """
    if verdict not in FAILURES:
        status = {Verdict.MOVED: "moved", Verdict.MISMATCHED: "mismatched"}.get(verdict, "ok")
        return status, 0, None, now + options.recheck_healthy_days * DAY
    count = row.fail_count + 1
    since = row.failing_since if row.failing_since is not None else now
    confirmed = count >= options.confirm_checks and now - since >= options.confirm_days * DAY
    if confirmed:
        status = "missing" if verdict is Verdict.MISSING else "unreachable"
        return status, count, since, now + options.recheck_missing_days * DAY
    return "failing", count, since, now + options.recheck_failing_days * DAY


# --- inputs -----------------------------------------------------------------------------------------------


def expand(inputs: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """(article files, article URLs, sitemap URLs) from paths, folders, globs, URLs and `@list.txt` files of URLs."""
    files: list[str] = []
    urls: list[str] = []
    sitemaps: list[str] = []
    for item in inputs:
        if item.startswith("@"):
            try:
                with open(item[1:], encoding="utf-8") as f:
                    lines = [line.strip() for line in f if line.strip() and not line.startswith("#")]
            except OSError as exc:
                raise InputError(item[1:], f"cannot read the list of URLs: {exc.strerror or exc}") from None
            more_files, more_urls, more_maps = expand(lines)
            files += more_files
            urls += more_urls
            sitemaps += more_maps
        elif urlsplit(item).scheme in ("http", "https"):
            (sitemaps if urlsplit(item).path.endswith(".xml") else urls).append(item)
        elif os.path.isdir(item):
            for root, _, names in os.walk(item):
                files += sorted(os.path.join(root, n) for n in names if n.lower().endswith(ARTICLE_EXTENSIONS))
        elif any(ch in item for ch in "*?["):
            files += sorted(p for p in glob.glob(item, recursive=True) if os.path.isfile(p))
        elif os.path.isfile(item):
            files.append(item)
        else:
            raise InputError(item, "no such file, folder or URL")
    return sorted(dict.fromkeys(files)), list(dict.fromkeys(urls)), list(dict.fromkeys(sitemaps))


def sitemap_locations(body: bytes) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or sitemap index; no entities, no network (lxml's safe parser)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    locs = [(el.text or "").strip() for el in root.iter("{*}loc")]
    locs = [loc for loc in locs if urlsplit(loc).scheme in ("http", "https")]
    return ([], locs) if etree.QName(root).localname == "sitemapindex" else (locs, [])


def citations_of(doc: Document) -> list[tuple[str, str, str | None, str | None, int | None]]:
    """(note, url, title, outlet, year) of every cited work with a URL."""
    out = []
    for src in doc.sources:
        if src.url and (src.position is Position.FIRST or src.refers_to is None):
            out.append((src.note_id, src.url, src.title, src.outlet or src.platform, src.issued.year if src.issued else None))
    return out


# --- the run ----------------------------------------------------------------------------------------------


async def run_audit(
    store: AuditStore,
    inputs: list[str],
    fetch: FetchOptions,
    *,
    endpoints: Endpoints | None = None,
    options: AuditOptions = AuditOptions(),
    archive: ArchiveOptions | None = None,
    save_within_days: float | None = None,
    cache: Cache | None = None,
    verification: Verification | None = None,
    clock: Clock = time.time,
    on_progress: Callable[[int, int], None] | None = None,
    on_stage: StageListener | None = None,
) -> RunSummary:
    """Check every source that is due (`on_progress`: checks done and due; `on_stage`: the archive
    look-ups and saves that follow, at the archives' pace, as for check_document)."""
    endpoints = endpoints or Endpoints()
    files, urls, sitemaps = expand(inputs)
    run_id, resumed = store.open_run(clock(), inputs)
    summary = RunSummary(run_id, resumed)
    # How many pages the articles cite is known only once they are read, as the check goes: an
    # audit that reads articles reads pages in processes (whose workers start at the first page).
    with page_reader(verification, store.count_due(clock()) + (PROCESS_POOL_FROM if files else 0)) as reader:
        if reader is not None:
            reader.know_needs(lambda url: _AUDIT_NEEDS)
        await _run(
            store,
            files,
            urls,
            sitemaps,
            fetch,
            endpoints,
            options,
            archive,
            save_within_days,
            cache,
            verification,
            reader,
            clock,
            on_progress,
            on_stage,
            summary,
        )
    store.finish_run(run_id, clock())
    return summary


async def _run(
    store: AuditStore,
    files: list[str],
    urls: list[str],
    sitemaps: list[str],
    fetch: FetchOptions,
    endpoints: Endpoints,
    options: AuditOptions,
    archive: ArchiveOptions | None,
    save_within_days: float | None,
    cache: Cache | None,
    verification: Verification | None,
    reader: PageReader | None,
    clock: Clock,
    on_progress: Callable[[int, int], None] | None,
    on_stage: StageListener | None,
    summary: RunSummary,
) -> None:
    run_id = summary.run_id
    async with Resolver(fetch, cache=cache, inspect=reader, reuse=reader.reusable if reader is not None else None) as resolver:
        if urls or sitemaps:
            await _read_published(store, resolver, urls, sitemaps, options, clock, summary)
        queued: set[str] = set()
        newly_failing: list[str] = []
        async for res in resolve_all(resolver, _due_as_read(store, files, clock, summary, queued), endpoints):
            row = store.source(res.url)
            if row is None:
                continue
            findings = _verify(store, row, res, verification) if verification is not None else []
            now = clock()
            status, count, since, next_check = next_state(row, res.verdict, now, options)
            store.record_check(
                run_id,
                row,
                now,
                res.verdict.value,
                res.reason,
                new_status=status,
                fail_count=count,
                failing_since=since,
                next_check=next_check,
                final_url=res.final_url,
                http_status=res.status,
                fix=res.suggested_url if res.verdict is Verdict.MOVED else None,
                archive_url=None,
                evidence=_evidence(res, findings),
            )
            summary.checked += 1
            if status in ("failing", "missing", "unreachable") and row.status in ("new", "ok", "moved", "mismatched"):
                newly_failing.append(res.url)
            if on_progress is not None:
                on_progress(summary.checked, len(queued))  # the total grows as the articles are read
        if archive is not None:
            archives = Archives(resolver, endpoints, archive)
            await _archive(store, archives, newly_failing, summary, on_stage)
            if save_within_days is not None:
                await _save(store, archives, save_within_days, summary, on_stage)


def _evidence(res: Resolution, findings: list[Finding]) -> dict[str, object]:
    out: dict[str, object] = {"hops": [[h.status, h.url] for h in res.hops], "title": res.page_title, "error": res.error, "attempts": res.attempts}
    if findings:
        out["findings"] = [{"check": f.check, "level": f.level.value, "message": f.message} for f in findings if f.level in (Level.FAIL, Level.WARN)]
    return out


# What an audit checks a page for: the title, outlet and year it keeps of a citation, no quotation
# and no author (see _verify). A page's main text is read only when its markup does not declare its
# language (PageNeeds).
_AUDIT_NEEDS = PageNeeds()


def _verify(store: AuditStore, row: SourceRow, res: Resolution, verification: Verification) -> list[Finding]:
    """Verify a page against the first article that cites it (title, outlet, year: what the audit keeps of a citation).

    A verdict of `mismatched` is written into `res` itself, so the state and the report follow it.
    """
    cited = store.first_citation(row.id)
    page = from_post(res.post, res.url) if res.post is not None else res.page
    if cited is None or page is None or res.verdict not in (Verdict.OK, Verdict.MOVED):
        return []
    note, title, outlet, year = cited
    source = Source(id=f"{note}.1", note_id=note, text=title or "", title=title, outlet=outlet, issued=PartialDate(year) if year else None, url=res.url)
    findings = verify(Cited(source, []), page, verification.registry, verification.options)
    if level_of(findings) is Level.FAIL:
        res.verdict, res.reason = Verdict.MISMATCHED, f"the page is not the cited work: {summary(findings)}"
    return findings


def _due_as_read(store: AuditStore, files: list[str], clock: Clock, summary: RunSummary, queued: set[str]) -> Iterator[str]:
    """The URLs to check: each article's due sources as soon as it is read, then those due from
    earlier runs, each once (`queued` gathers them). The resolver pulls them as its window has room,
    so the checks start with the first articles instead of after the last: 500 articles citing
    10,000 sources had been read for 6.7 s before the first request went out."""

    def fresh(urls: Iterable[str]) -> Iterator[str]:
        for url in urls:
            if url not in queued:
                queued.add(url)
                yield url

    for path in files:
        yield from fresh(store.due_among(_read_file(store, path, clock(), summary), clock()))
    yield from fresh(store.due(clock()))


def _read_file(store: AuditStore, path: str, now: float, summary: RunSummary) -> list[str]:
    """Read and record an article (unless it is unchanged since it was last read): the URLs it cites."""
    from .. import parse_file

    try:
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
    except OSError as exc:
        summary.problems.append(f"{path}: cannot read: {exc.strerror or exc}")
        return []
    if _unchanged(store, path, digest, now, summary):
        return []
    doc = _parsed(path, lambda: parse_file(path), summary)
    return [] if doc is None else _record(store, path, doc, now, summary, digest)


def _parsed(location: str, parse: Callable[[], Document], summary: RunSummary) -> Document | None:
    """One article's notes, or None with a one-line problem: an audit of thousands of articles goes
    on past one it cannot read, whatever the reason (a bad draft, or a fault of citecheck's own)."""
    try:
        return parse()
    except CitecheckError as exc:
        summary.problems.append(f"{exc} (skipped)")
    except Exception as exc:  # noqa: BLE001 - a reader's fault on one article must not abort the audit
        summary.problems.append(f"{location}: skipped: citecheck could not read it ({type(exc).__name__}: {exc})"[:300])
    return None


def _unchanged(store: AuditStore, location: str, digest: str, now: float, summary: RunSummary) -> bool:
    """An article read before with the same bytes keeps its recorded citations (parsing 2,000 articles is most of a quiet day's audit)."""
    if store.article_digest(location) != digest:
        return False
    store.touch_article(location, now)
    summary.articles += 1
    summary.unchanged += 1
    return True


def _record(store: AuditStore, location: str, doc: Document, now: float, summary: RunSummary, digest: str | None = None) -> list[str]:
    """Record an article's citations: the URLs they cite."""
    citations = citations_of(doc)
    store.record_article(location, doc.format, now, citations, digest)
    summary.articles += 1
    summary.citations += len(citations)
    return [url for _, url, _, _, _ in citations]


async def _read_published(
    store: AuditStore, resolver: Resolver, urls: list[str], sitemaps: list[str], options: AuditOptions, clock: Clock, summary: RunSummary
) -> None:
    """Article URLs, and those a sitemap (or an index of sitemaps) lists: fetched politely, notes read from the HTML."""
    seen_maps: set[str] = set()
    queue = list(sitemaps)
    pages = list(urls)
    while queue and len(pages) < options.max_sitemap_urls:
        sitemap = queue.pop(0)
        if sitemap in seen_maps:
            continue
        seen_maps.add(sitemap)
        answer = await resolver.fetch_api(sitemap)
        if answer.status != 200:
            summary.problems.append(f"{sitemap}: sitemap not read ({answer.error or f'HTTP {answer.status}'})")
            continue
        found, nested = sitemap_locations(answer.body)
        pages += found
        queue += nested
    pages = list(dict.fromkeys(pages))[: options.max_sitemap_urls]

    async def read(url: str) -> None:
        answer = await resolver.fetch_api(url)
        if answer.status != 200:
            summary.problems.append(f"{url}: article not read ({answer.error or f'HTTP {answer.status}'})")
            return
        digest = hashlib.sha256(answer.body).hexdigest()
        if _unchanged(store, url, digest, clock(), summary):
            return
        doc = _parsed(url, lambda: build_document(READERS["html"](url, answer.body)), summary)
        if doc is not None:
            _record(store, url, doc, clock(), summary, digest)

    await asyncio.gather(*(read(u) for u in pages))


async def _archive(store: AuditStore, archives: Archives, urls: list[str], summary: RunSummary, on_stage: StageListener | None) -> None:
    """The archived copy of each source that started failing in this run: the fix the report offers."""

    async def one(url: str) -> None:
        snapshot, _ = await archives.find(url, None)
        if snapshot is not None:
            store.db.execute("UPDATE sources SET archive_url = ? WHERE url = ?", (snapshot.url, url))
            summary.archived += 1

    await run_stage(on_stage, "looking up archived copies", [one(u) for u in urls])


async def _save(store: AuditStore, archives: Archives, within_days: float, summary: RunSummary, on_stage: StageListener | None) -> None:
    """Live sources with no archived copy get one (Save Page Now, paced)."""
    rows = store.query("SELECT url FROM sources WHERE status IN ('ok', 'moved') AND archive_url IS NULL")

    async def one(url: str) -> None:
        snapshot, _, new = await archives.keep_copy(url, within_days)
        if snapshot is not None:
            store.db.execute("UPDATE sources SET archive_url = ? WHERE url = ?", (snapshot.url, url))
            summary.saved += new

    await run_stage(on_stage, "saving to the Wayback Machine", [one(r[0]) for r in rows])


__all__ = ["AuditOptions", "RunSummary", "expand", "next_state", "run_audit", "sitemap_locations"]
