"""How discovery runs: which backends, in what order, within what budget."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError

#: the backends asked by default, cheapest and most precise first
BACKENDS = ("identifiers", "x-archive", "outlet-urls", "listings", "feeds", "gdelt", "crossref", "search")
#: every backend: the default ones, and those asked only when named in `backends`
KNOWN_BACKENDS = (*BACKENDS, "openalex", "semantic-scholar")


@dataclass(frozen=True, slots=True)
class DiscoverOptions:
    backends: tuple[str, ...] = BACKENDS
    search_url: str | None = None  # a SearXNG instance (its JSON API); off until set
    mailto: str | None = None  # Crossref's polite pool: a contact address sent with each query
    candidates: int = 4  # leads fetched and verified at most per backend, best first
    fetches: int = 10  # leads fetched at most per work, over all backends
    seconds: float = 120.0  # a work's discovery budget: what is left of it when spent is reported
    listing_rows: int = 2000  # the most rows one archive listing is read to (its resume keys followed)
    days: int = 2  # listings and searches look this many days either side of the cited date
    gdelt_interval: float = 5.0  # seconds between GDELT requests: its documentation asks for one every five seconds
    openalex_key: str | None = field(default=None, repr=False)  # never shown: from CITECHECK_OPENALEX_KEY or the config

    @classmethod
    def from_table(cls, table: dict[str, Any], where: str) -> DiscoverOptions:
        known = {"backends", "search_url", "mailto", "candidates", "fetches", "seconds", "listing_rows", "days", "gdelt_interval", "openalex_key"}
        for key in table:
            if key not in known:
                raise ConfigError(f"{where}: unknown key discover.{key} (known: {', '.join(sorted(known))})")
        values: dict[str, Any] = {}
        if "backends" in table:
            backends = table["backends"]
            if not isinstance(backends, list) or not all(b in KNOWN_BACKENDS for b in backends):
                raise ConfigError(f"{where}: discover.backends is a list of: {', '.join(KNOWN_BACKENDS)}")
            values["backends"] = tuple(backends)
        for key in ("search_url", "mailto", "openalex_key"):
            if key in table:
                if not isinstance(table[key], str) or (key == "search_url" and not table[key].startswith(("http://", "https://"))):
                    raise ConfigError(f"{where}: discover.{key} must be " + ("an http(s) URL" if key == "search_url" else "a string"))
                values[key] = table[key].rstrip("/") if key == "search_url" else table[key]
        for key in ("candidates", "fetches", "listing_rows", "days"):
            if key in table:
                if not isinstance(table[key], int) or isinstance(table[key], bool) or table[key] < 0:
                    raise ConfigError(f"{where}: discover.{key} must be a whole number, 0 or more")
                values[key] = table[key]
        for key in ("seconds", "gdelt_interval"):
            if key in table:
                value = table[key]
                if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0 or (key == "seconds" and value == 0):
                    raise ConfigError(f"{where}: discover.{key} must be a number of seconds" + (" above 0" if key == "seconds" else ", 0 or more"))
                values[key] = float(value)
        return cls(**values)

    def with_environment(self, env: dict[str, str] | os._Environ[str]) -> DiscoverOptions:
        """The keys the environment gives (CITECHECK_OPENALEX_KEY), where the config gives none."""
        from dataclasses import replace

        key = env.get("CITECHECK_OPENALEX_KEY")
        return replace(self, openalex_key=self.openalex_key or key) if key else self
