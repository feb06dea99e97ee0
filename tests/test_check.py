"""check_document on a draft still to be parsed: works start resolving while later notes are read,
and the result is the same as checking the parsed document."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from citecheck import parse_file, read_draft
from citecheck.config import FetchOptions
from citecheck.model import Ignore, Resolution, Verdict
from citecheck.parse.notes import DocumentBuilder
from citecheck.pipeline.check import Draft, check_document
from citecheck.pipeline.pages import PageReader
from citecheck.pipeline.works import Scope
from tests.loopback import Loopback, page


def options() -> FetchOptions:
    return FetchOptions(allow_private=True, min_interval=0.0, concurrency=20, per_host=20, soft404_probe=False, dns_canary="localhost")


def serve_reports(site, n: int, missing: int = 0) -> None:
    """The pages the drafts below cite, /r1 ... /r{n}; every `missing`-th one answers 404."""
    for i in range(1, n + 1):
        site.route(f"/r{i}", page("Not Found", status=404) if missing and i % missing == 0 else page(f"Report {i}"))


def when_read(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When each check finished reading its draft (DocumentBuilder.finish), on time.monotonic(), the loopback servers' clock."""
    read_at: list[float] = []
    finish = DocumentBuilder.finish

    def timed_finish(self, claims=None):  # type: ignore[no-untyped-def]
        read_at.append(time.monotonic())
        return finish(self, claims)

    monkeypatch.setattr(DocumentBuilder, "finish", timed_finish)
    return read_at


def write_draft(folder: Path, site, n: int, replace: dict[int, str] | None = None) -> str:
    """A draft of n notes, each citing /r{i} on the site, except the notes `replace` rewrites."""
    notes = [f"[{i}] " + (replace or {}).get(i, f"Ann Lee, “Report {i},” Site, May 1, 2024, {site.url(f'/r{i}')}.") for i in range(1, n + 1)]
    body = " ".join(f"The report says so.{i}" for i in range(1, n + 1))
    path = folder / "draft.txt"
    path.write_text(body + "\nNotes\n" + "\n".join(notes) + "\n", encoding="utf-8")
    return str(path)


# Long drafts (600 notes) so that parsing gives the event loop turns before it ends: the works of
# the first notes are resolving while the rest are read, which is where a rule could be missed.
N = 600


def test_works_start_resolving_before_the_draft_is_parsed_and_the_verdicts_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    n = N
    with Loopback("127.0.0.41") as lb:
        serve_reports(lb[0], n, missing=10)
        path = write_draft(tmp_path, lb[0], n)
        parsed_at = when_read(monkeypatch)
        # each note takes a millisecond longer to parse: the draft is read over ~0.6 s whatever the
        # machine's load, so "before the draft was read" is not a race of tens of milliseconds
        # (a loaded CI run once saw the first request 26 ms after a fast parse ended)
        import citecheck.parse.notes as notes

        parse_note = notes.parse_note
        monkeypatch.setattr(notes, "parse_note", lambda raw, registry: (time.sleep(0.001), parse_note(raw, registry))[1])
        from_draft = asyncio.run(check_document(Draft(read_draft(path)), options()))
        monkeypatch.setattr(notes, "parse_note", parse_note)
        first_request = min(r.started for r in lb[0].requests)
        from_document = asyncio.run(check_document(parse_file(path), options()))
    assert first_request < parsed_at[0], "the first request waited for the whole draft"
    assert [(c.source_id, c.url, c.verdict) for c in from_draft.checks] == [(c.source_id, c.url, c.verdict) for c in from_document.checks]
    assert sum(c.verdict is Verdict.MISSING for c in from_draft.checks) == n // 10
    assert len(lb[0].requests) == 2 * n  # each run asked once per work
    assert all(note.claims for note in from_draft.document.notes)  # the document was finished: claims tied to notes
    assert not from_draft.document.problems


def test_excluded_and_ignored_works_are_never_fetched_even_early(tmp_path: Path) -> None:
    with Loopback("127.0.0.42") as lb:
        serve_reports(lb[0], N)
        path = write_draft(tmp_path, lb[0], N)
        scope = Scope(exclude=[lb[0].url("/r7")], ignores=[Ignore("paywalled", url=lb[0].url("/r9"))])
        report = asyncio.run(check_document(Draft(read_draft(path)), options(), scope=scope))
    asked = {r.path for r in lb[0].requests}
    assert "/r7" not in asked and "/r9" not in asked and "/r8" in asked
    assert {s.url for s in report.skipped} == {lb[0].url("/r7"), lb[0].url("/r9")}
    assert len(report.checks) == N - 2


