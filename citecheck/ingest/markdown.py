"""Markdown drafts: `[^id]` footnotes read with markdown-it-py's footnote plugin.

The parser gives each footnote's inline content (links, continuation lines)
and each reference's place; a draft without footnote syntax but with a notes
heading is read by the plain-text rules, its links flattened to "text url".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from ..model import Link, Place, RawDocument, RawMarker, RawNote
from .decode import decode_text
from .text import parse_text

IGNORE_RE = re.compile(r"<!--\s*citecheck:\s*ignore\b", re.IGNORECASE)
_INLINE_LINK_RE = re.compile(r"!?\[([^\]]*)\]\((<[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")


# A link markdown-it's mdurl normalization leaves as it is: http(s), a plain ASCII host (no
# punycode), and only characters mdurl never encodes. Checked against markdown-it on 300,000
# generated URLs and in tests/test_ingest_markdown.py.
_PLAIN_URL_RE = re.compile(r"(?i:https?)://(?![^/?#]*xn--)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?(?::[0-9]+)?(?:[/?#][A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]*)?")


def markdown_parser() -> MarkdownIt:
    """CommonMark with footnotes, whose plain links skip mdurl (parse, punycode, percent-encoding:
    pure Python, ~0.1 ms a link and most of the time reading a draft of thousands of links took)."""
    md = MarkdownIt("commonmark").use(footnote_plugin)
    normalize_link, normalize_link_text = md.normalizeLink, md.normalizeLinkText
    md.normalizeLink = lambda url: url if _PLAIN_URL_RE.fullmatch(url) else normalize_link(url)  # type: ignore[method-assign]
    md.normalizeLinkText = lambda url: url if _PLAIN_URL_RE.fullmatch(url) else normalize_link_text(url)  # type: ignore[method-assign, assignment]
    return md


def footnote_key(meta: dict) -> str:
    """A footnote's label ("1", "note"); inline footnotes (`^[…]`) have only a number."""
    return str(meta["label"]) if meta.get("label") is not None else f"inline-{meta.get('id')}"


class _Text:
    """Plain text built from inline tokens, remembering where links and markers fall."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.links: list[Link] = []
        self.ignored = False

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def value(self) -> str:
        return "".join(self.parts)


def _render_inline(
    inline: Token,
    out: _Text,
    on_ref: Callable[[str, int], None] | None = None,
    soft: str = " ",
) -> None:
    link_start: int | None = None
    link_part = 0  # the link's first piece in out.parts: its text is joined from there, not from the start
    href = ""
    breaks = 0
    for child in inline.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.add(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.add(soft)
            breaks += 1
        elif kind == "link_open":
            link_start, link_part, href = out.length, len(out.parts), str(child.attrs.get("href", ""))
        elif kind == "link_close" and link_start is not None:
            text = "".join(out.parts[link_part:])
            out.links.append(Link(url=href, text=text, start=link_start, end=out.length))
            link_start = None
        elif kind == "image":
            out.add(child.content)
        elif kind in ("html_inline",) and IGNORE_RE.search(child.content):
            out.ignored = True
        elif kind == "footnote_ref" and on_ref is not None:
            on_ref(footnote_key(child.meta), breaks)


# A footnote definition: `[^label]:` at the start of a line (up to three spaces in, as CommonMark allows)
_DEFINITION_RE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)


def read(path: str, data: bytes) -> RawDocument:
    source = decode_text(path, data)
    lines = source.splitlines()
    raw = _read(path, source, lines)
    read_ids = {n.id for n in raw.notes}
    unreferenced = [label for label in dict.fromkeys(_DEFINITION_RE.findall(source)) if label not in read_ids]
    if unreferenced:
        # The footnote syntax renders only the definitions a marker references; a definition with
        # none is still a note (an excerpt, a notes chapter, a marker lost in editing): it is read
        # from a copy of the draft with references to it added after the last line, which give no
        # marker, and reported as a note without one.
        raw = _read(path, source + "\n\n" + "".join(f"[^{label}]" for label in unreferenced) + "\n", lines)
    if not raw.notes:
        flattened = _INLINE_LINK_RE.sub(lambda m: f"{m.group(1)} {m.group(2).strip('<>')}", source)
        return parse_text(path, flattened, fmt="markdown")
    return raw


def _read(path: str, parsed: str, lines: list[str]) -> RawDocument:
    """The draft whose `lines` these are, read from `parsed` (its source, or its source with
    references added after its last line: body text from those lines is left out)."""
    tokens = markdown_parser().parse(parsed)

    body = _Text()
    markers: list[RawMarker] = []
    notes: list[RawNote] = []
    note_text: _Text | None = None
    note_label = ""
    note_line: int | None = None

    # where the search for the next marker on each line starts: markers come in order, and a
    # paragraph of thousands of them on one line made every search start over (quadratic)
    searched_to: dict[int, int] = {}

    def ref_place(line_index: int, label: str) -> Place:
        text = lines[line_index] if 0 <= line_index < len(lines) else ""
        col = text.find(f"[^{label}]", searched_to.get(line_index, 0))
        if col >= 0:
            searched_to[line_index] = col + len(label) + 3
        return Place(path, line=line_index + 1, column=col + 1 if col >= 0 else None)

    for _i, tok in enumerate(tokens):
        if tok.type == "footnote_open":
            note_text, note_label, note_line = _Text(), footnote_key(tok.meta), None
        elif tok.type == "footnote_close" and note_text is not None:
            line = note_line or 1
            col = lines[line - 1].find(f"[^{note_label}]:") if line - 1 < len(lines) else -1
            column = col + len(note_label) + 5 if col >= 0 else None
            text = note_text.value().strip()
            lead = len(note_text.value()) - len(note_text.value().lstrip())
            links = [Link(l.url, l.text, (l.start or 0) - lead, (l.end or 0) - lead) for l in note_text.links]
            notes.append(RawNote(id=note_label, text=text, place=Place(path, line=line, column=column), links=links, ignored=note_text.ignored))
            note_text = None
        elif tok.type == "inline":
            if note_text is not None:
                if note_line is None and tok.map:
                    note_line = tok.map[0] + 1
                if note_text.length:
                    note_text.add(" ")
                _render_inline(tok, note_text)
            else:
                start_line = tok.map[0] if tok.map else 0
                if start_line >= len(lines):
                    continue  # the references added after the draft's last line

                def on_ref(label: str, breaks: int, start_line: int = start_line) -> None:
                    markers.append(RawMarker(note_id=label, offset=body.length, place=ref_place(start_line + breaks, label)))

                _render_inline(tok, body, on_ref)
                body.add("\n")
        elif tok.type == "html_block" and note_text is not None and IGNORE_RE.search(tok.content):
            note_text.ignored = True

    return RawDocument(path=path, format="markdown", body=body.value(), notes=notes, markers=markers)
