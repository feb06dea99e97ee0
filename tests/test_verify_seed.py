"""End to end: `citecheck check` on the seed article, its sources served by loopback hosts.

The seed gives one URL; the rest come from a links file with the URLs a reader would find, pointing
at loopback hosts that serve the fixture pages (fixtures/pages). The config file maps each outlet to
its loopback host, as a newsroom's mirror would, and points the YouTube oEmbed endpoint at a fake.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.serve_sources import HOSTS, serve, write_files
from tests.loopback import Loopback

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "ctc-sentinel-nasr-interview.txt"
ENV = {"PATH": "/usr/bin:/bin", "CITECHECK_DNS_CANARY": "localhost"}


@pytest.fixture(scope="module")
def servers():
    """The seed's sources on loopback hosts (fixtures/serve_sources.py, as the CI workflow serves them)."""
    with Loopback(*HOSTS.values(), "127.0.0.37") as lb:
        serve(lb)
        yield lb


def check_seed(tmp_path: Path, servers, swap: dict[str, str] | None = None, *flags: str) -> subprocess.CompletedProcess[str]:
    """`citecheck check` on a copy of the seed, with the links file and config written for the served pages."""
    draft = tmp_path / "article.txt"
    shutil.copy(SEED, draft)
    write_files(servers, tmp_path / "sources", swap or {})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck.cli",
            "check",
            str(draft),
            "--links",
            str(tmp_path / "sources" / "links.toml"),
            "--config",
            str(tmp_path / "sources" / "citecheck.toml"),
            "--allow-private",
            "--no-cache",
            *flags,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**ENV, "HOME": str(tmp_path)},
    )


def run(tmp_path: Path, servers, swap: dict[str, str] | None = None) -> dict:
    result = check_seed(tmp_path, servers, swap, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    report["exit"] = result.returncode
    return report


def by_source(report: dict) -> dict[str, dict]:
    return {c["source_id"]: c for c in report["checks"]}


def test_the_seed_article_checks_clean_against_its_genuine_sources(tmp_path: Path, servers) -> None:
    report = run(tmp_path, servers)
    checks = by_source(report)
    verdicts = {sid: c["verdict"] for sid, c in checks.items()}
    assert verdicts == {
        "1.1": "ok",
        "1.2": "ok",
        "2.1": "ok",
        "3.1": "ok",
        "4.1": "ok",
        "5.1": "unlinked",
        "6.1": "ok",
        "7.1": "ok",
        "8.1": "ok",
        "9.1": "ok",
        "10.1": "ok",
        "13.1": "unlinked",
        "14.1": "ok",
        "15.1": "unlinked",
        "16.1": "ok",
    }, verdicts
    assert report["exit"] == 0
    # the three quotations the article attributes to Human Rights Watch (notes 9, 11 and 12) were all found on its page
    hrw = [f for f in checks["9.1"]["findings"] if f["check"] == "quote"]
    assert len(hrw) == 3 and all(f["level"] == "pass" for f in hrw)
    un = [f for f in checks["14.1"]["findings"] if f["check"] == "quote"]
    assert [f["level"] for f in un] == ["pass"]
    # the French video cited for the French version: its title and channel came from YouTube's oEmbed
    assert {f["check"]: f["level"] for f in checks["1.1"]["findings"]} == {"title": "pass", "date": "skip", "outlet": "pass"}
    assert checks["1.1"]["verified_against"] == "YouTube's embed endpoint"
    assert checks["4.1"]["verified_against"] == "the live page"


def test_altered_sources_make_their_notes_mismatched(tmp_path: Path, servers) -> None:
    swap = {
        "9": "hrw-barsalogho.quote-reworded.html",
        "4": "bbc-mali-attack.retitled.html",
        "2": "rfi-mali.redated.html",
        "6": "bbc-radisson.redated-2-days.html",
    }
    report = run(tmp_path, servers, swap)
    checks = by_source(report)
    assert report["exit"] == 1
    assert {sid: checks[sid]["verdict"] for sid in ("9.1", "4.1", "2.1", "6.1", "7.1")} == {
        "9.1": "mismatched",
        "4.1": "mismatched",
        "2.1": "mismatched",
        "6.1": "ok",
        "7.1": "ok",
    }
    assert "quotation not found" in checks["9.1"]["reason"] and "title differs" in checks["4.1"]["reason"] and "date differs" in checks["2.1"]["reason"]
    assert [f["level"] for f in checks["6.1"]["findings"] if f["check"] == "date"] == ["warn"]


def test_the_text_report_shows_what_failed_and_what_only_warns(tmp_path: Path, servers) -> None:
    result = check_seed(tmp_path, servers, {"9": "hrw-barsalogho.quote-reworded.html", "6": "bbc-radisson.redated-2-days.html"})
    out = result.stdout
    assert result.returncode == 1
    assert "1 mismatched" in out.splitlines()[0] and "with warnings" in out.splitlines()[0]
    assert "[mismatched] notes 9, 11, 12" in out
    assert "fail:  quote: quotation not found on the page" in out and "quoted: “this would not be an excuse" in out
    assert "warn:  date: date off by 2 days: the page says 2020-10-30" in out


def test_a_real_run_validates_against_the_published_schema(tmp_path: Path, servers) -> None:
    import jsonschema

    from citecheck.report.schema import SCHEMA_DIR

    report = run(tmp_path, servers, {"9": "hrw-barsalogho.quote-reworded.html"})
    report.pop("exit")
    jsonschema.Draft202012Validator(json.loads((SCHEMA_DIR / "check-1.json").read_text("utf-8"))).validate(report)