def test_a_rule_ignoring_a_later_note_keeps_the_work_it_repeats_from_being_fetched(tmp_path: Path) -> None:
    """Note 3 is `Ibid.` of note 2; ignoring note 3 skips the work, which note 2 cited first."""
    with Loopback("127.0.0.43") as lb:
        serve_reports(lb[0], N)
        path = write_draft(tmp_path, lb[0], N, replace={3: "Ibid."})
        scope = Scope(ignores=[Ignore("known false positive", note="3")])
        report = asyncio.run(check_document(Draft(read_draft(path)), options(), scope=scope))
    assert "/r2" not in {r.path for r in lb[0].requests} and "/r4" in {r.path for r in lb[0].requests}
    assert [s.url for s in report.skipped] == [lb[0].url("/r2")]
    assert len(report.checks) == N - 2


def test_a_page_reader_closed_at_once_leaves_no_failing_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that needs no page (all from the cache) closes the process pool while its workers
    are still being started from a thread: that thread must end quietly."""

    from citecheck.pipeline.pages import Verification, page_reader

    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))

    async def check_needing_no_page() -> None:  # the reader lives in a check's event loop
        with page_reader(Verification(processes=True), 1) as reader:
            assert reader is not None and reader.executor is not None

    before = set(threading.enumerate())
    for _ in range(3):
        asyncio.run(check_needing_no_page())  # the loop is closed when the starter thread ends
    for thread in set(threading.enumerate()) - before:  # every starter thread, to its end (not a guessed delay)
        thread.join(30)
    assert failures == []


def test_a_check_with_no_page_to_verify_never_loads_the_language_model(tmp_path: Path) -> None:
    """Every link gone: nothing to verify, so the draft's language is never guessed (the model takes ~0.9 s to load)."""
    import subprocess
    import sys

    with Loopback("127.0.0.44") as lb:
        path = write_draft(tmp_path, lb[0], 5)  # every /r{i} is a 404 here
        probe = (
            "import sys, citecheck.verify.extract as e; from citecheck.cli import main; code = main(sys.argv[1:]); "
            "print('LOADED' if e._identifier.cache_info().currsize else 'NOT LOADED'); sys.exit(0)"
        )
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                probe,
                "check",
                path,
                "--allow-private",
                "--no-archive",
                "--no-discover",
                "--no-cache",
                "--min-interval",
                "0",
                "--format",
                "json",
                "-o",
                str(tmp_path / "r.json"),
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
    assert run.stdout.strip().endswith("NOT LOADED"), run.stdout + run.stderr
    assert all(c["verdict"] == "missing" for c in __import__("json").loads((tmp_path / "r.json").read_text())["checks"])


def write_referring_draft(folder: Path, site, n: int) -> str:
    """n notes where every third is an Ibid. and every fifth a short form of an earlier note."""
    notes = []
    for i in range(1, n + 1):
        if i % 3 == 0:
            notes.append(f"[{i}] Ibid.")
        elif i % 5 == 0 and i > 5:
            notes.append(f"[{i}] Lee, “Report {i - 4}.”")
        else:
            notes.append(f"[{i}] Ann Lee, “Report {i},” Site, May 1, 2024, {site.url(f'/r{i}')}.")
    body = " ".join(f"The report says so.{i}" for i in range(1, n + 1))
    path = folder / "draft.txt"
    path.write_text(body + "\nNotes\n" + "\n".join(notes) + "\n", encoding="utf-8")
    return str(path)


class _NoProcess:
    """A process pool that cannot start a process (a sandbox without them)."""

    def submit(self, *args: object) -> None:
        raise RuntimeError("cannot start new processes")

    def shutdown(self, **kw: object) -> None:
        pass


class _DeadProcess(_NoProcess):
    """A parse pool whose process dies on every run."""

    def submit(self, *args: object):  # type: ignore[no-untyped-def]
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future: Future[object] = Future()
        future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return future


