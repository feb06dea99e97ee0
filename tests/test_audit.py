"""`citecheck audit` over a generated archive of 50 articles whose sources change between runs (clock injected)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.audit.run import AuditOptions, next_state, sitemap_locations
from citecheck.audit.store import SourceRow
from citecheck.model import Verdict
from tests.loopback import Loopback, Request, Response, page
from tests.pausing import kill, run_until_paused

DAY = 86400.0
ARTICLES, SOURCES = 50, 60


def test_rot_is_confirmed_by_three_failures_over_three_days_and_reset_by_one_success() -> None:
    options = AuditOptions()
    row = SourceRow(1, "u", "ok", 0, None, 0)
    t0 = 1_700_000_000.0
    states = []
    for day, verdict in [(0, Verdict.MISSING), (1, Verdict.MISSING), (2, Verdict.UNREACHABLE), (3, Verdict.MISSING)]:
        status, count, since, nxt = next_state(row, verdict, t0 + day * DAY, options)
        states.append(status)
        row = SourceRow(1, "u", status, count, since, nxt)
    assert states == ["failing", "failing", "failing", "missing"]  # three failures happened within 2 days: not yet; the fourth, 3 days on
    assert row.failing_since == t0 and row.next_check == t0 + 3 * DAY + 30 * DAY
    status, count, since, _ = next_state(row, Verdict.OK, t0 + 40 * DAY, options)
    assert (status, count, since) == ("ok", 0, None)
    # three quick failures in one day are not rot
    row = SourceRow(1, "u", "ok", 0, None, 0)
    for hour in range(3):
        status, count, since, nxt = next_state(row, Verdict.MISSING, t0 + hour * 3600, options)
        row = SourceRow(1, "u", status, count, since, nxt)
    assert row.status == "failing" and row.fail_count == 3


def test_sitemaps_and_indexes_are_read_without_entities() -> None:
    index = b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://n.example/s1.xml</loc></sitemap></sitemapindex>'
    urlset = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://n.example/a</loc></url><url><loc>&e;</loc></url><url><loc>javascript:x</loc></url></urlset>"
    )
    assert sitemap_locations(index) == ([], ["https://n.example/s1.xml"])
    assert sitemap_locations(urlset) == (["https://n.example/a"], [])
    assert sitemap_locations(b"not xml") == ([], [])


@pytest.fixture(scope="module")
def archive_site():
    """Sources /s0../s59 whose behaviour the test changes between audit days; articles cite them."""
    state: dict[int, str] = {}

    def source(req: Request) -> Response:
        path = req.path.split("?")[0]
        if path.startswith("/new"):
            return page(f"Source {path[4:]}")  # the same work at its new address
        i = int(path[2:])
        mode = state.get(i, "ok")
        if mode == "gone":
            return page("Not Found", status=404)
        if mode == "moved":
            return Response(301, b"", {"Location": f"/new{i}"})
        if mode == "retitled":
            return page("Army abuses fuel recruitment across the region", "Another story entirely. " * 20)
        if mode == "slow":
            return Response(200, f"<title>Source {i}</title>".encode(), {"Content-Type": "text/html"}, delay=0.25)
        return page(f"Source {i}", "Reporting from the Sahel. " * 20)

    with Loopback("127.0.0.70") as lb:
        lb[0].fallback = source
        yield lb[0], state


def write_archive(folder: Path, site) -> None:
    folder.mkdir(exist_ok=True)
    for a in range(ARTICLES):
        cited = [(a * 3 + k) % SOURCES for k in range(4)]
        body = " ".join(f"Claim {n}.[^{n}]" for n in range(1, 5))
        notes = "\n".join(f"[^{n}]: “Source {s},” Outlet, May 1, {2015 + s % 10}, <{site.url(f'/s{s}')}>." for n, s in enumerate(cited, 1))
        (folder / f"article-{a:02d}.md").write_text(f"# Article {a}\n\n{body}\n\n{notes}\n", "utf-8")


def audit(tmp: Path, day: float, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck.cli",
            "audit",
            str(tmp / "articles"),
            "--db",
            str(tmp / "audit.db"),
            "--allow-private",
            "--no-archive",
            "--min-interval",
            "0",
            "--recheck-healthy",
            "1d",
            "--format",
            "json",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp), "CITECHECK_DNS_CANARY": "localhost", "CITECHECK_NOW": str(1_767_225_600 + day * DAY)},
    )


def statuses(tmp: Path) -> dict[int, str]:
    with sqlite3.connect(tmp / "audit.db") as db:
        return {int(url.rsplit("/s", 1)[1]): status for url, status in db.execute("SELECT url, status FROM sources")}


def test_an_audit_over_days_confirms_rot_reports_changes_and_recoveries(tmp_path: Path, archive_site) -> None:
    site, state = archive_site
    state.clear()
    write_archive(tmp_path / "articles", site)
    first = audit(tmp_path, 0)
    assert first.returncode == 0, first.stderr
    assert set(statuses(tmp_path).values()) == {"ok"} and len(statuses(tmp_path)) == SOURCES  # each page verified against its citation
    report = json.loads(first.stdout)
    assert report["articles"] == ARTICLES and report["status"] == {"ok": SOURCES}

    state.update({1: "gone", 2: "moved", 3: "gone", 4: "gone", 5: "retitled"})  # 1 dies, 2 moves, 3 flaps, 4 dies and comes back, 5 changes
    for day, changes in [(1, {}), (2, {3: "ok"}), (3, {3: "gone"}), (4, {4: "ok", 3: "ok"})]:
        state.update(changes)
        result = audit(tmp_path, day)
        assert result.returncode in (0, 1), result.stderr
    now = statuses(tmp_path)
    assert (now[1], now[2], now[3], now[4], now[5]) == ("missing", "moved", "ok", "ok", "mismatched")
    assert result.returncode == 1  # the run that confirmed new rot says so
    report = json.loads(result.stdout)
    assert [c["url"] for c in report["changes"]["new rot"]] == [site.url("/s1")]
    assert report["changes"]["new rot"][0]["failing_since"].startswith("2026-01-02")
    assert sorted(c["url"] for c in report["changes"]["recovered"]) == [site.url("/s3"), site.url("/s4")]
    with sqlite3.connect(tmp_path / "audit.db") as db:  # the page that changed: verified against its citation, not rot
        (evidence,) = db.execute(
            "SELECT evidence FROM checks c JOIN sources s ON s.id = c.source_id WHERE s.url = ? ORDER BY checked_at DESC LIMIT 1", (site.url("/s5"),)
        ).fetchone()
        assert any(f["check"] == "title" and f["level"] == "fail" for f in json.loads(evidence)["findings"])
    assert report["rot_by_domain"] == [{"host": "127.0.0.70", "sources": SOURCES, "rot": 1, "failing": 0}]
    citing_s1 = sum(1 for a in range(ARTICLES) if 1 in [(a * 3 + k) % SOURCES for k in range(4)])
    by_year = {y["year"]: y for y in report["rot_by_year"]}
    assert by_year[2016]["rot"] == citing_s1 and by_year[2016]["share"] == round(citing_s1 / by_year[2016]["citations"], 3)
    assert all(y["rot"] == 0 for year, y in by_year.items() if year != 2016)
    assert all(w["rot"] == 1 for w in report["worst_articles"]) and len(report["worst_articles"]) == citing_s1
    # the history: every check kept, and the move's new address offered
    with sqlite3.connect(tmp_path / "audit.db") as db:
        assert db.execute("SELECT COUNT(*) FROM checks").fetchone()[0] == 5 * SOURCES
        assert db.execute("SELECT fix FROM sources WHERE url = ?", (site.url("/s2"),)).fetchone()[0] == site.url("/new2")
    # reports from the database alone, as HTML with charts, since a date
    html = subprocess.run(
        [sys.executable, "-m", "citecheck.cli", "audit", "--report-only", "--db", str(tmp_path / "audit.db"), "--format", "html", "--since", "2026-01-01"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert html.returncode == 0, html.stderr
    assert html.stdout.count("<svg") == 2 and "new rot (1)" in html.stdout


def test_an_audit_killed_midway_resumes_without_losing_or_repeating_checks(tmp_path: Path, archive_site) -> None:
    site, state = archive_site
    state.clear()
    state.update({i: "slow" for i in range(SOURCES)})
    write_archive(tmp_path / "articles", site)
    cmd = [
        sys.executable,
        "-m",
        "citecheck.cli",
        "audit",
        str(tmp_path / "articles"),
        "--db",
        str(tmp_path / "audit.db"),
        "--allow-private",
        "--no-archive",
        "--min-interval",
        "0",
        "--per-host",
        "2",
        "--concurrency",
        "2",
    ]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CITECHECK_DNS_CANARY": "localhost", "CITECHECK_NOW": "1767225600"}
    kill(run_until_paused(cmd, "audit-recorded:8", env, str(tmp_path)))  # killed once 8 checks, not all, are recorded
    with sqlite3.connect(tmp_path / "audit.db") as db:
        before = db.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
        assert before == 8 and db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    result = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "(resumed)" in result.stderr, result.stderr
    with sqlite3.connect(tmp_path / "audit.db") as db:
        per_source = db.execute("SELECT source_id, COUNT(*) FROM checks GROUP BY source_id").fetchall()
        assert len(per_source) == SOURCES and all(n == 1 for _, n in per_source)  # none lost, none repeated
        assert db.execute("SELECT COUNT(DISTINCT run_id) FROM checks").fetchone()[0] == 1
        assert db.execute("SELECT COUNT(*) FROM sources WHERE last_checked IS NULL OR status != 'ok'").fetchone()[0] == 0


def test_published_articles_are_read_from_a_sitemap_index_and_a_list_of_urls(tmp_path: Path, archive_site) -> None:
    sources, state = archive_site
    state.clear()

    def article(n: int, cited: list[int]) -> Response:
        items = "".join(f'<li id="fn{k}">“Source {s},” Outlet, May 1, 2020, <a href="{sources.url(f"/s{s}")}">link</a>.</li>' for k, s in enumerate(cited, 1))
        refs = " ".join(f'Claim<sup><a href="#fn{k}">{k}</a></sup>.' for k in range(1, len(cited) + 1))
        return Response(200, f"<html><body><p>{refs}</p><h2>Notes</h2><ol>{items}</ol></body></html>".encode(), {"Content-Type": "text/html"})

    with Loopback("127.0.0.71") as lb:
        site = lb[0]
        site.route(
            "/sitemap_index.xml",
            Response(
                200,
                f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{site.url('/sitemap1.xml')}</loc></sitemap></sitemapindex>".encode(),
            ),
        )
        site.route(
            "/sitemap1.xml",
            Response(
                200,
                f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{site.url('/a1.html')}</loc></url><url><loc>{site.url('/a2.html')}</loc></url></urlset>".encode(),
            ),
        )
        site.route("/a1.html", article(1, [10, 11]))
        site.route("/a2.html", article(2, [11, 12, 13]))
        site.route("/a3.html", article(3, [14]))
        (tmp_path / "urls.txt").write_text(f"# more articles\n{site.url('/a3.html')}\n", "utf-8")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "citecheck.cli",
                "audit",
                site.url("/sitemap_index.xml"),
                f"@{tmp_path / 'urls.txt'}",
                "--db",
                str(tmp_path / "audit.db"),
                "--allow-private",
                "--no-archive",
                "--min-interval",
                "0",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CITECHECK_DNS_CANARY": "localhost"},
        )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["articles"] == 3 and report["sources"] == 5 and report["status"] == {"ok": 5}
    with sqlite3.connect(tmp_path / "audit.db") as db:
        assert sorted(r[0].rsplit("/", 1)[1] for r in db.execute("SELECT location FROM articles")) == ["a1.html", "a2.html", "a3.html"]


def test_unchanged_articles_are_not_parsed_again_and_edited_ones_are(tmp_path: Path, archive_site) -> None:
    site, state = archive_site
    state.clear()
    write_archive(tmp_path / "articles", site)
    assert audit(tmp_path, 0).returncode == 0
    edited = tmp_path / "articles" / "article-07.md"
    edited.write_text(edited.read_text("utf-8").replace("/s21>", "/s59>"), "utf-8")
    second = audit(tmp_path, 1)
    assert f"{ARTICLES} articles ({ARTICLES - 1} unchanged), 4 citations read" in second.stderr, second.stderr
    with sqlite3.connect(tmp_path / "audit.db") as db:
        cited = {
            r[0]
            for r in db.execute(
                "SELECT s.url FROM citations c JOIN articles a ON a.id = c.article_id JOIN sources s ON s.id = c.source_id "
                "WHERE a.location LIKE '%article-07.md'"
            )
        }
    assert site.url("/s59") in cited and site.url("/s21") not in cited


def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    from citecheck.audit.store import _MIGRATIONS, AuditStore

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE audit_schema (version INTEGER NOT NULL)")
        for statement in _MIGRATIONS[1]:
            db.execute(statement)
        db.execute("INSERT INTO audit_schema VALUES (1)")
        db.execute("INSERT INTO articles (location, format, seen_at) VALUES ('a.md', 'markdown', 0)")
    store = AuditStore(str(path))
    assert store.query("SELECT version FROM audit_schema") == [(2,)]
    assert store.query("SELECT location, digest FROM articles") == [("a.md", None)]  # kept, and read again next time
    store.close()


def two_sources(tmp: Path, site) -> Path:
    """A folder with one article citing the archive site's /s1 and /s2."""
    folder = tmp / "articles"
    folder.mkdir()
    (folder / "a.md").write_text(
        f"Claim.[^1] Claim.[^2]\n\n[^1]: “Source 1,” Outlet, 2024, <{site.url('/s1')}>.\n[^2]: “Source 2,” Outlet, 2024, <{site.url('/s2')}>.\n", "utf-8"
    )
    return folder


