"""JUnit XML: a test case per cited work, for CI dashboards (GitLab, Jenkins, Azure, GitHub test reporters)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..model import CheckReport, Verdict
from .common import RULES, notes_of, shown_findings, source_of


def check_junit(report: CheckReport) -> str:
    doc = report.document
    failures = len(report.failed)
    skipped = sum(1 for c in report.checks if c.verdict is Verdict.UNLINKED)
    suite = ET.Element(
        "testsuite",
        name=f"citecheck {doc.path}",
        tests=str(len(report.checks)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        timestamp=report.started_at or "",
    )
    sources = source_of(report)
    for check in report.checks:
        src = sources.get(check.source_id)
        title = (src.title or src.text) if src else check.source_id
        case = ET.SubElement(
            suite,
            "testcase",
            classname=doc.path,
            name=f"{notes_of(check)}: {title[:200]}",
            file=doc.path,
            line=str(check.place.line if check.place and check.place.line else 0),
        )
        rule, description = RULES[check.verdict.value] if check.verdict is not Verdict.OK else ("", "")
        if check.verdict in report.fail_on:
            failure = ET.SubElement(case, "failure", type=rule, message=check.reason)
            failure.text = "\n".join(
                [description, *(f"{f.level.value}: {f.check}: {f.message}" for f in shown_findings(check))] + ([f"fix: {check.fix}"] if check.fix else [])
            )
        elif check.verdict is Verdict.UNLINKED:
            ET.SubElement(case, "skipped", message=check.reason)
        out = [f"{check.verdict.value}: {check.reason}", *(f"{f.level.value}: {f.check}: {f.message}" for f in shown_findings(check))]
        if check.url:
            out.insert(0, f"url: {check.url}")
        ET.SubElement(case, "system-out").text = "\n".join(out)
    for item in report.skipped:  # told not to check: skipped cases, so dashboards show them
        case = ET.SubElement(suite, "testcase", classname=doc.path, name=f"note {item.note_id}: not checked")
        ET.SubElement(case, "skipped", message=item.reason)
    suite.set("tests", str(len(report.checks) + len(report.skipped)))
    suite.set("skipped", str(skipped + len(report.skipped)))
    suites = ET.Element("testsuites", name="citecheck", tests=suite.get("tests", "0"), failures=str(failures), errors="0", skipped=suite.get("skipped", "0"))
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
