"""The editors' page, through its test client, against the loopback copy of the bundled example's
cited pages (tests/seedweb.py): uploads of each format, verdicts streamed as they are decided,
accept and reject, downloads, reopening without fetching again, the token, the size limit, bad files."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from citecheck.cli import build_parser
from citecheck.cli.settings import check_runner, shown_settings, with_flags
from citecheck.config import load_config
from citecheck.serve.app import ServeSettings, create_app
from tests.seedweb import SeedWeb

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "fixtures" / "ctc-sentinel-nasr-interview"


class Page:
    """The application on a data folder, with the flags `citecheck serve` would be given."""

    def __init__(self, web: SeedWeb, tmp: Path, data: Path, *, token: str | None = None, max_upload: int = 50 * 1024 * 1024) -> None:
        self.flags = ["--config", str(web.config), "--allow-private", "--no-cache", "--links", str(tmp / "linked.toml"), "--processes", "no"]
        args = build_parser().parse_args(["serve", *self.flags])
        config = with_flags(load_config(str(tmp / "draft"), args.config), args)
        self.app = create_app(ServeSettings(data, check_runner(args, config), lambda: shown_settings(args, config), token=token, max_upload=max_upload))

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://127.0.0.1:8765")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def upload(client: TestClient, name: str, data: bytes, **extra: str) -> tuple[int, str]:
    csrf = csrf_of(client.get("/").text)
    answer = client.post("/drafts", data={"csrf": csrf, **extra}, files={"file": (name, data, "application/octet-stream")}, follow_redirects=False)
    return answer.status_code, answer.headers.get("location", answer.text)


def fixed_by_cli(page: Page, tmp: Path) -> bytes:
    """What `citecheck fix` writes for the bundled example with the page's settings (every fix offered), as tmp/fixed.md."""
    copy = tmp / "article.md"
    copy.write_bytes(EXAMPLE.with_suffix(".md").read_bytes())
    fix = subprocess.run(
        [sys.executable, "-m", "citecheck.cli", "fix", str(copy), "-o", str(tmp / "fixed.md"), *page.flags],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp), "CITECHECK_DNS_CANARY": "localhost"},
    )
    assert fix.returncode in (0, 1), fix.stderr
    return (tmp / "fixed.md").read_bytes()


def events_of(client: TestClient, draft: str) -> list[tuple[str, str]]:
    with client.stream("GET", f"{draft}/events") as stream:
        lines = list(stream.iter_lines())
    names = [line[len("event: ") :] for line in lines if line.startswith("event: ")]
    datas = [line[len("data: ") :] for line in lines if line.startswith("data: ")]
    return list(zip(names, datas, strict=True))


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SeedWeb, Path]]:
    tmp = tmp_path_factory.mktemp("serve")
    monkey = pytest.MonkeyPatch()
    monkey.setenv("CITECHECK_DNS_CANARY", "localhost")
    with SeedWeb(tmp) as seed:
        (tmp / "linked.toml").write_text(f'"10" = "{seed.note10}"\n', "utf-8")  # the one linked source, on the fake web
        yield seed, tmp
    monkey.undo()


@pytest.fixture(scope="module")
def checked(web: tuple[SeedWeb, Path]) -> Iterator[tuple[Page, TestClient, str, list[tuple[str, str]]]]:
    """The bundled example in Markdown, uploaded and checked once for the tests that read its results."""
    seed, tmp = web
    page = Page(seed, tmp, tmp / "data")
    with page.client() as client:
        status, draft = upload(client, "article.md", EXAMPLE.with_suffix(".md").read_bytes())
        assert status == 303
        assert client.post(f"{draft}/check", data={"csrf": csrf_of(client.get(draft).text)}, follow_redirects=False).status_code == 303
        yield page, client, draft, events_of(client, draft)


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".txt"])
def test_each_format_uploads_and_its_notes_appear_as_parsed(web: tuple[SeedWeb, Path], tmp_path: Path, suffix: str) -> None:
    seed, tmp = web
    with Page(seed, tmp, tmp_path).client() as client:
        status, draft = upload(client, f"article{suffix}", EXAMPLE.with_suffix(suffix).read_bytes())
        assert status == 303 and draft.startswith("/drafts/")
        page = client.get(draft).text
    assert page.count('<tr id="s-') == 18  # every citation of the 17 notes, as `citecheck parse` reads them
    assert "How the Wagner Group Is Aggravating the Jihadi Threat in the Sahel" in page and "not checked" in page


def test_pasted_text_is_a_draft_too(web: tuple[SeedWeb, Path], tmp_path: Path) -> None:
    seed, tmp = web
    with Page(seed, tmp, tmp_path).client() as client:
        csrf = csrf_of(client.get("/").text)
        answer = client.post("/drafts", data={"csrf": csrf, "text": EXAMPLE.with_suffix(".txt").read_text("utf-8")}, follow_redirects=False)
        assert answer.status_code == 303
        assert client.get(answer.headers["location"]).text.count('<tr id="s-') == 18


