"""HTML drafts: footnotes in the conventions of the tools that write them.

Each convention is a row of `STYLES`: where its notes are, how a reference in
the body points at one. One mechanism reads them all; a draft that follows
none but has an ordered list after a notes heading is read by the generic row.
Drafts are parsed with Python's html.parser so every tag keeps its line and
column for reports.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from bs4 import (
    BeautifulSoup,
    Comment,
    MarkupResemblesLocatorWarning,
    NavigableString,
    Tag,
)

from ..errors import NoNotesError
from ..model import Link, Place, RawDocument, RawMarker, RawNote
from .decode import decode_text
from .text import HEADING_RE

IGNORE_RE = re.compile(r"citecheck:\s*ignore\b", re.IGNORECASE)
_BLOCKS = {
    "p",
    "div",
    "li",
    "ol",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "table",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "main",
}
_SKIP = {"script", "style", "template", "noscript", "head", "title", "svg"}
_BACKLINK_RE = re.compile(r"^#(?:fnref|_ftnref|_ednref)|-link$")


@dataclass(frozen=True, slots=True)
class FootnoteStyle:
    name: str
    container: str  # the notes section, left out of the body text
    notes: str  # the note elements, in order
    refs: str  # reference elements in the body (their href names the note)


STYLES: tuple[FootnoteStyle, ...] = (
    FootnoteStyle(
        "pandoc",
        "section.footnotes, div.footnotes, aside.footnotes, section#footnotes, aside#footnotes",
        "li[id^=fn]",
        # markdown-it (Ghost, Docusaurus, VitePress) puts the class on the sup around the link
        "a.footnote-ref[href^='#'], a[role=doc-noteref][href^='#'], sup.footnote-ref > a[href^='#']",
    ),
    FootnoteStyle("python-markdown", "div.footnote", "li[id^='fn:']", "sup[id^='fnref'] a[href^='#fn:'], a.footnote-ref[href^='#fn:']"),
    FootnoteStyle("wordpress", "ol.wp-block-footnotes", "li[id]", "sup[data-fn] a[href^='#']"),
    FootnoteStyle("word", "div[style*='footnote-list'], div[style*='endnote-list']", "div[id^=ftn], div[id^=edn]", "a[href^='#_ftn'], a[href^='#_edn']"),
)


def _inside(el: Tag, boxes: list[Tag]) -> bool:
    """Whether `el` lies in one of `boxes` (by identity: bs4's == compares whole subtrees)."""
    wanted = {id(b) for b in boxes}
    return id(el) in wanted or any(id(p) in wanted for p in el.parents)


def _note_key(style: FootnoteStyle, el: Tag) -> str | None:
    """The anchor a reference uses to point at this note element."""
    if style.name == "word":
        anchor = el.select_one("a[name^=_ftn], a[name^=_edn], a[id^=_ftn], a[id^=_edn]")
        if anchor is not None:
            return str(anchor.get("name") or anchor.get("id"))
        back = el.select_one("a[href^='#_ftnref'], a[href^='#_ednref']")
        return str(back["href"]).replace("ref", "", 1)[1:] if back else None
    return str(el.get("id")) if el.get("id") else None


def _walk(node: Tag, skip: set[int]) -> Iterator[tuple[str, object]]:
    """Events for a text walk: ("text", s), ("block", None), ("enter"/"leave", tag).

    Iterative, with its own stack: a note nested a thousand elements deep (hostile or broken
    markup) must not exhaust Python's recursion limit.
    """
    stack: list[Iterator[object]] = [iter(node.children)]
    leaving: list[Tag | None] = [None]
    while stack:
        child = next(stack[-1], _DONE)
        if child is _DONE:
            stack.pop()
            tag = leaving.pop()
            if tag is not None:
                yield "leave", tag
                if tag.name in _BLOCKS:
                    yield "block", None
            continue
        if isinstance(child, Comment):
            yield "comment", str(child)
        elif isinstance(child, NavigableString):
            yield "text", str(child)
        elif isinstance(child, Tag):
            if child.name in _SKIP or id(child) in skip:
                if id(child) in skip:
                    yield "skipped", child
                continue
            if child.name == "br":
                yield "text", " "
                continue
            if child.name in _BLOCKS:
                yield "block", None
            yield "enter", child
            stack.append(iter(child.children))
            leaving.append(child)


_DONE = object()


# Google Docs' HTML export sends every link through a redirect: https://www.google.com/url?q=<the link>&sa=D&…
_REDIRECT_RE = re.compile(r"^https?://(?:www\.)?google\.[a-z.]+/url\?", re.IGNORECASE)


def unwrapped_href(href: str) -> str:
    """A link's own address, out of the redirect an editor's export wrapped it in."""
    if _REDIRECT_RE.match(href):
        target = parse_qs(urlsplit(href).query).get("q", [""])[0]
        if target.startswith(("http://", "https://")):
            return target
    return href


def _marker_holder(a: Tag) -> Tag:
    """The element a reference stands in: the link, or the inline wrapper around it that holds
    nothing but the number and its brackets (SPIP's `[<a>1</a>]`, a `<sup>`)."""
    holder = a
    number = a.get_text(strip=True)
    while isinstance(holder.parent, Tag) and holder.parent.name not in _BLOCKS:
        around = holder.parent.get_text().replace("\u00a0", " ").strip()
        if not re.fullmatch(r"[\[(]?\s*" + re.escape(number) + r"\s*[\])]?", around):
            break
        holder = holder.parent
    return holder


def _note_text(path: str, el: Tag, backlinks: set[int]) -> tuple[str, list[Link], bool]:
    parts: list[str] = []
    length = 0
    links: list[Link] = []
    open_links: dict[int, tuple[int, Tag]] = {}
    ignored = False
    for event, value in _walk(el, backlinks):
        if event == "text":
            text = re.sub(r"\s+", " ", str(value))
            if text == " " and (not parts or parts[-1].endswith(" ")):
                continue
            parts.append(text)
            length += len(text)
        elif event == "block":
            if parts and not parts[-1].endswith(" "):
                parts.append(" ")
                length += 1
        elif event == "comment" and IGNORE_RE.search(str(value)):
            ignored = True
        elif event == "enter" and isinstance(value, Tag) and value.name == "a" and value.get("href"):
            open_links[id(value)] = (length, value)
        elif event == "leave" and isinstance(value, Tag) and id(value) in open_links:
            start, a = open_links.pop(id(value))
            href = unwrapped_href(str(a.get("href")))
            original = a.get("data-originalurl")
            links.append(
                Link(
                    url=str(original) if original else href,
                    text="".join(parts)[start:length].strip(),
                    start=start,
                    end=length,
                    version_url=str(a["data-versionurl"]) if a.get("data-versionurl") else (href if original else None),
                    version_date=str(a["data-versiondate"]) if a.get("data-versiondate") else None,
                )
            )
    raw = "".join(parts)
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    text = re.sub(r"^\[?\d{1,4}\]?[.)]?\s+(?=\S)", "", text) if el.name == "div" else text  # Word repeats the number
    shift = lead + (len(raw.strip()) - len(text))
    links = [Link(l.url, l.text, (l.start or 0) - shift, (l.end or 0) - shift, l.version_url, l.version_date) for l in links if not _BACKLINK_RE.search(l.url)]
    return text.rstrip(" ↩︎↩"), links, ignored  # noqa: B005 -- any of these characters: spaces and return arrows


def _place(path: str, tag: Tag) -> Place:
    line = getattr(tag, "sourceline", None)
    pos = getattr(tag, "sourcepos", None)
    return Place(path, line=line, column=pos + 1 if pos is not None else None)


def _generic_notes(soup: BeautifulSoup) -> tuple[Tag, list[Tag]] | None:
    """An ordered list after a heading such as "Notes": (the list, its items)."""
    for heading in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "b"]):
        if HEADING_RE.match(heading.get_text(" ", strip=True)):
            ol = heading.find_next("ol")
            if ol is not None:
                items = ol.find_all("li", recursive=False)
                if items:
                    return ol, items
    return None


