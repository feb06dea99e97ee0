"""The command line: `citecheck parse`, `citecheck check`, ...

Exit codes: 0 nothing to report at the threshold, 1 findings, 2 usage or input errors.
Every error a user can cause is one line naming the file and place; no tracebacks.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from ..version import __version__
from .. import pausepoints
from ..errors import CitecheckError
from ..files import check_writable, write_atomic
from ..ingest import DEFAULT_MAX_BYTES, READERS

if TYPE_CHECKING:
    from ..audit.store import AuditStore

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _size(text: str) -> int:
    from ..config import parse_size

    return parse_size(text)


def build_parser() -> argparse.ArgumentParser:
    from ..report import PARSE_FORMATS

    parser = _Parser(prog="citecheck", description="Check the citations of an article.")
    parser.add_argument("--version", action="version", version=f"citecheck {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("parse", help="parse a draft's notes into normalized citations")
    p.add_argument("file", help="the draft: .txt, .md, .html, .docx or CSL .json; - reads standard input")
    p.add_argument("--format", "-f", choices=sorted(PARSE_FORMATS), default="text", help="output format (default: text)")
    p.add_argument("--format-in", choices=sorted(READERS), help="read the draft as this format instead of detecting it")
    p.add_argument("--output", "-o", metavar="PATH", help="write the output here (atomically) instead of stdout")
    p.add_argument("--max-input-size", type=_size, default=DEFAULT_MAX_BYTES, metavar="BYTES", help="refuse drafts larger than this (default 50M)")
    p.set_defaults(run=_run_parse)

    from ..config import SETTINGS
    from ..report import CHECK_FORMATS

    d = {name: setting.default for name, setting in SETTINGS.items()}
    c = _Parser(add_help=False)  # the run's options, shared by check and fix
    c.add_argument("--format-in", choices=sorted(READERS), help="read the draft as this format instead of detecting it")
    c.add_argument("--max-input-size", type=_size, default=DEFAULT_MAX_BYTES, metavar="BYTES", help="refuse drafts larger than this (default 50M)")
    c.add_argument("--fail-on", type=_verdicts, metavar="VERDICTS",
                   help="exit 1 when any source has one of these comma-separated verdicts (default: missing,mismatched)")
    c.add_argument("--links", metavar="FILE", help="URLs for notes that have none: TOML (note id = URL) or CSV (note id, URL)")
    c.add_argument("--concurrency", type=_positive, help=f"requests in flight at most (default {d['concurrency']})")
    c.add_argument("--per-host", type=_positive, help=f"requests in flight to one host at most (default {d['per_host']})")
    c.add_argument("--min-interval", type=float, metavar="SECONDS", help=f"between requests to one host (default {d['min_interval']})")
    c.add_argument("--tries", type=_positive, help=f"tries per request on timeouts, resets, 5xx and 429 (default {d['tries']})")
    c.add_argument("--retry-after-cap", type=float, metavar="SECONDS", help=f"longest Retry-After honoured (default {d['retry_after_cap']:g})")
    c.add_argument("--timeout", type=float, metavar="SECONDS", help=f"total time for one request (default {d['timeout']:g})")
    c.add_argument("--connect-timeout", type=float, metavar="SECONDS", help=f"(default {d['connect_timeout']:g})")
    c.add_argument("--host-down-after", type=_count, metavar="N",
                   help=f"after N requests in a row get no answer from a host, its other sources are not tried for 5 minutes (default {d['host_down_after']}; 0: never)")
    c.add_argument("--max-body", type=_size, metavar="BYTES", help="read at most this much of a page (default 5M)")
    c.add_argument("--user-agent", help="the User-Agent header (default names citecheck and its version)")
    c.add_argument("--header", action="append", default=[], metavar="HOST:NAME:VALUE", help="send a header to one host only (repeatable)")
    c.add_argument("--allow-private", action="store_true", help="fetch private, loopback and link-local addresses (refused by default; never from the config file)")
    c.add_argument("--insecure", action="store_true", help="do not verify TLS certificates (never from the config file)")
    c.add_argument("--http2", dest="http2", action="store_const", const=True,
                   help="offer HTTP/2 (httpx's own transport; the default HTTP/1.1 path is several times cheaper per request)")
    c.add_argument("--no-http2", dest="http2", action="store_const", const=False, help="HTTP/1.1 only (the default)")
    c.add_argument("--dns-canary", metavar="NAME",
                   help="a name that always resolves: 'no such domain' is believed only while it does (default example.com; env CITECHECK_DNS_CANARY)")
    c.add_argument("--cache", metavar="PATH",
                   help="SQLite cache of results (default $XDG_CACHE_HOME/citecheck/cache.db, i.e. ~/.cache/citecheck/cache.db)")
    c.add_argument("--max-age", type=_duration, metavar="AGE", help="reuse cached results younger than this (default 1d; 30m, 12h, 2d)")
    c.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    c.add_argument("--no-archive", dest="archive", action="store_const", const=False, help="do not look for archived copies of missing or unreachable sources")
    c.add_argument("--archive-all", action="store_const", const=True, help="look for archived copies of every source, live ones too")
    c.add_argument("--save", nargs="?", const=30.0, type=float, metavar="DAYS",
                   help="ask the Wayback Machine's Save Page Now to capture live sources with no capture from the last DAYS (default 30)")
    c.add_argument("--archive-rate", type=float, metavar="PER_MINUTE",
                   help="Wayback CDX and TimeMap requests a minute, shared (default 24; the service allows about 30)")
    c.add_argument("--no-verify", dest="verify", action="store_const", const=False, help="a plain link check: do not compare pages with their citations")
    c.add_argument("--no-discover", dest="discover", action="store_false", default=True,
                   help="do not look for the URLs of works the notes do not link (discovery needs verification, which decides)")
    c.add_argument("--search-url", metavar="URL", help="a SearXNG instance whose JSON API discovery may search ([discover] search_url)")
    c.add_argument("--discover-backends", metavar="NAMES", help="the discovery backends to ask, in order, comma-separated ([discover] backends)")
    c.add_argument("--processes", choices=("auto", "yes", "no"), help="read pages in a process pool on every core (default auto: for drafts with many links)")
    c.add_argument("--config", metavar="PATH", help="config file (default: citecheck.toml or [tool.citecheck] in pyproject.toml above the draft)")
    # the config file's tables, from the command line (added to what the file says)
    c.add_argument("--include", action="append", default=[], metavar="GLOB", help="check only URLs matching (repeatable; [urls] include)")
    c.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="never check URLs matching (repeatable; [urls] exclude)")
    c.add_argument("--ignore", action="append", default=[], metavar="NOTE|GLOB=REASON", help="a known false positive, with its reason (repeatable; [[ignore]])")
    c.add_argument("--accept", action="append", default=[], metavar="HOST=STATUS[,STATUS]", help="statuses that count as ok on a host (repeatable; [hosts] accept)")
    c.add_argument("--endpoint", action="append", default=[], metavar="NAME=URL", help="an external service's base URL (repeatable; [endpoints])")
    c.add_argument("--verify-set", action="append", default=[], metavar="NAME=VALUE", help="a verification threshold (repeatable; [verify])")

    run_help = "Every setting may also be given in the config file's [check] table; a flag given here wins."
    check = sub.add_parser("check", parents=[c], help="resolve every source of a draft, verify it and report what became of each", description=run_help)
    check.add_argument("file", help="the draft; - reads standard input")
    check.add_argument("--format", "-f", choices=sorted(CHECK_FORMATS), default="text", help="output format (default: text)")
    check.add_argument("--output", "-o", action="append", default=[], metavar="[FORMAT=]PATH",
                       help="write a report here (atomically) instead of stdout; FORMAT=PATH writes that format too (repeatable: "
                            "-o sarif=report.sarif -o json=report.json)")
    check.add_argument("--links-out", metavar="PATH",
                       help="write the URLs found for notes that give none as a links file (TOML) that --links reads back, for drafts fix cannot rewrite")
    check.set_defaults(run=_run_check)

    fix = sub.add_parser("fix", parents=[c], help="check a Markdown or HTML draft, then write it with moved URLs replaced and archive links added",
                         description="Only the URLs of moved sources and the links to archived copies change; every other byte stays. " + run_help)
    fix.add_argument("file", help="the draft (.md or .html)")
    where = fix.add_mutually_exclusive_group()
    where.add_argument("--output", "-o", metavar="PATH", help="write the repaired draft here (default: beside the draft, NAME.fixed.EXT)")
    where.add_argument("--in-place", action="store_true", help="replace the draft itself, atomically, keeping a backup")
    where.add_argument("--dry-run", action="store_true", help="print the changes as a unified diff and write nothing")
    fix.add_argument("--backup-suffix", default=".bak", metavar="SUFFIX", help="with --in-place: the backup's suffix (default .bak)")
    fix.add_argument("--archive-live", action="store_true", help="also link archived copies of live sources (looks them up, as --archive-all)")
    fix.set_defaults(run=_run_fix)

    audit = sub.add_parser("audit", parents=[c], help="check a whole archive of articles, keep the history, and report rot confirmed over time",
                           description="Articles from files, folders, globs, article URLs, sitemaps (.xml) and @lists of URLs. " + run_help)
    audit.add_argument("inputs", nargs="*", metavar="INPUT", help="articles: paths, folders, globs, URLs, sitemap URLs, @file of URLs")
    audit.add_argument("--db", default="citecheck.db", metavar="PATH", help="the audit's SQLite database (default citecheck.db)")
    audit.add_argument("--report-only", action="store_true", help="check nothing: report from the database")
    audit.add_argument("--since", metavar="DATE", help="report changes since this date (default: since the last audit began)")
    audit.add_argument("--format", "-f", choices=("text", "json", "html"), default="text", help="report format (default text)")
    audit.add_argument("--output", "-o", action="append", default=[], metavar="[FORMAT=]PATH", help="write the report here (repeatable, as for check)")
    audit.add_argument("--confirm-checks", type=_positive, default=3, metavar="N", help="failures before a source is called missing (default 3)")
    audit.add_argument("--confirm-days", type=float, default=3.0, metavar="DAYS", help="... spread over at least this many days (default 3)")
    audit.add_argument("--recheck-healthy", type=_duration, default=7 * 86400.0, metavar="AGE", help="recheck healthy sources this often (default 7d)")
    audit.add_argument("--recheck-failing", type=_duration, default=86400.0, metavar="AGE", help="recheck failing sources this often (default 1d)")
    audit.set_defaults(run=_run_audit)
    return parser


def _default_cache_path() -> str:
    """The user's cache folder, never the working tree: citecheck writes only where it is asked to or where caches live."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "citecheck")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, "cache.db")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _count(text: str) -> int:
    from ..config import parse_count

    try:
        return parse_count(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _duration(text: str) -> float:
    from ..config import parse_duration

    return parse_duration(text)


def _verdicts(text: str) -> frozenset:
    from ..config import parse_verdicts

    try:
        return parse_verdicts(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _host_headers(specs: list[str]) -> dict[str, dict[str, str]]:
    from ..errors import ConfigError

    out: dict[str, dict[str, str]] = {}
    for spec in specs:
        host, _, rest = spec.partition(":")
        name, _, value = rest.partition(":")
        if not host or not name:
            raise ConfigError(f"--header {spec!r}: expected HOST:NAME:VALUE")
        out.setdefault(host.lower(), {})[name.strip()] = value.strip()
    return out


def _checked(args: argparse.Namespace, *, archive_all: bool = False):
    """Parse the draft and check it with the run's settings (flags, then the config file, then defaults)."""
    from .. import read_draft
    from ..config import load_config
    from ..pipeline.workers import reads_pages_in_processes, start_process_server

    config = _with_flags(load_config(args.file, args.config), args)
    raw = read_draft(args.file, args.format_in, max_bytes=args.max_input_size)
    if _setting(args, config, "verify") and reads_pages_in_processes(_PROCESSES[_setting(args, config, "processes")], len(raw.notes)):
        start_process_server(page_reading=True)  # before this process loads the stages below (see its docstring)

    import asyncio

    from ..fetch.cache import Cache
    from ..pipeline.check import Draft, Scope, check_document, load_links
    from ..report.terminal import ProgressBar

    # parsed by the check as its works resolve; handed over, not kept here (the list is emptied
    # into the call), so that once parsed the draft's raw text can go (8 MB at 20,000 notes)
    draft = [Draft(raw, handles=config.handles)]
    del raw
    links = load_links(args.links) if args.links else {}

    def setting(name: str):  # type: ignore[no-untyped-def]
        return _setting(args, config, name)

    archive = _archive_options(args, config)
    options = _fetch_options(args, config)
    verification = _verification(args, config)
    scope = Scope(config.include, config.exclude, config.ignores)
    cache = None if args.no_cache else Cache(setting("cache") or _default_cache_path(), max_age=setting("max_age"))
    try:
        with ProgressBar(None, sys.stderr, os.environ) as progress:
            report = asyncio.run(check_document(draft.pop(), options, cache=cache, links=links, endpoints=config.endpoints, archive=archive,
                                                archive_all=archive_all or setting("archive_all"), save_within_days=args.save if archive is not None else None,
                                                verification=verification, scope=scope, on_result=progress.advance, on_works=progress.set_total,
                                                on_stage=progress.stage, discover=_discover_options(args, config)))
    finally:
        if cache is not None:
            cache.close()
    report.fail_on = setting("fail_on")
    return report


def _discover_options(args: argparse.Namespace, config):  # type: ignore[no-untyped-def]
    """The config's [discover] table with the flags applied, or None when discovery is off."""
    from dataclasses import replace

    from ..config import KNOWN_BACKENDS
    from ..errors import ConfigError

    if not args.discover:
        return None
    options = config.discover.with_environment(os.environ)
    if args.search_url:
        if not args.search_url.startswith(("http://", "https://")):
            raise ConfigError("--search-url must be an http(s) URL")
        options = replace(options, search_url=args.search_url.rstrip("/"))
    if args.discover_backends:
        names = tuple(n.strip() for n in args.discover_backends.split(",") if n.strip())
        unknown = [n for n in names if n not in KNOWN_BACKENDS]
        if unknown:
            raise ConfigError(f"--discover-backends: unknown backend {unknown[0]!r} (known: {', '.join(KNOWN_BACKENDS)})")
        options = replace(options, backends=names)
    return options


def _setting(args: argparse.Namespace, config, name: str):  # type: ignore[no-untyped-def]
    """A run setting: the flag when given, else the config file's [check], else the default."""
    return config.setting(name, getattr(args, name))


def _archive_options(args: argparse.Namespace, config):  # type: ignore[no-untyped-def]
    """The archives' pacing, or None when archives are off."""
    from ..recover.archive import ArchiveOptions
    from ..errors import ConfigError

    rate = _setting(args, config, "archive_rate")
    if rate <= 0:
        raise ConfigError("--archive-rate must be positive")
    return ArchiveOptions(per_minute=rate) if _setting(args, config, "archive") else None


def _verification(args: argparse.Namespace, config):  # type: ignore[no-untyped-def]
    """The verifier's thresholds and outlet registry (with the config's additions), or None for a plain link check."""
    from ..pipeline.check import Verification
    from ..outlets import OutletRegistry

    if not _setting(args, config, "verify"):
        return None
    registry = OutletRegistry.default()
    registry.extend(config.outlets)
    return Verification(config.verify, registry, processes=_PROCESSES[_setting(args, config, "processes")])


# --processes: read pages in a process pool always, never, or by the number of pages (None)
_PROCESSES: dict[str, bool | None] = {"auto": None, "yes": True, "no": False}


def _fetch_options(args: argparse.Namespace, config):  # type: ignore[no-untyped-def]
    """The resolver's options: each from its flag, else the config file's [check], else the default."""
    from ..config import FetchOptions

    def setting(name: str):  # type: ignore[no-untyped-def]
        return _setting(args, config, name)

    canary = setting("dns_canary")
    return FetchOptions(
        concurrency=setting("concurrency"), per_host=setting("per_host"), min_interval=setting("min_interval"), tries=setting("tries"),
        retry_after_cap=setting("retry_after_cap"), total_timeout=setting("timeout"), connect_timeout=setting("connect_timeout"),
        host_down_after=setting("host_down_after"),
        max_body=setting("max_body"), user_agent=setting("user_agent"), host_headers=_host_headers(args.header), hosts=config.hosts,
        allow_private=args.allow_private, insecure=args.insecure, http2=setting("http2"),
        **({"dns_canary": canary or None} if canary is not None else {}),  # None: the environment's canary
    )


def _pairs(flag: str, specs: list[str]) -> list[tuple[str, str]]:
    from ..errors import ConfigError

    out = []
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(f"{flag} {spec!r}: expected KEY=VALUE")
        out.append((key.strip(), value.strip()))
    return out


def _with_flags(config, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The config file's tables with the command line's additions (flags are added, and win per key)."""
    from dataclasses import asdict, replace

    from ..endpoints import Endpoints
    from ..errors import ConfigError
    from ..model import Ignore
    from ..config import HostRule, VerifyOptions

    config.include += args.include
    config.exclude += args.exclude
    for target, reason in _pairs("--ignore", args.ignore):
        config.ignores.append(Ignore(reason, url=target) if "://" in target or "*" in target else Ignore(reason, note=target))
    for host, statuses in _pairs("--accept", args.accept):
        try:
            codes = frozenset(int(s) for s in statuses.split(","))
        except ValueError:
            raise ConfigError(f"--accept {host}={statuses}: statuses are numbers") from None
        rule = config.hosts.get(host.lower(), HostRule())
        config.hosts[host.lower()] = replace(rule, accept=rule.accept | codes)
    if args.endpoint:
        config.endpoints = Endpoints.from_table({**asdict(config.endpoints), **dict(_pairs("--endpoint", args.endpoint))}, "--endpoint")
    if args.verify_set:
        values: dict[str, object] = {}
        for key, value in _pairs("--verify-set", args.verify_set):
            try:
                values[key] = float(value)
            except ValueError:
                raise ConfigError(f"--verify-set {key}: must be a number") from None
        config.verify = VerifyOptions.from_table({**asdict(config.verify), **values}, where="--verify-set")
    return config


def _run_check(args: argparse.Namespace) -> int:
    from ..report import CHECK_FORMATS, check_pieces
    from ..report.github import publish
    from ..report.terminal import write_text

    outputs = _outputs(args.output, args.format, CHECK_FORMATS)
    if args.links_out:
        check_writable(args.links_out)
    report = _checked(args)
    for fmt, path in outputs:
        write_atomic(path, check_pieces(fmt, report))
    if args.links_out:
        from ..pipeline.check import found_links

        write_atomic(args.links_out, found_links(report))
    if not any(fmt is None for fmt, _ in _output_specs(args.output, CHECK_FORMATS)):  # a bare -o PATH takes stdout's place
        if args.format == "text":
            write_text(CHECK_FORMATS["text"](report), sys.stdout, os.environ)
        else:
            _emit(check_pieces(args.format, report), None)
    publish(report, os.environ, sys.stderr)
    return EXIT_FINDINGS if report.failed else EXIT_OK


def _output_specs(specs: list[str], formats: dict) -> list[tuple[str | None, str]]:
    """(format or None, path) for each --output: `FORMAT=PATH` when FORMAT is a known format, else a bare PATH."""
    out = []
    for spec in specs:
        fmt, sep, path = spec.partition("=")
        out.append((fmt, path) if sep and fmt in formats and path else (None, spec))
    return out


def _outputs(specs: list[str], default: str, formats: dict) -> list[tuple[str, str]]:
    """Every file to write, with its format; the same path twice is a usage error (one would overwrite the other)."""
    from ..errors import ConfigError

    resolved = [(fmt or default, path) for fmt, path in _output_specs(specs, formats)]
    paths = [os.path.abspath(p) for _, p in resolved]
    if len(set(paths)) != len(paths):
        raise ConfigError("--output: the same file is named twice")
    for _, path in resolved:
        check_writable(path)
    return resolved


def _run_fix(args: argparse.Namespace) -> int:
    from ..errors import ConfigError, UnsupportedFormatError
    from ..fix import FIXABLE, fixed_bytes, unified_diff
    from ..ingest import STDIN, detect_format, read_bytes

    if args.file == STDIN:
        raise ConfigError("citecheck fix writes the repaired draft beside the original: give it a file, not standard input")
    raw = read_bytes(args.file, args.max_input_size)
    fmt = args.format_in or detect_format(args.file, raw[:4096])
    if fmt not in FIXABLE:  # before any request: nothing could be written back
        raise UnsupportedFormatError(args.file, f"citecheck fix repairs Markdown and HTML drafts, not {fmt}")
    if not args.dry_run:  # before any request: where the repaired draft goes must take it
        check_writable(args.file + args.backup_suffix if args.in_place else _fixed_path(args))
    report = _checked(args, archive_all=args.archive_live)
    after, edits = fixed_bytes(raw, report.document.format, report)
    pausepoints.reached("fix-checked")
    for edit in edits:
        print(edit.why, file=sys.stderr)
    if args.dry_run:
        sys.stdout.write(unified_diff(args.file, raw, after))
    elif not edits:
        print(f"{args.file}: nothing to fix", file=sys.stderr)
    elif args.in_place:
        write_atomic(args.file + args.backup_suffix, raw)  # the backup first: the draft is replaced only once it is safe
        write_atomic(args.file, after)
        print(f"{args.file}: {len(edits)} change(s); the original is in {args.file + args.backup_suffix}", file=sys.stderr)
    else:
        target = _fixed_path(args)
        write_atomic(target, after)
        print(f"{target}: the draft with {len(edits)} change(s)", file=sys.stderr)
    return EXIT_FINDINGS if report.failed else EXIT_OK


def _fixed_path(args: argparse.Namespace) -> str:
    """Where `fix` writes the repaired draft when not in place: -o, else NAME.fixed.EXT beside it."""
    stem, dot, ext = os.path.basename(args.file).rpartition(".")
    return str(args.output or os.path.join(os.path.dirname(args.file), f"{stem}.fixed.{ext}" if dot else f"{ext}.fixed"))


def _clock():  # type: ignore[no-untyped-def]
    """time.time, or the fixed moment in CITECHECK_NOW (ISO 8601 or seconds): audits are tested across simulated days."""
    import time
    from datetime import datetime

    fixed = os.environ.get("CITECHECK_NOW")
    if not fixed:
        return time.time
    try:
        moment = float(fixed)
    except ValueError:
        moment = datetime.fromisoformat(fixed).timestamp()
    return lambda: moment


def _run_audit(args: argparse.Namespace) -> int:
    import asyncio
    from datetime import datetime, timezone

    from ..audit.run import AuditOptions, run_audit
    from ..config import load_config
    from ..errors import ConfigError
    from ..report.audit import AUDIT_FORMATS, audit_data
    from ..report.terminal import ProgressBar

    if not args.inputs and not args.report_only:
        raise ConfigError("audit: give the articles to check (paths, folders, globs, URLs, sitemaps), or --report-only")
    outputs = _outputs(args.output, args.format, AUDIT_FORMATS)
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            raise ConfigError(f"--since {args.since!r}: expected a date like 2026-11-01") from None
    clock = _clock()
    config = _with_flags(load_config(args.inputs[0] if args.inputs else ".", args.config), args)

    with _audit_database(args.db) as store:
        if not args.report_only:
            store.lock_runs()
        confirmed_before = {r[0] for r in store.query("SELECT url FROM sources WHERE status IN ('missing', 'unreachable')")}
        if not args.report_only:
            options = _fetch_options(args, config)
            audit_options = AuditOptions(confirm_checks=args.confirm_checks, confirm_days=args.confirm_days,
                                         recheck_healthy_days=args.recheck_healthy / 86400, recheck_failing_days=args.recheck_failing / 86400)
            archive = _archive_options(args, config)
            verification = _verification(args, config)
            bar = ProgressBar(None, sys.stderr, os.environ)
            with bar:
                summary = asyncio.run(run_audit(store, args.inputs, options, endpoints=config.endpoints, options=audit_options, archive=archive,
                                                save_within_days=args.save if archive is not None else None, clock=clock,
                                                verification=verification, on_progress=bar.update, on_stage=bar.stage))
            for problem in summary.problems:
                print(f"citecheck: {problem}", file=sys.stderr)
            print(f"audit run {summary.run_id}{' (resumed)' if summary.resumed else ''}: {summary.articles} articles "
                  f"({summary.unchanged} unchanged), {summary.citations} citations read, {summary.checked} checks", file=sys.stderr)
        data = audit_data(store, since)
        new_rot = {r[0] for r in store.query("SELECT url FROM sources WHERE status IN ('missing', 'unreachable')")} - confirmed_before
    for fmt, path in outputs:
        write_atomic(path, AUDIT_FORMATS[fmt](data))
    if not any(fmt is None for fmt, _ in _output_specs(args.output, AUDIT_FORMATS)):
        sys.stdout.write(AUDIT_FORMATS[args.format](data))
    return EXIT_FINDINGS if new_rot and not args.report_only else EXIT_OK


@contextmanager
def _audit_database(path: str) -> Iterator[AuditStore]:
    """The audit database, open; a database that cannot be written (a full disk, a read-only
    folder) is a clear error naming it (exit 2), and one this run created is not left behind."""
    import sqlite3

    from ..audit.store import AuditStore
    from ..errors import OutputError

    existed = os.path.exists(path)
    store: AuditStore | None = None
    try:
        store = AuditStore(path)
        yield store
    except sqlite3.Error as exc:
        if store is not None:
            store.close()
            store = None
        if not existed:
            for debris in (path, path + "-wal", path + "-shm", path + "-journal", path + ".lock"):
                with suppress(OSError):
                    os.unlink(debris)
        raise OutputError(f"{path}: cannot write the audit database: {exc}" + ("" if existed else " (nothing was kept)")) from None
    finally:
        if store is not None:
            store.close()


def _emit(pieces: Iterable[str], output: str | None) -> None:
    if output:
        write_atomic(output, pieces)
    else:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()


def _run_parse(args: argparse.Namespace) -> int:
    from .. import parse_file
    from ..report import parse_pieces

    if args.output:
        check_writable(args.output)
    doc = parse_file(args.file, args.format_in, max_bytes=args.max_input_size)
    _emit(parse_pieces(args.format, doc), args.output)
    return EXIT_OK


# The cyclic garbage collector's thresholds while a command runs (gc.set_threshold). A check
# builds objects that live to its end (the draft's notes, the results) and little cyclic garbage;
# with Python's defaults (700, 10, 10) full collections rescan all of them each time they grow by
# a quarter: measured on 20,000 links, seven pauses of 27-234 ms (0.86 s in all) on the event
# loop, each a gap in the requests sent. Young garbage is still collected as often; full
# collections wait for 100 times as many young ones (and still for the quarter's growth).
GC_THRESHOLDS = (700, 10, 1000)


def main(argv: Sequence[str] | None = None) -> int:
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*previous)  # a caller in the same process (tests, a notebook) keeps its own


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except CitecheckError as exc:
        print(f"citecheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("citecheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug in citecheck: one line, unless asked for the traceback
        if args.debug:
            raise
        where = getattr(args, "file", "")
        print(f"citecheck: internal error{' while reading ' + where if where else ''}: {type(exc).__name__}: {exc} (rerun with --debug and report it)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
