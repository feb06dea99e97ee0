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
