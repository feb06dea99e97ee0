"""The settings of the fetching and verifying stages, importable without the stages themselves.

The command line and the config file read and check them before anything heavy is loaded (the
HTTP client, the event loop, the verifier's libraries): so a command can decide early what it will
need, and start it (see `workers.start_process_server`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any

from . import __version__
from .errors import ConfigError

DEFAULT_USER_AGENT = f"citecheck/{__version__} (+https://github.com/citecheck/citecheck; citation checker)"


@dataclass(frozen=True, slots=True)
class HostRule:
    """What the config says about one host: its limits apply to subdomains too, its headers to that exact host only."""

    per_host: int | None = None
    min_interval: float | None = None
    accept: frozenset[int] = frozenset()  # statuses that count as ok here (a paywall's 403, say)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class FetchOptions:
    concurrency: int = 64
    per_host: int = 4
    min_interval: float = 0.2  # seconds between request starts to one host
    tries: int = 3
    retry_after_cap: float = 60.0
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 45.0  # one request, start to last byte read
    # a host that answers none of this many requests in a row is down: its other requests fail at
    # once for host_down_for seconds (fetch.HostGate); 0: never
    host_down_after: int = 6
    host_down_for: float = 300.0
    max_body: int = 5 * 1024 * 1024
    max_hops: int = 10
    user_agent: str = DEFAULT_USER_AGENT
    host_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    hosts: dict[str, HostRule] = field(default_factory=dict)  # from the config's [hosts] tables
    allow_private: bool = False
    insecure: bool = False
    http2: bool = False  # True: httpx's own transport, HTTP/2 where offered (transport_http2.py)
    soft404_probe: bool = True
    # A name that always resolves: "no such domain" is believed only while this one resolves,
    # so an offline machine or a broken resolver never turns live sources into "missing".
    dns_canary: str | None = field(default_factory=lambda: os.environ.get("CITECHECK_DNS_CANARY", "example.com"))


@dataclass(frozen=True, slots=True)
class VerifyOptions:
    """Thresholds, chosen on the labelled set in fixtures/verify (see README, "Verification")."""

    title_pass: float = 0.90  # similarity at or above which a title is the cited one
    title_warn: float = 0.75  # between this and title_pass: similar, worth a look; below: a different title
    quote_warn: float = 0.94  # a quotation not found verbatim but this close is a near-miss (warn); below: absent
    date_tolerance_days: int = 1  # time zones: a day either side is the same date
    date_warn_days: int = 31  # further than the tolerance but within this: warn; beyond: a different date
    author_match: float = 0.88  # token similarity of a cited name and a name on the page
    outlet_match: float = 0.85  # similarity of a cited outlet and a page's site name
    max_gap_words: int = 6  # a bracketed insertion stands for up to this many words of the original
    max_ellipsis_chars: int = 3000  # an ellipsis skips at most this much of the page

    @classmethod
    def from_table(cls, table: dict[str, Any], *, where: str) -> VerifyOptions:
        """From a config table; unknown keys and wrong types are errors naming the key."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in table.items():
            name = key.replace("-", "_")
            if name not in known:
                raise ConfigError(f"{where}: unknown key [verify] {key!r} (known: {', '.join(known)})")
            kind = int if known[name].type == "int" else float
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"{where}: [verify] {key} must be a non-negative number")
            values[name] = kind(value)
        return cls(**values)
