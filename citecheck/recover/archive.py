"""Archived copies: find the one the article cited, for sources that are gone or unreachable.

The Wayback Machine's CDX API is asked first (it is the most reliable), its
availability API second (it is known to answer empty for archived URLs, so an
empty answer is never taken alone), archive.today's TimeMap third. The copy
chosen is the one closest to the date the note gives (the accessed date when
there is one), preferring one from before it, and never one that is itself an
error page: each candidate's raw capture is fetched and judged like a live page.

CDX and TimeMap requests share a pace (24 a minute by default, under the
Wayback Machine's ~30): ignoring its 429s gets an address blocked for an hour.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from ..endpoints import Endpoints
from ..fetch.gates import HostGate
from ..fetch.resolver import ApiAnswer, Resolver
from ..model import ArchivePointer, PageEvidence, PartialDate, Resolution, Snapshot, Verdict
from .platforms import X_STATUS_RE


@dataclass(slots=True)
class ArchiveOptions:
    per_minute: float = 24.0  # CDX + TimeMap requests, shared
    candidates: int = 3  # raw captures checked before giving up on the Wayback Machine
    archive_today: bool = True


def stamp(date: PartialDate | None) -> str | None:
    """A 14-digit Wayback timestamp for a cited date (the end of its period: a year cites all of it)."""
    if date is None:
        return None
    month = date.month or 12
    day = date.day or 28
    return f"{date.year:04d}{month:02d}{day:02d}235959"


def variants(url: str) -> list[str]:
    """The addresses a source may have been captured under (CDX folds scheme and www itself)."""
    m = X_STATUS_RE.match(url)
    if m:
        tail = f"{m.group('handle')}/status/{m.group('id')}"
        return [f"twitter.com/{tail}", f"x.com/{tail}", f"mobile.twitter.com/{tail}"]
    parts = urlsplit(url)
    path = parts.path or "/"
    toggled = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
    bare = urlunsplit(("", parts.netloc, path, parts.query, "")).lstrip("/")
    other = urlunsplit(("", parts.netloc, toggled, parts.query, "")).lstrip("/")
    return [bare] if bare == other else [bare, other]


def order_candidates(stamps: list[tuple[str, str]], when: str | None) -> list[tuple[str, str]]:
    """(timestamp, original) closest to `when`, those on or before it first; newest first without a date."""
    unique = sorted(set(stamps))
    if when is None:
        return sorted(unique, key=lambda c: c[0], reverse=True)
    before = sorted((c for c in unique if c[0] <= when), key=lambda c: c[0], reverse=True)
    after = sorted((c for c in unique if c[0] > when), key=lambda c: c[0])
    return before + after


_LINK_RE = re.compile(r'<(?P<uri>[^>]+)>\s*;\s*rel="(?P<rel>[^"]*)"(?:\s*;\s*datetime="(?P<dt>[^"]*)")?')


def parse_timemap(text: str) -> list[tuple[str, str]]:
    """(14-digit timestamp, memento URL) from a link-format TimeMap."""
    out = []
    for m in _LINK_RE.finditer(text):
        if "memento" not in m.group("rel").split() or not m.group("dt"):
            continue
        try:
            when = parsedate_to_datetime(m.group("dt")).astimezone(UTC)
        except (TypeError, ValueError):
            continue
        out.append((when.strftime("%Y%m%d%H%M%S"), m.group("uri")))
    return out


def cdx_rows(answer: ApiAnswer) -> list[list[str]] | None:
    """The rows of a CDX JSON answer, header first; [] when empty; None when not a CDX answer."""
    if answer.status != 200:
        return None
    try:
        rows = json.loads(answer.body.decode("utf-8")) if answer.body.strip() else []
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        return None
    return rows


class Tried(list[str]):
    """The look-ups made, in plain words, and which of them got no usable answer.

    A look-up that failed (unreachable, an error status, a malformed answer) says nothing about
    whether a copy exists: "no archived copy found" needs at least one real answer.
    """

    def __init__(self) -> None:
        super().__init__()
        self.failures: list[str] = []

    def failed(self, what: str) -> None:
        self.append(what)
        self.failures.append(what)

    @property
    def answered(self) -> bool:
        return len(self) > len(self.failures)


class Archives:
    def __init__(self, resolver: Resolver, endpoints: Endpoints, options: ArchiveOptions | None = None) -> None:
        self.resolver = resolver
        self.endpoints = endpoints
        self.options = options or ArchiveOptions()
        gate = HostGate(1, 60.0 / self.options.per_minute)
        resolver.pace(endpoints.wayback_cdx, gate)
        resolver.pace(f"{endpoints.wayback_web}/timemap", gate)
        resolver.pace(f"{endpoints.archive_today}/timemap", gate)
        resolver.pace(endpoints.wayback_save, HostGate(1, 60.0 / min(self.options.per_minute, 12.0)))  # anonymous captures: slower still

    def raw(self, timestamp: str, original: str) -> str:
        return f"{self.endpoints.wayback_web}/{timestamp}id_/{original}"

    async def _checked(self, timestamp: str, original: str) -> Snapshot | None:
        """The Wayback capture, if it is a real page: its raw form judged like a live one."""
        raw = self.raw(timestamp, original)
        res = await self.resolver.resolve_one(raw)
        if res.verdict is not Verdict.OK:
            return None
        return Snapshot(
            f"{self.endpoints.wayback_web}/{timestamp}/{original}", timestamp, original, "wayback", raw_url=raw, verified=True, page=as_captured(res, original)
        )

    async def check_pointer(self, pointer: ArchivePointer) -> Snapshot:
        """A copy the draft already names (Robust Links): checked, not searched again."""
        m = re.match(r"^(?P<base>https?://[^/]+(?:/[^/]+)*?/web)/(?P<ts>\d{4,14})[a-z_]*/(?P<orig>.+)$", pointer.url)
        if m:
            raw = f"{m.group('base')}/{m.group('ts')}id_/{m.group('orig')}"
            res = await self.resolver.resolve_one(raw)
            return Snapshot(
                pointer.url,
                m.group("ts").ljust(14, "0"),
                m.group("orig"),
                "draft",
                raw_url=raw,
                verified=res.verdict is Verdict.OK,
                page=as_captured(res, m.group("orig")),
            )
        res = await self.resolver.resolve_one(pointer.url)
        ts = (pointer.date or "").replace("-", "").ljust(14, "0")
        return Snapshot(pointer.url, ts, pointer.url, "draft", verified=res.verdict is Verdict.OK)

    async def recent(self, url: str, within_days: float) -> Snapshot | None:
        """The newest capture from the last `within_days`, if the CDX knows one (not fetched)."""
        since = datetime.fromtimestamp(datetime.now(UTC).timestamp() - within_days * 86400, UTC).strftime("%Y%m%d%H%M%S")
        params = {"url": variants(url)[0], "output": "json", "fl": "timestamp,original", "filter": "statuscode:200", "from": since, "limit": "-1"}
        rows = cdx_rows(await self.resolver.fetch_api(f"{self.endpoints.wayback_cdx}?{urlencode(params)}"))
        if not rows or len(rows) < 2:
            return None
        ts, original = str(rows[-1][0]), str(rows[-1][1])
        return Snapshot(f"{self.endpoints.wayback_web}/{ts}/{original}", ts, original, "wayback", raw_url=self.raw(ts, original))

    async def save(self, url: str) -> tuple[Snapshot | None, str]:
        """Ask Save Page Now to capture `url`; the new capture, and what happened in plain words."""
        answer = await self.resolver.fetch_api(f"{self.endpoints.wayback_save}/{url}")
        headers = answer.headers or {}
        where = headers.get("content-location") or headers.get("location") or ""
        if not where and (link := headers.get("link")):
            mementos = [m.group("uri") for m in _LINK_RE.finditer(link) if "memento" in m.group("rel").split()]
            where = mementos[-1] if mementos else ""
        m = re.search(r"/web/(?P<ts>\d{14})/(?P<orig>.+)$", where)
        if answer.status is None or answer.status >= 400 or not m:
            return None, f"Save Page Now failed: {answer.error or f'HTTP {answer.status}'}"
        ts, original = m.group("ts"), m.group("orig")
        reused = headers.get("x-page-cache", "").upper() == "HIT"
        snapshot = Snapshot(f"{self.endpoints.wayback_web}/{ts}/{original}", ts, original, "wayback", raw_url=self.raw(ts, original))
        return snapshot, ("Save Page Now returned an existing capture" if reused else "saved now by Save Page Now")

    async def keep_copy(self, url: str, within_days: float) -> tuple[Snapshot | None, str, bool]:
        """A copy of a live page from the last `within_days`, else a new one from Save Page Now:
        (the copy, what happened in plain words, whether it is new)."""
        recent = await self.recent(url, within_days)
        if recent is not None:
            return recent, f"already archived {recent.date}, within {within_days:g} days: not saved again", False
        snapshot, what = await self.save(url)
        return snapshot, what, snapshot is not None

    async def find(self, url: str, cited: PartialDate | None) -> tuple[Snapshot | None, Tried]:
        """The best archived copy of `url` and, in plain words, every look-up made."""
        when = stamp(cited)
        tried = Tried()
        for variant in variants(url):
            found = await self._cdx(variant, when, tried)
            if found:
                return found, tried
        found = await self._availability(variants(url)[0], when, tried)
        if found:
            return found, tried
        if self.options.archive_today:
            found = await self._archive_today(url, when, tried)
            if found:
                return found, tried
        return None, tried

    async def _cdx(self, variant: str, when: str | None, tried: Tried) -> Snapshot | None:
        params = {"url": variant, "output": "json", "fl": "timestamp,original,statuscode,mimetype", "filter": "statuscode:200", "limit": "25"}
        if when:
            params.update({"sort": "closest", "closest": when})
        answer = await self.resolver.fetch_api(f"{self.endpoints.wayback_cdx}?{urlencode(params)}", cache=True)
        if answer.status != 200:
            blocked = b"AdministrativeAccessControlException" in answer.body or b"Blocked Site" in answer.body
            if blocked:
                tried.append(f"Wayback CDX {variant}: the site is excluded from the Wayback Machine")
            else:
                tried.failed(f"Wayback CDX {variant}: {answer.error or f'HTTP {answer.status}'}")
            return None
        rows = cdx_rows(answer)
        if rows is None:
            tried.failed(f"Wayback CDX {variant}: malformed answer")
            return None
        if len(rows) < 2:
            tried.append(f"Wayback CDX {variant}: no captures")
            return None
        header = rows[0]
        try:
            ts_i, orig_i = header.index("timestamp"), header.index("original")
        except ValueError:
            tried.failed(f"Wayback CDX {variant}: unexpected columns {header}")
            return None
        stamps = [(str(r[ts_i]), str(r[orig_i])) for r in rows[1:] if isinstance(r, list) and len(r) > max(ts_i, orig_i)]
        checked = 0
        for ts, original in order_candidates(stamps, when):
            if checked >= self.options.candidates:
                break
            checked += 1
            if snapshot := await self._checked(ts, original):
                tried.append(f"Wayback CDX {variant}: {len(stamps)} captures; chose {ts}")
                return snapshot
        tried.append(f"Wayback CDX {variant}: {len(stamps)} captures, the {checked} nearest are error pages")
        return None

    async def _availability(self, variant: str, when: str | None, tried: Tried) -> Snapshot | None:
        params = {"url": variant}
        if when:
            params["timestamp"] = when
        answer = await self.resolver.fetch_api(f"{self.endpoints.wayback_availability}?{urlencode(params)}", cache=True)
        try:
            data = json.loads(answer.body.decode("utf-8")) if answer.status == 200 else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        closest = ((data or {}).get("archived_snapshots") or {}).get("closest") if isinstance(data, dict) else None
        if not isinstance(data, dict):
            tried.failed("Wayback availability: " + (answer.error or f"HTTP {answer.status}" if answer.status != 200 else "malformed answer"))
            return None
        if not isinstance(closest, dict) or not closest.get("available") or str(closest.get("status")) != "200":
            tried.append("Wayback availability: no usable snapshot (an empty answer is not proof)")
            return None
        ts = str(closest.get("timestamp", ""))
        m = re.match(r"^https?://[^/]+/web/\d+/(?P<orig>.+)$", str(closest.get("url", "")))
        original = m.group("orig") if m else variant
        if snapshot := await self._checked(ts, original):
            tried.append(f"Wayback availability: chose {ts}")
            return snapshot
        tried.append(f"Wayback availability: {ts} is an error page")
        return None

    async def _archive_today(self, url: str, when: str | None, tried: Tried) -> Snapshot | None:
        answer = await self.resolver.fetch_api(f"{self.endpoints.archive_today}/timemap/{quote(url, safe=':/?&=%#')}", cache=True)
        if answer.status == 404:
            tried.append("archive.today: no copies")
            return None
        if answer.status != 200:
            tried.failed(f"archive.today: {answer.error or f'HTTP {answer.status}'}")
            return None
        mementos = parse_timemap(answer.body.decode("utf-8", "replace"))
        ordered = order_candidates(mementos, when)
        if not ordered:
            tried.append("archive.today: no copies")
            return None
        ts, memento = ordered[0]
        tried.append(f"archive.today: {len(mementos)} copies; chose {ts} (not checked: archive.today blocks automated reads)")
        return Snapshot(memento, ts, url, "archive.today", verified=False)


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S")


def as_captured(res: Resolution, original: str) -> PageEvidence | None:
    """A raw capture's evidence, read as the page it preserves (its address is the original's, not the archive's)."""
    if res.verdict is not Verdict.OK or res.page is None:
        return None
    return replace(res.page, url=original)