# What a footnote reference's link says: "1", "[1]", "(1)", "*", "iv"
_MARKER_TEXT_RE = re.compile(r"^(?:\[?\(?\d{1,4}\)?\]?|[*†‡§]{1,3}|[ivxlc]{1,6})$", re.IGNORECASE)


def _block_of(el: Tag) -> Tag:
    """The element itself when it is a block (a note's `li`, `p`, `aside`, `div`), else its nearest block ancestor."""
    node: Tag | None = el
    while node is not None and node.name not in _BLOCKS:
        node = node.parent if isinstance(node.parent, Tag) else None
    return node or el


def _linked_notes(root: Tag) -> tuple[list[Tag], list[str], dict[int, str]] | None:
    """Notes that the body's references link to by id, whatever the tool's class names: Google
    Docs (`#ftnt1`), SPIP (`spip_note`, `#nb1`), EPUB and Standard Ebooks (`epub:type="noteref"`,
    an `aside` or endnote `li`), Substack, Ghost and WordPress plugins (Easy Footnotes' empty
    target inside its `li`). A reference is a link whose text is a note number ("1", "[1]", "*")
    and whose fragment is an element of this document; its note is that element's block. Notes
    are in document order; (notes, their ids, id(reference) -> note id)."""
    order = {id(el): i for i, el in enumerate(root.find_all(True))}
    by_id = {str(el["id"]): el for el in root.find_all(id=True)}
    refs: list[tuple[Tag, Tag]] = []  # (the reference, its note's block)
    keys: dict[int, tuple[Tag, str]] = {}  # id(block) -> (block, its note id: the block's id, else the first fragment naming it)
    for a in root.find_all("a"):
        href = str(a.get("href", ""))
        # the note a reference names: its link's fragment, else the tooltip it describes (Modern
        # Footnotes: `href="javascript:void(0)" aria-describedby="mfn-content-…-1"`)
        fragment = href.partition("#")[2] if "#" in href else str(a.get("aria-describedby", ""))
        target = by_id.get(fragment)
        if not fragment or target is None or target is a or not _MARKER_TEXT_RE.match(a.get_text(strip=True)):
            continue
        if order.get(id(target), 0) < order.get(id(a), 0):
            continue  # a link back to the text (a note's number linking to its reference): notes follow their references
        # a note written inline, beside its reference in the same paragraph, is the element itself
        block = target if _block_of(target) is _block_of(a) and target.name not in _BLOCKS else _block_of(target)
        keys.setdefault(id(block), (block, str(block.get("id") or fragment)))
        refs.append((a, block))
    if not refs:
        return None
    ordered = sorted((block for block, _ in keys.values()), key=lambda b: order.get(id(b), 0))
    # a reference inside a note links back to the body (a note's own number, "↩"): not a reference
    ref_for = {id(_marker_holder(a)): keys[id(block)][1] for a, block in refs if not _inside(a, ordered)}
    if not ref_for:
        return None
    return ordered, [keys[id(b)][1] for b in ordered], ref_for