def test_save_archives_live_sources_without_a_recent_capture(tmp_path: Path, archive_site) -> None:
    site, state = archive_site
    state.clear()
    folder = two_sources(tmp_path, site)
    with Loopback("127.0.0.72") as lb:
        wayback = lb[0]
        recent = site.url("/s1")

        def cdx(req: Request) -> Response:  # /s1 has a capture from yesterday; /s2 has none
            from urllib.parse import parse_qs, urlsplit

            url = parse_qs(urlsplit(req.path).query)["url"][0]
            rows = [["timestamp", "original"]] + ([["20991231000000", recent]] if url.endswith("/s1") else [])
            return Response(200, json.dumps(rows).encode(), {"Content-Type": "application/json"})

        def save(req: Request) -> Response:
            original = req.path.split("/save/", 1)[1]
            return Response(200, b"", {"Content-Location": f"/web/20991231120000/{original}"})

        wayback.route("/cdx/search/cdx", cdx)
        wayback.fallback = lambda req: save(req) if req.path.startswith("/save/") else page("Not Found", status=404)
        base = wayback.url("")
        (tmp_path / "citecheck.toml").write_text(
            f'[endpoints]\nwayback_cdx = "{base}/cdx/search/cdx"\nwayback_save = "{base}/save"\n'
            f'wayback_web = "{base}/web"\nwayback_availability = "{base}/available"\narchive_today = "{base}"\n',
            "utf-8",
        )
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "citecheck.cli",
                "audit",
                str(folder),
                "--db",
                str(tmp_path / "audit.db"),
                "--allow-private",
                "--min-interval",
                "0",
                "--save",
                "30",
                "--archive-rate",
                "6000",
                "--config",
                str(tmp_path / "citecheck.toml"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CITECHECK_DNS_CANARY": "localhost"},
        )
        saves = [r.path for r in wayback.requests if r.path.startswith("/save/")]
    assert result.returncode == 0, result.stderr
    assert saves == [f"/save/{site.url('/s2')}"]  # only the source with no recent capture
    with sqlite3.connect(tmp_path / "audit.db") as db:
        archived = dict(db.execute("SELECT url, archive_url FROM sources"))
    assert archived[site.url("/s1")] == f"{base}/web/20991231000000/{recent}"
    assert archived[site.url("/s2")] == f"{base}/web/20991231120000/{site.url('/s2')}"


