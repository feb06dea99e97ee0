"""The editors' page in a real browser: Playwright drives the machine's own Chromium (never a
downloaded one). The bundled example is dropped on the page, its verdicts arrive, a found URL is
accepted, and the repaired draft downloaded is, byte for byte, what `citecheck fix` writes.

`CITECHECK_UPDATE_SCREENSHOT=1` also writes the README's picture of the page (docs/images/serve.png).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedweb import SeedWeb
from tests.test_serve import EXAMPLE, ROOT, Page, fixed_by_cli

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable") if shutil.which(b)), None)
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra installs it)")
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium or Chrome on PATH (.ci/run installs Debian's chromium)")
SCREENSHOT = ROOT / "docs" / "images" / "serve.png"
# a browser that does not reach for the network by itself: this machine's only peers are on loopback
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Page, Path]]:
    import uvicorn

    monkey = pytest.MonkeyPatch()
    monkey.setenv("CITECHECK_DNS_CANARY", "localhost")
    with SeedWeb(tmp_path) as web:
        (tmp_path / "linked.toml").write_text(f'"10" = "{web.note10}"\n', "utf-8")
        page = Page(web, tmp_path, tmp_path / "data")
        server = uvicorn.Server(uvicorn.Config(page.app, host="127.0.0.1", port=0, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        started = threading.Event()
        while not started.wait(0.05):  # until the server says it listens (or has died): an observable point, not a guess
            if server.started or not thread.is_alive():
                started.set()
        assert server.started, "the server did not start"
        port = server.servers[0].sockets[0].getsockname()[1]
        try:
            yield f"http://127.0.0.1:{port}", page, tmp_path
        finally:
            server.should_exit = True
            thread.join(timeout=30)
    monkey.undo()


def test_drop_the_example_watch_the_verdicts_accept_a_found_url_and_download_the_repaired_draft(served: tuple[str, Page, Path]) -> None:
    base, page_settings, tmp = served
    draft = EXAMPLE.with_suffix(".md")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=BROWSER, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.goto(base + "/")
        # a real drop: a DataTransfer holding the file, dropped on the drop zone
        page.evaluate(
            """([name, text]) => {
                const transfer = new DataTransfer();
                transfer.items.add(new File([text], name, {type: "text/markdown"}));
                const zone = document.getElementById("drop");
                zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
                zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
            }""",
            [draft.name, draft.read_text("utf-8")],
        )
        page.wait_for_url(f"{base}/drafts/*")
        assert page.locator("tr[data-source]").count() == 18
        page.click("#check")
        page.wait_for_selector('#draft[data-state="checked"]', timeout=240_000)
        assert page.locator("td.verdict .badge.ok").count() == 14 and page.locator("td.verdict .badge.unlinked").count() == 1
        assert "15 sources: 14 ok, 1 unlinked" in page.inner_text("#summary")
        offer = page.locator('tr[data-source="3.1"] form[data-offer]')
        offer.get_by_role("button", name="Accept").click()
        page.wait_for_selector('tr[data-source="3.1"] form.offer.accepted')
        if os.environ.get("CITECHECK_UPDATE_SCREENSHOT"):
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(SCREENSHOT), full_page=False)
        with page.expect_download() as download:
            page.click("text=the repaired draft")
        repaired = tmp / "downloaded.md"
        download.value.save_as(str(repaired))
        browser.close()
    assert repaired.read_bytes() == fixed_by_cli(page_settings, tmp)


def test_the_readme_shows_the_page() -> None:
    assert SCREENSHOT.is_file() and SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "docs/images/serve.png" in (ROOT / "README.md").read_text("utf-8")
