"""`citecheck fix`: the draft with its citations repaired, and nothing else changed.

From a check report, three kinds of edit, each confined to the note that cites the source:

- a work the note does not link, whose URL was found (citecheck/discover), gets its title made a link to it;
- a source that moved gets its new URL in place of the old one;
- a source with an archived copy (a dead source's fix, or a live source's snapshot from `--archive-all`
  or `--save`) gets a link to that copy: Robust Links attributes (`data-originalurl`, `data-versionurl`,
  `data-versiondate`) on the HTML link, or ` ([archived](…))` after the URL in Markdown.

Edits are spans of the decoded file; everything outside them is written back byte for byte (same
encoding, same byte-order mark, same line endings). Markdown and HTML only: a plain-text or DOCX
draft has no link syntax to repair in place.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from .errors import InputError, UnsupportedFormatError
from .ingest.decode import decode
from .ingest.html import declared_charset
from .model import CheckReport, Note, Snapshot, SourceCheck, Verdict

FIXABLE = ("markdown", "html")
_MD_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(frozen=True, slots=True)
class Edit:
    start: int
    end: int
    text: str
    why: str  # for the summary: "note 4: moved to …"


def url_pattern(url: str, fmt: str) -> re.Pattern[str]:
    """The URL as the file may spell it: Markdown may backslash-escape punctuation, HTML may use entities for &."""
    parts = []
    for ch in url:
        if fmt == "markdown" and ch in _MD_PUNCT:
            parts.append(r"\\?" + re.escape(ch))
        elif fmt == "html" and ch == "&":
            parts.append(r"(?:&amp;|&#38;|&#x26;|&)")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts) + r"(?![\w/%-])")


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        offsets.append(m.end())
    return offsets


def note_regions(text: str, notes: list[Note]) -> dict[str, tuple[int, int]]:
    """note id -> (start, end) character span in the file: from the note's line to the next note's line."""
    lines = _line_offsets(text)
    starts = []
    for note in notes:
        line = note.place.line
        if line is None or line > len(lines):
            continue
        col = (note.place.column or 1) - 1
        starts.append((lines[line - 1] + col, note.id))
    starts.sort()
    regions = {}
    for i, (start, note_id) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        regions[note_id] = (start, end)
    return regions


def _archive_of(check: SourceCheck) -> Snapshot | None:
    """An archived copy worth linking: a checked Wayback capture, or archive.today's; never a draft's own link again."""
    snap = check.archive
    if snap is None or snap.service == "draft" or not (snap.verified or snap.service == "archive.today"):
        return None
    if check.verdict is Verdict.MISMATCHED:
        return None  # a copy of something else, or a live page that changed: the editor decides
    return snap


def plan(text: str, fmt: str, report: CheckReport, rejected: frozenset[str] = frozenset()) -> list[Edit]:
    """The edits for every fixable check but those whose source ids are `rejected` (an editor
    turned their fix down), in file order; overlapping edits keep the first."""
    if fmt not in FIXABLE:
        raise UnsupportedFormatError(report.document.path, f"citecheck fix repairs Markdown and HTML drafts, not {fmt}")
    regions = note_regions(text, report.document.notes)
    edits: list[Edit] = []
    sources = {src.id: src for note in report.document.notes for src in note.sources}
    for check in report.checks:
        if not check.url or check.note_id not in regions or check.source_id in rejected:
            continue
        start, end = regions[check.note_id]
        if check.found is not None and check.verdict is Verdict.OK and (src := sources.get(check.source_id)) is not None and not src.url:
            edit = _found_link(text, start, end, src.title or "", check.url, fmt, f"note {check.note_id}: found {check.url} ({check.found.via})")
            if edit is not None:
                edits.append(edit)
            continue
        matches = list(url_pattern(check.url, fmt).finditer(text, start, end))
        if not matches:
            continue  # the URL came from --links, not from the draft: nothing to replace
        match = matches[0]
        snap = _archive_of(check)
        if check.verdict is Verdict.MOVED and check.fix:
            # every spelling in the note: an HTML link's href and its text, `[url](url)` in Markdown
            edits.extend(_replace(text, m, check.fix, fmt, f"note {check.note_id}: moved to {check.fix}") for m in matches)
            if snap is None:
                continue
        if snap is not None:
            edit = (_robust_link if fmt == "html" else _markdown_archive)(text, match, check.url, snap, check.note_id)
            if edit is not None:
                edits.append(edit)
    edits.sort(key=lambda e: (e.start, e.end))
    kept: list[Edit] = []
    for edit in edits:
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    return kept


def _found_link(text: str, start: int, end: int, title: str, url: str, fmt: str, why: str) -> Edit | None:
    """The cited title, as the note spells it, made a link to the URL found for it; None when the
    note's title cannot be found as written (then the draft is left as it is: the links file serves)."""
    if not title:
        return None
    # HTML spells the title with entities, or (for characters that need none) as it is
    for spelled in (html.escape(title, quote=False), title) if fmt == "html" else (title,):
        at = text.find(spelled, start, end)
        if at >= 0:
            break
    else:
        return None
    inner = text[at : at + len(spelled)]
    if fmt == "html":
        return Edit(at, at + len(spelled), f'<a href="{html.escape(url, quote=True)}">{inner}</a>', why)
    label = inner.replace("[", "\\[").replace("]", "\\]")
    return Edit(at, at + len(spelled), f"[{label}](<{url}>)", why)