@pytest.mark.parametrize("pool", [None, _NoProcess, _DeadProcess], ids=["worker", "no-process", "dead-process"])
def test_a_large_drafts_later_notes_and_claims_come_from_a_worker_process_to_the_same_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool) -> None:
    import citecheck.parse.notes as notes
    import citecheck.pipeline.check as check
    from citecheck.report.data import parse_json

    monkeypatch.setattr(check, "PARSE_ELSEWHERE_FROM", 10)
    monkeypatch.setattr(check, "PARSE_HERE", 5)
    monkeypatch.setattr(check, "PARSE_RUN", 7)  # runs that cut across Ibid. and short-form chains
    if pool is not None:
        monkeypatch.setattr(check, "_parse_pool", pool)
    n = 40
    with Loopback("127.0.0.42") as lb:
        serve_reports(lb[0], n)
        path = write_referring_draft(tmp_path, lb[0], n)
        expected = parse_json(parse_file(path))
        parsed_here = []
        parse_note = notes.parse_note
        monkeypatch.setattr(notes, "parse_note", lambda raw, registry: parsed_here.append(raw.id) or parse_note(raw, registry))
        claims_given = []
        finish = DocumentBuilder.finish
        monkeypatch.setattr(DocumentBuilder, "finish", lambda self, claims=None: claims_given.append(claims is not None) or finish(self, claims))
        report = asyncio.run(check_document(Draft(read_draft(path)), options()))
    assert parse_json(report.document) == expected
    assert parsed_here == ([str(i) for i in range(1, 6)] if pool is None else [str(i) for i in range(1, n + 1)])
    assert claims_given == [pool is None]  # the body's claims too came from the worker
    assert sum(c.verdict is Verdict.OK for c in report.checks) == len([i for i in range(1, n + 1) if i % 3 and not (i % 5 == 0 and i > 5)])


def _answered(i: int) -> Resolution:
    from citecheck.model import Resolution

    return Resolution(url=f"https://example.org/{i}", verdict=Verdict.OK, reason="", body=b"<title>Page %d</title>" % i, content_type="text/html")


def _page_reader() -> PageReader:
    """A page reader on one thread, one batch read at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from citecheck.pipeline.pages import PageReader

    return PageReader(ThreadPoolExecutor(1), in_flight=1)


def _held_reading(monkeypatch: pytest.MonkeyPatch) -> tuple[list[list[str]], threading.Event]:
    """Pages read in batches, the first held until the returned event is set; the URLs of each
    batch, as the readers got them. What is answered while the first batch is held must wait."""
    from citecheck.model import PageEvidence
    from citecheck.pipeline import pages as pages_module

    batches: list[list[str]] = []
    release = threading.Event()

    def held_read(pages):  # type: ignore[no-untyped-def]
        batches.append([url for _, url, *_ in pages])
        assert release.wait(30)
        return [PageEvidence(kind="html", url=url) for _, url, *_ in pages]

    monkeypatch.setattr(pages_module, "extract_all", held_read)
    return batches, release


async def _first_batch_read(batches: list[list[str]]) -> None:
    """Until a reader thread holds the first batch (an observed event, not a guessed delay)."""
    while not batches:
        await asyncio.sleep(0.001)


class _StartingPool:
    """A page-reading process pool whose workers exist once `started` is set. Before that a real
    pool's submit blocks its caller (holding the pool's lock) while the process server forks
    them; this one records a submit made on the event loop's thread then, instead of hanging."""

    def __init__(self, *args: object, **kw: object) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.started = threading.Event()
        self.blocked_the_loop = False
        self._thread = ThreadPoolExecutor(1)
        _StartingPool.made = self

    def submit(self, fn, *args):  # type: ignore[no-untyped-def]
        if not self.started.is_set():
            if threading.current_thread() is threading.main_thread():
                self.blocked_the_loop = True
            else:
                assert self.started.wait(30)
        return self._thread.submit(fn, *args)

    def shutdown(self, **kw: object) -> None:
        self.started.set()
        self._thread.shutdown()


