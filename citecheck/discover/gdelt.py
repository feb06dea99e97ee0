"""GDELT's DOC 2.0 article list: an outlet's articles of the cited days, with their titles.

The one free listing with titles, so it serves outlets whose URLs carry no slug (the BBC's
`/news/articles/c0mzpqj2pd9o`). Asked with a few of the title's longest words and `domainis:` the
outlet's domain, over the cited day ± the window. Officially it covers the last three months;
an empty answer for an older date is "no match", not proof the article does not exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from .base import Asked, Context, Lead, WorkQuery
from .slugs import STOPWORDS, title_fit, words

MIN_TITLE_FIT = 0.85


class Gdelt:
    name = "gdelt"

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        outlet = ctx.outlet(work)
        if (why := ctx.not_on_outlet_site(work)) or outlet is None:
            return why
        if not outlet.domains:
            return "no known domain for the outlet"
        if work.issued is None or work.issued.day is None:
            return "the note's date is not precise to the day"
        return None

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        outlet = ctx.outlet(work)
        assert outlet is not None and work.issued is not None and work.issued.day is not None
        cited = date(work.issued.year, work.issued.month or 1, work.issued.day)
        terms = sorted({w for w in words(work.title) if w not in STOPWORDS and len(w) > 3}, key=len, reverse=True)[:4]
        domain = outlet.domains[0]
        params = {
            "query": " ".join(terms) + f" domainis:{domain}",
            "mode": "artlist",
            "format": "json",
            "maxrecords": "250",
            "startdatetime": (cited - timedelta(days=ctx.options.days)).strftime("%Y%m%d000000"),
            "enddatetime": (cited + timedelta(days=ctx.options.days)).strftime("%Y%m%d235959"),
        }
        data, failed = await ctx.get_json(f"{ctx.endpoints.gdelt}?{urlencode(params)}", self.name)
        if failed is not None:
            return failed
        articles = data.get("articles", []) if isinstance(data, dict) else []
        leads = []
        for item in articles if isinstance(articles, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("url"), str) or not isinstance(item.get("title"), str):
                continue
            fit = title_fit(work.title, item["title"], work.title_truncated)
            if fit >= MIN_TITLE_FIT:
                seen = str(item.get("seendate", ""))
                day = f"{seen[:4]}-{seen[4:6]}-{seen[6:8]}" if len(seen) >= 8 and seen[:8].isdigit() else None
                leads.append(Lead(item["url"], self.name, fit, f"listed by GDELT as “{item['title']}” ({fit:.2f})", published=day))
        leads.sort(key=lambda lead: -lead.score)
        return Asked(self.name, leads, f"{len(articles)} articles of {domain} listed, {len(leads)} with a fitting title")