def _replace(text: str, match: re.Match[str], new: str, fmt: str, why: str) -> Edit:
    if fmt == "html":
        return Edit(match.start(), match.end(), html.escape(new, quote=True), why)
    before = text[max(0, match.start() - 2) : match.start()]
    bare = not (before.endswith("](") or before.endswith("<"))
    return Edit(match.start(), match.end(), f"<{new}>" if bare else new, why)


def _markdown_archive(text: str, match: re.Match[str], url: str, snap: Snapshot, note_id: str) -> Edit | None:
    """` ([archived](…))` after the link that holds the URL (after `)` of `[text](url)`, `>` of `<url>`, or the bare URL)."""
    end = match.end()
    before = text[max(0, match.start() - 2) : match.start()]
    if before.endswith("](") or before.endswith("<"):
        close = ")" if before.endswith("](") else ">"
        end = text.find(close, end)
        if end < 0:
            return None
        end += 1
    if "[archived](" in text[end : end + 16]:
        return None
    return Edit(end, end, f" ([archived]({snap.url}))", f"note {note_id}: archived copy of {snap.date} linked")


_A_START_RE = re.compile(r"<a\b[^>]*>", re.IGNORECASE)


def _robust_link(text: str, match: re.Match[str], url: str, snap: Snapshot, note_id: str) -> Edit | None:
    """Robust Links on the <a> whose href is the URL; a bare URL in text gets a link to the copy after it."""
    e = html.escape
    tag = None
    for candidate in _A_START_RE.finditer(text, max(0, match.start() - 2000)):
        if candidate.start() > match.start():
            break
        if match.start() < candidate.end():
            tag = candidate
    if tag is not None:
        if "data-versionurl" in tag.group(0).lower():
            return None
        attrs = f' data-originalurl="{e(url)}" data-versionurl="{e(snap.url)}" data-versiondate="{snap.date}"'
        close = tag.end() - (2 if tag.group(0).endswith("/>") else 1)
        return Edit(close, close, attrs, f"note {note_id}: archived copy of {snap.date} linked (Robust Links)")
    if "data-versionurl" in text[match.end() : match.end() + 200]:
        return None
    link = f' (<a href="{e(snap.url)}" data-originalurl="{e(url)}" data-versiondate="{snap.date}">archived</a>)'
    return Edit(match.end(), match.end(), link, f"note {note_id}: archived copy of {snap.date} linked")


def apply(text: str, edits: list[Edit]) -> str:
    out = []
    last = 0
    for edit in edits:
        out.append(text[last : edit.start])
        out.append(edit.text)
        last = edit.end
    out.append(text[last:])
    return "".join(out)


def fixed_bytes(raw: bytes, fmt: str, report: CheckReport, rejected: frozenset[str] = frozenset()) -> tuple[bytes, list[Edit]]:
    """The repaired file's bytes (same encoding and BOM), and the edits made.

    Refuses a file that would not survive its own decoding unchanged (bytes invalid in its encoding):
    writing it back would alter more than the citations.
    """
    path = report.document.path
    text, encoding, bom = decode(path, raw, declared_charset(raw) if fmt == "html" else None)
    try:
        same = bom + text.encode(encoding) == raw
    except UnicodeEncodeError:
        same = False
    if not same:
        raise InputError(path, f"the file does not decode cleanly as {encoding}; citecheck will not rewrite it")
    edits = plan(text, fmt, report, rejected)
    try:
        return bom + apply(text, edits).encode(encoding), edits
    except UnicodeEncodeError as exc:
        raise InputError(path, f"a new URL cannot be written in the file's encoding ({encoding}): {exc.reason}") from None


def unified_diff(path: str, before: bytes, after: bytes, encoding: str = "utf-8") -> str:
    a = before.decode(encoding, "replace").splitlines(keepends=True)
    b = after.decode(encoding, "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(a, b, fromfile=f"a/{path}", tofile=f"b/{path}"))
