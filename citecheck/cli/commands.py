"""One function a subcommand: parse, check, fix and audit."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .. import pausepoints
from ..config import load_config
from ..errors import ConfigError, OutputError, UnsupportedFormatError
from ..files import check_writable, write_atomic
from .arguments import EXIT_FINDINGS, EXIT_OK
from .settings import (
    archive_options,
    checked,
    fetch_options,
    verification_options,
    with_flags,
)

if TYPE_CHECKING:
    from ..audit.store import AuditStore


def run_check(args: argparse.Namespace) -> int:
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    from ..report import CHECK_FORMATS, check_pieces
    from ..report.github import publish
    from ..report.terminal import write_text

    outputs = output_paths(args.output, args.format, CHECK_FORMATS)
    if args.links_out:
        check_writable(args.links_out)
    report = checked(args)
    for fmt, path in outputs:
        write_atomic(path, check_pieces(fmt, report))
    if args.links_out:
        # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
        from ..pipeline.works import found_links

        write_atomic(args.links_out, found_links(report))
    if not any(fmt is None for fmt, _ in output_specs(args.output, CHECK_FORMATS)):  # a bare -o PATH takes stdout's place
        if args.format == "text":
            write_text(CHECK_FORMATS["text"](report), sys.stdout, os.environ)
        else:
            emit(check_pieces(args.format, report), None)
    publish(report, os.environ, sys.stderr)
    pausepoints.phase("written")
    return EXIT_FINDINGS if report.failed else EXIT_OK


def output_specs(specs: list[str], formats: dict) -> list[tuple[str | None, str]]:
    """(format or None, path) for each --output: `FORMAT=PATH` when FORMAT is a known format, else a bare PATH."""
    out: list[tuple[str | None, str]] = []
    for spec in specs:
        fmt, sep, path = spec.partition("=")
        out.append((fmt, path) if sep and fmt in formats and path else (None, spec))
    return out


def output_paths(specs: list[str], default: str, formats: dict) -> list[tuple[str, str]]:
    """Every file to write, with its format; the same path twice is a usage error (one would overwrite the other)."""

    resolved = [(fmt or default, path) for fmt, path in output_specs(specs, formats)]
    paths = [os.path.abspath(p) for _, p in resolved]
    if len(set(paths)) != len(paths):
        raise ConfigError("--output: the same file is named twice")
    for _, path in resolved:
        check_writable(path)
    return resolved


def run_fix(args: argparse.Namespace) -> int:
    from ..fix import FIXABLE, fixed_bytes, unified_diff
    from ..ingest import STDIN, detect_format, read_bytes

    if args.file == STDIN:
        raise ConfigError("citecheck fix writes the repaired draft beside the original: give it a file, not standard input")
    raw = read_bytes(args.file, args.max_input_size)
    fmt = args.format_in or detect_format(args.file, raw[:4096])
    if fmt not in FIXABLE:  # before any request: nothing could be written back
        raise UnsupportedFormatError(args.file, f"citecheck fix repairs Markdown and HTML drafts, not {fmt}")
    if not args.dry_run:  # before any request: where the repaired draft goes must take it
        check_writable(args.file + args.backup_suffix if args.in_place else fixed_path(args))
    report = checked(args, archive_all=args.archive_live)
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
        target = fixed_path(args)
        write_atomic(target, after)
        print(f"{target}: the draft with {len(edits)} change(s)", file=sys.stderr)
    return EXIT_FINDINGS if report.failed else EXIT_OK


def fixed_path(args: argparse.Namespace) -> str:
    """Where `fix` writes the repaired draft when not in place: -o, else NAME.fixed.EXT beside it."""
    stem, dot, ext = os.path.basename(args.file).rpartition(".")
    return str(args.output or os.path.join(os.path.dirname(args.file), f"{stem}.fixed.{ext}" if dot else f"{ext}.fixed"))


def progress_clock():
    """time.time, or the fixed moment in CITECHECK_NOW (ISO 8601 or seconds): audits are tested across simulated days."""

    fixed = os.environ.get("CITECHECK_NOW")
    if not fixed:
        return time.time
    try:
        moment = float(fixed)
    except ValueError:
        moment = datetime.fromisoformat(fixed).timestamp()
    return lambda: moment


def run_audit(args: argparse.Namespace) -> int:
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    import asyncio

    from ..audit.run import AuditOptions, run_audit
    from ..report.audit import AUDIT_FORMATS, audit_data
    from ..report.terminal import ProgressBar

    if not args.inputs and not args.report_only:
        raise ConfigError("audit: give the articles to check (paths, folders, globs, URLs, sitemaps), or --report-only")
    outputs = output_paths(args.output, args.format, AUDIT_FORMATS)
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since).replace(tzinfo=UTC).timestamp()
        except ValueError:
            raise ConfigError(f"--since {args.since!r}: expected a date like 2026-11-01") from None
    clock = progress_clock()
    config = with_flags(load_config(args.inputs[0] if args.inputs else ".", args.config), args)

    with audit_database(args.db) as store:
        if not args.report_only:
            store.lock_runs()
        confirmed_before = {r[0] for r in store.query("SELECT url FROM sources WHERE status IN ('missing', 'unreachable')")}
        if not args.report_only:
            options = fetch_options(args, config)
            audit_options = AuditOptions(
                confirm_checks=args.confirm_checks,
                confirm_days=args.confirm_days,
                recheck_healthy_days=args.recheck_healthy / 86400,
                recheck_failing_days=args.recheck_failing / 86400,
            )
            archive = archive_options(args, config)
            verification = verification_options(args, config)
            bar = ProgressBar(None, sys.stderr, os.environ)
            with bar:
                summary = asyncio.run(
                    run_audit(
                        store,
                        args.inputs,
                        options,
                        endpoints=config.endpoints,
                        options=audit_options,
                        archive=archive,
                        save_within_days=args.save if archive is not None else None,
                        clock=clock,
                        verification=verification,
                        on_progress=bar.update,
                        on_stage=bar.stage,
                    )
                )
            for problem in summary.problems:
                print(f"citecheck: {problem}", file=sys.stderr)
            print(
                f"audit run {summary.run_id}{' (resumed)' if summary.resumed else ''}: {summary.articles} articles "
                f"({summary.unchanged} unchanged), {summary.citations} citations read, {summary.checked} checks",
                file=sys.stderr,
            )
        data = audit_data(store, since)
        new_rot = {r[0] for r in store.query("SELECT url FROM sources WHERE status IN ('missing', 'unreachable')")} - confirmed_before
    for fmt, path in outputs:
        write_atomic(path, AUDIT_FORMATS[fmt](data))
    if not any(fmt is None for fmt, _ in output_specs(args.output, AUDIT_FORMATS)):
        sys.stdout.write(AUDIT_FORMATS[args.format](data))
    return EXIT_FINDINGS if new_rot and not args.report_only else EXIT_OK


@contextmanager
def audit_database(path: str) -> Iterator[AuditStore]:
    """The audit database, open; a database that cannot be written (a full disk, a read-only
    folder) is a clear error naming it (exit 2), and one this run created is not left behind."""
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    import sqlite3

    from ..audit.store import AuditStore

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


def emit(pieces: Iterable[str], output: str | None) -> None:
    if output:
        write_atomic(output, pieces)
    else:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()


def run_parse(args: argparse.Namespace) -> int:
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    from .. import parse_file
    from ..report import parse_pieces

    if args.output:
        check_writable(args.output)
    doc = parse_file(args.file, args.format_in, max_bytes=args.max_input_size)
    emit(parse_pieces(args.format, doc), args.output)
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    import ipaddress
    import secrets
    import webbrowser
    from pathlib import Path

    import uvicorn

    from ..config import load_config
    from ..serve.app import ServeSettings, create_app
    from .settings import check_runner, shown_settings, with_flags

    config = with_flags(load_config(str(Path.cwd() / "draft"), args.config), args)
    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    token = None if loopback else secrets.token_urlsafe(18)
    data_dir = Path(args.data_dir or os.path.join(os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share"), "citecheck"))
    app = create_app(ServeSettings(data_dir, check_runner(args, config), lambda: shown_settings(args, config), token=token, max_upload=args.max_upload))
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/" + (f"?token={token}" if token else "")
    print(f"citecheck serve: {url}  (drafts kept in {data_dir}; Ctrl-C stops)", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK
