"""The package's shape: the pipeline's stages are its subpackages, the top level holds only what
every stage shares, and no module grows past what a reader takes in at once. (The layers between
the stages are import-linter's contracts in pyproject.toml, checked by `lint-imports` in .ci/run.)"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "citecheck"
STAGES = {"ingest", "parse", "discover", "fetch", "recover", "verify", "pipeline", "audit", "report", "serve", "cli"}


def test_the_stages_are_the_subpackages() -> None:
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - {"data"}
    assert packages == STAGES


def test_the_top_level_holds_at_most_twelve_modules() -> None:
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= 12, modules


def test_no_module_is_over_six_hundred_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text("utf-8").splitlines())) > 600}
    assert long == {}