def declared_charset(data: bytes) -> str | None:
    """The charset a page's head declares (`<meta charset>` or http-equiv), if any."""
    declared = re.search(r"charset=[\"']?([\w-]+)", data[:2048].decode("ascii", "replace"))
    return declared.group(1) if declared else None


def read(path: str, data: bytes) -> RawDocument:
    source = decode_text(path, data, declared_charset(data))
    with warnings.catch_warnings():
        # a tiny draft can look like a file name to bs4, which then warns on stderr; it is HTML all the same
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(source, "html.parser")
    root = soup.body or soup

    note_els: list[Tag] = []
    containers: list[Tag] = []
    ref_for: dict[int, str] = {}  # id(ref tag) -> note key
    keys: list[str] = []
    for style in STYLES:
        found: list[Tag] = list(root.select(style.notes))
        boxes: list[Tag] = list(root.select(style.container))
        if boxes:
            found = [el for el in found if _inside(el, boxes)]
        elif style.name == "word":
            boxes = found  # Word without its list wrapper: each note is its own box
        else:
            found = []
        if found:
            note_els, containers = found, boxes
            keys = [_note_key(style, el) or f"#{i}" for i, el in enumerate(found)]
            for ref in root.select(style.refs):
                href = str(ref.get("href", ""))
                if _BACKLINK_RE.search(href) or _inside(ref, boxes):
                    continue
                ref_for[id(ref.parent if ref.parent is not None and ref.parent.name == "sup" else ref)] = href[1:]
            break
    if not note_els and (linked := _linked_notes(root)) is not None:
        note_els, keys, ref_for = linked
        containers = list(note_els)
    if not note_els:
        generic = _generic_notes(soup)
        if generic is None:
            raise NoNotesError(
                path,
                "no footnotes found (pandoc, Python-Markdown, WordPress or Word footnotes, notes that references link to, "
                "or an ordered list after a 'Notes' heading)",
            )
        ol, note_els = generic
        containers = [ol]
        keys = [str(li.get("id") or f"#{i}") for i, li in enumerate(note_els)]
        for sup in root.find_all("sup"):
            a = sup.find("a", href=True)
            target = str(a["href"])[1:] if a is not None and str(a["href"]).startswith("#") else None
            if target in keys:
                ref_for[id(sup)] = target
            elif a is None and sup.get_text(strip=True).isdigit():
                index = int(sup.get_text(strip=True)) - 1
                if 0 <= index < len(keys):
                    ref_for[id(sup)] = keys[index]

    number_of = {key: str(i + 1) for i, key in enumerate(keys)}
    # a note's links back to the body: by their address (#fnref…), their arrow, or (any tool) because
    # they point at a reference, or are the note's own number linking anywhere in the document
    ref_ids = {str(t.get("id")) for t in root.find_all(id=True) if id(t) in ref_for or (t.parent is not None and id(t.parent) in ref_for)}
    backlinks = {
        id(_marker_holder(a))
        for el in note_els
        for a in el.find_all("a", href=True)
        if _BACKLINK_RE.search(str(a["href"])) or a.get_text(strip=True) in ("↩", "↩︎") or str(a["href"]).partition("#")[2] in ref_ids
    }
    notes = []
    for key, el in zip(keys, note_els):
        text, links, ignored = _note_text(path, el, backlinks)
        notes.append(RawNote(id=number_of[key], text=text, place=_place(path, el), links=links, ignored=ignored))

    # the body: all text outside the notes, markers where the references stood; whitespace is
    # collapsed as it is added (one newline between blocks), so marker offsets are exact
    skip = {id(c) for c in containers} | set(ref_for)
    body = _BodyText()
    markers: list[RawMarker] = []
    for event, value in _walk(root, skip):
        if event == "text":
            body.add(str(value))
        elif event == "block":
            body.newline()
        elif event == "skipped" and isinstance(value, Tag) and id(value) in ref_for:
            key = ref_for[id(value)]
            markers.append(RawMarker(note_id=number_of.get(key, key), offset=body.length, place=_place(path, value)))
    return RawDocument(path=path, format="html", body=body.value(), notes=notes, markers=markers)


class _BodyText:
    """Text with runs of white space folded to one space, and one newline between blocks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.last = "\n"

    def add(self, text: str) -> None:
        text = re.sub(r"\s+", " ", text)
        if self.last in " \n":
            text = text.lstrip(" ")
        if text:
            self.parts.append(text)
            self.length += len(text)
            self.last = text[-1]

    def newline(self) -> None:
        if self.last == "\n":
            return
        if self.last == " ":
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        self.parts.append("\n")
        self.length += 1
        self.last = "\n"

    def value(self) -> str:
        return "".join(self.parts)
