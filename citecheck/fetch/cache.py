"""Results kept between runs, in SQLite (stdlib, embedded, no server).

Keyed by URL with a maximum age, so re-running CI on an unchanged draft makes
no request for fresh entries. Only settled answers are kept (ok, moved):
transient failures are never served from the cache, and a dead source is
checked again on every run so its recovery is seen.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

import orjson

from ..model import (
    Candidate,
    Hop,
    PageEvidence,
    PostEvidence,
    Resolution,
    Verdict,
    json_encoded,
)

SCHEMA_VERSION = 2
CACHEABLE = frozenset({Verdict.OK, Verdict.MOVED})


# Results are written in batches of this many, one transaction each: a transaction per result
# cost ~55 us of a check's single core, a row in a batch ~4 us. Until then they are served
# from memory; `close` writes the rest.
WRITE_BATCH = 256


class Cache:
    def __init__(self, path: str, *, max_age: float) -> None:
        self.path = path
        self.max_age = max_age
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()
        self._unwritten: dict[str, tuple[float, str] | None] = {}  # url -> (stored_at, data), None: to delete

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version < 1:
            with self.db:
                self.db.execute("BEGIN")
                self.db.execute("CREATE TABLE IF NOT EXISTS fetch (url TEXT PRIMARY KEY, stored_at REAL NOT NULL, data TEXT NOT NULL)")
                self.db.execute("CREATE TABLE IF NOT EXISTS host_probe (host TEXT PRIMARY KEY, stored_at REAL NOT NULL, data TEXT NOT NULL)")
                self.db.execute("PRAGMA user_version=1")
        if version < 2:
            with self.db:
                self.db.execute("BEGIN")
                # answers of archive APIs (CDX, availability, TimeMaps): paced services are asked once a day at most
                self.db.execute("CREATE TABLE IF NOT EXISTS api (url TEXT PRIMARY KEY, stored_at REAL NOT NULL, status INTEGER NOT NULL, body BLOB NOT NULL)")
                self.db.execute("PRAGMA user_version=2")

    def get(self, url: str) -> Resolution | None:
        if url in self._unwritten:
            row = self._unwritten[url]
        else:
            row = self.db.execute("SELECT stored_at, data FROM fetch WHERE url = ?", (url,)).fetchone()
        if row is None or time.time() - row[0] > self.max_age:
            return None
        return _resolution(orjson.loads(row[1]), from_cache=True)

    def put(self, resolution: Resolution) -> None:
        stored = None
        if resolution.verdict in CACHEABLE:
            stored = (time.time(), json_encoded(resolution, stored=True).decode())
        self._unwritten[resolution.url] = stored
        if len(self._unwritten) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the results kept in memory, in one transaction."""
        if not self._unwritten:
            return
        rows, self._unwritten = self._unwritten, {}
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("DELETE FROM fetch WHERE url = ?", [(url,) for url, row in rows.items() if row is None])
            self.db.executemany(
                "INSERT OR REPLACE INTO fetch (url, stored_at, data) VALUES (?, ?, ?)", [(url, row[0], row[1]) for url, row in rows.items() if row is not None]
            )

    def get_probe(self, host: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT stored_at, data FROM host_probe WHERE host = ?", (host,)).fetchone()
        if row is None or time.time() - row[0] > self.max_age:
            return None
        return json.loads(row[1])

    def put_probe(self, host: str, data: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO host_probe (host, stored_at, data) VALUES (?, ?, ?)", (host, time.time(), json.dumps(data)))

    def get_api(self, url: str) -> tuple[int, bytes] | None:
        row = self.db.execute("SELECT stored_at, status, body FROM api WHERE url = ?", (url,)).fetchone()
        if row is None or time.time() - row[0] > self.max_age:
            return None
        return int(row[1]), bytes(row[2])

    def put_api(self, url: str, status: int, body: bytes) -> None:
        self.db.execute("INSERT OR REPLACE INTO api (url, stored_at, status, body) VALUES (?, ?, ?, ?)", (url, time.time(), status, body))

    def close(self) -> None:
        self.flush()
        self.db.close()


def _resolution(data: dict[str, Any], *, from_cache: bool = False) -> Resolution:
    data = dict(data)
    data["from_cache"] = from_cache
    data["verdict"] = Verdict(data["verdict"])
    data["hops"] = [Hop(**h) for h in data.get("hops", [])]
    if data.get("post"):
        data["post"] = PostEvidence(**data["post"])
    if data.get("page"):
        data["page"] = page_evidence(data["page"])
    data.pop("archive", None)  # a look-up of the run, not part of what the URL answered
    return Resolution(**data)


def page_evidence(data: dict[str, Any]) -> PageEvidence:
    data = dict(data)
    for key in ("titles", "authors"):
        data[key] = [Candidate(**c) for c in data.get(key, [])]
    for key in ("published", "modified"):
        if data.get(key):
            data[key] = Candidate(**data[key])
    return PageEvidence(**data)
