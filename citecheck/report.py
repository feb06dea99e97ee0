"""What people and CI read: the last stage of the pipeline.

Each format is a function from results to text, listed in a table so the CLI
and the `--output FORMAT=PATH` option share them.
"""

from __future__ import annotations

import json
from typing import Callable

from . import __version__
from .csl import document_items
from .model import Document, Source, to_jsonable

PARSE_SCHEMA = "https://citecheck.dev/schema/parse-1.json"


def parse_json(doc: Document) -> str:
    data = {
        "$schema": PARSE_SCHEMA,
        "citecheck": __version__,
        "file": doc.path,
        "format": doc.format,
        "handles": doc.handles,
        "notes": to_jsonable(doc.notes),
        "problems": to_jsonable(doc.problems),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def parse_csl_json(doc: Document) -> str:
    return json.dumps(document_items(doc), ensure_ascii=False, indent=2) + "\n"


def _describe(src: Source) -> str:
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
        for src in note.sources:
            if src.is_back_reference:
                target = f" -> {src.refers_to}" if src.refers_to else " -> ?"
                lines.append(f"    {src.id} {src.position.value}{target}" + (f", p. {src.page}" if src.page else ""))
            else:
                lead = f"{src.lead_in} " if src.lead_in else ""
                lines.append(f"    {src.id} {src.kind}: {lead}{_describe(src)}")
            for problem in src.problems:
                lines.append(f"      ! {problem}")
        for claim in note.claims:
            lines.append(f"    supports ({claim.place}): {claim.text}")
            for quote in claim.quotes:
                lines.append(f"      quotes: “{quote}”")
    for problem in doc.problems:
        where = f"{problem.place}: " if problem.place else ""
        lines.append(f"problem: {where}{problem.message}")
    return "\n".join(lines) + "\n"


PARSE_FORMATS: dict[str, Callable[[Document], str]] = {
    "text": parse_text,
    "json": parse_json,
    "csl-json": parse_csl_json,
}
