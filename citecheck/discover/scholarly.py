"""OpenAlex and Semantic Scholar, for scholarly works Crossref lacks (DataCite DOIs, preprints,
repositories). Both are off until named in `[discover] backends`; OpenAlex needs an API key since
February 2026 (`CITECHECK_OPENALEX_KEY` in the environment, or `openalex_key` in the config),
never written to a report or the cache. Each answer's works are matched on title, year and
authors, as Crossref's are, before they become leads.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .base import Asked, Context, Lead, WorkQuery
from .crossref import MIN_TITLE_FIT, SCHOLARLY_KINDS
from .slugs import title_fit, words


def _scholarly(work: WorkQuery) -> str | None:
    return None if work.kind in SCHOLARLY_KINDS or work.volume or work.issue else "the note does not look scholarly"


def _agrees(work: WorkQuery, title: str, year: int | None, families: set[str]) -> float:
    """The title's fit, or 0 when the year (±1) or the authors disagree."""
    fit = title_fit(work.title, title, work.title_truncated)
    if work.issued and year and abs(year - work.issued.year) > 1:
        return 0.0
    cited = {words(a)[-1] for a in work.authors if words(a)}
    if cited and families and not cited & families:
        return 0.0
    return fit


class OpenAlex:
    name = "openalex"

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        return _scholarly(work) or (None if ctx.options.openalex_key else "no OpenAlex API key is configured")

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        params = {"search": work.title.rstrip("….").strip(), "per-page": "5", "api_key": ctx.options.openalex_key or ""}
        # not kept in the cache: the key is part of the address
        data, failed = await ctx.get_json(f"{ctx.endpoints.openalex}/works?{urlencode(params)}", self.name, cache=False)
        if failed is not None:
            return failed
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            return Asked.unreachable(self.name, "an answer without its results")
        leads = []
        for r in results if isinstance(results, list) else []:
            if not isinstance(r, dict):
                continue
            title = str(r.get("display_name") or r.get("title") or "")
            families = {
                words(str((a.get("author") or {}).get("display_name", "")))[-1]
                for a in r.get("authorships", [])
                if isinstance(a, dict) and words(str((a.get("author") or {}).get("display_name", "")))
            }
            year = r.get("publication_year") if isinstance(r.get("publication_year"), int) else None
            fit = _agrees(work, title, year, families)
            doi = r.get("doi") if isinstance(r.get("doi"), str) else None
            landing = ((r.get("primary_location") or {}).get("landing_page_url")) if isinstance(r.get("primary_location"), dict) else None
            if fit >= MIN_TITLE_FIT and (doi or landing):
                url = f"{ctx.endpoints.doi}/{doi.removeprefix('https://doi.org/')}" if doi else str(landing)
                leads.append(Lead(url, self.name, fit, f"OpenAlex: {title} ({fit:.2f})", lasting=bool(doi)))
        leads.sort(key=lambda lead: -lead.score)
        return Asked(self.name, leads, f"{len(results) if isinstance(results, list) else 0} works listed, {len(leads)} matching")


class SemanticScholar:
    name = "semantic-scholar"

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        return _scholarly(work)

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        params = {"query": work.title.rstrip("….").strip(), "fields": "title,url,year,venue,externalIds,authors"}
        none = Asked(self.name, [], "no paper matches the title")  # 404 "Title match not found" is an answer
        answer, failed = await ctx.get_json(f"{ctx.endpoints.semantic_scholar}/graph/v1/paper/search/match?{urlencode(params)}", self.name, answers={404: none})
        if failed is not None:
            return failed
        data = answer.get("data") if isinstance(answer, dict) else None
        leads = []
        for paper in data if isinstance(data, list) else []:
            if not isinstance(paper, dict):
                continue
            families = {words(str(a.get("name", "")))[-1] for a in paper.get("authors", []) if isinstance(a, dict) and words(str(a.get("name", "")))}
            fit = _agrees(work, str(paper.get("title", "")), paper.get("year") if isinstance(paper.get("year"), int) else None, families)
            doi = (paper.get("externalIds") or {}).get("DOI") if isinstance(paper.get("externalIds"), dict) else None
            url = f"{ctx.endpoints.doi}/{doi}" if isinstance(doi, str) else paper.get("url")
            if fit >= MIN_TITLE_FIT and isinstance(url, str):
                leads.append(Lead(url, self.name, fit, f"Semantic Scholar: {paper.get('title')} ({fit:.2f})", lasting=isinstance(doi, str)))
        return Asked(self.name, leads, f"{len(leads)} matching")
