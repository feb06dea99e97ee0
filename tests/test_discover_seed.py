"""The bundled example, run against a fake web that holds its cited works at URLs shaped like the
real ones (tests/seedweb.py): every work its notes do not link is found, or (note 15's post,
which the fake web deliberately lacks) honestly unlinked; the links file written for it reads back
to the same results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.seedweb import POSTS, SEED, WORKS, SeedWeb

EXPECTED_VIA = {
    "1.1": "search",
    "1.2": "listings",
    "2.1": "listings",
    "3.1": "outlet-urls",
    "4.1": "gdelt",
    "5.1": "x-archive",
    "6.1": "gdelt",
    "7.1": "gdelt",
    "8.1": "listings",
    "9.1": "outlet-urls",
    "13.1": "x-archive",
    "14.1": "search",
    "16.1": "outlet-urls",
}


def _check(web: SeedWeb, tmp: Path, *extra: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "citecheck.cli", "check", str(SEED), "--config", str(web.config), "--allow-private", "--no-cache", "--format", "json", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp), "CITECHECK_DNS_CANARY": "localhost"},
    )
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    return {c["source_id"]: c for c in json.loads(result.stdout)["checks"]}


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("seed")
    with SeedWeb(tmp) as web:
        # the note that links its source gets that source's copy on the fake web: no test asks the real site
        linked = f'"10" = "{web.note10}"\n'
        (tmp / "linked.toml").write_text(linked, "utf-8")
        found = _check(web, tmp, "--links", str(tmp / "linked.toml"), "--links-out", str(tmp / "links.toml"))
        written = (tmp / "links.toml").read_text("utf-8")
        (tmp / "both.toml").write_text(written + linked, "utf-8")
        again = _check(web, tmp, "--links", str(tmp / "both.toml"), "--no-discover")
        yield web, found, again, written, dict(web.services.asked)


def test_every_work_the_example_does_not_link_is_found_at_its_true_url(seed_run) -> None:
    web, checks, _, _, _ = seed_run
    truth = {f"{note}.1" if "." not in note else note: web.url(note) for note in WORKS}
    truth["1.1"] = "https://www.youtube.com/watch?v=sahel202410"
    truth |= {f"{note}.1": f"https://x.com/SimNasr/status/{post}" for note, post in POSTS.items()}
    from urllib.parse import unquote

    for source_id, via in EXPECTED_VIA.items():
        check = checks[source_id]
        assert check["verdict"] == "ok" and check["found"]["via"] == via, (source_id, check["reason"])
        assert unquote(check["url"]) == truth[source_id] and check["fix"] == check["url"]
        assert check["reason"].startswith("the note gives no URL; found ")
    assert len(EXPECTED_VIA) == 13  # with note 15, the 14 works of the example that its notes do not link


def test_a_work_the_fake_web_lacks_is_honestly_unlinked(seed_run) -> None:
    _, checks, _, _, _ = seed_run
    assert checks["15.1"]["verdict"] == "unlinked" and checks["15.1"]["found"] is None
    assert "none matches" in checks["15.1"]["reason"]  # the archive answered: its listing was read


def test_the_links_file_reads_back_to_the_same_results(seed_run) -> None:
    _, found, again, links, asked = seed_run
    assert links.count(" = ") == 13
    for source_id in EXPECTED_VIA:
        assert again[source_id]["url"] == found[source_id]["url"] and again[source_id]["verdict"] == found[source_id]["verdict"], source_id
        assert again[source_id]["found"] is None  # read from the links file: nothing was looked for


def test_the_services_are_asked_sparingly(seed_run) -> None:
    *_, asked = seed_run
    # two runs; the second (--links, --no-discover) looks nothing up.
    # GDELT: once for each work dated to the day that the cheaper backends did not find (notes 4, 6, 7, 14);
    # the search: for the video, the UN report and note 15's post, which no listing holds
    assert asked["gdelt"] == 4 and asked["search"] == 3 and asked.get("crossref", 0) == 1, asked
