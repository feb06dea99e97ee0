from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = "fixtures/ctc-sentinel-nasr-interview.txt"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so file paths in results match the fixtures'."""
    monkeypatch.chdir(ROOT)
    return ROOT


# CI explores the same examples every run, so a red build is reproducible; locally they vary.
from hypothesis import settings as _settings  # noqa: E402

_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _settings.load_profile("ci")
