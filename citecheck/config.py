"""The config file: `citecheck.toml`, or `[tool.citecheck]` in `pyproject.toml`, found upward from the draft.

This version reads `[endpoints]`, `[handles]` (author name -> X handle), `[verify]` (the verifier's thresholds) and
`[[outlet]]` (additions to the outlet registry: name, aliases, domains); unknown keys are errors that name the key
and the file, so a typo never silently changes what is checked.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .endpoints import Endpoints
from .errors import ConfigError
from .verify import VerifyOptions

KNOWN_TABLES = ("endpoints", "handles", "verify", "outlet")
OUTLET_KEYS = ("name", "aliases", "domains", "kind")


@dataclass(slots=True)
class Config:
    path: str | None = None
    endpoints: Endpoints = field(default_factory=Endpoints)
    handles: dict[str, str] = field(default_factory=dict)  # author name -> X handle, for posts cited without a URL
    verify: VerifyOptions = field(default_factory=VerifyOptions)
    outlets: list[dict[str, Any]] = field(default_factory=list)  # [[outlet]] tables, added to the registry


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
        raise ConfigError(f"{path}: handles must map author names to X handles (\"Wassim Nasr\" = \"SimNasr\")")
    verify = table.get("verify", {})
    if not isinstance(verify, dict):
        raise ConfigError(f"{path}: verify must be a table")
    return Config(path=path, endpoints=Endpoints.from_table(endpoints, path), handles={k: v.strip("@") for k, v in handles.items()},
                  verify=VerifyOptions.from_table(verify, where=path), outlets=_outlets(table.get("outlet", []), path))


def _outlets(tables: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: outlets are [[outlet]] tables with name, aliases and domains")
    for number, t in enumerate(tables, start=1):
        unknown = [k for k in t if k not in OUTLET_KEYS]
        if unknown:
            raise ConfigError(f"{path}: unknown key [[outlet]] {unknown[0]!r} in outlet {number} (known: {', '.join(OUTLET_KEYS)})")
        if not isinstance(t.get("name"), str) or not all(isinstance(x, str) for k in ("aliases", "domains") for x in t.get(k, [])):
            raise ConfigError(f"{path}: outlet {number} needs a name, and aliases and domains as lists of strings")
    return tables
