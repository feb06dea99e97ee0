"""The options a run takes: the command line's flags over the config file's settings."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict, replace
from typing import Any

from ..config import KNOWN_BACKENDS, SETTINGS, FetchOptions, HostRule, VerifyOptions, load_config
from ..endpoints import Endpoints
from ..errors import ConfigError
from ..model import Ignore
from ..outlets import OutletRegistry
from .arguments import PROCESSES, default_cache_path, host_headers


def checked(args: argparse.Namespace, *, archive_all: bool = False):
    """Parse the draft and check it with the run's settings (flags, then the config file, then defaults)."""
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    from .. import read_draft
    from ..pipeline.workers import reads_pages_in_processes, start_process_server

    config = with_flags(load_config(args.file, args.config), args)
    raw = read_draft(args.file, args.format_in, max_bytes=args.max_input_size)
    if run_setting(args, config, "verify") and reads_pages_in_processes(PROCESSES[run_setting(args, config, "processes")], len(raw.notes)):
        start_process_server(page_reading=True)  # before this process loads the stages below (see its docstring)

    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    import asyncio

    from ..pipeline.check import Draft, check_document
    from ..pipeline.works import load_links
    from ..report.terminal import ProgressBar

    # parsed by the check as its works resolve; handed over, not kept here (the list is emptied
    # into the call), so that once parsed the draft's raw text can go (8 MB at 20,000 notes)
    draft = [Draft(raw, handles=config.handles)]
    del raw
    links = load_links(args.links) if args.links else {}

    run = check_settings(args, config, archive_all=archive_all)
    cache = run_cache(args, config)
    try:
        with ProgressBar(None, sys.stderr, os.environ) as progress:
            report = asyncio.run(
                check_document(draft.pop(), cache=cache, links=links, on_result=progress.advance, on_works=progress.set_total, on_stage=progress.stage, **run)
            )
    finally:
        if cache is not None:
            cache.close()
    report.fail_on = run_setting(args, config, "fail_on")
    return report


def run_cache(args: argparse.Namespace, config):
    """The results cache a run reads and writes, or None with --no-cache."""
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    from ..fetch.cache import Cache

    return None if args.no_cache else Cache(run_setting(args, config, "cache") or default_cache_path(), max_age=run_setting(args, config, "max_age"))


def check_settings(args: argparse.Namespace, config, *, archive_all: bool = False) -> dict[str, Any]:
    """What `check_document` takes from the run's settings, for `check`, `fix` and the page alike."""
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    from ..pipeline.works import Scope

    archive = archive_options(args, config)
    return {
        "options": fetch_options(args, config),
        "endpoints": config.endpoints,
        "archive": archive,
        "archive_all": archive_all or run_setting(args, config, "archive_all"),
        "save_within_days": args.save if archive is not None else None,
        "verification": verification_options(args, config),
        "scope": Scope(config.include, config.exclude, config.ignores),
        "discover": discover_options(args, config),
    }


def check_runner(args: argparse.Namespace, config):
    """The page's check: `citecheck check` on a draft the page was given, with the page's hooks."""
    # here, not at the top: a subcommand loads only its own stages: `citecheck parse` never loads the HTTP client
    from .. import read_draft
    from ..pipeline.check import Draft, check_document
    from ..pipeline.works import load_links

    run = check_settings(args, config)
    links = load_links(args.links) if args.links else {}

    async def check(path: str, on_check, on_works, on_result, only: str | None = None):
        raw = read_draft(path, max_bytes=args.max_input_size)
        settings = run if only is None else {**run, "scope": replace(run["scope"], only=frozenset({only}))}
        cache = run_cache(args, config)
        try:
            report = await check_document(
                Draft(raw, handles=config.handles), cache=cache, links=links, on_check=on_check, on_works=on_works, on_result=on_result, **settings
            )
        finally:
            if cache is not None:
                cache.close()
        report.fail_on = run_setting(args, config, "fail_on")
        return report

    return check


