"""The command line: `citecheck parse`, `citecheck check`, ...

Exit codes: 0 nothing to report at the threshold, 1 findings, 2 usage or input errors.
Every error a user can cause is one line naming the file and place; no tracebacks.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import pausepoints
from ..config import SETTINGS
from ..errors import CitecheckError
from ..ingest import DEFAULT_MAX_BYTES, READERS
from ..version import __version__
from .arguments import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    count,
    duration,
    positive,
    size,
    verdicts,
)
from .commands import run_audit, run_check, run_fix, run_parse, run_serve

# The cyclic garbage collector's thresholds while a command runs (gc.set_threshold). A check
# builds objects that live to its end (the draft's notes, the results) and little cyclic garbage;
# with Python's defaults (700, 10, 10) full collections rescan all of them each time they grow by
# a quarter: measured on 20,000 links, seven pauses of 27-234 ms (0.86 s in all) on the event
# loop, each a gap in the requests sent. Young garbage is still collected as often; full
# collections wait for 100 times as many young ones (and still for the quarter's growth).
GC_THRESHOLDS = (700, 10, 1000)


def main(argv: Sequence[str] | None = None) -> int:
    pausepoints.phase("started")
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*previous)  # a caller in the same process (tests, a notebook) keeps its own


def run() -> NoReturn:
    """The `citecheck` command (its console script, and `python -m citecheck.cli`): `main` in a
    process of its own, which can skip work that only a long-lived process needs."""
    # httpx loads its own command line (click, rich, pygments: ~40 ms at every start) when they
    # are installed, in a try that treats an absent module as "not installed"; citecheck never runs it
    if "httpx" not in sys.modules:
        sys.modules["httpx._main"] = None  # type: ignore[assignment]
    code = main()
    # What the run built lives to its end, and is not cyclic garbage: without this, the
    # interpreter's last full collection walks all of it on the way out (~40 ms at 1,000 links)
    gc.freeze()
    raise SystemExit(code)


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
        print(
            f"citecheck: internal error{' while reading ' + where if where else ''}: {type(exc).__name__}: {exc} (rerun with --debug and report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def build_parser() -> argparse.ArgumentParser:
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    from ..report import PARSE_FORMATS

    parser = Parser(prog="citecheck", description="Check the citations of an article.")
    parser.add_argument("--version", action="version", version=f"citecheck {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    p = sub.add_parser("parse", help="parse a draft's notes into normalized citations")
    p.add_argument("file", help="the draft: .txt, .md, .html, .docx or CSL .json; - reads standard input")
    p.add_argument("--format", "-f", choices=sorted(PARSE_FORMATS), default="text", help="output format (default: text)")
    p.add_argument("--format-in", choices=sorted(READERS), help="read the draft as this format instead of detecting it")
    p.add_argument("--output", "-o", metavar="PATH", help="write the output here (atomically) instead of stdout")
    p.add_argument("--max-input-size", type=size, default=DEFAULT_MAX_BYTES, metavar="BYTES", help="refuse drafts larger than this (default 50M)")
    p.set_defaults(run=run_parse)

    from ..report import CHECK_FORMATS

    d = {name: setting.default for name, setting in SETTINGS.items()}
    c = Parser(add_help=False)  # the run's options, shared by check and fix
    c.add_argument("--format-in", choices=sorted(READERS), help="read the draft as this format instead of detecting it")
    c.add_argument("--max-input-size", type=size, default=DEFAULT_MAX_BYTES, metavar="BYTES", help="refuse drafts larger than this (default 50M)")
    c.add_argument(
        "--fail-on", type=verdicts, metavar="VERDICTS", help="exit 1 when any source has one of these comma-separated verdicts (default: missing,mismatched)"
    )
    c.add_argument("--links", metavar="FILE", help="URLs for notes that have none: TOML (note id = URL) or CSV (note id, URL)")
    c.add_argument("--concurrency", type=positive, help=f"requests in flight at most (default {d['concurrency']})")
    c.add_argument("--per-host", type=positive, help=f"requests in flight to one host at most (default {d['per_host']})")
    c.add_argument("--min-interval", type=float, metavar="SECONDS", help=f"between requests to one host (default {d['min_interval']})")
    c.add_argument("--tries", type=positive, help=f"tries per request on timeouts, resets, 5xx and 429 (default {d['tries']})")
    c.add_argument("--retry-after-cap", type=float, metavar="SECONDS", help=f"longest Retry-After honoured (default {d['retry_after_cap']:g})")
    c.add_argument("--timeout", type=float, metavar="SECONDS", help=f"total time for one request (default {d['timeout']:g})")
    c.add_argument("--connect-timeout", type=float, metavar="SECONDS", help=f"(default {d['connect_timeout']:g})")
    c.add_argument(
        "--host-down-after",
        type=count,
        metavar="N",
        help=f"after N requests in a row get no answer from a host, its other sources are not tried for 5 minutes (default {d['host_down_after']}; 0: never)",
    )
    c.add_argument("--max-body", type=size, metavar="BYTES", help="read at most this much of a page (default 5M)")
    c.add_argument("--user-agent", help="the User-Agent header (default names citecheck and its version)")
    c.add_argument("--header", action="append", default=[], metavar="HOST:NAME:VALUE", help="send a header to one host only (repeatable)")
    c.add_argument(
        "--allow-private", action="store_true", help="fetch private, loopback and link-local addresses (refused by default; never from the config file)"
    )
    c.add_argument("--insecure", action="store_true", help="do not verify TLS certificates (never from the config file)")
    c.add_argument(
        "--http2",
        dest="http2",
        action="store_const",
        const=True,
        help="offer HTTP/2 (httpx's own transport; the default HTTP/1.1 path is several times cheaper per request)",
    )
    c.add_argument("--no-http2", dest="http2", action="store_const", const=False, help="HTTP/1.1 only (the default)")
    c.add_argument(
        "--dns-canary",
        metavar="NAME",
        help="a name that always resolves: 'no such domain' is believed only while it does (default example.com; env CITECHECK_DNS_CANARY)",
    )
    c.add_argument("--cache", metavar="PATH", help="SQLite cache of results (default $XDG_CACHE_HOME/citecheck/cache.db, i.e. ~/.cache/citecheck/cache.db)")
    c.add_argument("--max-age", type=duration, metavar="AGE", help="reuse cached results younger than this (default 1d; 30m, 12h, 2d)")
    c.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    c.add_argument("--no-archive", dest="archive", action="store_const", const=False, help="do not look for archived copies of missing or unreachable sources")
    c.add_argument("--archive-all", action="store_const", const=True, help="look for archived copies of every source, live ones too")
    c.add_argument(
        "--save",
        nargs="?",
        const=30.0,
        type=float,
        metavar="DAYS",
        help="ask the Wayback Machine's Save Page Now to capture live sources with no capture from the last DAYS (default 30)",
    )
    c.add_argument(
        "--archive-rate", type=float, metavar="PER_MINUTE", help="Wayback CDX and TimeMap requests a minute, shared (default 24; the service allows about 30)"
    )
    c.add_argument("--no-verify", dest="verify", action="store_const", const=False, help="a plain link check: do not compare pages with their citations")
    c.add_argument(
        "--no-discover",
        dest="discover",
        action="store_false",
        default=True,
        help="do not look for the URLs of works the notes do not link (discovery needs verification, which decides)",
    )
    c.add_argument("--search-url", metavar="URL", help="a SearXNG instance whose JSON API discovery may search ([discover] search_url)")
    c.add_argument("--discover-backends", metavar="NAMES", help="the discovery backends to ask, in order, comma-separated ([discover] backends)")
    c.add_argument("--processes", choices=("auto", "yes", "no"), help="read pages in a process pool on every core (default auto: for drafts with many links)")
    c.add_argument("--config", metavar="PATH", help="config file (default: citecheck.toml or [tool.citecheck] in pyproject.toml above the draft)")
    # the config file's tables, from the command line (added to what the file says)
    c.add_argument("--include", action="append", default=[], metavar="GLOB", help="check only URLs matching (repeatable; [urls] include)")
    c.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="never check URLs matching (repeatable; [urls] exclude)")
    c.add_argument("--ignore", action="append", default=[], metavar="NOTE|GLOB=REASON", help="a known false positive, with its reason (repeatable; [[ignore]])")
    c.add_argument(
        "--accept", action="append", default=[], metavar="HOST=STATUS[,STATUS]", help="statuses that count as ok on a host (repeatable; [hosts] accept)"
    )
    c.add_argument("--endpoint", action="append", default=[], metavar="NAME=URL", help="an external service's base URL (repeatable; [endpoints])")
    c.add_argument("--verify-set", action="append", default=[], metavar="NAME=VALUE", help="a verification threshold (repeatable; [verify])")

    run_help = "Every setting may also be given in the config file's [check] table; a flag given here wins."
    check = sub.add_parser("check", parents=[c], help="resolve every source of a draft, verify it and report what became of each", description=run_help)
    check.add_argument("file", help="the draft; - reads standard input")
    check.add_argument("--format", "-f", choices=sorted(CHECK_FORMATS), default="text", help="output format (default: text)")
    check.add_argument(
        "--output",
        "-o",
        action="append",
        default=[],
        metavar="[FORMAT=]PATH",
        help="write a report here (atomically) instead of stdout; FORMAT=PATH writes that format too (repeatable: -o sarif=report.sarif -o json=report.json)",
    )
    check.add_argument(
        "--links-out",
        metavar="PATH",
        help="write the URLs found for notes that give none as a links file (TOML) that --links reads back, for drafts fix cannot rewrite",
    )
    check.set_defaults(run=run_check)

    fix = sub.add_parser(
        "fix",
        parents=[c],
        help="check a Markdown or HTML draft, then write it with moved URLs replaced and archive links added",
        description="Only the URLs of moved sources and the links to archived copies change; every other byte stays. " + run_help,
    )
    fix.add_argument("file", help="the draft (.md or .html)")
    where = fix.add_mutually_exclusive_group()
    where.add_argument("--output", "-o", metavar="PATH", help="write the repaired draft here (default: beside the draft, NAME.fixed.EXT)")
    where.add_argument("--in-place", action="store_true", help="replace the draft itself, atomically, keeping a backup")
    where.add_argument("--dry-run", action="store_true", help="print the changes as a unified diff and write nothing")
    fix.add_argument("--backup-suffix", default=".bak", metavar="SUFFIX", help="with --in-place: the backup's suffix (default .bak)")
    fix.add_argument("--archive-live", action="store_true", help="also link archived copies of live sources (looks them up, as --archive-all)")
    fix.set_defaults(run=run_fix)

    audit = sub.add_parser(
        "audit",
        parents=[c],
        help="check a whole archive of articles, keep the history, and report rot confirmed over time",
        description="Articles from files, folders, globs, article URLs, sitemaps (.xml) and @lists of URLs. " + run_help,
    )
    audit.add_argument("inputs", nargs="*", metavar="INPUT", help="articles: paths, folders, globs, URLs, sitemap URLs, @file of URLs")
    audit.add_argument("--db", default="citecheck.db", metavar="PATH", help="the audit's SQLite database (default citecheck.db)")
    audit.add_argument("--report-only", action="store_true", help="check nothing: report from the database")
    audit.add_argument("--since", metavar="DATE", help="report changes since this date (default: since the last audit began)")
    audit.add_argument("--format", "-f", choices=("text", "json", "html"), default="text", help="report format (default text)")
    audit.add_argument("--output", "-o", action="append", default=[], metavar="[FORMAT=]PATH", help="write the report here (repeatable, as for check)")
    audit.add_argument("--confirm-checks", type=positive, default=3, metavar="N", help="failures before a source is called missing (default 3)")
    audit.add_argument("--confirm-days", type=float, default=3.0, metavar="DAYS", help="... spread over at least this many days (default 3)")
    audit.add_argument("--recheck-healthy", type=duration, default=7 * 86400.0, metavar="AGE", help="recheck healthy sources this often (default 7d)")
    audit.add_argument("--recheck-failing", type=duration, default=86400.0, metavar="AGE", help="recheck failing sources this often (default 1d)")
    audit.set_defaults(run=run_audit)

    serve = sub.add_parser(
        "serve", parents=[c], help="a local web page for editors: drop a draft, watch its verdicts arrive, accept fixes", description=run_help
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1; any other needs the printed token)")
    serve.add_argument("--port", type=int, default=8765, help="the port (default 8765)")
    serve.add_argument("--no-browser", action="store_true", help="do not open the page in a browser")
    serve.add_argument("--data-dir", metavar="PATH", help="where drafts and their results are kept (default $XDG_DATA_HOME/citecheck)")
    serve.add_argument("--max-upload", type=size, default=DEFAULT_MAX_BYTES, metavar="BYTES", help="refuse uploads larger than this (default 50M)")
    serve.set_defaults(run=run_serve)
    return parser