def test_pages_wait_for_the_page_readers_to_start_instead_of_blocking_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    from citecheck.pipeline import pages as pages_module
    from citecheck.pipeline.pages import Verification, page_reader

    monkeypatch.setattr(pages_module, "worker_pool", _StartingPool)
    monkeypatch.setattr(pages_module, "start_process_server", lambda **kw: None)

    async def go() -> tuple[list, bool]:
        with page_reader(Verification(processes=True), 100) as reader:
            assert reader is not None
            results = [_answered(i) for i in range(1, 4)]
            reading = asyncio.gather(*(reader(res) for res in results), reader.language("A text."))
            await asyncio.sleep(0.05)  # the event loop turns while the workers start
            waited = not any(res.page for res in results) and not reading.done()
            _StartingPool.made.started.set()
            language = (await reading)[-1]
        return results, waited, language

    monkeypatch.setattr(pages_module, "guess_language", lambda text: "en")
    results, waited, language = asyncio.run(go())
    assert not _StartingPool.made.blocked_the_loop
    assert waited  # nothing was read before the workers existed...
    assert all(res.page is not None and res.page.url == res.url for res in results) and language == "en"  # ...and everything after


def test_pages_answered_while_a_batch_is_read_go_to_the_workers_together(monkeypatch: pytest.MonkeyPatch) -> None:
    from citecheck.pipeline.pages import PAGE_BATCH

    batches, release = _held_reading(monkeypatch)

    async def go() -> list:
        reader = _page_reader()
        results = [_answered(i) for i in range(1, 21)]
        first = asyncio.ensure_future(reader(results[0]))
        await _first_batch_read(batches)  # the first page is being read...
        rest = [asyncio.ensure_future(reader(res)) for res in results[1:]]  # ...as 19 more are answered
        await asyncio.sleep(0)  # each has queued its page (synchronously, on its first step)
        release.set()
        await asyncio.gather(first, *rest)
        return results

    results = asyncio.run(go())
    assert [len(b) for b in batches] == [1, PAGE_BATCH, 19 - PAGE_BATCH]
    assert all(res.page is not None and res.page.url == res.url and res.body is None for res in results)


def test_a_failed_batch_fails_each_of_its_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    from citecheck.pipeline import pages as pages_module

    def broken(pages):  # type: ignore[no-untyped-def]
        raise RuntimeError("the worker died")

    monkeypatch.setattr(pages_module, "extract_all", broken)

    async def go() -> list:
        reader = _page_reader()
        return await asyncio.gather(*(reader(_answered(i)) for i in range(3)), return_exceptions=True)

    assert [type(r) for r in asyncio.run(go())] == [RuntimeError] * 3


def test_a_page_whose_resolution_was_cancelled_is_not_sent_to_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    batches, release = _held_reading(monkeypatch)

    async def go() -> None:
        reader = _page_reader()
        first = asyncio.ensure_future(reader(_answered(1)))
        await _first_batch_read(batches)
        waiting = asyncio.ensure_future(reader(_answered(2)))  # waits for the first batch...
        await asyncio.sleep(0)
        waiting.cancel()  # ...and its source is given up meanwhile
        release.set()
        await first
        await asyncio.sleep(0.1)

    asyncio.run(go())
    assert batches == [["https://example.org/1"]]