def test_the_archive_look_ups_and_saves_after_the_checks_are_announced_with_each_step(tmp_path: Path, archive_site) -> None:
    import asyncio

    from citecheck.audit.run import run_audit
    from citecheck.audit.store import AuditStore
    from citecheck.config import FetchOptions
    from citecheck.endpoints import Endpoints
    from citecheck.recover.archive import ArchiveOptions

    site, state = archive_site
    state.clear()
    state.update({1: "gone"})  # /s1 starts failing (looked up in the archives); /s2 is live with no capture (saved)
    folder = two_sources(tmp_path, site)
    with Loopback("127.0.0.73") as lb:
        wayback = lb[0]
        wayback.route("/cdx/search/cdx", lambda req: Response(200, b"[]", {"Content-Type": "application/json"}))
        wayback.fallback = lambda req: page("Not Found", status=404)
        base = wayback.url("")
        endpoints = Endpoints(
            wayback_cdx=f"{base}/cdx/search/cdx",
            wayback_save=f"{base}/save",
            wayback_web=f"{base}/web",
            wayback_availability=f"{base}/available",
            archive_today=base,
        )
        heard: list[tuple[str, int]] = []
        steps: list[str] = []

        def on_stage(label: str, total: int):
            heard.append((label, total))
            return lambda: steps.append(label)

        store = AuditStore(str(tmp_path / "audit.db"))
        fetch = FetchOptions(
            allow_private=True, min_interval=0.0, dns_canary="localhost", http2=False, soft404_probe=False, backoff_initial=0.01, backoff_max=0.02
        )
        asyncio.run(
            run_audit(store, [str(folder)], fetch, endpoints=endpoints, archive=ArchiveOptions(per_minute=6000), save_within_days=30, on_stage=on_stage)
        )
    assert heard == [("looking up archived copies", 1), ("saving to the Wayback Machine", 1)]
    assert steps == ["looking up archived copies", "saving to the Wayback Machine"]


