"""The config file: `citecheck.toml`, or `[tool.citecheck]` in `pyproject.toml`, found upward from the draft.

Tables: `[check]` (every run setting that has a command-line flag: the flag wins), `[hosts."name"]` (per-host
concurrency, interval, headers and accepted status codes), `[urls]` (include/exclude patterns), `[[ignore]]`
(known false positives, each with its reason), `[endpoints]`, `[handles]` (author name -> X handle), `[verify]`
(the verifier's thresholds) and `[[outlet]]` (additions to the outlet registry). Unknown keys are errors that
name the key and the file, so a typo never silently changes what is checked.

What a config file cannot do: allow private addresses or skip TLS verification. The file travels with the
drafts, and a pull request must not be able to turn citecheck against the CI runner's network; those two
stay command-line flags.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .endpoints import Endpoints
from .errors import ConfigError
from .model import Ignore, Verdict
from .version import __version__

# --- the fetching and verifying stages' settings --------------------------------------------------
# The settings of the fetching and verifying stages, importable without the stages themselves.
#
# The command line and the config file read and check them before anything heavy is loaded (the
# HTTP client, the event loop, the verifier's libraries): so a command can decide early what it will
# need, and start it (see `workers.start_process_server`).

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


# --- discovery's settings ------------------------------------------------------------------------
# How discovery runs: which backends, in what order, within what budget.

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
    # seconds between searches: a SearXNG instance asks its engines for each, and they block a
    # client that searches faster (an instance of the newsroom's own may allow more)
    search_interval: float = 0.5
    openalex_key: str | None = field(default=None, repr=False)  # never shown: from CITECHECK_OPENALEX_KEY or the config

    @classmethod
    def from_table(cls, table: dict[str, Any], where: str) -> DiscoverOptions:
        known = {f.name for f in fields(cls)}  # every setting is a key of the table
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
        for key in ("seconds", "gdelt_interval", "search_interval"):
            if key in table:
                value = table[key]
                if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0 or (key == "seconds" and value == 0):
                    raise ConfigError(f"{where}: discover.{key} must be a number of seconds" + (" above 0" if key == "seconds" else ", 0 or more"))
                values[key] = float(value)
        return cls(**values)

    def with_environment(self, env: dict[str, str] | os._Environ[str]) -> DiscoverOptions:
        """The keys the environment gives (CITECHECK_OPENALEX_KEY), where the config gives none."""

        key = env.get("CITECHECK_OPENALEX_KEY")
        return replace(self, openalex_key=self.openalex_key or key) if key else self


# --- the config file -----------------------------------------------------------------------------

KNOWN_TABLES = ("check", "hosts", "urls", "ignore", "endpoints", "handles", "verify", "outlet", "discover")
OUTLET_KEYS = ("name", "aliases", "domains", "kind", "site", "article_urls", "listings", "slug", "feeds")


# --- run settings: one table for the command line and the config file -----------------------------------


def parse_size(value: str | int) -> int:
    """Bytes from 5000000, "5M", "512k", "1g"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    text = str(value).strip().lower().rstrip("b")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def parse_duration(value: str | float) -> float:
    """Seconds from 3600, "30m", "12h", "2d"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = str(value).strip().lower()
    if text and text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


def parse_verdicts(value: str | list[str]) -> frozenset[Verdict]:
    """A set of verdicts from "missing,mismatched" or ["missing", "mismatched"]."""
    words = value if isinstance(value, list) else str(value).split(",")
    out = set()
    for word in (str(w).strip() for w in words):
        if not word:
            continue
        try:
            out.add(Verdict(word))
        except ValueError:
            raise ValueError(f"unknown verdict {word!r} (known: {', '.join(v.value for v in Verdict)})") from None
    return frozenset(out)


def _positive(value: Any) -> int:
    number = int(value)
    if number < 1 or isinstance(value, bool):
        raise ValueError("must be at least 1")
    return number


def parse_count(value: Any) -> int:
    """A whole number, 0 or more, from the config's TOML value or a flag's text."""
    number = int(value) if isinstance(value, str) and value.strip().isdigit() else value
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ValueError("must be a whole number, 0 or more")
    return number


def _non_negative(value: Any) -> float:
    number = float(value)
    if number < 0 or isinstance(value, bool):
        raise ValueError("must not be negative")
    return number


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _processes(value: Any) -> str:
    if value not in ("auto", "yes", "no"):
        raise ValueError("must be auto, yes or no")
    return str(value)


@dataclass(frozen=True, slots=True)
class Setting:
    """One run setting: how to read it (from a flag's text or a TOML value) and its default."""

    convert: Callable[[Any], Any]
    default: Any


_FETCH = FetchOptions()
SETTINGS: dict[str, Setting] = {
    "fail_on": Setting(parse_verdicts, frozenset({Verdict.MISSING, Verdict.MISMATCHED})),
    "concurrency": Setting(_positive, _FETCH.concurrency),
    "per_host": Setting(_positive, _FETCH.per_host),
    "min_interval": Setting(_non_negative, _FETCH.min_interval),
    "tries": Setting(_positive, _FETCH.tries),
    "retry_after_cap": Setting(_non_negative, _FETCH.retry_after_cap),
    "timeout": Setting(_non_negative, _FETCH.total_timeout),
    "connect_timeout": Setting(_non_negative, _FETCH.connect_timeout),
    "host_down_after": Setting(parse_count, _FETCH.host_down_after),
    "max_body": Setting(parse_size, _FETCH.max_body),
    "user_agent": Setting(_text, _FETCH.user_agent),
    "dns_canary": Setting(_text, None),  # None: the environment's CITECHECK_DNS_CANARY, else example.com
    "http2": Setting(_flag, False),
    "cache": Setting(_text, None),  # None: the user's cache folder
    "max_age": Setting(parse_duration, 86400.0),
    "archive": Setting(_flag, True),
    "archive_all": Setting(_flag, False),
    "archive_rate": Setting(_non_negative, 24.0),
    "verify": Setting(_flag, True),
    "processes": Setting(_processes, "auto"),
}


@dataclass(slots=True)
class Config:
    path: str | None = None
    endpoints: Endpoints = field(default_factory=Endpoints)
    handles: dict[str, str] = field(default_factory=dict)  # author name -> X handle, for posts cited without a URL
    verify: VerifyOptions = field(default_factory=VerifyOptions)
    outlets: list[dict[str, Any]] = field(default_factory=list)  # [[outlet]] tables, added to the registry
    check: dict[str, Any] = field(default_factory=dict)  # run settings from [check], converted
    hosts: dict[str, HostRule] = field(default_factory=dict)
    include: list[str] = field(default_factory=list)  # URL globs: when given, only matching URLs are checked
    exclude: list[str] = field(default_factory=list)  # URL globs never checked
    ignores: list[Ignore] = field(default_factory=list)
    discover: DiscoverOptions = field(default_factory=DiscoverOptions)

    def setting(self, name: str, given: Any = None) -> Any:
        """A run setting: the command line's value when given, else the config file's, else the default."""
        if given is not None:
            return given
        return self.check.get(name, SETTINGS[name].default)


def find_config(start: str) -> tuple[str, dict[str, Any]] | None:
    """The nearest config above `start`: (path, the citecheck table)."""
    folder = Path(start).resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / "citecheck.toml"
        if own.is_file():
            return str(own), _load(own)
        project = candidate / "pyproject.toml"
        if project.is_file():
            table = _load(project).get("tool", {}).get("citecheck")
            if isinstance(table, dict):
                return str(project), table
    return None


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_config(draft: str, explicit: str | None = None) -> Config:
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: no such config file")
        path, table = explicit, _load(Path(explicit))
        if Path(explicit).name == "pyproject.toml":
            table = table.get("tool", {}).get("citecheck", {})
    else:
        found = find_config(draft)
        if found is None:
            return Config()
        path, table = found
    for key in table:
        if key not in KNOWN_TABLES:
            raise ConfigError(f"{path}: unknown key {key!r} (this version reads: {', '.join(KNOWN_TABLES)})")
    endpoints = table.get("endpoints", {})
    if not isinstance(endpoints, dict):
        raise ConfigError(f"{path}: endpoints must be a table")
    handles = table.get("handles", {})
    if not isinstance(handles, dict) or not all(isinstance(v, str) and v.strip("@").isidentifier() for v in handles.values()):
        raise ConfigError(f'{path}: handles must map author names to X handles ("Wassim Nasr" = "SimNasr")')
    verify = table.get("verify", {})
    if not isinstance(verify, dict):
        raise ConfigError(f"{path}: verify must be a table")
    urls = _table(table, "urls", path)
    for key in urls:
        if key not in ("include", "exclude") or not isinstance(urls[key], list) or not all(isinstance(x, str) for x in urls[key]):
            raise ConfigError(f"{path}: [urls] takes include and exclude, lists of URL patterns (unknown or wrong key {key!r})")
    return Config(
        path=path,
        endpoints=Endpoints.from_table(endpoints, path),
        handles={k: v.strip("@") for k, v in handles.items()},
        verify=VerifyOptions.from_table(verify, where=path),
        outlets=_outlets(table.get("outlet", []), path),
        check=_check(_table(table, "check", path), path),
        hosts=_hosts(_table(table, "hosts", path), path),
        include=list(urls.get("include", [])),
        exclude=list(urls.get("exclude", [])),
        ignores=_ignores(table.get("ignore", []), path),
        discover=DiscoverOptions.from_table(_table(table, "discover", path), path),
    )


def _table(table: dict[str, Any], key: str, path: str) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {key} must be a table")
    return value


def _check(table: dict[str, Any], path: str) -> dict[str, Any]:
    out = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in SETTINGS:
            refused = " (a command-line flag only: a config file must not lower the safety rules)" if name in ("allow_private", "insecure") else ""
            raise ConfigError(f"{path}: unknown key [check] {key!r}{refused} (known: {', '.join(SETTINGS)})")
        try:
            out[name] = SETTINGS[name].convert(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{path}: [check] {key}: {exc}") from None
    return out


HOST_KEYS = ("per_host", "min_interval", "accept", "headers")


def _hosts(table: dict[str, Any], path: str) -> dict[str, HostRule]:
    out = {}
    for host, rule in table.items():
        if not isinstance(rule, dict):
            raise ConfigError(f"{path}: [hosts.{host!r}] must be a table")
        unknown = [k for k in rule if k.replace("-", "_") not in HOST_KEYS]
        if unknown:
            raise ConfigError(f"{path}: unknown key [hosts.{host!r}] {unknown[0]!r} (known: {', '.join(HOST_KEYS)})")
        rule = {k.replace("-", "_"): v for k, v in rule.items()}
        try:
            accept = frozenset(int(s) for s in rule.get("accept", []))
            if any(not 100 <= s <= 599 for s in accept):
                raise ValueError("accept takes HTTP status codes")
            headers = rule.get("headers", {})
            if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
                raise ValueError("headers must map names to strings")
            out[host.lower()] = HostRule(
                per_host=_positive(rule["per_host"]) if "per_host" in rule else None,
                min_interval=_non_negative(rule["min_interval"]) if "min_interval" in rule else None,
                accept=accept,
                headers=dict(headers),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{path}: [hosts.{host!r}]: {exc}") from None
    return out


def _ignores(entries: Any, path: str) -> list[Ignore]:
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(f"{path}: ignores are [[ignore]] tables with a note or url, and a reason")
    out = []
    for number, e in enumerate(entries, start=1):
        unknown = [k for k in e if k not in ("note", "url", "reason")]
        if unknown:
            raise ConfigError(f"{path}: unknown key [[ignore]] {unknown[0]!r} in ignore {number} (known: note, url, reason)")
        if not isinstance(e.get("reason"), str) or not e["reason"].strip():
            raise ConfigError(f"{path}: ignore {number} needs a reason (why this is a known false positive)")
        if ("note" in e) == ("url" in e):
            raise ConfigError(f"{path}: ignore {number} names either a note or a url")
        out.append(Ignore(reason=e["reason"].strip(), note=str(e["note"]) if "note" in e else None, url=e.get("url")))
    return out


def _outlets(tables: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: outlets are [[outlet]] tables with name, aliases and domains")
    for number, t in enumerate(tables, start=1):
        unknown = [k for k in t if k not in OUTLET_KEYS]
        if unknown:
            raise ConfigError(f"{path}: unknown key [[outlet]] {unknown[0]!r} in outlet {number} (known: {', '.join(OUTLET_KEYS)})")
        if not isinstance(t.get("name"), str) or not all(
            isinstance(x, str) for k in ("aliases", "domains", "article_urls", "listings", "feeds") for x in t.get(k, [])
        ):
            raise ConfigError(f"{path}: outlet {number} needs a name, and aliases and domains as lists of strings")
    return tables
