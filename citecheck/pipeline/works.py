"""Which works a check covers: its scope, the URL each work has (its note's, a links file's), and the links file it writes."""

from __future__ import annotations

import csv
import fnmatch
import io
import tomllib
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import (
    CheckReport,
    Document,
    Ignore,
    Note,
    Position,
    Skipped,
    Source,
    Verdict,
)


def found_links(report: CheckReport) -> str:
    """The URLs discovery found for works their notes do not link, as a links file (TOML) that
    `load_links` reads back: by note id where the note cites one work, else by source id."""
    sources = {n.id: len(n.sources) for n in report.document.notes}
    lines = ["# URLs citecheck found for notes that give none: check them, then pass this file with --links", ""]
    for check in report.checks:
        if check.found is None or not check.url or check.verdict is Verdict.MOVED and check.fix is None:
            continue
        url = check.fix if check.verdict is Verdict.MOVED else check.url
        key = check.note_id if sources.get(check.note_id) == 1 else check.source_id
        lines.append(f"{_toml_string(key)} = {_toml_string(url or '')}  # {check.found.via}")
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_links(path: str) -> dict[str, str]:
    """note id (or source id) -> URL, from TOML (`[links]` table or top level) or CSV (two columns)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if path.endswith(".toml"):
        try:
            table = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(path, f"invalid TOML: {exc}") from None
        table = table.get("links", table)
        return {str(k): str(v) for k, v in table.items() if isinstance(v, str)}
    links: dict[str, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(data.decode("utf-8", "replace"))), start=1):
        if not row or row[0].strip().lower() in ("note", "id", "note_id"):
            continue
        if len(row) < 2 or not row[1].strip():
            raise InputError(path, "expected two columns: note id, URL", line=number)
        links[row[0].strip()] = row[1].strip()
    return links


@dataclass(slots=True)
class Scope:
    """Which cited works to check: URL patterns to include and exclude, and known false positives."""

    include: list[str] = field(default_factory=list)  # globs; when any is given, only matching URLs are checked
    exclude: list[str] = field(default_factory=list)
    ignores: list[Ignore] = field(default_factory=list)
    only: frozenset[str] | None = None  # the works to check (their first citations' ids), when not all: checking one again

    def skip_reason(self, note_ids: list[str], url: str | None) -> str | None:
        for ignore in self.ignores:
            if (ignore.note is not None and ignore.note in note_ids) or (ignore.url and url and fnmatch.fnmatchcase(url, ignore.url)):
                return f"ignored by the config: {ignore.reason}"
        if url and any(fnmatch.fnmatchcase(url, pattern) for pattern in self.exclude):
            return "excluded by the config's [urls] exclude"
        if url and self.include and not any(fnmatch.fnmatchcase(url, pattern) for pattern in self.include):
            return "not in the config's [urls] include"
        return None


def works_in_scope(doc: Document, links: dict[str, str], scope: Scope, skipped: list[Skipped]) -> list[tuple[Source, list[str], str | None]]:
    """(first citation, notes citing it, URL to check) for every distinct work; the others go to `skipped`."""
    cited_in = doc.citing_notes()
    notes = {n.id: n for n in doc.notes}
    works = []
    for src in doc.sources:
        if src.position is not Position.FIRST and src.refers_to is not None:
            continue
        url = work_url(src, notes[src.note_id], links)
        citing = cited_in.get(src.id, [src.note_id])
        reason = "ignored in the draft (citecheck: ignore)" if notes[src.note_id].ignored else scope.skip_reason(citing, url)
        if reason is None and scope.only is not None and src.id not in scope.only:
            reason = "not checked again this time"
        if reason is not None:
            skipped.append(Skipped(src.id, src.note_id, url, reason))
            continue
        works.append((src, citing, url))
    return works


def work_url(src: Source, note: Note, links: dict[str, str]) -> str | None:
    """The URL to check for a cited work: the links file's (by source id, or by note id when
    the note cites one work; "9.2" always names one), else the note's own."""
    by_note = links.get(src.note_id) if len(note.sources) == 1 else None
    return links.get(src.id) or by_note or src.url
