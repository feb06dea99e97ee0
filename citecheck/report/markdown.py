"""A Markdown report for a pull-request comment or a GitHub job summary."""

from __future__ import annotations

from ..model import CheckReport, Verdict
from .common import headline, listed, notes_of, reason_shown, shown_findings, source_of

MAX_CHARS = 60_000  # GitHub refuses comments over 65,536 characters


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _link(url: str) -> str:
    """A link to `url` whose text is the URL: in angle brackets, so parentheses and spaces in it hold.
    Only http and https are links: a draft's `javascript:` or `file:` URL is shown, never linked."""
    if not url.lower().startswith(("http://", "https://")):
        return f"`{_cell(url).replace('`', '')}`"
    return f"[{_cell(url)}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"


def check_markdown(report: CheckReport) -> str:
    doc = report.document
    failed = report.failed
    icon = "❌" if failed else "✅"
    lines = [f"### {icon} citecheck: `{doc.path}`", "", headline(report), ""]
    counts = {v: n for v, n in report.counts().items() if n}
    if counts:
        lines += ["| verdict | sources |", "|---|---|"] + [f"| {v} | {n} |" for v, n in counts.items()] + [""]
    rows = listed(report)
    if rows:
        lines += ["| note | verdict | source | what citecheck found | fix |", "|---|---|---|---|---|"]
        sources = source_of(report)
        for check in rows:
            src = sources.get(check.source_id)
            cited = _cell((src.title or src.text if src else check.source_id)[:160])
            if check.url:
                cited += f" — {_link(check.url)}"
            place = f"{notes_of(check)} ({check.place})" if check.place and check.place.line else notes_of(check)
            verdict = f"**{check.verdict.value}**" if check.verdict in report.fail_on else check.verdict.value
            if check.verdict is Verdict.OK:
                verdict = "ok, found" if check.found is not None else "ok, with warnings"
            found = reason_shown(check) or ""
            found = "; ".join([found] * bool(found) + [f"{f.level.value}: {f.message}" for f in shown_findings(check) if f.message not in found])
            fix = _link(check.fix) if check.fix else ""
            lines.append(f"| {_cell(place)} | {verdict} | {cited} | {_cell(found[:400])} | {fix} |")
        lines.append("")
    if report.skipped:
        lines += [f"<details><summary>Not checked ({len(report.skipped)})</summary>", ""]
        lines += [f"- note {_cell(s.note_id)}: {_cell(s.reason)}" for s in report.skipped] + ["", "</details>", ""]
    if doc.problems:
        lines += ["<details><summary>Problems in the draft's notes</summary>", ""]
        lines += [f"- {_cell(str(p.place) + ': ' if p.place else '')}{_cell(p.message)}" for p in doc.problems] + ["", "</details>", ""]
    lines.append(f"<sub>citecheck — fails on: {', '.join(sorted(v.value for v in report.fail_on))}</sub>")
    text = "\n".join(lines) + "\n"
    if len(text) > MAX_CHARS:
        cut = text.rfind("\n|", 0, MAX_CHARS - 200)
        text = text[:cut] + f"\n\n…the report is cut here ({len(rows)} sources in all); see the full report in the job's artifacts.\n"
    return text
