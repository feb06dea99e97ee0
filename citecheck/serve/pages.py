"""The page's HTML, rendered on the server: every string from a draft or a report is escaped here."""

from __future__ import annotations

import time
from collections.abc import Iterable
from html import escape
from typing import Any
from urllib.parse import quote

from ..model import Document
from .drafts import DraftMeta

DOWNLOADS = (
    ("report.html", "HTML report"),
    ("report.md", "Markdown"),
    ("report.json", "JSON"),
    ("report.sarif", "SARIF"),
    ("report.csl.json", "CSL-JSON"),
    ("report.xml", "JUnit"),
    ("report.txt", "text"),
    ("links.toml", "links file"),
)


# what the page asks of each fix it offers; the URL itself stands above, in the row
OFFER_WORDS = {
    "found": "Use the URL found in the repaired draft?",
    "moved": "Replace the old URL with the new one?",
    "archived copy": "Link the archived copy?",
}


def token_query(token: str | None) -> str:
    """What every address of the page carries when it has a token: URL-quoted, so safe in HTML as it is."""
    return f"?token={quote(token, safe='')}" if token else ""


def page(title: str, body: str, *, token: str | None) -> str:
    query = token_query(token)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · citecheck</title>
<link rel="stylesheet" href="/static/app.css{query}">
<script src="/static/app.js{query}" defer></script>
</head>
<body>
<header><a class="home" href="/{query}">citecheck</a> <nav><a href="/settings{query}">Settings</a></nav></header>
<main>
{body}
</main>
</body>
</html>
"""


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else "not checked yet"


def index(recent: list[DraftMeta], *, csrf: str, token: str | None, max_mb: int, error: str | None = None) -> str:
    query = token_query(token)
    rows = "".join(
        f'<tr><td><a href="/drafts/{m.id}{query}">{escape(m.name)}</a></td><td>{_when(m.uploaded)}</td><td>{escape(m.summary) or _when(m.checked)}</td></tr>'
        for m in recent
    )
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return f"""<h1>Check a draft's citations</h1>
{problem}
<form id="upload" method="post" action="/drafts{query}" enctype="multipart/form-data">
  <input type="hidden" name="csrf" value="{escape(csrf)}">
  <label class="drop" id="drop">
    <span>Drop a draft here, or choose one: Word (.docx), Markdown, HTML or text, up to {max_mb} MB.</span>
    <input type="file" name="file" id="file" accept=".docx,.md,.markdown,.html,.htm,.txt">
  </label>
  <details><summary>Or paste the text</summary>
    <textarea name="text" rows="10" placeholder="The article, then its notes under a “Notes” heading"></textarea>
  </details>
  <button type="submit">Read the notes</button>
</form>
<h2>Recent drafts</h2>
<table class="recent"><thead><tr><th>Draft</th><th>Given</th><th>Last check</th></tr></thead><tbody>
{rows or '<tr><td colspan="3">None yet.</td></tr>'}
</tbody></table>
"""


def draft(meta: DraftMeta, doc: Document, rows: dict[str, dict[str, Any]], *, csrf: str, token: str | None, running: bool, fixable: bool) -> str:
    """The draft's notes as parsed, a row a cited work, each with its verdict once known."""
    query = token_query(token)
    base = f"/drafts/{meta.id}"
    body = []
    for note in doc.notes:
        for src in note.sources:
            row = rows.get(src.id)
            body.append(
                f'<tr id="s-{escape(src.id)}" data-source="{escape(src.id)}">'
                f'<td class="note">{escape(note.id)}</td>'
                f'<td class="cited"><span class="kind">{escape(src.kind)}</span> {escape(src.text)}</td>'
                f'<td class="verdict">{_verdict_cell(row, meta, csrf, query)}</td></tr>'
            )
        if not note.sources:
            body.append(f'<tr><td class="note">{escape(note.id)}</td><td class="cited">{escape(note.text)}</td><td class="verdict">no cited work</td></tr>')
    downloads = "".join(f'<li><a href="{base}/download/{name}{query}" download>{label}</a></li>' for name, label in DOWNLOADS)
    if fixable:
        downloads = f'<li><a href="{base}/download/fixed{query}" download>the repaired draft</a></li>' + downloads
    state = "running" if running else ("checked" if meta.checked else "new")
    button = "Check again" if meta.checked else "Check the sources"
    return f"""<h1>{escape(meta.name)}</h1>
<p class="summary" id="summary">{escape(meta.summary) or f"{len(doc.notes)} notes, {len(doc.sources)} citations"}</p>
<div id="draft" data-state="{state}" data-events="{base}/events{query}" data-csrf="{escape(csrf)}" data-decide="{base}/decide{query}">
<form method="post" action="{base}/check{query}" class="check">
  <input type="hidden" name="csrf" value="{escape(csrf)}">
  <button type="submit" id="check">{button}</button>
</form>
<progress id="progress" max="1" value="0" hidden></progress> <span id="left" aria-live="polite"></span>
<section id="downloads" {"" if meta.checked else "hidden"}><h2>Downloads</h2><ul>{downloads}</ul></section>
<table class="notes"><thead><tr><th>Note</th><th>What it cites</th><th>Verdict and evidence</th></tr></thead>
<tbody>
{"".join(body)}
</tbody></table>
</div>
"""


