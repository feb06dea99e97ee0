"""The external services citecheck talks to, each base URL configurable.

Tests, mirrors and on-premises archives stand in for the real services by
changing these (the `[endpoints]` table of the config file).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Endpoints:
    wayback_availability: str = "https://archive.org/wayback/available"
    wayback_cdx: str = "https://web.archive.org/cdx/search/cdx"
    wayback_web: str = "https://web.archive.org/web"
    wayback_save: str = "https://web.archive.org/save"
    archive_today: str = "https://archive.ph"
    x_oembed: str = "https://publish.twitter.com/oembed"
    x_syndication: str = "https://cdn.syndication.twimg.com/tweet-result"
    youtube_oembed: str = "https://www.youtube.com/oembed"
    # where identifiers resolve, and the services that find works the notes do not link (citecheck/discover)
    doi: str = "https://doi.org"
    arxiv: str = "https://arxiv.org/abs"
    openlibrary: str = "https://openlibrary.org"
    pubmed: str = "https://pubmed.ncbi.nlm.nih.gov"
    handle: str = "https://hdl.handle.net"
    undocs: str = "https://undocs.org"
    crossref: str = "https://api.crossref.org"
    gdelt: str = "https://api.gdeltproject.org/api/v2/doc/doc"
    openalex: str = "https://api.openalex.org"
    semantic_scholar: str = "https://api.semanticscholar.org"

    @classmethod
    def from_table(cls, table: dict[str, Any], where: str) -> Endpoints:
        known = {f.name for f in fields(cls)}
        for key, value in table.items():
            if key not in known:
                raise ConfigError(f"{where}: unknown key endpoints.{key} (known: {', '.join(sorted(known))})")
            if not isinstance(value, str) or not value.startswith(("http://", "https://")):
                raise ConfigError(f"{where}: endpoints.{key} must be an http(s) URL")
        return cls(**{k: v.rstrip("/") for k, v in table.items()})