def test_verdicts_stream_in_as_they_are_decided_then_the_report_ends(checked: tuple[Page, TestClient, str, list[tuple[str, str]]]) -> None:
    _, _, _, events = checked
    names = [name for name, _ in events]
    assert names[-1] == "done" and names.count("done") == 1
    assert names.index("check") < names.index("done") and "progress" in names[: names.index("check")]
    sources = {re.search(r'"source": "([^"]+)"', data).group(1) for name, data in events if name == "check"}  # type: ignore[union-attr]
    assert len(sources) == 15  # each cited work heard at least once, final after the later stages
    assert '"summary": "15 sources: 14 ok, 1 unlinked"' in events[-1][1]


def test_the_page_shows_the_evidence_and_offers_the_found_urls(checked: tuple[Page, TestClient, str, list[tuple[str, str]]]) -> None:
    _, client, draft, _ = checked
    page = client.get(draft).text
    assert page.count('class="badge ok"') == 14 and page.count('class="badge unlinked"') == 1
    assert "found by outlet-urls" in page and "title matches" in page and "quotation found" in page
    assert page.count("data-offer") == 13  # the 13 works found for notes that gave no URL


def test_accepting_keeps_the_fix_and_rejecting_leaves_the_note_as_written(
    checked: tuple[Page, TestClient, str, list[tuple[str, str]]], web: tuple[SeedWeb, Path], tmp_path: Path
) -> None:
    page, client, draft, _ = checked
    seed, tmp = web
    csrf = csrf_of(client.get(draft).text)
    fixed_by_cli(page, tmp_path)
    assert client.post(f"{draft}/decide", data={"csrf": csrf, "source": "3.1", "decision": "accept"}, follow_redirects=False).status_code == 303
    assert client.get(f"{draft}/download/fixed").content == (tmp_path / "fixed.md").read_bytes()
    fixed = (tmp_path / "fixed.md").read_text("utf-8")
    found = re.search(r"\[How the Wagner Group[^\]]*\]\(<?([^)>]+)>?\)", fixed)
    assert found is not None  # the found URL made the title a link
    assert client.post(f"{draft}/decide", data={"csrf": csrf, "source": "3.1", "decision": "reject"}, follow_redirects=False).status_code == 303
    rejected = client.get(f"{draft}/download/fixed").text
    assert found.group(1) not in rejected and "“How the Wagner Group Is Aggravating the Jihadi Threat in the Sahel,”" in rejected
    assert rejected.count("](<http") == fixed.count("](<http") - 1  # every other fix kept


def test_every_report_format_downloads_once_checked(checked: tuple[Page, TestClient, str, list[tuple[str, str]]], tmp_path: Path) -> None:
    _, client, draft, _ = checked
    for name, start in [
        ("report.json", "{"),
        ("report.sarif", "{"),
        ("report.md", "#"),
        ("report.html", "<!DOCTYPE html>"),
        ("report.xml", "<?xml"),
        ("report.csl.json", "["),
        ("links.toml", "#"),
        ("report.txt", ""),
    ]:
        answer = client.get(f"{draft}/download/{name}")
        assert answer.status_code == 200 and answer.text.lstrip().startswith(start), name
        assert "attachment" in answer.headers["content-disposition"]
    assert client.get(f"{draft}/download/../../etc/passwd").status_code == 404
    assert client.get(f"{draft}/download/meta.json").status_code == 404


def test_a_draft_reopens_with_its_results_without_fetching_again(
    checked: tuple[Page, TestClient, str, list[tuple[str, str]]], web: tuple[SeedWeb, Path]
) -> None:
    _, _, draft, _ = checked
    seed, tmp = web
    asked = sum(seed.services.asked.values())
    with Page(seed, tmp, tmp / "data").client() as client:  # the page started again, on the same data folder
        home = client.get("/").text
        page = client.get(draft).text
    assert "article.md" in home and "15 sources: 14 ok, 1 unlinked" in home
    assert page.count('class="badge ok"') == 14 and sum(seed.services.asked.values()) == asked


def test_a_download_before_any_check_says_to_check_first(web: tuple[SeedWeb, Path], tmp_path: Path) -> None:
    seed, tmp = web
    with Page(seed, tmp, tmp_path).client() as client:
        _, draft = upload(client, "article.md", EXAMPLE.with_suffix(".md").read_bytes())
        answer = client.get(f"{draft}/download/report.json")
    assert answer.status_code == 409 and "Check the draft first" in answer.text


