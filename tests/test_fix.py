"""`citecheck fix`: moved URLs replaced, archive links added, every other byte unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.loopback import Loopback, Request, Response, page


@pytest.fixture(scope="module")
def web():
    """One loopback host for the articles, one for the Wayback Machine (CDX and raw captures)."""
    with Loopback("127.0.0.50", "127.0.0.51") as lb:
        site, wayback = lb.sites
        site.route("/old", Response(301, b"", {"Location": "/new?id=1&lang=en"}))
        site.route("/new", page("The moved article"))
        site.route("/live", page("A live article"))
        site.route("/gone", page("Not Found", status=404))
        gone = site.url("/gone")

        def cdx(req: Request) -> Response:
            if "gone" in req.path:
                return Response(200, json.dumps([["timestamp", "original", "statuscode"], ["20240305120000", gone, "200"]]).encode())
            return Response(200, b"[]")

        wayback.route("/cdx/search/cdx", cdx)
        wayback.route(f"/web/20240305120000id_/{gone}", page("The gone article, as archived"))
        yield site, wayback


def config(tmp: Path, wayback) -> None:
    base = wayback.url("")
    (tmp / "citecheck.toml").write_text(
        f'[check]\nmin_interval = 0\nverify = false\ncache = "{tmp / "c.db"}"\n\n'
        f'[endpoints]\nwayback_cdx = "{base}/cdx/search/cdx"\nwayback_web = "{base}/web"\nwayback_availability = "{base}/available"\n'
        f'archive_today = "{base}"\n',
        "utf-8",
    )


def fix(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citecheck.cli", "fix", *args, "--allow-private", "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "CITECHECK_DNS_CANARY": "localhost", "HOME": str(cwd)},
    )


def markdown(site) -> str:
    return (
        "# A draft\r\n\r\nThe first claim.[^1] The second claim.[^2] The third.[^3]\r\n\r\n"
        f"[^1]: Ann Diallo, “Moved piece,” Outlet, May 1, 2024, [link]({site.url('/old')}).\r\n"
        f"[^2]: “Gone piece,” Outlet, March 5, 2024, <{site.url('/gone')}>.\r\n"
        f"[^3]: “Live piece,” Outlet, May 2, 2024, {site.url('/live')}.\r\n"
        "\r\nAfter the notes: *untouched* text, odd spacing  and a trailing line without newline"
    )


def outside(text: bytes, *inserted: bytes) -> bytes:
    for piece in inserted:
        text = text.replace(piece, b"", 1)
    return text


def test_markdown_moved_url_replaced_and_dead_source_gets_its_archive(tmp_path: Path, web) -> None:
    site, wayback = web
    config(tmp_path, wayback)
    draft = tmp_path / "draft.md"
    original = ("\ufeff" + markdown(site)).encode("utf-8")
    draft.write_bytes(original)
    result = fix(str(draft), cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # the gone source still fails the run
    fixed = (tmp_path / "draft.fixed.md").read_bytes()
    assert draft.read_bytes() == original  # the draft itself is untouched without --in-place
    new, archived = site.url("/new?id=1&lang=en"), f"{wayback.url('/web')}/20240305120000/{site.url('/gone')}"
    assert f"[link]({new})".encode() in fixed and f"<{site.url('/gone')}> ([archived]({archived}))".encode() in fixed
    # every other byte is the same: remove the edits and the original comes back
    assert outside(fixed, f" ([archived]({archived}))".encode()).replace(new.encode(), site.url("/old").encode()) == original
    assert fixed.startswith(b"\xef\xbb\xbf") and b"\r\n" in fixed and not fixed.endswith(b"\n")


def test_html_gets_robust_links_and_the_new_url(tmp_path: Path, web) -> None:
    site, wayback = web
    config(tmp_path, wayback)
    old, gone = site.url("/old"), site.url("/gone")
    html = (
        f'<html><body><p>Claim<sup><a href="#fn1">1</a></sup> and claim<sup><a href="#fn2">2</a></sup>.</p>\n'
        f'<h2>Notes</h2>\n<ol>\n<li id="fn1">“Moved piece,” Outlet, May 1, 2024, <a href="{old}">{old}</a>.</li>\n'
        f'<li id="fn2">“Gone piece,” Outlet, March 5, 2024, <a class="x" href="{gone}">the report</a>.</li>\n</ol>\n</body></html>\n'
    )
    draft = tmp_path / "draft.html"
    draft.write_text(html, "utf-8")
    result = fix(str(draft), "--in-place", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    fixed = draft.read_text("utf-8")
    assert (tmp_path / "draft.html.bak").read_text("utf-8") == html
    new = site.url("/new?id=1&amp;lang=en")
    assert f'<a href="{new}">{new}</a>' in fixed
    archived = f"{wayback.url('/web')}/20240305120000/{gone}"
    assert f'<a class="x" href="{gone}" data-originalurl="{gone}" data-versionurl="{archived}" data-versiondate="2024-03-05">the report</a>' in fixed
    robust = f' data-originalurl="{gone}" data-versionurl="{archived}" data-versiondate="2024-03-05"'
    assert fixed.replace(robust, "").replace(new, old) == html


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path, web) -> None:
    site, wayback = web
    config(tmp_path, wayback)
    draft = tmp_path / "draft.md"
    draft.write_text(markdown(site), "utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = fix(str(draft), "--dry-run", cwd=tmp_path)
    assert result.stdout.startswith(f"--- a/{draft}") and "+[^1]:" in result.stdout and "-[^1]:" in result.stdout
    changed = [line for line in result.stdout.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed and not any("[^3]" in line for line in changed)  # the live source is not touched
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("name", ["draft.txt", "draft.docx"])
def test_formats_without_link_syntax_are_refused_before_any_request(tmp_path: Path, web, name: str) -> None:
    site, _ = web
    draft = tmp_path / name
    if name.endswith(".docx"):
        import shutil

        shutil.copy(Path(__file__).resolve().parent.parent / "fixtures" / "ctc-sentinel-nasr-interview.docx", draft)
    else:
        draft.write_text(f"Claim.1\nNotes\n[1] “T,” O, 2024, {site.url('/old')}.\n", "utf-8")
    hits = len(site.requests)
    result = fix(str(draft), cwd=tmp_path)
    assert result.returncode == 2 and "repairs Markdown and HTML drafts" in result.stderr and len(result.stderr.splitlines()) == 1
    assert len(site.requests) == hits
