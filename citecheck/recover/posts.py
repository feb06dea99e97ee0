"""Posts cited without a URL: an account's posts as the Wayback Machine archived them, around the
cited day, matched with the cited text (X ids are snowflakes that carry their own date)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import date as _date
from difflib import SequenceMatcher
from urllib.parse import urlencode

from ..model import (
    PartialDate,
)
from ..parse.pieces import title_prefix
from ..text import fold
from .archive import Archives, cdx_rows

TWITTER_EPOCH_MS = 1288834974657


def snowflake_date(post_id: str) -> str | None:
    """The UTC date a post id encodes (X ids are snowflakes: milliseconds since 2010-11-04 in the high bits)."""
    try:
        ms = (int(post_id) >> 22) + TWITTER_EPOCH_MS
    except ValueError:
        return None
    if int(post_id) < 1 << 40:  # ids from before snowflakes (2010) carry no date
        return None
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d")


def _fold_text(text: str) -> str:

    return " ".join(re.sub(r"[^\w#@]+", " ", fold(text)).split())


def text_match(cited: str, found: str) -> float:
    """How well a cited post text (a prefix when truncated with …) matches a post's text, 0..1."""

    a, b = _fold_text(title_prefix(cited)), _fold_text(found)
    if not a or not b:
        return 0.0
    if b.startswith(a):
        return 1.0
    return SequenceMatcher(None, a, b[: len(a) + 10]).ratio()


@dataclass(slots=True)
class PostMatch:
    url: str
    confidence: float
    text: str


@dataclass
class PostSearch:
    """What a search of an account's archived posts found, and whether it could search at all.

    `failure` is set when no listing, or no post's text, could be read: then nothing was
    compared, and "none matches" would be a claim the search never tested.
    """

    match: PostMatch | None
    tried: list[str]
    failure: str | None = None


async def find_post(archives: Archives, fetch_text, handle: str, cited: PartialDate, cited_text: str, *, days: int = 2, threshold: float = 0.85) -> PostSearch:
    """Search the archive's captures of @handle's posts around the cited date for the cited text.

    `fetch_text(url)` returns a post's text (the platform's embed endpoint, or None).
    """

    tried: list[str] = []
    if cited.day is None:
        tried.append("post search: the note's date is not precise to the day")
        return PostSearch(None, tried, "the note's date is not precise to the day")
    day = _date(cited.year, cited.month or 1, cited.day)
    lo, hi = (day - timedelta(days=days)).isoformat(), (day + timedelta(days=days)).isoformat()
    ids: dict[str, str] = {}
    listing_errors: list[str] = []
    listed = False
    for host in ("twitter.com", "x.com"):
        params = {
            "url": f"{host}/{handle}/status/",
            "matchType": "prefix",
            "output": "json",
            "fl": "original,timestamp",
            "filter": "statuscode:200",
            "collapse": "urlkey",
            "from": lo.replace("-", ""),
            "to": (day + timedelta(days=days + 30)).strftime("%Y%m%d"),
            "limit": "2000",
        }
        answer = await archives.resolver.fetch_api(f"{archives.endpoints.wayback_cdx}?{urlencode(params)}")
        rows = cdx_rows(answer)
        found_here = 0
        for row in (rows or [])[1:]:
            m = re.search(r"/status(?:es)?/(\d+)", str(row[0]))
            if m and (when := snowflake_date(m.group(1))) and lo <= when <= hi:
                ids.setdefault(m.group(1), f"https://x.com/{handle}/status/{m.group(1)}")
                found_here += 1
        if rows is not None:  # a 200 that is a CDX listing
            listed = True
            tried.append(f"Wayback CDX {host}/{handle}/status/*: {found_here} posts from {lo} to {hi}")
        else:
            error = answer.error or (f"HTTP {answer.status}" if answer.status != 200 else "an answer that is not a CDX listing")
            listing_errors.append(error)
            tried.append(f"Wayback CDX {host}/{handle}/status/*: {error}")
    if not listed:
        return PostSearch(None, tried, f"the Wayback CDX API could not be read: {listing_errors[0]}")
    best: PostMatch | None = None
    unread = 0
    for _post_id, url in list(ids.items())[:40]:
        text = await fetch_text(url)
        if not text:
            unread += 1
            continue
        score = text_match(cited_text, text)
        if best is None or score > best.confidence:
            best = PostMatch(url, round(score, 3), text)
    if best is None and unread:
        tried.append(f"none of the {unread} archived posts of @{handle} near {day} could be read")
        return PostSearch(None, tried, f"none of the {unread} posts listed could be read")
    if best is None or best.confidence < threshold:
        tried.append(f"no archived post of @{handle} near {day} matches the cited text" + (f" (best {best.confidence:.2f})" if best else ""))
        return PostSearch(None, tried)
    tried.append(f"found {best.url} (text match {best.confidence:.2f})")
    return PostSearch(best, tried)
