"""The parsers under coverage-guided fuzzing (atheris) for a fixed budget, and the regression inputs it found.

The budget is small for CI (about 20 s); run longer by hand:
    python tests/fuzz/fuzz_parsers.py -max_total_time=600 tests/fuzz/seeds
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "fuzz"
atheris = pytest.importorskip("atheris", reason="atheris has wheels for x86_64 Linux only")


def test_no_crash_within_the_budget(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(HERE / "seeds", corpus)
    result = subprocess.run(
        [sys.executable, str(HERE / "fuzz_parsers.py"), "-max_total_time=20", "-rss_limit_mb=3072", "-seed=1", str(corpus)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    crashes = list(tmp_path.glob("crash-*")) + list(tmp_path.glob("oom-*")) + list(tmp_path.glob("timeout-*"))
    assert result.returncode == 0 and not crashes, result.stderr[-3000:]
    assert "Done" in result.stderr and "runs in" in result.stderr


REGRESSIONS = sorted(p for p in (HERE / "regressions").glob("*") if not p.name.startswith("."))


@pytest.mark.skipif(not REGRESSIONS, reason="fuzzing has found no crash so far: nothing to replay")
@pytest.mark.parametrize("case", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_regressions_found_by_fuzzing(case: Path) -> None:
    sys.path.insert(0, str(HERE))
    from fuzz_parsers import parse  # noqa: E402 - atheris instruments on import

    parse(case.read_bytes())
