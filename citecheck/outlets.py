"""The registry of outlets and platforms: names as notes write them, and the sites that publish them.

The table is data (`data/outlets.toml`), extendable from the user's config.
The parser uses it to recognize an outlet or platform in a note; the verifier
uses it to tell whether a page's site is the cited outlet.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from .text import fold


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    domains: tuple[str, ...]
    kind: str
    aliases: tuple[str, ...] = ()
    is_platform: bool = False
    # for finding a work the note does not link (citecheck/discover): the site's address, the
    # shapes of its article URLs that a note's title and date predict, the prefixes of the
    # archive's listings that hold its articles of a day, and how it makes slugs of titles
    site: str | None = None  # "https://www.hrw.org"
    article_urls: tuple[str, ...] = ()  # "{site}/news/{yyyy}/{mm}/{dd}/{slug}"
    listings: tuple[str, ...] = ()  # "{host}/news/{yyyy}/{mm}/{dd}/", "{host}/en/ | .*/{yyyymmdd}-.*" (prefix | filter)
    slug: str = "keep"  # "keep": every word of the title; "drop-stopwords": short words left out (Drupal's pathauto)
    feeds: tuple[str, ...] = ()  # news sitemaps and RSS or Atom feeds: "{site}/sitemap-news.xml", "{site}/feed/"


def host_of(url: str) -> str:
    """The lower-case host of a URL, or "" when the URL is malformed (never raises)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@lru_cache(maxsize=4096)
def _key(name: str) -> str:
    """Spelling-insensitive key: case, accents, spaces and punctuation folded (kept: a draft names
    the same outlets again and again, and every verified page looks them up four times)."""
    return re.sub(r"[\W_]+", "", fold(name))


@dataclass(slots=True)
class OutletRegistry:
    outlets: list[Outlet] = field(default_factory=list)
    _by_name: dict[str, Outlet] = field(default_factory=dict)
    _by_domain: dict[str, list[Outlet]] = field(default_factory=dict)

    def add(self, outlet: Outlet) -> None:
        self.outlets.append(outlet)
        for name in (outlet.name, *outlet.aliases):
            self._by_name[_key(name)] = outlet
        for domain in outlet.domains:
            self._by_domain.setdefault(domain.lower(), []).append(outlet)

    def lookup(self, name: str) -> Outlet | None:
        """The outlet or platform a note's words name ("France 24", "Twitter"), or None."""
        key = _key(name)
        return self._by_name.get(key) if key else None

    def for_url(self, url: str) -> list[Outlet]:
        """Outlets published on the site of `url` (subdomains included)."""
        parts = host_of(url).split(".")
        found: list[Outlet] = []
        for i in range(len(parts) - 1):
            found.extend(self._by_domain.get(".".join(parts[i:]), []))
        return found

    @classmethod
    def from_tables(cls, tables: Iterable[dict[str, Any]], *, is_platform: bool = False) -> OutletRegistry:
        registry = cls()
        registry.extend(tables, is_platform=is_platform)
        return registry

    def extend(self, tables: Iterable[dict[str, Any]], *, is_platform: bool = False) -> None:
        for t in tables:
            self.add(
                Outlet(
                    name=t["name"],
                    domains=tuple(t.get("domains", ())),
                    kind=t.get("kind", "webpage"),
                    aliases=tuple(t.get("aliases", ())),
                    is_platform=is_platform,
                    site=t.get("site"),
                    article_urls=tuple(t.get("article_urls", ())),
                    listings=tuple(t.get("listings", ())),
                    slug=t.get("slug", "keep"),
                    feeds=tuple(t.get("feeds", ())),
                )
            )

    @classmethod
    def default(cls) -> OutletRegistry:
        data = tomllib.loads(resources.files("citecheck.data").joinpath("outlets.toml").read_text("utf-8"))
        registry = cls()
        registry.extend(data.get("outlet", []))
        registry.extend(data.get("platform", []), is_platform=True)
        return registry
