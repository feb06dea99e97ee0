"""The labelled evaluation set (fixtures/pages/cases.json): every genuine page passes, every twin fails or warns as labelled.

Regenerate the pages and cases with `python fixtures/pages/make_pages.py`; `benchmarks/eval_verify.py`
prints precision and recall over the same set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.model import Level
from citecheck.pipeline.pages import Verification
from citecheck.pipeline.stages import verify_citation
from citecheck.verify.rules import level_of

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
CASES = json.loads((PAGES / "cases.json").read_text("utf-8"))["cases"]
VERIFICATION = Verification()


def test_the_set_is_large_and_balanced_enough() -> None:
    labels = [c["label"] for c in CASES]
    assert len(CASES) >= 60 and labels.count("mismatched") >= 20 and labels.count("ok") >= 20


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict) -> None:
    findings = verify_citation(case["citation"], (PAGES / case["file"]).read_bytes(), url=case["url"], quotes=case["quotes"], verification=VERIFICATION)
    shown = "\n".join(f"{f.level.value} {f.check}: {f.message}" for f in findings)
    predicted = "mismatched" if level_of(findings) is Level.FAIL else "ok"
    assert predicted == case["label"], shown
    if case["expect"] == "pass":
        assert level_of(findings) is Level.PASS, shown
    else:
        level, check = case["expect"].split(":")
        assert any(f.level.value == level and f.check == check for f in findings), shown