class _SlowProcess(_NoProcess):
    """A parse pool whose runs come back late, as from a busy worker."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._thread = ThreadPoolExecutor(1)

    def submit(self, fn, *args):  # type: ignore[no-untyped-def]
        return self._thread.submit(lambda: (time.sleep(0.3), fn(*args))[1])

    def shutdown(self, **kw: object) -> None:
        self._thread.shutdown(wait=False)


def test_works_found_while_the_window_is_full_start_as_earlier_ones_finish_not_when_the_draft_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import citecheck.pipeline.check as check

    # notes 1-8 parsed here at once, notes 9-20 from a worker 0.3 s later; 4 works in flight at most
    monkeypatch.setattr(check, "PARSE_ELSEWHERE_FROM", 10)
    monkeypatch.setattr(check, "PARSE_HERE", 8)
    monkeypatch.setattr(check, "_parse_pool", _SlowProcess)
    n = 20
    with Loopback("127.0.0.43") as lb:
        serve_reports(lb[0], n)
        path = write_draft(tmp_path, lb[0], n)
        parsed_at = when_read(monkeypatch)
        one_at_a_time = FetchOptions(allow_private=True, min_interval=0.0, concurrency=1, per_host=1, soft404_probe=False, dns_canary="localhost")
        report = asyncio.run(check_document(Draft(read_draft(path)), one_at_a_time))
        started = {r.path: r.started for r in lb[0].requests}
    assert all(c.verdict is Verdict.OK for c in report.checks) and len(report.checks) == n
    # works 5-8 found the window full (1-4 in flight); they started as 1-4 finished, while the
    # worker still had the rest of the draft, not once the draft was read
    assert all(started[f"/r{i}"] < parsed_at[0] for i in range(1, 9))


def test_results_of_works_started_early_come_as_they_finish_not_after_the_live_ones() -> None:
    from citecheck.endpoints import Endpoints
    from citecheck.model import Resolution
    from citecheck.pipeline.check import resolve_all

    class SlowResolver:
        async def resolve(self, urls):  # type: ignore[no-untyped-def]
            for url in urls:
                await asyncio.sleep(0.2)
                yield Resolution(url=url, verdict=Verdict.OK, reason="")

    async def go() -> list[str]:
        async def resolved(url: str, after: float) -> Resolution:
            await asyncio.sleep(after)
            return Resolution(url=url, verdict=Verdict.OK, reason="")

        early = {"https://e.org/early": asyncio.create_task(resolved("https://e.org/early", 0.05))}
        urls = ["https://e.org/early", "https://e.org/live1", "https://e.org/live2"]
        return [res.url async for res in resolve_all(SlowResolver(), urls, Endpoints(), early)]  # type: ignore[arg-type]

    assert asyncio.run(go()) == ["https://e.org/early", "https://e.org/live1", "https://e.org/live2"]


def test_a_failing_live_stream_fails_the_whole_resolution() -> None:
    from citecheck.endpoints import Endpoints
    from citecheck.pipeline.check import resolve_all

    class BrokenResolver:
        async def resolve(self, urls):  # type: ignore[no-untyped-def]
            raise RuntimeError("the resolver broke")
            yield  # an async generator

    async def go() -> None:
        async for _ in resolve_all(BrokenResolver(), ["https://e.org/a"], Endpoints()):  # type: ignore[arg-type]
            pass

    with pytest.raises(RuntimeError, match="the resolver broke"):
        asyncio.run(go())


def test_a_verified_pages_text_is_dropped_from_the_results_but_kept_in_the_cache(tmp_path: Path) -> None:
    from citecheck.fetch.cache import Cache
    from citecheck.model import Level
    from citecheck.pipeline.pages import Verification

    n = 3
    with Loopback("127.0.0.46") as lb:
        for i in range(1, n + 1):
            lb[0].route(f"/r{i}", page(f"Report {i}", f"Officials said the attack on base {i} was repelled at dawn."))
        notes = [f"[{i}] Ann Lee, “Report {i},” Site, May 1, 2024, {lb[0].url(f'/r{i}')}." for i in range(1, n + 1)]
        body = " ".join(f"Officials said the attack on base {i} “was repelled at dawn.”{i}" for i in range(1, n + 1))
        path = tmp_path / "draft.txt"
        path.write_text(body + "\nNotes\n" + "\n".join(notes) + "\n", encoding="utf-8")
        cache = Cache(str(tmp_path / "cache.db"), max_age=3600)
        report = asyncio.run(check_document(Draft(read_draft(str(path))), options(), cache=cache, verification=Verification(processes=False)))
    for check in report.checks:
        quotes = [f for f in check.findings if f.check == "quote"]
        assert quotes and all(f.level is Level.PASS for f in quotes)  # verified against the text...
        assert check.resolution is not None and check.resolution.page is not None
        assert check.resolution.page.text == "" and check.resolution.page.titles  # ...which is then let go
        cached = cache.get(check.url or "")
        assert cached is not None and cached.page is not None and "was repelled at dawn" in cached.page.text  # a re-run verifies from the cache
    cache.close()


def test_the_drafts_language_is_guessed_only_for_a_quotation_missing_from_a_page_in_another_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only then can it change a finding (a translation, not a failure): a run whose quotations are
    all found, or whose pages come from the cache, does not wait for the language model."""
    from citecheck.model import Level
    from citecheck.pipeline.pages import PageReader, Verification
    from tests.loopback import Response

    asked: list[str] = []
    guess = PageReader.language

    async def language(self: PageReader, text: str) -> str | None:
        asked.append(text)
        return await guess(self, text)

    monkeypatch.setattr(PageReader, "language", language)
    french = (
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Rapport sur la base</title></head><body><h1>Rapport sur la base</h1>"
        "<p>Les autorités ont déclaré que l’attaque contre la base avait été repoussée à l’aube par l’armée malienne.</p></body></html>"
    )
    body = "The officials told reporters on Monday that the attack on the army base “was repelled at dawn by the army.”1 Nobody was hurt."

    def check(where: str, title: str):  # type: ignore[no-untyped-def]
        path = tmp_path / f"{where}.txt"
        path.write_text(f"{body}\nNotes\n[1] Ann Lee, “{title},” Site, May 1, 2024, {lb[0].url('/' + where)}.\n", encoding="utf-8")
        report = asyncio.run(check_document(Draft(read_draft(str(path))), options(), verification=Verification(processes=False)))
        return next(f for f in report.checks[0].findings if f.check == "quote")

    with Loopback("127.0.0.48") as lb:
        lb[0].route("/en", page("Report on the base", "Officials said the attack on the base was repelled at dawn by the army."))
        lb[0].route("/fr", Response(200, french.encode(), {"Content-Type": "text/html; charset=utf-8"}))
        found = check("en", "Report on the base")
        assert found.level is Level.PASS and asked == []
        translated = check("fr", "Rapport sur la base")
    assert translated.level is Level.WARN and "the page is in fr, the draft in en (a translation?)" in translated.message
    assert len(asked) == 1 and "attack on the army base" in asked[0]


