"""Fakes of the public services discovery asks, on loopback, answering in each real API's documented
shape and by matching the query as the service would (not by one exact string):

- the Wayback Machine's CDX API: prefix and exact matching, `filter=field:regex` (negated with
  `!`), `from`/`to`, `collapse=urlkey`, `limit` with `showResumeKey` paging (JSON: the rows, an
  empty row, then the resume key), `sort=closest`;
- GDELT's DOC 2.0 `mode=artlist`: every term in the title, `domainis:`, the date window; an empty
  answer has no `articles` key, a query without terms a plain-text error with status 200;
- a SearXNG instance's `/search?format=json`: quoted phrases and `site:`; 403 when JSON is off;
- Crossref's `/works?query.bibliographic=`: items ranked by the words they share with the query;
- X's oEmbed and syndication endpoints and YouTube's oEmbed, for the posts and videos it holds.

`FakeServices` holds what the fake web "knows"; `routes(site)` puts every service on one site.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

from tests.loopback import Request, Response, Site


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def _bare(url: str) -> str:
    """A URL as the CDX index keys it: without scheme and www."""
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url)


@dataclass
class Capture:
    original: str
    timestamp: str  # YYYYMMDDhhmmss
    statuscode: str = "200"
    mimetype: str = "text/html"


@dataclass
class Article:  # what GDELT lists
    url: str
    title: str
    seendate: str  # YYYYMMDDThhmmssZ
    domain: str
    language: str = "English"


@dataclass
class Result:  # what a search engine has indexed
    url: str
    title: str
    content: str = ""
    published: str | None = None  # ISO date


@dataclass
class FakeServices:
    captures: list[Capture] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    index: list[Result] = field(default_factory=list)
    works: list[dict] = field(default_factory=list)  # Crossref items
    posts: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # post id -> (author name, handle, text)
    videos: dict[str, tuple[str, str]] = field(default_factory=dict)  # video id -> (title, channel)
    snapshots: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (original URL, timestamp) -> the raw capture's body
    search_json: bool = True  # SearXNG's settings.yml lists json under search.formats
    down: set[str] = field(default_factory=set)  # services answering 503: "cdx", "gdelt", "search", "crossref"
    asked: dict[str, int] = field(default_factory=dict)

    def routes(self, site: Site) -> None:
        for path, handler in (
            ("/cdx/search/cdx", self.cdx),
            ("/gdelt/doc", self.gdelt),
            ("/searx/search", self.search),
            ("/crossref/works", self.crossref),
            ("/x/oembed", self.x_oembed),
            ("/x/tweet-result", self.x_syndication),
            ("/yt/oembed", self.youtube),
            ("/wayback/available", self.availability),
            ("/openalex/works", self.openalex),
            ("/s2/graph/v1/paper/search/match", self.semantic_scholar),
        ):
            site.route(path, handler)
        site.fallback = self.web

    def endpoints(self, site: Site) -> dict[str, str]:
        """The [endpoints] table that points citecheck at these fakes."""
        return {
            "wayback_cdx": site.url("/cdx/search/cdx"),
            "wayback_availability": site.url("/wayback/available"),
            "wayback_web": site.url("/web"),
            "archive_today": site.url("/archive-today"),
            "gdelt": site.url("/gdelt/doc"),
            "crossref": site.url("/crossref"),
            "x_oembed": site.url("/x/oembed"),
            "x_syndication": site.url("/x/tweet-result"),
            "youtube_oembed": site.url("/yt/oembed"),
            "doi": site.url("/doi"),
            "undocs": site.url("/undocs"),
            "openlibrary": site.url("/openlibrary"),
            "openalex": site.url("/openalex"),
            "semantic_scholar": site.url("/s2"),
        }

    def _count(self, name: str) -> Response | None:
        self.asked[name] = self.asked.get(name, 0) + 1
        return Response(503, b"Service Unavailable") if name in self.down else None

    # --- the Wayback CDX API -------------------------------------------------------------------------

    def cdx(self, req: Request) -> Response:
        if (down := self._count("cdx")) is not None:
            return down
        pairs = parse_qsl(urlsplit(req.path).query)
        q = dict(pairs)
        wanted = _bare(q.get("url", ""))
        prefix = q.get("matchType") == "prefix" or wanted.endswith("*")
        wanted = wanted.rstrip("*")
        rows = [c for c in self.captures if (_bare(c.original).startswith(wanted) if prefix else _bare(c.original) == wanted)]
        for key, value in pairs:
            if key != "filter":
                continue
            negate = value.startswith("!")
            name, _, pattern = value.lstrip("!").partition(":")
            rows = [c for c in rows if bool(re.fullmatch(pattern, str(getattr(c, name, "")))) != negate]
        if "from" in q:
            rows = [c for c in rows if c.timestamp >= q["from"].ljust(14, "0")]
        if "to" in q:
            rows = [c for c in rows if c.timestamp <= q["to"].ljust(14, "9")]
        if q.get("collapse") == "urlkey":
            seen: set[str] = set()
            rows = [c for c in sorted(rows, key=lambda c: (_bare(c.original), c.timestamp)) if not (_bare(c.original) in seen or seen.add(_bare(c.original)))]
        if q.get("sort") == "closest" and q.get("closest"):
            target = int(q["closest"].ljust(14, "0"))
            rows.sort(key=lambda c: abs(int(c.timestamp) - target))
        start = int(q.get("resumeKey", "0"))
        limit = int(q.get("limit", "100000"))
        page = rows[start : start + limit]
        fields = q.get("fl", "urlkey,timestamp,original,mimetype,statuscode").split(",")
        out: list[list[str]] = [fields] + [[getattr(c, f, _bare(c.original)) if f != "urlkey" else _bare(c.original) for f in fields] for c in page]
        if q.get("showResumeKey") == "true" and start + limit < len(rows):
            out += [[], [str(start + limit)]]
        return Response(200, json.dumps(out if page else []).encode(), {"Content-Type": "application/json"})  # no rows: []

    def web(self, req: Request) -> Response:
        """The Wayback Machine's raw captures: /web/<timestamp>id_/<original>."""
        m = re.match(r"^/web/(\d{14})id_/(.+)$", req.path)
        body = self.snapshots.get((m.group(2), m.group(1))) if m else None
        if body is None:
            return Response(404, b"<title>Wayback Machine has not archived that URL.</title>", {"Content-Type": "text/html"})
        return Response(200, body, {"Content-Type": "application/xml"})

    def availability(self, req: Request) -> Response:
        q = {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}
        return Response(200, json.dumps({"url": q.get("url"), "archived_snapshots": {}}).encode(), {"Content-Type": "application/json"})

    # --- GDELT DOC 2.0 -------------------------------------------------------------------------------

    def gdelt(self, req: Request) -> Response:
        if (down := self._count("gdelt")) is not None:
            return down
        q = {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}
        terms = q.get("query", "").split()
        domains = [t.split(":", 1)[1] for t in terms if t.startswith("domainis:")]
        words = [fold(t) for t in terms if ":" not in t]
        if not words:
            return Response(200, b"Your search did not contain any keywords.", {"Content-Type": "text/plain"})
        start, end = q.get("startdatetime", "0"), q.get("enddatetime", "99999999999999")
        found = [
            a
            for a in self.articles
            if all(w in _words(a.title) for w in words) and (not domains or a.domain in domains) and start <= a.seendate.replace("T", "").rstrip("Z") <= end
        ]
        found = found[: int(q.get("maxrecords", "75"))]
        body = (
            {
                "articles": [
                    {
                        "url": a.url,
                        "url_mobile": "",
                        "title": a.title,
                        "seendate": a.seendate,
                        "socialimage": "",
                        "domain": a.domain,
                        "language": a.language,
                        "sourcecountry": "",
                    }
                    for a in found
                ]
            }
            if found
            else {}
        )
        return Response(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    # --- SearXNG -----------------------------------------------------------------------------------

    def search(self, req: Request) -> Response:
        if (down := self._count("search")) is not None:
            return down
        q = {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}
        if q.get("format") == "json" and not self.search_json:
            return Response(403, b"Forbidden", {"Content-Type": "text/html"})
        query = q.get("q", "")
        sites = re.findall(r"site:(\S+)", query)
        phrases = [_words(p) for p in re.findall(r'"([^"]+)"', query)]
        rest = _words(re.sub(r'"[^"]+"|site:\S+', " ", query))
        hits = []
        for r in self.index:
            host = (urlsplit(r.url).hostname or "").lower()
            if sites and not any(host == s or host.endswith("." + s) for s in sites):
                continue
            text = " ".join(_words(r.title + " " + r.content))
            if all(" ".join(p) in text for p in phrases) and all(w in text.split() for w in rest):
                hits.append(r)
        body = {
            "query": query,
            "number_of_results": len(hits),
            "results": [
                {
                    "url": r.url,
                    "title": r.title,
                    "content": r.content,
                    "engine": "fake",
                    "engines": ["fake"],
                    "score": 1.0,
                    "category": "general",
                    "publishedDate": f"{r.published}T00:00:00" if r.published else None,
                }
                for r in hits
            ],
            "answers": [],
            "corrections": [],
            "infoboxes": [],
            "suggestions": [],
            "unresponsive_engines": [],
        }
        return Response(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    # --- Crossref ----------------------------------------------------------------------------------

    def crossref(self, req: Request) -> Response:
        if (down := self._count("crossref")) is not None:
            return down
        q = {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}
        asked = set(_words(q.get("query.bibliographic", "")))
        scored = []
        for item in self.works:
            shared = len(asked & set(_words(" ".join(item.get("title", [])))))
            if shared:
                scored.append((shared, item))
        scored.sort(key=lambda p: -p[0])
        items = [{**item, "score": float(score * 10)} for score, item in scored[: int(q.get("rows", "20"))]]
        body = {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": {"total-results": len(scored), "items": items, "items-per-page": len(items), "query": {"start-index": 0}},
        }
        return Response(200, json.dumps(body).encode(), {"Content-Type": "application/json", "x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"})

    # --- OpenAlex and Semantic Scholar: the same works as Crossref's, in their own shapes ------------

    def openalex(self, req: Request) -> Response:
        if (down := self._count("openalex")) is not None:
            return down
        q = {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}
        if not q.get("api_key"):  # required since February 2026
            return Response(401, json.dumps({"error": "API key required"}).encode(), {"Content-Type": "application/json"})
        asked = set(_words(q.get("search", "")))
        hits = [w for w in self.works if asked and asked <= set(_words(" ".join(w.get("title", []))))]
        results = [
            {
                "id": f"https://openalex.org/W{i}",
                "doi": f"https://doi.org/{w['DOI']}",
                "title": w["title"][0],
                "display_name": w["title"][0],
                "publication_year": w["issued"]["date-parts"][0][0],
                "primary_location": {"landing_page_url": f"https://doi.org/{w['DOI']}", "source": {"display_name": (w.get("container-title") or [""])[0]}},
                "authorships": [{"author": {"display_name": f"{a.get('given', '')} {a.get('family', '')}".strip()}} for a in w.get("author", [])],
                "relevance_score": 10.0,
            }
            for i, w in enumerate(hits)
        ][: int(q.get("per-page", "25"))]
        return Response(200, json.dumps({"meta": {"count": len(results)}, "results": results}).encode(), {"Content-Type": "application/json"})

    def semantic_scholar(self, req: Request) -> Response:
        if (down := self._count("semantic-scholar")) is not None:
            return down
        q = {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}
        asked = set(_words(q.get("query", "")))
        scored = sorted(((len(asked & set(_words(" ".join(w.get("title", []))))) / max(1, len(asked)), w) for w in self.works), key=lambda p: -p[0])
        if not scored or scored[0][0] < 0.8:
            return Response(404, json.dumps({"error": "Title match not found"}).encode(), {"Content-Type": "application/json"})
        score, w = scored[0]
        paper = {
            "paperId": "abc",
            "title": w["title"][0],
            "matchScore": 100 * score,
            "url": "https://www.semanticscholar.org/paper/abc",
            "year": w["issued"]["date-parts"][0][0],
            "venue": (w.get("container-title") or [""])[0],
            "externalIds": {"DOI": w["DOI"]},
            "authors": [{"authorId": "1", "name": f"{a.get('given', '')} {a.get('family', '')}".strip()} for a in w.get("author", [])],
        }
        return Response(200, json.dumps({"data": [paper]}).encode(), {"Content-Type": "application/json"})

    # --- X and YouTube -----------------------------------------------------------------------------

    def x_oembed(self, req: Request) -> Response:
        url = unquote(parse_qs(urlsplit(req.path).query).get("url", [""])[0])
        post_id = url.rstrip("/").rsplit("/", 1)[-1]
        if post_id not in self.posts:
            return Response(404, b"")
        name, handle, text = self.posts[post_id]
        html = (
            f'<blockquote class="twitter-tweet"><p lang="fr" dir="ltr">{text}</p>&mdash; {name} (@{handle}) '
            f'<a href="https://twitter.com/{handle}/status/{post_id}">date</a></blockquote>'
        )
        return Response(
            200,
            json.dumps(
                {
                    "url": url,
                    "author_name": name,
                    "author_url": f"https://twitter.com/{handle}",
                    "html": html,
                    "type": "rich",
                    "provider_name": "Twitter",
                    "version": "1.0",
                }
            ).encode(),
            {"Content-Type": "application/json"},
        )

    def x_syndication(self, req: Request) -> Response:
        return Response(404, b"")

    def youtube(self, req: Request) -> Response:
        url = unquote(parse_qs(urlsplit(req.path).query).get("url", [""])[0])
        video = parse_qs(urlsplit(url).query).get("v", [""])[0]
        if video not in self.videos:
            return Response(404, b"Not Found")
        title, channel = self.videos[video]
        return Response(
            200,
            json.dumps(
                {"title": title, "author_name": channel, "author_url": "https://www.youtube.com/@FRANCE24", "type": "video", "provider_name": "YouTube"}
            ).encode(),
            {"Content-Type": "application/json"},
        )


def article(title: str, day: str, site: str = "Example News", author: str = "", body: str = "Reporting from the region.", lang: str = "en") -> Response:
    """An article page as news sites mark one up: its title with the site's name, its publication
    time and site name in meta tags, its author where it names one."""
    meta = f'<meta property="article:published_time" content="{day}T08:00:00Z"><meta property="og:site_name" content="{site}">'
    if author:
        meta += f'<meta name="author" content="{author}">'
    html = f"<!doctype html><html lang='{lang}'><head><title>{title} | {site}</title>{meta}</head><body><h1>{title}</h1><p>{body}</p></body></html>"
    return Response(200, html.encode(), {"Content-Type": "text/html; charset=utf-8"})


class Pages:
    """A site's pages by path (as written, not percent-encoded), served whatever the encoding of the request."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.pages: dict[str, Response] = {}
        site.fallback = self.serve

    def add(self, path: str, response: Response) -> str:
        self.pages[path] = response
        return self.site.url(path)

    def serve(self, req: Request) -> Response:
        path = unquote(urlsplit(req.path).path)
        return self.pages.get(path) or Response(404, b"<title>Page not found</title>", {"Content-Type": "text/html"})