def _docx_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "status", "says"),
    [
        ("notes.pdf", b"%PDF-1.7", 415, "citecheck reads Word (.docx), Markdown (.md), HTML (.html) and text (.txt) drafts"),
        ("broken.docx", _docx_without_document(), 422, "broken.docx"),
        ("no-notes.md", b"# A title\n\nNo notes here at all.\n", 422, "no-notes.md"),
        ("empty.txt", b"", 422, "empty.txt"),
    ],
)
def test_a_bad_file_gets_a_clear_message_never_a_traceback(web: tuple[SeedWeb, Path], tmp_path: Path, name: str, data: bytes, status: int, says: str) -> None:
    seed, tmp = web
    with Page(seed, tmp, tmp_path).client() as client:
        got, body = upload(client, name, data)
    assert got == status and says in body and "Traceback" not in body and str(tmp_path) not in body


def test_an_upload_over_the_limit_is_refused(web: tuple[SeedWeb, Path], tmp_path: Path) -> None:
    seed, tmp = web
    with Page(seed, tmp, tmp_path, max_upload=1024 * 1024).client() as client:
        status, body = upload(client, "big.md", b"x" * (2 * 1024 * 1024))
    assert status == 413 and "larger than the 1 MB limit" in body
    assert not any((tmp_path / "drafts").iterdir())  # nothing kept of it


def test_a_form_without_the_pages_token_or_from_another_site_is_refused(web: tuple[SeedWeb, Path], tmp_path: Path) -> None:
    seed, tmp = web
    with Page(seed, tmp, tmp_path).client() as client:
        data = EXAMPLE.with_suffix(".md").read_bytes()
        forged = client.post("/drafts", data={"csrf": "guess"}, files={"file": ("a.md", data)}, follow_redirects=False)
        csrf = csrf_of(client.get("/").text)
        elsewhere = client.post(
            "/drafts", data={"csrf": csrf}, files={"file": ("a.md", data)}, headers={"Origin": "https://evil.example"}, follow_redirects=False
        )
    assert forged.status_code == 403 and elsewhere.status_code == 403
    assert not (tmp_path / "drafts").exists() or not any((tmp_path / "drafts").iterdir())


def test_beyond_loopback_every_request_needs_the_token(web: tuple[SeedWeb, Path], tmp_path: Path) -> None:
    seed, tmp = web
    with Page(seed, tmp, tmp_path, token="s3cret-token").client() as client:
        assert client.get("/").status_code == 403
        assert client.get("/settings").status_code == 403
        assert client.get("/?token=wrong").status_code == 403
        first = client.get("/?token=s3cret-token")
        assert first.status_code == 200 and "citecheck_token" in first.headers["set-cookie"]
        assert client.get("/settings").status_code == 200  # the cookie carries it from then on


def test_unknown_drafts_and_pages_are_a_clear_404(web: tuple[SeedWeb, Path], tmp_path: Path) -> None:
    seed, tmp = web
    with Page(seed, tmp, tmp_path).client() as client:
        for path in ("/drafts/0123456789abcdef", "/drafts/..%2F..%2Fetc", "/nowhere", "/static/../../pyproject.toml"):
            answer = client.get(path)
            assert answer.status_code == 404 and "Traceback" not in answer.text, path


def test_the_settings_page_shows_the_configuration_and_the_backends(web: tuple[SeedWeb, Path], tmp_path: Path) -> None:
    seed, tmp = web
    with Page(seed, tmp, tmp_path).client() as client:
        page = client.get("/settings").text
    assert "fail_on" in page and str(seed.config) in page
    assert "<th>search</th><td>asked</td>" in page and "openalex" in page and "not asked" in page


def test_one_work_is_checked_again_alone_and_the_rest_of_the_report_stays(web: tuple[SeedWeb, Path], tmp_path: Path) -> None:
    seed, tmp = web
    ctc = seed.sites["CTC Sentinel"]
    with Page(seed, tmp, tmp_path).client() as client:
        _, draft = upload(client, "article.md", EXAMPLE.with_suffix(".md").read_bytes())
        csrf = csrf_of(client.get(draft).text)
        assert client.post(f"{draft}/check", data={"csrf": csrf, "source": "3.1"}, follow_redirects=False).status_code == 409  # not checked yet
        client.post(f"{draft}/check", data={"csrf": csrf}, follow_redirects=False)
        events_of(client, draft)
        others = {name: len(site.requests) for name, site in seed.sites.items() if name not in ("CTC Sentinel", "api")}
        asked = len(ctc.requests)
        client.post(f"{draft}/check", data={"csrf": csrf, "source": "3.1"}, follow_redirects=False)
        again = events_of(client, draft)
        report = client.get(f"{draft}/download/report.json").json()
    assert [name for name, _ in again if name == "check"] and all('"source": "3.1"' in data for name, data in again if name == "check")
    assert len(ctc.requests) > asked  # the work was fetched again
    assert {name: len(site.requests) for name, site in seed.sites.items() if name not in ("CTC Sentinel", "api")} == others  # and no other
    assert len(report["checks"]) == 15 and report["summary"]["ok"] == 14
    assert next(c for c in report["checks"] if c["source_id"] == "3.1")["verdict"] == "ok"
