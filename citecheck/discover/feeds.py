"""The outlet's own news sitemaps and feeds: its articles of a day, with their titles.

A Google News sitemap (`<news:title>`, `<news:publication_date>`) or an RSS or Atom feed lists an
outlet's latest articles with their titles, so it serves outlets whose URLs carry no slug. They
hold only the last days' articles: for an older citation the Wayback Machine's capture of the
feed closest to the cited day is read instead (one CDX query on the feed's address, then the raw
capture). An outlet row names its feeds (`feeds = ["{site}/sitemap-news.xml", "{site}/feed/"]`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

from lxml import etree

from ..parse.dates import parse_date
from ..recover.archive import cdx_rows
from .base import Asked, Context, Lead, WorkQuery
from .shapes import fill
from .slugs import title_fit

MIN_TITLE_FIT = 0.85
LIVE_DAYS = 2  # a feed holds about this many days: an older citation reads an archived capture
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


def feed_items(body: bytes) -> list[tuple[str, str, str | None]]:
    """(url, title, ISO day or None) of each article a news sitemap, RSS or Atom feed lists."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    items: list[tuple[str, str, str | None]] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local == "url":  # a sitemap entry: <loc> and <news:news>
            loc, title, day = _child(el, "loc"), _child(el, "title"), _child(el, "publication_date")
        elif local in ("item", "entry"):  # RSS and Atom
            loc = _child(el, "link") or next(
                (str(l.get("href")) for l in el if isinstance(l.tag, str) and etree.QName(l).localname == "link" and l.get("href")), None
            )
            title, day = _child(el, "title"), _child(el, "pubDate") or _child(el, "published") or _child(el, "updated")
        else:
            continue
        if loc and title:
            items.append((loc.strip(), " ".join(title.split()), _day(day)))
    return items


def _day(value: str | None) -> str | None:
    """The ISO day of a feed's date: ISO 8601 (sitemaps, Atom), RFC 822 (RSS), or as a note writes one."""
    if not value:
        return None
    if value[:4].isdigit() and value[4:5] == "-":
        return value[:10]
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        parsed = parse_date(value)
        return parsed.iso if parsed and parsed.day else None


def _child(el: etree._Element, name: str) -> str | None:
    for sub in el.iter():
        if isinstance(sub.tag, str) and sub is not el and etree.QName(sub).localname == name and (sub.text or "").strip():
            return sub.text.strip()
    return None


class Feeds:
    name = "feeds"

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        return ctx.needs_dated_outlet(work, lambda outlet: outlet.feeds, "no known feed or news sitemap for the outlet")

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        outlet, site = ctx.outlet(work), ctx.site(work)
        assert outlet is not None and site is not None and work.issued is not None and work.issued.day is not None
        cited = date(work.issued.year, work.issued.month or 1, work.issued.day)
        live = (datetime.now(UTC).date() - cited).days <= LIVE_DAYS
        leads: dict[str, Lead] = {}
        said: list[str] = []
        reached = False
        for template in outlet.feeds:
            feed = fill(template, site, work, outlet.slug)
            if feed is None:
                continue
            if not live and not ctx.archives_on:
                said.append(f"{feed}: the feed as it was on the cited day is the Wayback Machine's, and the archives are off (--no-archive)")
                continue
            body, where = (await self._live(ctx, feed)) if live else (await self._archived(ctx, feed, cited))
            if body is None:
                said.append(f"{feed}: {where}")
                continue
            reached = True
            items = feed_items(body)
            near = [(url, title, day) for url, title, day in items if day is None or abs((date.fromisoformat(day) - cited).days) <= ctx.options.days]
            fitting = [(title_fit(work.title, title, work.title_truncated), url, title, day) for url, title, day in near]
            good = sorted((f for f in fitting if f[0] >= MIN_TITLE_FIT), reverse=True)
            said.append(f"{feed} ({where}): {len(items)} articles, {len(good)} with a fitting title")
            for fit, url, title, day in good:
                leads.setdefault(url, Lead(url, self.name, fit, f"listed in {where} as “{title}” ({fit:.2f})", published=day))
        if not reached:
            return Asked(self.name, [], "could not read the outlet's feeds (" + "; ".join(said or ["none applies"]) + ")", reached=False)
        return Asked(self.name, sorted(leads.values(), key=lambda lead: -lead.score), "; ".join(said))

    async def _live(self, ctx: Context, feed: str) -> tuple[bytes | None, str]:
        answer = await ctx.get(feed)
        return (answer.body, "the live feed") if answer.status == 200 else (None, answer.error or f"HTTP {answer.status}")

    async def _archived(self, ctx: Context, feed: str, cited: date) -> tuple[bytes | None, str]:
        """The capture of the feed closest after the cited day (the articles of a day are in the next days' feed)."""
        after = cited + timedelta(days=1)
        params = {
            "url": feed,
            "output": "json",
            "fl": "timestamp,original",
            "filter": "statuscode:200",
            "sort": "closest",
            "closest": after.strftime("%Y%m%d120000"),
            "limit": "3",
        }
        answer = await ctx.get(f"{ctx.endpoints.wayback_cdx}?{urlencode(params)}")
        rows = cdx_rows(answer)
        if rows is None:
            return None, f"the Wayback CDX API: {answer.error or (f'HTTP {answer.status}' if answer.status != 200 else 'an answer that is not a CDX listing')}"
        stamps = [r for r in rows[1:] if len(r) >= 2 and re.fullmatch(r"\d{14}", str(r[0]))]
        within = [r for r in stamps if abs((date(int(r[0][:4]), int(r[0][4:6]), int(r[0][6:8])) - after).days) <= ctx.options.days + 1]
        if not within:
            return None, "no capture of it near the cited day"
        ts, original = str(within[0][0]), str(within[0][1])
        capture = await ctx.get(f"{ctx.endpoints.wayback_web}/{ts}id_/{original}")
        if capture.status != 200:
            return None, f"its capture of {ts}: {capture.error or f'HTTP {capture.status}'}"
        return capture.body, f"the Wayback Machine's capture of {ts[:8]}"
