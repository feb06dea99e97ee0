"""The audit's memory: articles, their citations, every check of every source, and each source's state.

SQLite (one file, default `citecheck.db`, which also holds the fetch cache's tables: the cache
versions itself with `PRAGMA user_version`, the audit with its own `audit_schema` table, so the two
migrate independently in one file). Every
recorded check is committed in its own transaction together with the source state it changes, so an
audit killed at any moment loses at most the checks in flight, and never leaves a check without its
state or a state without its check.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import pausepoints
from ..errors import InputError
from ..outlets import host_of

SCHEMA_VERSION = 2

_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at REAL NOT NULL, finished_at REAL, inputs TEXT NOT NULL)""",
        """CREATE TABLE articles (id INTEGER PRIMARY KEY, location TEXT NOT NULL UNIQUE, format TEXT, notes INTEGER NOT NULL DEFAULT 0,
                                  seen_at REAL NOT NULL)""",
        """CREATE TABLE sources (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, host TEXT NOT NULL,
                                 status TEXT NOT NULL DEFAULT 'new',   -- new, ok, moved, failing, missing, unreachable
                                 fail_count INTEGER NOT NULL DEFAULT 0, failing_since REAL, last_verdict TEXT, last_reason TEXT,
                                 last_checked REAL, next_check REAL NOT NULL DEFAULT 0, fix TEXT, archive_url TEXT)""",
        """CREATE INDEX sources_due ON sources (next_check)""",
        """CREATE TABLE citations (article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                                   source_id INTEGER NOT NULL REFERENCES sources(id), note TEXT NOT NULL, title TEXT, outlet TEXT, year INTEGER,
                                   PRIMARY KEY (article_id, note, source_id))""",
        """CREATE INDEX citations_source ON citations (source_id)""",
        """CREATE TABLE checks (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id), run_id INTEGER NOT NULL REFERENCES runs(id),
                                checked_at REAL NOT NULL, verdict TEXT NOT NULL, reason TEXT NOT NULL, status TEXT, final_url TEXT, http_status INTEGER,
                                fix TEXT, archive_url TEXT, evidence TEXT)""",
        """CREATE INDEX checks_source ON checks (source_id, checked_at)""",
        """CREATE TABLE transitions (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id), run_id INTEGER NOT NULL,
                                     at REAL NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL)""",
        """CREATE INDEX transitions_at ON transitions (at)""",
    ),
    # 2: what an article's bytes were when last read, so an unchanged article is not parsed again
    2: ("""ALTER TABLE articles ADD COLUMN digest TEXT""",),
}


@dataclass(slots=True)
class SourceRow:
    id: int
    url: str
    status: str
    fail_count: int
    failing_since: float | None
    next_check: float


