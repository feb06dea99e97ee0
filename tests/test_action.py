"""The GitHub Action: action.yml is consistent, and its script checks drafts, writes the reports and the outputs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from fixtures.serve_sources import HOSTS, start
from tests.loopback import Loopback

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0-rtm.5.json").read_text("utf-8"))


def test_every_input_used_is_declared_and_every_declared_input_is_used() -> None:
    text = (ROOT / "action.yml").read_text("utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used == set(ACTION["inputs"]), used ^ set(ACTION["inputs"])
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            assert re.search(r"@v\d+$", step["uses"]), step["uses"]  # pinned to a major version
        else:
            assert step.get("shell") == "bash"


def test_ci_runs_the_action_on_the_fixtures() -> None:
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    steps = ci["jobs"]["action"]["steps"]
    assert any(step.get("uses") == "./" for step in steps)
    assert any("serve_sources.py" in step.get("run", "") for step in steps)
    assert "bash .ci/run" in [step.get("run") for step in ci["jobs"]["test"]["steps"]]


@pytest.fixture
def sources(tmp_path: Path):
    def serve(swap: dict[str, str] | None = None) -> Path:
        start(lb, tmp_path / "sources", swap or {})
        return tmp_path / "sources"

    with Loopback(*HOSTS.values(), "127.0.0.37") as lb:
        yield serve


def run_action(tmp_path: Path, sources: Path, paths: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    github_output, summary = tmp_path / "github_output", tmp_path / "summary.md"
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "CITECHECK_DNS_CANARY": "localhost",
        "CITECHECK": str(Path(sys.executable).parent / "citecheck"),
        "INPUT_PATHS": paths,
        "INPUT_ARGS": f"--allow-private --config {sources / 'citecheck.toml'} --links {sources / 'links.toml'}",
        "INPUT_OUTPUT_DIR": str(tmp_path / "reports"),
        "GITHUB_OUTPUT": str(github_output),
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    result = subprocess.run(["bash", str(ROOT / "action" / "run.sh")], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    outputs = dict(line.split("=", 1) for line in github_output.read_text("utf-8").splitlines()) if github_output.exists() else {}
    return result, outputs


def test_the_action_checks_the_seed_in_two_formats(tmp_path: Path, sources) -> None:
    served = sources()
    result, outputs = run_action(tmp_path, served, "fixtures/ctc-sentinel-nasr-interview.txt fixtures/*.md")
    assert result.returncode == 0, result.stderr
    assert outputs["exit-code"] == "0", result.stdout + result.stderr
    reports = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert reports == [
        "001-ctc-sentinel-nasr-interview.txt.json",
        "001-ctc-sentinel-nasr-interview.txt.md",
        "001-ctc-sentinel-nasr-interview.txt.sarif",
        "002-ctc-sentinel-nasr-interview.md.json",
        "002-ctc-sentinel-nasr-interview.md.md",
        "002-ctc-sentinel-nasr-interview.md.sarif",
        "comment.md",
    ]
    for sarif in (tmp_path / "reports").glob("*.sarif"):
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(sarif.read_text("utf-8")))
    assert "::group::citecheck fixtures/ctc-sentinel-nasr-interview.md" in result.stdout
    assert (tmp_path / "summary.md").read_text("utf-8").count("### ✅ citecheck") == 2


def test_the_action_reports_a_mismatched_source_with_an_annotation(tmp_path: Path, sources) -> None:
    served = sources({"9": "hrw-barsalogho.quote-reworded.html"})
    result, outputs = run_action(tmp_path, served, "fixtures/ctc-sentinel-nasr-interview.txt")
    assert outputs["exit-code"] == "1"
    assert re.search(
        r"^::error file=fixtures/ctc-sentinel-nasr-interview\.txt,line=42,col=\d+,title=citecheck%3A notes 9%2C 11%2C 12 mismatched::",
        result.stderr,
        re.MULTILINE,
    ), result.stderr
    assert "**mismatched**" in (tmp_path / "reports" / "comment.md").read_text("utf-8")


def test_a_path_matching_nothing_is_an_error(tmp_path: Path, sources) -> None:
    served = sources()
    result, outputs = run_action(tmp_path, served, "articles/*.md")
    assert outputs["exit-code"] == "2" and "::error title=citecheck::no draft matches 'articles/*.md'" in result.stdout
