"""X posts and YouTube videos, through their public embed endpoints.

x.com answers bots with 403 (or a login wall, or a 200 for posts that do not
exist), so a plain fetch of a post proves nothing either way: citecheck never
takes one as evidence. The oEmbed endpoint and the syndication endpoint that
the public embed code uses do tell: a deleted post is a 404 or a tombstone.
YouTube's oEmbed gives a video's title and channel, or a 404 when it is gone.

Each platform is a row of `RULES`: a URL pattern and the coroutine that resolves it.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from ..endpoints import Endpoints
from ..fetch.resolver import ApiAnswer
from ..model import PostEvidence, Resolution, Verdict
from ..parse.dates import parse_date

X_STATUS_RE = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<handle>\w{1,15})/status(?:es)?/(?P<id>\d{1,25})", re.IGNORECASE)
YOUTUBE_RE = re.compile(r"^https?://(?:(?:www\.|m\.)?youtube\.com/(?:watch\?(?:.*&)?v=|shorts/|embed/|live/)|youtu\.be/)(?P<id>[\w-]{6,20})", re.IGNORECASE)

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def js_radix(value: float, radix: int) -> str:
    """JavaScript's `Number.prototype.toString(radix)` for a finite double, as V8 computes it.

    Fraction digits are produced only to the precision the double holds (V8's
    DoubleToRadixCString), which Python's float formatting does not reproduce.
    """
    if value == 0:
        return "0"
    negative = value < 0
    value = abs(value)
    integer = math.floor(value)
    fraction = value - integer
    delta = max(0.5 * (math.nextafter(value, math.inf) - value), math.nextafter(0.0, 1.0))
    frac_digits: list[int] = []
    if fraction >= delta:
        while True:
            fraction *= radix
            delta *= radix
            digit = int(fraction)
            frac_digits.append(digit)
            fraction -= digit
            if fraction > 0.5 or (fraction == 0.5 and (digit & 1)):
                if fraction + delta > 1:
                    # round up, carrying through digits already written
                    while True:
                        if not frac_digits:
                            integer += 1
                            break
                        last = frac_digits.pop() + 1
                        if last < radix:
                            frac_digits.append(last)
                            break
                    break
            if fraction < delta:
                break
    int_digits = []
    integer_f = float(integer)
    exponent_zeros = 0
    while integer_f / radix >= 2.0**53:
        integer_f /= radix
        exponent_zeros += 1
    integer_i = int(integer_f)
    while True:
        int_digits.append(_DIGITS[integer_i % radix])
        integer_i //= radix
        if integer_i == 0:
            break
    text = "".join(reversed(int_digits)) + "0" * exponent_zeros
    if frac_digits:
        text += "." + "".join(_DIGITS[d] for d in frac_digits)
    return ("-" if negative else "") + text


def syndication_token(post_id: str) -> str:
    """The token the public embed code sends: ((Number(id) / 1e15) * Math.PI).toString(36) without 0s and dots."""
    return re.sub(r"0+|\.", "", js_radix((float(int(post_id)) / 1e15) * math.pi, 36))


# --- the fetch each platform needs ------------------------------------------------------------------


Fetch = Callable[[str], Awaitable[ApiAnswer]]


def _json(answer: ApiAnswer) -> dict | None:
    try:
        data = json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _oembed_post(data: dict) -> PostEvidence:
    from bs4 import (  # here: a run without X posts never needs it (0.08 s)
        BeautifulSoup,
        MarkupResemblesLocatorWarning,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(str(data.get("html", "")), "html.parser")
    p = soup.find("p")
    links = soup.find_all("a")
    date = parse_date(links[-1].get_text(" ", strip=True)) if links else None
    handle = None
    if (author_url := data.get("author_url")) and (m := re.search(r"(?:twitter|x)\.com/(\w+)", str(author_url))):
        handle = m.group(1)
    return PostEvidence(
        provider="X",
        author_name=data.get("author_name"),
        author_handle=handle,
        text=p.get_text(" ", strip=True) if p else None,
        date=date.iso if date else None,
        language=str(p.get("lang")) if p is not None and p.get("lang") else None,
        endpoint="oembed",
    )


def _syndication_post(data: dict) -> PostEvidence:
    user = data.get("user") or {}
    created = str(data.get("created_at") or "")
    return PostEvidence(
        provider="X",
        author_name=user.get("name"),
        author_handle=user.get("screen_name"),
        text=data.get("text"),
        date=created[:10] if re.match(r"\d{4}-\d\d-\d\d", created) else None,
        language=data.get("lang"),
        endpoint="syndication",
    )


async def resolve_x(url: str, match: re.Match[str], fetch: Fetch, endpoints: Endpoints) -> Resolution:
    handle, post_id = match.group("handle"), match.group("id")
    canonical = f"https://twitter.com/{handle}/status/{post_id}"
    oembed = await fetch(f"{endpoints.x_oembed}?{urlencode({'url': canonical, 'omit_script': '1', 'dnt': 'true'})}")
    if oembed.status == 200 and (data := _json(oembed)) and data.get("html"):
        return Resolution(url=url, verdict=Verdict.OK, reason="the post exists (X oEmbed)", status=200, final_url=url, post=_oembed_post(data))
    synd = await fetch(f"{endpoints.x_syndication}?{urlencode({'id': post_id, 'lang': 'en', 'token': syndication_token(post_id)})}")
    data = _json(synd) if synd.status == 200 else None
    if data and data.get("__typename") == "Tweet":
        return Resolution(url=url, verdict=Verdict.OK, reason="the post exists (X syndication)", status=200, final_url=url, post=_syndication_post(data))
    outcomes: tuple[tuple[bool, Verdict, str], ...] = (
        (data is not None and data.get("__typename") == "TweetTombstone", Verdict.MISSING, "the post was deleted or withheld (X shows a tombstone)"),
        (oembed.status == 404 and synd.status in (404, 200), Verdict.MISSING, "the post does not exist any more (X oEmbed 404)"),
        (synd.status == 200 and data == {}, Verdict.MISSING, "X knows no post with this id"),
        (oembed.status in (401, 403) or synd.status in (401, 403), Verdict.MISSING, f"the post is protected or its account suspended (HTTP {oembed.status})"),
    )
    for hit, verdict, reason in outcomes:
        if hit:
            return Resolution(url=url, verdict=verdict, reason=reason, status=oembed.status, final_url=url)
    why = oembed.error or synd.error or f"oEmbed HTTP {oembed.status}, syndication HTTP {synd.status}"
    return Resolution(
        url=url, verdict=Verdict.UNREACHABLE, reason=f"X's embed endpoints did not answer usefully: {why}", status=oembed.status, final_url=url, error=why
    )


async def resolve_youtube(url: str, match: re.Match[str], fetch: Fetch, endpoints: Endpoints) -> Resolution:
    watch = f"https://www.youtube.com/watch?v={match.group('id')}"
    answer = await fetch(f"{endpoints.youtube_oembed}?{urlencode({'url': watch, 'format': 'json'})}")
    data = _json(answer) if answer.status == 200 else None
    if data and data.get("title"):
        post = PostEvidence(
            provider="YouTube",
            author_name=data.get("author_name"),
            text=data.get("title"),
            endpoint="oembed",
            author_handle=(str(data.get("author_url", "")).rstrip("/").rsplit("/", 1)[-1] or None),
        )
        return Resolution(url=url, verdict=Verdict.OK, reason="the video exists (YouTube oEmbed)", status=200, final_url=url, post=post)
    outcomes: tuple[tuple[bool, Verdict, str], ...] = (
        (answer.status == 404, Verdict.MISSING, "the video was removed (YouTube oEmbed 404)"),
        (answer.status in (401, 403), Verdict.MISSING, f"the video is private or cannot be embedded (HTTP {answer.status})"),
        (answer.status == 200, Verdict.MISSING, "YouTube answered without the video (not JSON): private or removed"),
    )
    for hit, verdict, reason in outcomes:
        if hit:
            return Resolution(url=url, verdict=verdict, reason=reason, status=answer.status, final_url=url)
    why = answer.error or f"HTTP {answer.status}"
    return Resolution(
        url=url, verdict=Verdict.UNREACHABLE, reason=f"YouTube's oEmbed did not answer usefully: {why}", status=answer.status, final_url=url, error=why
    )


Resolve = Callable[[str, re.Match[str], Fetch, Endpoints], Awaitable[Resolution]]

#: URL pattern -> how to resolve it. The first match wins; anything else is fetched live.
RULES: tuple[tuple[re.Pattern[str], Resolve], ...] = (
    (X_STATUS_RE, resolve_x),
    (YOUTUBE_RE, resolve_youtube),
)


def platform_rule(url: str) -> tuple[re.Match[str], Resolve] | None:
    for pattern, resolve in RULES:
        if m := pattern.match(url):
            return m, resolve
    return None
