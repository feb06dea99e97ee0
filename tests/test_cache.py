"""The results cache: settled answers kept between runs, written in batches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from citecheck.fetch.cache import WRITE_BATCH, Cache
from citecheck.model import Hop, PageEvidence, Resolution, Verdict


def result(i: int, verdict: Verdict = Verdict.OK) -> Resolution:
    url = f"https://example.org/r{i}"
    return Resolution(
        url,
        verdict,
        "answered 200",
        final_url=url,
        status=200,
        hops=[Hop(url, 200, None, 12.5)],
        page=PageEvidence(kind="html", url=url, text=f"the text of page {i}"),
    )


def rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM fetch").fetchone()[0]


def test_a_result_is_served_at_once_and_written_when_the_cache_closes(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    cache = Cache(str(path), max_age=3600)
    cache.put(result(1))
    served = cache.get("https://example.org/r1")
    assert served is not None and served.from_cache and served.page is not None and served.page.text == "the text of page 1"
    assert rows(path) == 0  # not yet written: a transaction per result cost more than the rest of its bookkeeping
    cache.close()
    again = Cache(str(path), max_age=3600).get("https://example.org/r1")
    assert again is not None and again.hops == [Hop("https://example.org/r1", 200, None, 12.5)]


def test_results_are_written_a_batch_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    cache = Cache(str(path), max_age=3600)
    for i in range(WRITE_BATCH):
        cache.put(result(i))
    assert rows(path) == WRITE_BATCH
    cache.put(result(WRITE_BATCH))
    assert rows(path) == WRITE_BATCH
    cache.close()
    assert rows(path) == WRITE_BATCH + 1


def test_a_source_that_fails_now_is_dropped_from_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    cache = Cache(str(path), max_age=3600)
    cache.put(result(1))
    cache.close()
    cache = Cache(str(path), max_age=3600)
    cache.put(result(1, Verdict.MISSING))
    assert cache.get("https://example.org/r1") is None
    cache.close()
    assert Cache(str(path), max_age=3600).get("https://example.org/r1") is None and rows(path) == 0