def test_sources_are_checked_while_later_articles_are_still_to_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The resolver pulls each article's sources as it has room: with a window of four fetches,
    the first articles' sources are asked for before the last article is read."""
    import asyncio
    import threading

    import citecheck.audit.run as audit_module
    from citecheck.audit.run import run_audit
    from citecheck.audit.store import AuditStore
    from citecheck.config import FetchOptions

    events: list[str] = []
    lock = threading.Lock()
    read = audit_module._read_file

    def logged_read(store, path, now, summary):  # type: ignore[no-untyped-def]
        with lock:
            events.append(f"read {Path(path).stem}")
        return read(store, path, now, summary)

    monkeypatch.setattr(audit_module, "_read_file", logged_read)

    def source(req: Request) -> Response:
        with lock:
            events.append(f"asked {req.path}")
        return page(f"Source {req.path}")

    folder = tmp_path / "articles"
    folder.mkdir()
    with Loopback("127.0.0.74") as lb:
        lb[0].fallback = source
        for a in range(6):
            (folder / f"a{a}.md").write_text(
                f"Claim.[^1] Claim.[^2]\n\n[^1]: “Source,” Outlet, 2024, <{lb[0].url(f'/a{a}/s1')}>.\n"
                f"[^2]: “Source,” Outlet, 2024, <{lb[0].url(f'/a{a}/s2')}>.\n",
                "utf-8",
            )
        store = AuditStore(str(tmp_path / "audit.db"))
        fetch = FetchOptions(allow_private=True, min_interval=0.0, dns_canary="localhost", http2=False, soft404_probe=False, concurrency=1, per_host=1)
        summary = asyncio.run(run_audit(store, [str(folder)], fetch))
    assert summary.checked == 12 and summary.articles == 6
    assert events.index("asked /a0/s1") < events.index("read a5")  # checking began before the last article was read
    assert sorted(e for e in events if e.startswith("asked")) == sorted(f"asked /a{a}/s{s}" for a in range(6) for s in (1, 2))  # each once