class AuditStore:
    def __init__(self, path: str) -> None:
        self.path = path
        self._lock: int | None = None
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS audit_schema (version INTEGER NOT NULL)")
        row = self.db.execute("SELECT version FROM audit_schema").fetchone()
        version = row[0] if row else 0
        if version > SCHEMA_VERSION:
            raise InputError(self.path, f"the audit database is from a newer citecheck (schema {version}, this one reads {SCHEMA_VERSION})")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self.db:
                self.db.execute("BEGIN")
                for statement in _MIGRATIONS[target]:
                    self.db.execute(statement)
                self.db.execute("DELETE FROM audit_schema")
                self.db.execute("INSERT INTO audit_schema (version) VALUES (?)", (target,))

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            os.close(self._lock)  # releases the run lock
            self._lock = None

    def lock_runs(self) -> None:
        """Hold this database's run lock until `close`, or stop with a clear error if another audit holds it.

        Two audits on one database would both work through the same unfinished run, and check
        every source twice. The lock is an advisory lock on `DB.lock`, held by the kernel for the
        process: a killed audit holds it no more, so its run is resumed by the next one.
        """
        # here, not at the top: fcntl exists on Unix only; the lock is taken only by a live run
        import fcntl

        fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise InputError(
                self.path, f"another audit is running on this database (process {holder or 'unknown'}); wait for it to finish, or use another --db"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock = fd

    # -- runs ----------------------------------------------------------------------------------------

    def open_run(self, now: float, inputs: list[str]) -> tuple[int, bool]:
        """(run id, resumed): an unfinished run with the same inputs is continued rather than started again."""
        row = self.db.execute("SELECT id, inputs FROM runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1").fetchone()
        if row is not None and json.loads(row[1]) == inputs:
            return int(row[0]), True
        cur = self.db.execute("INSERT INTO runs (started_at, inputs) VALUES (?, ?)", (now, json.dumps(inputs)))
        return int(cur.lastrowid or 0), False

    def finish_run(self, run_id: int, now: float) -> None:
        self.db.execute("UPDATE runs SET finished_at = ? WHERE id = ?", (now, run_id))

    def runs(self) -> list[tuple[int, float, float | None]]:
        return [(int(r[0]), float(r[1]), r[2]) for r in self.db.execute("SELECT id, started_at, finished_at FROM runs ORDER BY id")]

    # -- articles and citations -----------------------------------------------------------------------

    def article_digest(self, location: str) -> str | None:
        row = self.db.execute("SELECT digest FROM articles WHERE location = ?", (location,)).fetchone()
        return row[0] if row else None

    def touch_article(self, location: str, now: float) -> None:
        self.db.execute("UPDATE articles SET seen_at = ? WHERE location = ?", (now, location))

    def record_article(
        self, location: str, fmt: str, now: float, citations: Iterable[tuple[str, str, str | None, str | None, int | None]], digest: str | None = None
    ) -> None:
        """An article and its citations (note, url, title, outlet, year), replacing what an earlier audit read of it."""

        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT INTO articles (location, format, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT(location) DO UPDATE SET format = excluded.format, seen_at = excluded.seen_at",
                (location, fmt, now),
            )
            article_id = self.db.execute("SELECT id FROM articles WHERE location = ?", (location,)).fetchone()[0]
            self.db.execute("DELETE FROM citations WHERE article_id = ?", (article_id,))
            notes = set()
            for note, url, title, outlet, year in citations:
                self.db.execute("INSERT OR IGNORE INTO sources (url, host) VALUES (?, ?)", (url, host_of(url)))
                source_id = self.db.execute("SELECT id FROM sources WHERE url = ?", (url,)).fetchone()[0]
                self.db.execute(
                    "INSERT OR IGNORE INTO citations (article_id, source_id, note, title, outlet, year) VALUES (?, ?, ?, ?, ?, ?)",
                    (article_id, source_id, note, title, outlet, year),
                )
                notes.add(note)
            self.db.execute("UPDATE articles SET notes = ?, digest = ? WHERE id = ?", (len(notes), digest, article_id))

    # -- sources and checks ---------------------------------------------------------------------------

    def due(self, now: float) -> Iterator[str]:
        """URLs whose next check is due, oldest first, streamed (memory does not grow with the archive)."""
        last = -1
        while True:
            rows = self.db.execute("SELECT id, url FROM sources WHERE next_check <= ? AND id > ? ORDER BY id LIMIT 1000", (now, last)).fetchall()
            if not rows:
                return
            for source_id, url in rows:
                last = source_id
                yield url

    def due_among(self, urls: Iterable[str], now: float) -> list[str]:
        """Those of `urls` whose next check is due (an article's sources, just recorded)."""
        wanted = list(dict.fromkeys(urls))
        due: list[str] = []
        for i in range(0, len(wanted), 500):  # SQLite's limit on a statement's parameters
            chunk = wanted[i : i + 500]
            rows = self.db.execute(f"SELECT url FROM sources WHERE next_check <= ? AND url IN ({','.join('?' * len(chunk))})", (now, *chunk))
            due += [url for (url,) in rows]
        return due

    def count_due(self, now: float) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM sources WHERE next_check <= ?", (now,)).fetchone()[0])

    def source(self, url: str) -> SourceRow | None:
        row = self.db.execute("SELECT id, url, status, fail_count, failing_since, next_check FROM sources WHERE url = ?", (url,)).fetchone()
        return SourceRow(*row) if row else None

    def first_citation(self, source_id: int) -> tuple[str, str | None, str | None, int | None] | None:
        """(note, title, outlet, year) of the earliest-recorded citation of a source, for verification."""
        row = self.db.execute("SELECT note, title, outlet, year FROM citations WHERE source_id = ? ORDER BY article_id, note LIMIT 1", (source_id,)).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else None

    def record_check(
        self,
        run_id: int,
        source: SourceRow,
        now: float,
        verdict: str,
        reason: str,
        *,
        new_status: str,
        fail_count: int,
        failing_since: float | None,
        next_check: float,
        final_url: str | None,
        http_status: int | None,
        fix: str | None,
        archive_url: str | None,
        evidence: dict[str, Any],
    ) -> None:
        """One check and the state it leads to, in one transaction."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT INTO checks (source_id, run_id, checked_at, verdict, reason, status, final_url, http_status, fix, archive_url, evidence) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source.id, run_id, now, verdict, reason, new_status, final_url, http_status, fix, archive_url, json.dumps(evidence, ensure_ascii=False)),
            )
            self.db.execute(
                "UPDATE sources SET status = ?, fail_count = ?, failing_since = ?, last_verdict = ?, last_reason = ?, last_checked = ?, "
                "next_check = ?, fix = COALESCE(?, fix), archive_url = COALESCE(?, archive_url) WHERE id = ?",
                (new_status, fail_count, failing_since, verdict, reason, now, next_check, fix, archive_url, source.id),
            )
            if new_status != source.status:
                self.db.execute(
                    "INSERT INTO transitions (source_id, run_id, at, old, new) VALUES (?, ?, ?, ?, ?)", (source.id, run_id, now, source.status, new_status)
                )
        pausepoints.reached("audit-recorded")

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, params).fetchall()
