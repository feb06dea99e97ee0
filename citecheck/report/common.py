"""What every report format shows the same way: which sources to list, in what order, and in what words."""

from __future__ import annotations

from ..model import CheckReport, Finding, Level, Source, SourceCheck, Verdict

# problems first, worst first; `ok` sources appear when they carry warnings
PROBLEM_ORDER = (Verdict.MISSING, Verdict.MISMATCHED, Verdict.MOVED, Verdict.UNREACHABLE, Verdict.UNLINKED)

# one rule per verdict (SARIF rules, JUnit failure types, GitHub annotation titles)
RULES: dict[str, tuple[str, str]] = {
    "missing": ("source-missing", "The cited source is gone (404/410, dead domain, soft 404)"),
    "mismatched": ("source-mismatched", "The page found is not the cited work, or no longer says what the article quotes"),
    "moved": ("source-moved", "The cited source moved permanently: the citation should give the new URL"),
    "unreachable": ("source-unreachable", "citecheck could not reach the cited source (timeouts, 5xx, bot walls, refused)"),
    "unlinked": ("source-unlinked", "The note gives no URL for the cited work"),
    "warning": ("source-warning", "The source was found and matches, with something worth an editor's look"),
    "draft": ("draft-problem", "A problem in the draft's notes (a marker without a note, an ambiguous Ibid., …)"),
}


def listed(report: CheckReport) -> list[SourceCheck]:
    """The checks a report lists: every problem in PROBLEM_ORDER, then `ok` sources that were found
    (the note gave no URL: the editor should see which) or have warnings, each in note order."""
    out = [c for verdict in PROBLEM_ORDER for c in report.checks if c.verdict is verdict]
    return out + [c for c in report.checks if c.verdict is Verdict.OK and (c.warnings or c.found is not None)]


def rule_of(check: SourceCheck) -> str:
    return check.verdict.value if check.verdict is not Verdict.OK else "warning"


def notes_of(check: SourceCheck) -> str:
    return f"note{'s' if len(check.cited_in) > 1 else ''} {', '.join(check.cited_in)}"


def headline(report: CheckReport) -> str:
    counts = report.counts()
    summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
    warned = sum(1 for c in report.checks if c.warnings)
    return f"{len(report.checks)} sources: {summary or 'none'}" + (f"; {warned} with warnings" if warned else "")


def shown_findings(check: SourceCheck) -> list[Finding]:
    return [f for f in check.findings if f.level in (Level.FAIL, Level.WARN)]


def source_of(report: CheckReport) -> dict[str, Source]:
    return {s.id: s for s in report.document.sources}


def reason_shown(check: SourceCheck) -> str | None:
    """The verdict's reason, where a report shows it: every problem, and how a work without a URL was
    found; for a plain `ok` its warnings say more."""
    return check.reason if check.verdict is not Verdict.OK or check.found is not None else None


def message(check: SourceCheck) -> str:
    """One paragraph: the verdict's reason, and the fix."""
    shown = reason_shown(check)
    text = shown if shown is not None else "; ".join(f.message for f in check.warnings)
    if check.url:  # the source is named by its address in every format: a title alone is no link to follow
        text = f"{check.url}: {text}"
    if check.fix:
        text += f" Fix: {check.fix}"
    return text
