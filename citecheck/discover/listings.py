"""Listings of an outlet's pages around the cited date: the Wayback Machine's CDX API.

An outlet row's `listings` name the narrowest date-bearing prefixes that hold its articles of a
day: `{host}/news/{yyyy}/{mm}/{dd}/` (Human Rights Watch), or a section with a filter on the
date in the slug, `{host}/en/ | .*/{days}-.*` (France 24: `/en/africa/20240903-<slug>`). One
listing is read per prefix (its resume keys followed up to a cap on rows), its URLs ranked by how
well their slugs fit the cited title. The CDX API blocks an address that ignores its 429s: the
listings share the archive look-ups' pace (about 20 a minute) and honour Retry-After.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from ..recover.archive import cdx_rows
from .base import Asked, Context, Lead, WorkQuery
from .shapes import date_fields, fill
from .slugs import slug_fit

MIN_SLUG_FIT = 0.6  # below this a listed URL is not worth fetching


class Listings:
    name = "listings"

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        if not ctx.archives_on:
            return "the archives are off (--no-archive): the listings are the Wayback Machine's"
        return ctx.needs_dated_outlet(work, lambda outlet: outlet.listings, "no known listing for the outlet")

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        outlet, site = ctx.outlet(work), ctx.site(work)
        assert outlet is not None and site is not None and work.issued is not None and work.issued.day is not None
        cited = date(work.issued.year, work.issued.month or 1, work.issued.day)
        window = [cited + timedelta(days=d) for d in range(-ctx.options.days, ctx.options.days + 1)]
        leads: dict[str, Lead] = {}
        said: list[str] = []
        reached = False
        for listing in outlet.listings:
            prefix_t, _, filter_t = (part.strip() for part in listing.partition("|"))
            days = "(?:" + "|".join(d.strftime("%Y%m%d") for d in window) + ")"
            prefix = fill(prefix_t, site, work, outlet.slug)
            if prefix is None:
                continue
            params: list[tuple[str, str]] = [
                ("url", prefix),
                ("matchType", "prefix"),
                ("output", "json"),
                ("fl", "original,timestamp"),
                ("collapse", "urlkey"),
                ("filter", "statuscode:200"),
                ("filter", "mimetype:text/html"),
                ("showResumeKey", "true"),
                ("limit", str(min(1000, ctx.options.listing_rows))),
            ]
            if filter_t:
                params.append(("filter", "original:" + filter_t.replace("{days}", days).format(**date_fields(work.issued))))
            if "{dd}" not in prefix_t:  # a prefix without the day: the captures' time bounds the listing
                params += [
                    ("from", (cited - timedelta(days=ctx.options.days)).strftime("%Y%m%d")),
                    ("to", (cited + timedelta(days=ctx.options.days + 30)).strftime("%Y%m%d")),
                ]
            rows, error = await _listing(ctx, params)
            if error is not None:
                said.append(f"{prefix}: {error}")
                continue
            reached = True
            ranked = sorted(((slug_fit(work.title, url), url) for url in rows), reverse=True)
            good = [(fit, url) for fit, url in ranked if fit >= MIN_SLUG_FIT]
            said.append(f"{prefix}: {len(rows)} pages listed, {len(good)} with a fitting slug")
            for fit, url in good:
                leads.setdefault(url, Lead(url, self.name, fit, f"listed by the Wayback Machine under {prefix}; slug fit {fit:.2f}"))
        if not reached:
            return Asked(self.name, [], "could not search the Wayback CDX listings (" + "; ".join(said or ["no listing applies"]) + ")", reached=False)
        return Asked(self.name, sorted(leads.values(), key=lambda lead: -lead.score), "; ".join(said))


async def _listing(ctx: Context, params: list[tuple[str, str]]) -> tuple[list[str], str | None]:
    """The original URLs of a CDX listing, its pages followed by resume key up to the row cap; or why not."""
    urls: list[str] = []
    query = list(params)
    while True:
        answer = await ctx.get(f"{ctx.endpoints.wayback_cdx}?{urlencode(query)}")
        rows = cdx_rows(answer)
        if rows is None:  # a page that could not be read ends the listing; only a first page's failure is its failure
            why = answer.error or (f"HTTP {answer.status}" if answer.status != 200 else "an answer that is not a CDX listing")
            return urls, None if urls else why
        resume = None
        # JSON with showResumeKey: the rows, then an empty row, then [resume key]
        if len(rows) >= 2 and rows[-2] == [] and isinstance(rows[-1], list) and rows[-1]:
            resume, rows = str(rows[-1][0]), rows[:-2]
        header = rows[0] if rows else []
        column = header.index("original") if "original" in header else 0
        urls += [str(r[column]) for r in rows[1:] if len(r) > column]
        if resume is None or len(urls) >= ctx.options.listing_rows:
            return urls[: ctx.options.listing_rows], None
        query = [p for p in params if p[0] != "resumeKey"] + [("resumeKey", resume)]
