"""`citecheck check`: parse a draft, resolve every cited work once, and give each its verdict.

Back-references share the verdict of the work they repeat; a work cited
without a URL is `unlinked` unless the editor supplies one (`--links`).
"""

from __future__ import annotations

import asyncio
import csv
import io
import tomllib
from datetime import datetime, timezone
from typing import AsyncIterator, Callable

from .archive import ArchiveOptions, Archives
from .cache import Cache
from .endpoints import Endpoints
from .errors import InputError
from .fetch import FetchOptions, Resolver
from .model import CheckReport, Document, Place, Position, Resolution, Source, SourceCheck, Verdict
from .platforms import platform_rule


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


def _works(doc: Document, links: dict[str, str]) -> list[tuple[Source, list[str], str | None]]:
    """(first citation, notes citing it, URL to check) for every distinct work."""
    cited_in = doc.citing_notes()
    notes = {n.id: n for n in doc.notes}
    works = []
    for src in doc.sources:
        if src.position is not Position.FIRST and src.refers_to is not None:
            continue
        if notes[src.note_id].ignored:
            continue
        # a note id names the work only when the note cites one work; "9.2" always names one
        by_note = links.get(src.note_id) if len(notes[src.note_id].sources) == 1 else None
        url = links.get(src.id) or by_note or src.url
        works.append((src, cited_in.get(src.id, [src.note_id]), url))
    return works


def _check_for(src: Source, cited_in: list[str], url: str | None, res: Resolution | None, place: Place) -> SourceCheck:
    if url is None or res is None:
        return SourceCheck(src.id, src.note_id, cited_in, None, Verdict.UNLINKED, "the note gives no URL (supply one with --links)", place=place)
    fix = res.suggested_url if res.verdict is Verdict.MOVED else None
    return SourceCheck(src.id, src.note_id, cited_in, url, res.verdict, res.reason, fix=fix, resolution=res, place=place)


async def _resolve_all(resolver: Resolver, urls: list[str], endpoints: Endpoints) -> AsyncIterator[Resolution]:
    """Platform URLs through their embed endpoints, everything else live; results as they finish."""
    web, platform = [], []
    for url in dict.fromkeys(urls):
        (platform if platform_rule(url) else web).append(url)

    async def via_platform(url: str) -> Resolution:
        match, resolve = platform_rule(url)  # type: ignore[misc]
        return await resolve(url, match, resolver.fetch_api, endpoints)

    tasks = [asyncio.create_task(via_platform(u)) for u in platform]
    async for res in resolver.resolve(web):
        yield res
    for task in asyncio.as_completed(tasks):
        yield await task


async def check_document(
    doc: Document,
    options: FetchOptions,
    *,
    cache: Cache | None = None,
    links: dict[str, str] | None = None,
    endpoints: Endpoints | None = None,
    archive: ArchiveOptions | None = None,
    archive_all: bool = False,
    save_within_days: float | None = None,
    on_result: Callable[[Resolution], None] | None = None,
) -> CheckReport:
    """Resolve every work once; look for archived copies of those gone or unreachable (`archive=None`: never)."""
    endpoints = endpoints or Endpoints()
    report = CheckReport(document=doc, started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    works = _works(doc, links or {})
    urls = [u for _, _, u in works if u]
    results: dict[str, Resolution] = {}
    places = {n.id: n.place for n in doc.notes}
    async with Resolver(options, cache=cache) as resolver:
        async for res in _resolve_all(resolver, urls, endpoints):
            res.body = None  # the report keeps evidence, not pages
            results[res.url] = res
            if on_result is not None:
                on_result(res)
        report.checks = [_check_for(src, cited, url, results.get(url) if url else None, places[src.note_id]) for src, cited, url in works]
        if archive is not None:
            archives = Archives(resolver, endpoints, archive)
            posts = [(c, src) for c, (src, _, _) in zip(report.checks, works) if c.verdict is Verdict.UNLINKED and _post_handle(src, doc)]
            await asyncio.gather(*(_search_post(archives, resolver, endpoints, c, src, _post_handle(src, doc)) for c, src in posts))
            wanted = [(c, src) for c, (src, _, _) in zip(report.checks, works)
                      if c.url and (archive_all or src.archive is not None or c.verdict in (Verdict.MISSING, Verdict.UNREACHABLE))]
            await asyncio.gather(*(_archive(archives, c, src) for c, src in wanted))
            if save_within_days is not None:
                live = [c for c in report.checks if c.url and c.verdict in (Verdict.OK, Verdict.MOVED)]
                await asyncio.gather(*(_save(archives, c, save_within_days) for c in live))
        report.requests = resolver.requests_made
    report.finished_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return report


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


async def _search_post(archives: Archives, resolver: Resolver, endpoints: Endpoints, check: SourceCheck, src: Source, handle: str | None) -> None:
    """Find the URL of an X post cited without one, by its author's archived posts around the cited date."""
    from .archive import find_post
    from .platforms import X_STATUS_RE, resolve_x

    async def text_of(url: str) -> str | None:
        res = await resolve_x(url, X_STATUS_RE.match(url), resolver.fetch_api, endpoints)  # type: ignore[arg-type]
        return res.post.text if res.post else None

    assert handle is not None and src.issued is not None and src.title is not None
    match, tried = await find_post(archives, text_of, handle, src.issued, src.title)
    check.archive_tried = tried
    if match is None:
        check.reason = f"the note gives no URL; searched @{handle}'s archived posts: none matches"
        return
    res = await resolve_x(match.url, X_STATUS_RE.match(match.url), resolver.fetch_api, endpoints)  # type: ignore[arg-type]
    check.url, check.resolution, check.verdict = match.url, res, res.verdict
    check.reason = f"the note gives no URL; found {match.url} among @{handle}'s archived posts (text match {match.confidence:.2f}): {res.reason}"
    check.fix = match.url


async def _archive(archives: Archives, check: SourceCheck, src: Source) -> None:
    """Attach the archived copy to a check and say so in its reason and fix."""
    if src.archive is not None:
        snapshot = await archives.check_pointer(src.archive)
        check.archive_tried = [f"the draft's own archive link: {'a real page' if snapshot.verified else 'an error page or unreachable'}"]
    else:
        snapshot, check.archive_tried = await archives.find(check.url or "", src.accessed or src.issued)
    if snapshot is None:
        if check.verdict is Verdict.MISSING:
            check.reason += "; no archived copy found"
        return
    check.archive = snapshot
    if check.verdict in (Verdict.MISSING, Verdict.UNREACHABLE):
        check.reason = f"{check.verdict.value}, archived {snapshot.date}: {check.reason}"
        if check.fix is None and (snapshot.verified or snapshot.service == "archive.today"):
            check.fix = snapshot.url
