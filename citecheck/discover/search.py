"""A web search the user runs: a SearXNG instance's JSON API (`search_url` under `[discover]`, or
`--search-url`); off until set. JSON output must be enabled in the instance's `settings.yml`
(`search.formats`), else it answers 403, which is reported as such.

The query is the quoted title with `site:` the outlet's domain when it is known, else the
title with the outlet's name; a result counts as a lead when its title or its URL's slug fits
the cited title, and (when the outlet is known) it is on the outlet's site.
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..outlets import host_of
from .base import Asked, Context, Lead, WorkQuery
from .slugs import slug_fit, title_fit

MIN_FIT = 0.8


class Search:
    name = "search"

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        return None if ctx.options.search_url else "no search_url is configured"

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        domains = ctx.domains(work)
        title = work.title.rstrip("….").strip()
        query = f'"{title}" site:{domains[0]}' if domains else f'"{title}"' + (f" {work.outlet}" if work.outlet else "")
        params = {"q": query, "format": "json"}
        if work.language:
            params["language"] = work.language
        off = Asked.unreachable(self.name, "HTTP 403: the instance's settings.yml must list json under search.formats")
        data, failed = await ctx.get_json(f"{ctx.options.search_url}/search?{urlencode(params)}", self.name, answers={403: off})
        if failed is not None:
            return failed
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            return Asked.unreachable(self.name, "an answer without its results")
        leads: dict[str, Lead] = {}
        for r in results if isinstance(results, list) else []:
            if not isinstance(r, dict) or not isinstance(r.get("url"), str):
                continue
            url = r["url"]
            host = host_of(url)
            if domains and not any(host == d or host.endswith("." + d) for d in domains):
                continue
            fit = max(title_fit(work.title, str(r.get("title") or ""), work.title_truncated), slug_fit(work.title, url))
            if fit >= MIN_FIT:
                published = r.get("publishedDate")
                leads.setdefault(
                    url,
                    Lead(
                        url,
                        self.name,
                        fit,
                        f"search result “{r.get('title') or url}” ({fit:.2f})",
                        published=published[:10] if isinstance(published, str) and len(published) >= 10 else None,
                    ),
                )
        ordered = sorted(leads.values(), key=lambda lead: -lead.score)
        return Asked(self.name, ordered, f"{len(results) if isinstance(results, list) else 0} results, {len(ordered)} fitting")