def _pages(n: int, crashing: set[int] = set()) -> list[Resolution]:  # noqa: B006 - never mutated
    from citecheck.model import Resolution

    return [
        Resolution(
            url=f"https://example.org/{i}", verdict=Verdict.OK, reason="", content_type="text/html", body=(b"CRASH %d" if i in crashing else b"Page %d") % i
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("crashing", [{21}, {3, 21, 22, 38, 39}], ids=["one", "several"])
def test_a_page_that_kills_its_worker_is_reported_unread_and_the_others_are_read(monkeypatch: pytest.MonkeyPatch, crashing: set[int]) -> None:
    """A worker that dies breaks its whole process pool (every batch in it fails): the reader takes
    a new pool, reads that batch's pages again one at a time, and reports only the one that kills
    a worker alone. It had left every page waiting forever: the check hung."""
    from citecheck.pipeline import pages as pages_module
    from citecheck.pipeline.pages import PageReader
    from citecheck.pipeline.workers import worker_pool
    from tests import crashing_reader

    monkeypatch.setattr(pages_module, "extract_all", crashing_reader.read_pages)
    results = _pages(40, crashing)

    pools = [0]

    def new_pool():  # type: ignore[no-untyped-def]
        pools[0] += 1
        return worker_pool(1, warm=False)

    async def go() -> None:
        reader = PageReader(new_pool(), in_flight=2, renew=new_pool)
        try:
            await asyncio.wait_for(asyncio.gather(*(reader(res) for res in results)), 60)
        finally:
            reader.close()

    asyncio.run(go())
    crashed = [res for res in results if res.page is not None and res.page.problems]
    assert [res.url for res in crashed] == [f"https://example.org/{i}" for i in sorted(crashing)]
    assert all(res.page.problems == ["reading this page crashed the page reader: the page was not verified"] for res in crashed)  # type: ignore[union-attr]
    assert all(res.page is not None and res.page.titles[0].value == f"Page {i}" for i, res in enumerate(results) if i not in crashing)
    # the first pool; one for each batch a crash broke; one for each pool a page broke alone
    assert len(crashing) + 2 <= pools[0] <= 2 * len(crashing) + 1


class _BreakingPool(_NoProcess):
    """A process pool every batch of which dies (a machine that kills every worker)."""

    made = 0

    def __init__(self) -> None:
        _BreakingPool.made += 1
        self.broken = False

    def submit(self, fn, *args):  # type: ignore[no-untyped-def]
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        if self.broken:
            raise BrokenProcessPool("the process pool is not usable anymore")
        self.broken = True
        future: Future[object] = Future()
        future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return future


def test_workers_that_keep_dying_leave_every_page_reported_unread_and_nothing_waiting() -> None:
    from citecheck.pipeline.pages import MAX_RENEWALS, PageReader

    _BreakingPool.made = 0
    results = _pages(40)

    async def go() -> None:
        reader = PageReader(_BreakingPool(), in_flight=2, renew=_BreakingPool)  # type: ignore[arg-type]
        await asyncio.wait_for(asyncio.gather(*(reader(res) for res in results)), 10)

    asyncio.run(go())
    problems = {res.page.problems[0] for res in results if res.page is not None and res.page.problems}
    assert all(res.page is not None and res.page.problems for res in results)
    assert problems <= {
        "reading this page crashed the page reader: the page was not verified",
        "the page reader's worker processes keep failing: the page was not verified",
    }
    assert _BreakingPool.made == 1 + MAX_RENEWALS


def test_a_pool_whose_processes_cannot_start_leaves_the_pages_to_a_thread() -> None:
    from citecheck.pipeline.pages import PageReader

    results = [_answered(i) for i in range(1, 6)]

    async def go() -> None:
        reader = PageReader(_NoProcess(), in_flight=2)  # type: ignore[arg-type]
        await asyncio.wait_for(asyncio.gather(*(reader(res) for res in results)), 30)
        assert reader.executor is None

    asyncio.run(go())
    assert all(res.page is not None and res.page.titles and res.page.titles[0].value == f"Page {i}" for i, res in enumerate(results, 1))


def test_pages_answered_while_the_draft_is_parsed_are_read_knowing_what_they_are_checked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which pages need their text is known only once every note and the body's quotations are
    read; pages answered before then wait, and are read knowing it (else they were read whole)."""
    from citecheck.pipeline import check as check_module
    from citecheck.pipeline import pages as pages_module
    from citecheck.pipeline.pages import Verification
    from citecheck.verify import extract as extract_module

    read_with: list[object] = []
    real = extract_module.extract_all

    def spying(pages):  # type: ignore[no-untyped-def]
        read_with.extend(needs for *_, needs in pages)
        return real(pages)

    monkeypatch.setattr(pages_module, "extract_all", spying)
    monkeypatch.setattr(check_module, "PARSE_SLICE", 0.0)  # the event loop reads answers between any two notes

    def slow_note(raw, registry, parse=check_module.DocumentBuilder.add):  # type: ignore[no-untyped-def]
        time.sleep(0.01)  # 40 notes take 0.4 s: the first pages are answered long before the last note
        return parse(raw, registry)

    monkeypatch.setattr(check_module.DocumentBuilder, "add", slow_note)
    n = 40
    with Loopback("127.0.0.48") as lb:
        for i in range(1, n + 1):
            lb[0].route(f"/r{i}", page(f"Report {i}", f"Officials said the attack on base {i} was repelled at dawn."))
        notes = [f"[{i}] Ann Lee, “Report {i},” Site, May 1, 2024, {lb[0].url(f'/r{i}')}." for i in range(1, n + 1)]
        body = " ".join(f"Officials said base {i} “was repelled at dawn.”{i}" if i % 2 else f"Base {i} held.{i}" for i in range(1, n + 1))
        path = tmp_path / "draft.txt"
        path.write_text(body + "\nNotes\n" + "\n".join(notes) + "\n", encoding="utf-8")
        report = asyncio.run(check_document(Draft(read_draft(str(path))), options(), verification=Verification(processes=False)))
    assert len(read_with) == n and all(needs is not None for needs in read_with)
    assert sorted(needs.quotes for needs in read_with) == [False] * (n // 2) + [True] * (n // 2)  # type: ignore[attr-defined]
    assert all(c.verdict is Verdict.OK for c in report.checks)


def test_a_page_cached_without_its_text_waits_to_know_whether_it_serves() -> None:
    """While a large draft is parsed, what its pages will be checked for is not known yet: a page
    cached without its text is neither fetched again at once nor used blindly, but waits."""
    from citecheck.model import PageEvidence, PageNeeds, Resolution
    from citecheck.pipeline.pages import PageReader

    async def go() -> list[object]:
        reader = PageReader(None)
        reader.await_needs()
        cached = Resolution(
            url="https://e.org/a", verdict=Verdict.OK, reason="", page=PageEvidence(kind="html", url="https://e.org/a", language="en", text_read=False)
        )
        whole = Resolution(url="https://e.org/b", verdict=Verdict.OK, reason="", page=PageEvidence(kind="html", url="https://e.org/b", language="en"))
        decided = asyncio.ensure_future(reader.reusable(cached))
        await asyncio.sleep(0.05)
        seen: list[object] = [decided.done(), await reader.reusable(whole)]  # a page read whole serves at once
        reader.know_needs({"https://e.org/a": PageNeeds()}.get)
        seen.append(await decided)
        reader.know_needs({"https://e.org/a": PageNeeds(quotes=True)}.get)
        seen.append(await reader.reusable(cached))
        return seen

    assert asyncio.run(go()) == [False, True, True, False]