def _verdict_cell(row: dict[str, Any] | None, meta: DraftMeta, csrf: str, query: str) -> str:
    if row is None:
        return '<span class="badge pending">not checked</span>'
    return render_row(row, meta.decisions.get(row["source"]), f"/drafts/{meta.id}", query, csrf)


def render_row(row: dict[str, Any], decision: str | None, base: str, query: str, csrf: str) -> str:
    """A check's verdict, reason and evidence; the fix offered, with Accept and Reject; and Check
    again. `base` is the draft's page, `query` what every address of the page carries (the token)."""
    decide, again = f"{base}/decide{query}", f"{base}/check{query}"
    parts = [f'<span class="badge {escape(row["verdict"])}">{escape(row["verdict"])}</span> <span class="reason">{escape(row["reason"])}</span>']
    if row.get("url"):
        parts.append(f'<div class="url"><a href="{escape(row["url"])}" rel="noreferrer noopener" target="_blank">{escape(row["url"])}</a></div>')
    evidence = [f'<li class="{escape(f["level"])}">{escape(f["message"])}</li>' for f in row.get("findings", [])]
    evidence += [f'<li class="pass">{escape(m)}</li>' for m in row.get("passed", [])]
    if row.get("found"):
        evidence.insert(0, f"<li>found by {escape(row['found']['via'])}: {escape('; '.join(row['found']['evidence'][:3]))}</li>")
    if row.get("archive"):
        evidence.append(f'<li>archived copy: <a href="{escape(row["archive"])}" rel="noreferrer noopener" target="_blank">{escape(row["archive"])}</a></li>')
    if evidence:
        parts.append(f"<details><summary>evidence</summary><ul>{''.join(evidence)}</ul></details>")
    offer = row.get("offer")
    if offer:
        state = {"accept": "accepted", "reject": "rejected"}.get(decision or "", "offered")
        parts.append(
            f'<form method="post" action="{escape(decide)}" class="offer {state}" data-offer>'
            f'<input type="hidden" name="csrf" value="{escape(csrf)}"><input type="hidden" name="source" value="{escape(row["source"])}">'
            f"<span>{escape(OFFER_WORDS.get(offer['kind'], offer['kind']))}</span> "
            f'<button name="decision" value="accept">Accept</button> <button name="decision" value="reject">Reject</button> '
            f'<span class="state">{state}</span></form>'
        )
    parts.append(
        f'<form method="post" action="{escape(again)}" class="again">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}"><input type="hidden" name="source" value="{escape(row["source"])}">'
        f'<button class="small">Check again</button></form>'
    )
    return "".join(parts)


def settings(rows: Iterable[tuple[str, str]], backends: Iterable[tuple[str, str]]) -> str:
    table = "".join(f"<tr><th>{escape(k)}</th><td><code>{escape(v)}</code></td></tr>" for k, v in rows)
    found = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in backends)
    return f"""<h1>Settings</h1>
<p>What every check from this page uses: the command line's flags over the config file (<code>citecheck.toml</code>), read-only
here. Change them in the file or the flags, and start the page again.</p>
<table class="settings">{table}</table>
<h2>Finding the works the notes do not link</h2>
<table class="settings">{found}</table>
"""


def error(message: str) -> str:
    return f'<h1>Something went wrong</h1><p class="error" role="alert">{escape(message)}</p>'
