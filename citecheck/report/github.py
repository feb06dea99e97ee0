"""GitHub Actions: workflow-command annotations on the draft's lines, and the job summary.

Annotations go to stderr (the runner reads workflow commands from both streams), so a report on
stdout stays valid JSON or SARIF. The summary is appended to the file GitHub names in
GITHUB_STEP_SUMMARY: the one place outside `--output` citecheck writes, because GitHub asks it to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from ..model import CheckReport, Verdict
from .common import listed, message, notes_of
from .markdown import check_markdown


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_lines(report: CheckReport) -> list[str]:
    """`::error file=…,line=…,col=…,title=…::message` for each listed source and each draft problem."""
    doc = report.document
    lines = []
    for check in listed(report):
        kind = "error" if check.verdict in report.fail_on else "notice" if check.verdict is Verdict.UNLINKED else "warning"
        props = [f"file={_escape_property(check.place.file if check.place else doc.path)}"]
        if check.place and check.place.line:
            props.append(f"line={check.place.line}")
            if check.place.column:
                props.append(f"col={check.place.column}")
        title = f"citecheck: {notes_of(check)} {check.verdict.value if check.verdict is not Verdict.OK else 'has warnings'}"
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{kind} {','.join(props)}::{_escape_data(message(check))}")
    for problem in doc.problems:
        props = [f"file={_escape_property(problem.place.file if problem.place else doc.path)}"]
        if problem.place and problem.place.line:
            props.append(f"line={problem.place.line}")
        lines.append(f"::warning {','.join(props)},title=citecheck%3A draft problem::{_escape_data(problem.message)}")
    return lines


def publish(report: CheckReport, env: Mapping[str, str], stream: TextIO) -> None:
    """In a GitHub Actions job: annotate, and add the Markdown report to the job summary."""
    if env.get("GITHUB_ACTIONS") != "true":
        return
    for line in annotation_lines(report):
        stream.write(line + "\n")
    stream.flush()
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(check_markdown(report) + "\n")


__all__ = ["annotations", "publish"]
