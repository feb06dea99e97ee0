"""The command line: every subcommand's flags, and the parsers of their values."""

from __future__ import annotations

import argparse
import os

from ..config import parse_count, parse_duration, parse_size, parse_verdicts
from ..errors import ConfigError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

# --processes: read pages in a process pool always, never, or by the number of pages (None)
PROCESSES: dict[str, bool | None] = {"auto": None, "yes": True, "no": False}


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def size(text: str) -> int:

    return parse_size(text)


def default_cache_path() -> str:
    """The user's cache folder, never the working tree: citecheck writes only where it is asked to or where caches live."""

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "citecheck")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, "cache.db")


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def count(text: str) -> int:

    try:
        return parse_count(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def duration(text: str) -> float:

    return parse_duration(text)


def verdicts(text: str) -> frozenset:

    try:
        return parse_verdicts(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def host_headers(specs: list[str]) -> dict[str, dict[str, str]]:

    out: dict[str, dict[str, str]] = {}
    for spec in specs:
        host, _, rest = spec.partition(":")
        name, _, value = rest.partition(":")
        if not host or not name:
            raise ConfigError(f"--header {spec!r}: expected HOST:NAME:VALUE")
        out.setdefault(host.lower(), {})[name.strip()] = value.strip()
    return out
