"""A single self-contained HTML page an editor can open: every note, its verdict, the evidence, links, filters.

No external resources (styles and the filter script are inline), so it opens from a CI artifact or an
e-mail attachment. Everything from the draft or the web is escaped, and only http(s) addresses become
links: a draft cannot put script into the report.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from ..model import CheckReport, SourceCheck, Verdict
from ..version import __version__
from .common import headline, notes_of, shown_findings, source_of
from .text import describe

COLOURS = {"ok": "#1a7f37", "moved": "#9a6700", "missing": "#cf222e", "mismatched": "#cf222e", "unreachable": "#8250df", "unlinked": "#57606a"}

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2328;background:#fff}
h1{font-size:1.3rem;margin:0 0 .3rem} .summary{color:#57606a;margin-bottom:1rem}
.filters{margin:1rem 0;display:flex;gap:.8rem;flex-wrap:wrap} .filters label{cursor:pointer}
table{border-collapse:collapse;width:100%} th,td{border-bottom:1px solid #d0d7de;padding:.45rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa;position:sticky;top:0} .verdict{font-weight:600;color:#fff;border-radius:1rem;padding:.1rem .6rem;white-space:nowrap}
.findings{margin:.3rem 0 0;padding-left:1.1rem;color:#57606a} .fail{color:#cf222e} .warn{color:#9a6700}
a{color:#0969da;word-break:break-all} tr.hidden{display:none} .problems{margin-top:1.5rem;color:#57606a}
"""

SCRIPT = """
const boxes=[...document.querySelectorAll('.filters input')];
function apply(){const on=new Set(boxes.filter(b=>b.checked).map(b=>b.value));
 document.querySelectorAll('tbody tr').forEach(r=>r.classList.toggle('hidden',!on.has(r.dataset.verdict)));
 document.getElementById('shown').textContent=document.querySelectorAll('tbody tr:not(.hidden)').length;}
const wanted=new URLSearchParams(location.hash.slice(1)).get('verdict');
if(wanted){const w=new Set(wanted.split(','));boxes.forEach(b=>b.checked=w.has(b.value));}
boxes.forEach(b=>b.addEventListener('change',apply));apply();
"""


def _link(url: str | None, text: str | None = None) -> str:
    if not url:
        return ""
    if urlsplit(url).scheme not in ("http", "https"):
        return html.escape(url)
    return f'<a href="{html.escape(url, quote=True)}" rel="noreferrer noopener">{html.escape(text or url)}</a>'


def _row(check: SourceCheck, cited: str, failing: bool) -> str:
    e = html.escape
    findings = "".join(f'<li class="{f.level.value}">{e(f.level.value)}: {e(f.check)}: {e(f.message)}</li>' for f in shown_findings(check))
    if check.found is not None:
        findings += f'<li class="found">found by {e(check.found.via)}: {e("; ".join(check.found.evidence))}</li>'
        findings += "".join(f'<li class="rejected">not the work: {e(r)}</li>' for r in check.found.rejected)
    elif check.discovery_tried:
        findings += "".join(f'<li class="searched">searched: {e(t)}</li>' for t in check.discovery_tried)
    links = [
        ("found" if check.found is not None and check.verdict is Verdict.OK else "cited", check.url),
        ("now at", check.resolution.final_url if check.resolution and check.resolution.final_url != check.url else None),
        ("archived", check.archive.url if check.archive else None),
        ("fix", check.fix),
    ]
    link_html = "<br>".join(f"{label}: {_link(url)}" for label, url in links if url)
    verdict = check.verdict.value
    badge = f'<span class="verdict" style="background:{COLOURS[verdict]}">{e(verdict)}{" ✗" if failing else ""}</span>'
    place = f"{e(notes_of(check))}<br><small>line {check.place.line}</small>" if check.place and check.place.line else e(notes_of(check))
    return (
        f'<tr data-verdict="{e(verdict)}"><td>{place}</td><td>{badge}</td><td>{e(cited)}</td>'
        f"<td>{e(check.reason)}{f'<ul class=findings>{findings}</ul>' if findings else ''}</td><td>{link_html}</td></tr>"
    )


def check_html(report: CheckReport) -> str:
    e = html.escape
    doc = report.document
    sources = source_of(report)
    counts = report.counts()
    rows = "\n".join(_row(c, describe(sources[c.source_id]) if c.source_id in sources else c.source_id, c.verdict in report.fail_on) for c in report.checks)
    # every verdict shown at first; `report.html#verdict=missing,mismatched` opens on a selection
    filters = "".join(f'<label><input type="checkbox" value="{v}" checked> {v} ({n})</label>' for v, n in counts.items())
    problems = "".join(f"<li>{e(str(p.place) + ': ' if p.place else '')}{e(p.message)}</li>" for p in doc.problems)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="citecheck {e(__version__)}">
<title>citecheck: {e(doc.path)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>citecheck: {e(doc.path)}</h1>
<div class="summary">{e(headline(report))} · checked {e(report.started_at or "")} · fails on {e(", ".join(sorted(v.value for v in report.fail_on)))}</div>
<div class="filters">Show: {filters} <span>(<span id="shown">{len(report.checks)}</span> shown)</span></div>
<table>
<thead><tr><th>note</th><th>verdict</th><th>cited</th><th>what citecheck found</th><th>links</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
{f'<div class="problems"><h2>Problems in the draft</h2><ul>{problems}</ul></div>' if problems else ""}
<script>{SCRIPT}</script>
</body>
</html>
"""
