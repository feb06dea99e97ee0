"""Crossref's REST API, for scholarly works: journal articles, chapters, books, conference papers,
theses and reports with a DOI.

Asked only when the note looks scholarly (its kind, a volume or issue), with the cited title,
authors, container and year as `query.bibliographic` (never the note as written), in the polite
pool when the config gives a `mailto`. Crossref's `score` is an unnormalised relevance, so each
item is matched on its title, year and authors before it becomes a lead; the lead is its DOI,
resolved through doi.org.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from .base import Asked, Context, Lead, WorkQuery
from .slugs import title_fit, words

SCHOLARLY_KINDS = frozenset({"article-journal", "chapter", "book", "paper-conference", "thesis", "report", "article-magazine"})
MIN_TITLE_FIT = 0.9


class Crossref:
    name = "crossref"

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        return None if work.kind in SCHOLARLY_KINDS or work.volume or work.issue else "the note does not look scholarly"

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        bibliographic = " ".join(filter(None, [work.title, *work.authors, work.outlet, str(work.issued.year) if work.issued else None]))
        params = {"query.bibliographic": bibliographic, "rows": "5", "select": "DOI,title,author,issued,container-title,type,URL,score"}
        if ctx.options.mailto:
            params["mailto"] = ctx.options.mailto
        answer = await ctx.get(f"{ctx.endpoints.crossref}/works?{urlencode(params)}")
        _keep_to_its_limit(ctx, answer.headers or {})
        if answer.status != 200:
            return Asked.unreachable(self.name, answer.error or f"HTTP {answer.status}")
        try:
            items = json.loads(answer.body.decode("utf-8"))["message"]["items"]
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
            return Asked.unreachable(self.name, "an answer that is not its JSON")
        leads = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("DOI"), str):
                continue
            titles = [t for t in item.get("title", []) if isinstance(t, str)]
            fit = max((title_fit(work.title, t, work.title_truncated) for t in titles), default=0.0)
            year = _year(item)
            if fit < MIN_TITLE_FIT or (work.issued and year and abs(year - work.issued.year) > 1) or not _authors_agree(work, item):
                continue
            leads.append(Lead(f"{ctx.endpoints.doi}/{item['DOI']}", self.name, fit, f"Crossref: DOI {item['DOI']}, title {fit:.2f}", lasting=True))
        leads.sort(key=lambda lead: -lead.score)
        return Asked(self.name, leads, f"{len(items) if isinstance(items, list) else 0} works listed, {len(leads)} matching")


def _year(item: dict) -> int | None:
    try:
        return int(item["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _authors_agree(work: WorkQuery, item: dict) -> bool:
    """Whether a cited author's family name is among the item's (or either side names none)."""
    listed = {w for a in item.get("author", []) if isinstance(a, dict) for w in words(str(a.get("family", "")))}
    cited = {words(a)[-1] for a in work.authors if words(a)}
    return not listed or not cited or bool(listed & cited)


def _keep_to_its_limit(ctx: Context, headers: dict[str, str]) -> None:
    """Crossref says its limit in every answer (`x-rate-limit-limit: 50`, `x-rate-limit-interval: 1s`):
    the next queries keep to half of it, and never go faster than the pace set at the start."""
    gate = ctx.gates.get("crossref")
    try:
        limit = int(headers["x-rate-limit-limit"])
        interval = float(headers["x-rate-limit-interval"].rstrip("s"))
    except (KeyError, ValueError):
        return
    if gate is not None and limit > 0:
        gate.interval = max(gate.interval, 2 * interval / limit)
