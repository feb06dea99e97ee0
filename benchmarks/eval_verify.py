"""Precision and recall of `mismatched` on the labelled set in fixtures/pages/cases.json.

    python benchmarks/eval_verify.py            # the figures, and every case the verifier gets wrong
    python benchmarks/eval_verify.py --sweep    # the same for a range of thresholds (how the defaults were chosen)

A case is (citation as the note writes it, quotations the article attributes to it, page, label).
`mismatched` is the positive class: a case is predicted mismatched when any check fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citecheck.config import VerifyOptions
from citecheck.model import Level
from citecheck.pipeline.pages import Verification
from citecheck.pipeline.stages import verify_citation
from citecheck.verify.rules import level_of

CASES = ROOT / "fixtures" / "pages" / "cases.json"


def load_cases() -> list[dict]:
    return json.loads(CASES.read_text("utf-8"))["cases"]


def run_case(case: dict, verification: Verification) -> tuple[str, list]:
    page = (CASES.parent / case["file"]).read_bytes()
    findings = verify_citation(case["citation"], page, url=case["url"], quotes=case["quotes"], verification=verification)
    return ("mismatched" if level_of(findings) is Level.FAIL else "ok"), findings


def score(cases: list[dict], verification: Verification) -> tuple[float, float, list[tuple[dict, str, list]]]:
    tp = fp = fn = 0
    wrong = []
    for case in cases:
        predicted, findings = run_case(case, verification)
        tp += predicted == case["label"] == "mismatched"
        fp += predicted == "mismatched" != case["label"]
        fn += case["label"] == "mismatched" != predicted
        if predicted != case["label"]:
            wrong.append((case, predicted, findings))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="score a grid of title and quote thresholds")
    args = parser.parse_args()
    cases = load_cases()
    positives = sum(c["label"] == "mismatched" for c in cases)
    print(f"{len(cases)} cases: {positives} mismatched, {len(cases) - positives} ok")
    started = time.perf_counter()
    precision, recall, wrong = score(cases, Verification())
    elapsed = time.perf_counter() - started
    print(f"defaults {VerifyOptions()}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  ({elapsed / len(cases) * 1000:.0f} ms a case)")
    for case, predicted, findings in wrong:
        print(f"  WRONG {case['name']}: labelled {case['label']}, predicted {predicted}")
        for f in findings:
            print(f"      {f.level.value:5} {f.check}: {f.message}")
    if args.sweep:
        print("\ntitle_pass title_warn quote_warn  precision recall")
        for title_warn in (0.6, 0.7, 0.75, 0.8, 0.85):
            for quote_warn in (0.85, 0.9, 0.94, 0.97):
                options = replace(VerifyOptions(), title_warn=title_warn, quote_warn=quote_warn)
                p, r, _ = score(cases, Verification(options))
                print(f"{options.title_pass:10.2f} {title_warn:10.2f} {quote_warn:10.2f}  {p:9.3f} {r:6.3f}")


if __name__ == "__main__":
    main()