def shown_settings(args: argparse.Namespace, config) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The settings a check from the page uses, and discovery's backends with whether each can run."""
    rows = [(name, str(config.setting(name, getattr(args, name, None)))) for name in sorted(SETTINGS)]
    rows += [("config file", str(config.path or "none found")), ("allow private addresses", str(args.allow_private))]
    discover = discover_options(args, config)
    if discover is None:
        return rows, [("discovery", "off (--no-discover)")]
    backends = []
    for name in KNOWN_BACKENDS:
        if name not in discover.backends:
            backends.append((name, "not asked (name it in [discover] backends)"))
        elif name == "search" and not discover.search_url:
            backends.append((name, "asked, but off until [discover] search_url names a SearXNG instance"))
        elif name == "openalex" and not discover.openalex_key:
            backends.append((name, "asked, but needs an OpenAlex key (CITECHECK_OPENALEX_KEY)"))
        else:
            backends.append((name, "asked"))
    return rows, backends


def discover_options(args: argparse.Namespace, config):
    """The config's [discover] table with the flags applied, or None when discovery is off."""

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


def run_setting(args: argparse.Namespace, config, name: str):
    """A run setting: the flag when given, else the config file's [check], else the default."""
    return config.setting(name, getattr(args, name))


def archive_options(args: argparse.Namespace, config):
    """The archives' pacing, or None when archives are off."""
    from ..recover.archive import ArchiveOptions

    rate = run_setting(args, config, "archive_rate")
    if rate <= 0:
        raise ConfigError("--archive-rate must be positive")
    return ArchiveOptions(per_minute=rate) if run_setting(args, config, "archive") else None


def verification_options(args: argparse.Namespace, config):
    """The verifier's thresholds and outlet registry (with the config's additions), or None for a plain link check."""
    from ..pipeline.pages import Verification

    if not run_setting(args, config, "verify"):
        return None
    registry = OutletRegistry.default()
    registry.extend(config.outlets)
    return Verification(config.verify, registry, processes=PROCESSES[run_setting(args, config, "processes")])


def fetch_options(args: argparse.Namespace, config):
    """The resolver's options: each from its flag, else the config file's [check], else the default."""

    def setting(name: str):
        return run_setting(args, config, name)

    canary = setting("dns_canary")
    canary_option: dict[str, Any] = {"dns_canary": canary or None} if canary is not None else {}  # None: the environment's canary
    return FetchOptions(
        concurrency=setting("concurrency"),
        per_host=setting("per_host"),
        min_interval=setting("min_interval"),
        tries=setting("tries"),
        retry_after_cap=setting("retry_after_cap"),
        total_timeout=setting("timeout"),
        connect_timeout=setting("connect_timeout"),
        host_down_after=setting("host_down_after"),
        max_body=setting("max_body"),
        user_agent=setting("user_agent"),
        host_headers=host_headers(args.header),
        hosts=config.hosts,
        allow_private=args.allow_private,
        insecure=args.insecure,
        http2=setting("http2"),
        **canary_option,
    )


def pairs(flag: str, specs: list[str]) -> list[tuple[str, str]]:

    out = []
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(f"{flag} {spec!r}: expected KEY=VALUE")
        out.append((key.strip(), value.strip()))
    return out


def with_flags(config, args: argparse.Namespace):
    """The config file's tables with the command line's additions (flags are added, and win per key)."""

    config.include += args.include
    config.exclude += args.exclude
    for target, reason in pairs("--ignore", args.ignore):
        config.ignores.append(Ignore(reason, url=target) if "://" in target or "*" in target else Ignore(reason, note=target))
    for host, statuses in pairs("--accept", args.accept):
        try:
            codes = frozenset(int(s) for s in statuses.split(","))
        except ValueError:
            raise ConfigError(f"--accept {host}={statuses}: statuses are numbers") from None
        rule = config.hosts.get(host.lower(), HostRule())
        config.hosts[host.lower()] = replace(rule, accept=rule.accept | codes)
    if args.endpoint:
        config.endpoints = Endpoints.from_table({**asdict(config.endpoints), **dict(pairs("--endpoint", args.endpoint))}, "--endpoint")
    if args.verify_set:
        values: dict[str, object] = {}
        for key, value in pairs("--verify-set", args.verify_set):
            try:
                values[key] = float(value)
            except ValueError:
                raise ConfigError(f"--verify-set {key}: must be a number") from None
        config.verify = VerifyOptions.from_table({**asdict(config.verify), **values}, where="--verify-set")
    return config