def test_an_audit_reads_a_pages_text_only_when_its_markup_does_not_declare_its_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An audit checks a page for the title, outlet and year it keeps of a citation, which the
    markup gives: the main text (most of reading a page) is read only to guess an undeclared language."""
    import asyncio

    import citecheck.pipeline.pages as check_module
    from citecheck.audit.run import run_audit
    from citecheck.audit.store import AuditStore
    from citecheck.config import FetchOptions
    from citecheck.pipeline.pages import Verification

    read: dict[str, bool] = {}
    real = check_module.extract_all

    def spying(pages):  # type: ignore[no-untyped-def]
        out = real(pages)
        read.update((ev.url.rsplit("/", 1)[1], ev.text_read) for ev in out)
        return out

    monkeypatch.setattr(check_module, "extract_all", spying)
    with Loopback("127.0.0.74") as lb:
        html = (
            "<html{lang}><head><title>Source {i}</title><meta property='og:site_name' content='Outlet'></head><body><p>The report, in full.</p></body></html>"
        )
        lb[0].route("/s1", Response(200, html.format(lang=" lang='en'", i=1).encode(), {"Content-Type": "text/html"}))
        lb[0].route("/s2", Response(200, html.format(lang="", i=2).encode(), {"Content-Type": "text/html"}))
        folder = two_sources(tmp_path, lb[0])
        store = AuditStore(str(tmp_path / "audit.db"))
        fetch = FetchOptions(allow_private=True, min_interval=0.0, dns_canary="localhost", http2=False, soft404_probe=False)
        summary = asyncio.run(run_audit(store, [str(folder)], fetch, verification=Verification(processes=False)))
        statuses = [store.source(lb[0].url(f"/s{i}")).status for i in (1, 2)]  # type: ignore[union-attr]
        store.close()
    assert read == {"s1": False, "s2": True}
    assert summary.checked == 2 and statuses == ["ok", "ok"]


def _audit_cmd(tmp_path: Path, *inputs: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "citecheck.cli",
        "audit",
        *inputs,
        "--db",
        str(tmp_path / "audit.db"),
        "--allow-private",
        "--no-archive",
        "--min-interval",
        "0",
        "--per-host",
        "2",
        "--concurrency",
        "2",
    ]


def _env(tmp_path: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CITECHECK_DNS_CANARY": "localhost", "CITECHECK_NOW": "1767225600", "PYTHONDONTWRITEBYTECODE": "1"}


def test_a_second_audit_on_a_database_in_use_stops_and_a_killed_ones_run_is_resumed(tmp_path: Path, archive_site) -> None:
    site, state = archive_site
    state.clear()
    write_archive(tmp_path / "articles", site)
    cmd, env = _audit_cmd(tmp_path, str(tmp_path / "articles")), _env(tmp_path)
    first = run_until_paused(cmd, "audit-recorded:3", env, str(tmp_path))  # alive, mid-run, holding the database
    try:
        second = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 2 and "Traceback" not in second.stderr
        assert second.stderr.strip() == (
            f"citecheck: error: {tmp_path / 'audit.db'}: another audit is running on this database "
            f"(process {first.pid}); wait for it to finish, or use another --db"
        )
    finally:
        kill(first)
    third = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)  # the dead run is resumed
    assert third.returncode == 0 and "(resumed)" in third.stderr, third.stderr
    with sqlite3.connect(tmp_path / "audit.db") as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT source_id) FROM checks").fetchone() == (SOURCES, SOURCES)  # each checked once


def test_an_unreadable_article_is_skipped_with_a_warning_and_the_audit_goes_on(tmp_path: Path, archive_site) -> None:
    site, state = archive_site
    state.clear()
    write_archive(tmp_path / "articles", site)
    (tmp_path / "articles" / "bad-types.json").write_text('[{"id": 1, "type": "webpage", "title": ["a"], "URL": 7}]', "utf-8")
    (tmp_path / "articles" / "deep.html").write_text("<div>" * 5000 + "<p>x</p>", "utf-8")
    result = subprocess.run(_audit_cmd(tmp_path, str(tmp_path / "articles")), cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "internal error" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "bad-types.json" in line or "deep.html" in line]
    assert len(warnings) == 2 and all(w.endswith("(skipped)") or "skipped" in w for w in warnings), result.stderr
    with sqlite3.connect(tmp_path / "audit.db") as db:
        assert db.execute("SELECT COUNT(DISTINCT source_id) FROM checks").fetchone()[0] == SOURCES


def test_an_audit_database_that_cannot_be_written_is_a_clear_error_and_leaves_nothing(tmp_path: Path) -> None:
    import resource

    (tmp_path / "a.md").write_text("Claim.[^1]\n\n[^1]: “T,” O, May 1, 2024, <http://127.0.0.1:9/x>.\n", "utf-8")

    def full_disk() -> None:  # every file write past 8 KB fails, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    result = subprocess.run(_audit_cmd(tmp_path, "a.md"), cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=120, preexec_fn=full_disk)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"citecheck: error: {tmp_path / 'audit.db'}: cannot write the audit database"), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


@pytest.mark.parametrize("command", ["audit", "check", "parse", "fix"])
def test_an_unwritable_output_is_refused_before_any_work(tmp_path: Path, command: str) -> None:
    with Loopback("127.0.0.72") as lb:
        lb[0].route("/s", page("T"))
        (tmp_path / "a.md").write_text(f"Claim.[^1]\n\n[^1]: “T,” O, May 1, 2024, <{lb[0].url('/s')}>.\n", "utf-8")
        out = str(tmp_path / "no-such-folder" / "out.json")
        extra = {"audit": ["--db", str(tmp_path / "audit.db"), "-o", out], "check": ["-o", f"json={out}"], "parse": ["-o", out], "fix": ["-o", out]}[command]
        fetching = [] if command == "parse" else ["--allow-private", "--no-archive"]
        result = subprocess.run(
            [sys.executable, "-m", "citecheck.cli", command, "a.md", *extra, *fetching],
            cwd=tmp_path,
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2 and result.stderr.strip() == f"citecheck: error: {out}: cannot write: No such file or directory", result.stderr
        assert lb[0].requests == []  # no source was fetched for a report that could not be written
