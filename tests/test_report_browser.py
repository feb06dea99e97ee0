"""The HTML report in a real browser (headless Chromium): it renders its table, and its filters work.

.ci/run installs Debian's chromium when it is missing; elsewhere the test needs chromium or Chrome on PATH.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from citecheck.report import CHECK_FORMATS
from tests.test_report_formats import fixed_report

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium or Chrome on PATH (.ci/run installs Debian's chromium)")
RED = (0xCF, 0x22, 0x2E)  # the badge of missing and mismatched
GREEN = (0x1A, 0x7F, 0x37)  # the badge of ok


def browser(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-dev-shm-usage", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(CHECK_FORMATS["html"](fixed_report()), "utf-8")
    return path


def rows(dom: str) -> list[tuple[str, bool]]:
    """(verdict, hidden) of each table row in a dumped DOM."""
    out = []
    for tag in re.findall(r"<tr\b[^>]*data-verdict[^>]*>", dom):
        verdict = re.search(r'data-verdict="(\w+)"', tag)
        assert verdict is not None
        out.append((verdict.group(1), bool(re.search(r'class="[^"]*\bhidden\b', tag))))
    return out


def test_every_source_renders_as_a_row(report_file: Path) -> None:
    dom = browser("--dump-dom", report_file.as_uri()).stdout
    assert [v for v, _ in rows(dom)] == [c.verdict.value for c in fixed_report().checks]
    assert not any(hidden for _, hidden in rows(dom))
    assert '<span id="shown">8</span>' in dom


def test_the_filter_shows_only_the_chosen_verdicts(report_file: Path) -> None:
    dom = browser("--dump-dom", report_file.as_uri() + "#verdict=missing,mismatched").stdout
    shown = [v for v, hidden in rows(dom) if not hidden]
    assert shown == ["missing", "mismatched"] and '<span id="shown">2</span>' in dom


def colours(png: Path) -> set[tuple[int, int, int]]:
    with Image.open(png) as image:
        return {rgb for _, rgb in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}


def test_screenshot_shows_the_table_and_the_filter_hides_rows(report_file: Path, tmp_path: Path) -> None:
    everything, only_ok = tmp_path / "all.png", tmp_path / "ok.png"
    browser(f"--screenshot={everything}", "--window-size=1280,1600", report_file.as_uri())
    browser(f"--screenshot={only_ok}", "--window-size=1280,1600", report_file.as_uri() + "#verdict=ok")
    seen, seen_ok = colours(everything), colours(only_ok)
    assert len(seen) > 50  # text, badges, borders: a rendered page, not a blank one
    assert RED in seen and GREEN in seen
    assert GREEN in seen_ok and RED not in seen_ok  # the missing and mismatched rows are gone
