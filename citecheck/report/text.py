"""Plain-text reports: what an editor reads at a desk (and what a terminal colours)."""

from __future__ import annotations

from ..model import CheckReport, Document, Source, SourceCheck, Verdict
from .common import headline, listed, notes_of, shown_findings, source_of


def _problem_lines(doc: Document, label: str) -> list[str]:
    return [f"{label}: {f'{p.place}: ' if p.place else ''}{p.message}" for p in doc.problems]


def describe(src: Source) -> str:
    bits = []
    if src.authors:
        bits.append(" and ".join(src.authors))
    if src.title:
        bits.append(f"“{src.title}”")
    place = src.outlet or ""
    if src.platform:
        place = f"{place} via {src.platform}" if place else src.platform
    if place:
        bits.append(place)
    if src.volume:
        bits.append(f"{src.volume}:{src.issue}" if src.issue else src.volume)
    if src.issued:
        bits.append(src.issued.iso)
    if src.page:
        bits.append(f"p. {src.page}")
    if src.language:
        bits.append(f"[{src.language}]")
    if src.url:
        bits.append(src.url)
    return ", ".join(bits)


def parse_text(doc: Document) -> str:
    lines = [f"{doc.path}: {len(doc.notes)} notes, {len(doc.sources)} citations ({doc.format})"]
    for note in doc.notes:
        head = f"[{note.id}] {note.place}"
        if note.framing:
            head += f"  ({note.framing})"
        if note.ignored:
            head += "  (ignored)"
        lines.append(head)
        if not note.sources:
            lines.append("    no cited work: the note is the author's own remark")
        for src in note.sources:
            if src.is_back_reference:
                target = f" -> {src.refers_to}" if src.refers_to else " -> ?"
                lines.append(f"    {src.id} {src.position.value}{target}" + (f", p. {src.page}" if src.page else ""))
            else:
                lead = f"{src.lead_in} " if src.lead_in else ""
                lines.append(f"    {src.id} {src.kind}: {lead}{describe(src)}")
            for problem in src.problems:
                lines.append(f"      ! {problem}")
        for claim in note.claims:
            lines.append(f"    supports ({claim.place}): {claim.text}")
            for quote in claim.quotes:
                lines.append(f"      quotes: “{quote}”")
    lines.extend(_problem_lines(doc, "problem"))
    return "\n".join(lines) + "\n"


# --- check reports ------------------------------------------------------------------------------------


def _block(check: SourceCheck, source: Source | None) -> list[str]:
    head = f"[{check.verdict.value}] {notes_of(check)} ({check.place})"
    lines = [head]
    if source is not None:
        lines.append(f"    cited: {source.text}")
    if check.url:
        lines.append(f"    url:   {check.url}")
    lines.append(f"    why:   {check.reason}")
    res = check.resolution
    if res is not None:
        chain = " -> ".join(f"{h.status or 'error'} {h.url}" for h in res.hops)
        if chain:
            lines.append(f"    chain: {chain}")
        if res.page_title:
            lines.append(f"    page:  “{res.page_title}”")
    if res is not None and res.post is not None:
        post = res.post
        who = post.author_name + (f" (@{post.author_handle})" if post.author_handle else "") if post.author_name else ""
        lines.append(f"    {post.provider.lower()}:  {who} {post.date or ''} “{post.text or ''}”".rstrip())
    if check.archive is not None:
        a = check.archive
        state = "checked" if a.verified else "not checked"
        lines.append(f"    copy:  {a.url} ({a.service}, {a.date}, {state})")
    if check.found is not None:
        lines.append(f"    found: by {check.found.via} ({check.found.score:.2f}): {'; '.join(check.found.evidence)}")
        lines.extend(f"    not:   {rejected}" for rejected in check.found.rejected)
    elif check.discovery_tried:
        lines.extend(f"    searched: {tried}" for tried in check.discovery_tried)
    for tried in check.archive_tried if check.archive is None or check.verdict in (Verdict.OK, Verdict.MOVED) else []:
        lines.append(f"    tried: {tried}")
    for finding in shown_findings(check):
        lines.append(f"    {finding.level.value}:  {finding.check}: {finding.message}" + (f" [{finding.where}]" if finding.where else ""))
        if finding.check == "quote" and finding.expected:
            lines.append(f"           quoted: “{finding.expected}”")
    if check.fix:
        lines.append(f"    fix:   {check.fix}")
    return lines


def check_text(report: CheckReport) -> str:
    doc = report.document
    lines = [f"{doc.path}: {headline(report)}"]
    sources = source_of(report)
    for check in listed(report):  # problems worst first, then sources that pass with warnings
        lines.append("")
        lines.extend(_block(check, sources.get(check.source_id)))
    if report.skipped:
        lines.append("")
        lines.extend(f"[skipped] note {s.note_id}: {s.reason}" + (f" ({s.url})" if s.url else "") for s in report.skipped)
    kept = [c for c in report.checks if c.archive is not None and c.verdict in (Verdict.OK, Verdict.MOVED)]
    if kept:
        lines.append("")
        lines.append("archived copies of live sources:")
        lines.extend(
            f"  note {c.note_id}: {c.archive.url} ({c.archive.date}; {c.archive_tried[-1] if c.archive_tried else 'found'})" for c in kept if c.archive
        )
    lines.extend(_problem_lines(doc, "draft problem"))
    return "\n".join(lines) + "\n"
