"""DOCX drafts: footnotes and endnotes read from their package parts.

python-docx has no footnote API, so the parts are read from the zip directly
(`word/document.xml`, `word/footnotes.xml`, `word/endnotes.xml` and their
relationships for hyperlink targets). Sizes are checked before anything is
decompressed, so a zip bomb dressed as a .docx is refused, not inflated.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from lxml import etree

from ..errors import InputError, NoNotesError
from ..model import Link, Place, RawDocument, RawMarker, RawNote

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_W = f"{{{W}}}"

#: The most a part may inflate to, and the most it may inflate by (zip bombs).
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200

#: What a damaged or hostile zip can raise while being read (encrypted parts raise RuntimeError).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=False)


def _read_part(path: str, zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES or (info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024):
        raise InputError(path, f"{name} would inflate to {info.file_size:,} bytes; refusing (corrupt or a zip bomb)", where=name)
    try:
        with zf.open(name) as f:
            data = f.read(MAX_PART_BYTES + 1)
    except _ZIP_ERRORS as exc:
        raise InputError(path, f"corrupt DOCX: cannot read {name} ({exc})", where=name) from None
    if len(data) > MAX_PART_BYTES:
        raise InputError(path, f"{name} is larger than it claims; refusing", where=name)
    return data


_UNDECLARED_ENTITY_RE = re.compile(r"^Entity '[^']*' not defined")


def _xml(path: str, name: str, data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        if _UNDECLARED_ENTITY_RE.match(exc.msg):
            # a part whose fault is an entity reference it does not declare: read on, the reference
            # kept as a node (never resolved, its text dropped) and the text after it kept, so long
            # as nothing else in the part is broken (a parser of its own: a shared one keeps old errors)
            lenient = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=False, recover=True)
            root = etree.fromstring(data, lenient)
            faults = [e for e in lenient.error_log if e.level_name in ("ERROR", "FATAL") and not _UNDECLARED_ENTITY_RE.match(e.message)]
            if root is not None and not faults:
                return root
        raise InputError(path, f"corrupt DOCX: {name} is not well-formed XML ({exc.msg})", line=None, where=f"{name}:{exc.lineno}") from None


def _relationships(path: str, zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, _, base = part.rpartition("/")
    data = _read_part(path, zf, f"{folder}/_rels/{base}.rels")
    if not data:
        return {}
    root = _xml(path, f"{folder}/_rels/{base}.rels", data)
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in root.iter(f"{{{PKG_REL}}}Relationship")
        if rel.get("TargetMode") == "External" or rel.get("Type", "").endswith("/hyperlink")
    }


# What the elements of a run stand for in the text (other elements only hold these).
_RUN_TEXT = {_W + "tab": " ", _W + "br": " ", _W + "cr": " ", _W + "noBreakHyphen": "-"}


def _text_of(el: etree._Element) -> str:
    if not isinstance(el.tag, str):
        # an entity reference (never resolved), comment or processing instruction inside a run's
        # text: dropped, and the text after it, its tail, kept
        parent = el.getparent()
        return (el.tail or "") if parent is not None and parent.tag == _W + "t" else ""
    return (el.text or "") if el.tag == _W + "t" else _RUN_TEXT.get(el.tag, "")


_HYPERLINK_FIELD_RE = re.compile(r'^\s*HYPERLINK\s+(?:\\\w\s+)*"(?P<url>[^"]+)"', re.IGNORECASE)


def _field_url(code: str) -> str | None:
    """The address of a HYPERLINK field's code (`HYPERLINK "https://…" \\o "tip"`); None for other fields."""
    m = _HYPERLINK_FIELD_RE.match(code)
    return m.group("url") if m and m.group("url").startswith(("http://", "https://")) else None


def _paragraph_text(p: etree._Element, rels: dict[str, str], on_ref=None) -> tuple[str, list[Link]]:
    """A paragraph's text, with hyperlinks and (through `on_ref`) note references at their offsets."""
    parts: list[str] = []
    hyperlinks: list[tuple[etree._Element, int]] = []  # each <w:hyperlink> and the length of the text before it
    fields: list[Link] = []  # HYPERLINK fields, as LibreOffice and older Word write links: their URL and result text
    field_url: str | None = None  # the URL of the HYPERLINK field whose code is being read
    field_start: int | None = None  # where its result text starts
    length = 0
    for el in p.iter():
        tag = el.tag
        if tag == _W + "hyperlink":
            hyperlinks.append((el, length))
        elif tag == _W + "fldSimple" and (url := _field_url(el.get(_W + "instr", ""))):
            text = "".join(map(_text_of, el.iter()))
            fields.append(Link(url=url, text=text, start=length, end=length + len(text)))
        elif tag == _W + "instrText" and (url := _field_url(el.text or "")):
            field_url = url
        elif tag == _W + "fldChar":
            kind = el.get(_W + "fldCharType")
            if kind == "separate" and field_url:
                field_start = length
            elif kind == "end" and field_url and field_start is not None:
                fields.append(Link(url=field_url, text="".join(parts)[field_start:length], start=field_start, end=length))
                field_url = field_start = None
        elif tag in (_W + "footnoteReference", _W + "endnoteReference"):
            if on_ref is not None:
                on_ref(tag.rsplit("}", 1)[1], el.get(_W + "id"), length)
        elif piece := _text_of(el):
            parts.append(piece)
            length += len(piece)
    links: list[Link] = list(fields)
    for h, before in hyperlinks:
        target = rels.get(h.get(f"{{{R}}}id", ""), "")
        anchor = h.get(_W + "anchor")
        if target or anchor:
            text = "".join(map(_text_of, h.iter()))  # as the paragraph has it: a tab or a hyphen inside a link too
            links.append(Link(url=target or f"#{anchor}", text=text, start=before, end=before + len(text)))
    return "".join(parts), links


def _notes_part(path: str, zf: zipfile.ZipFile, kind: str) -> dict[str, tuple[str, list[Link], str]]:
    """Note id -> (text, links, xml path) from word/footnotes.xml or word/endnotes.xml."""
    name = f"word/{kind}s.xml"
    data = _read_part(path, zf, name)
    if data is None:
        return {}
    root = _xml(path, name, data)
    rels = _relationships(path, zf, name)
    out: dict[str, tuple[str, list[Link], str]] = {}
    for note in root.iter(_W + kind):
        if note.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        nid = note.get(_W + "id", "")
        texts: list[str] = []
        links: list[Link] = []
        offset = 0
        for p in note.iter(_W + "p"):
            text, plinks = _paragraph_text(p, rels)
            if texts:
                offset += 1
            links.extend(Link(l.url, l.text, (l.start or 0) + offset, (l.end or 0) + offset) for l in plinks)
            texts.append(text)
            offset += len(text)
        full = " ".join(texts)
        lead = len(full) - len(full.lstrip())
        links = [Link(l.url, l.text, (l.start or 0) - lead, (l.end or 0) - lead) for l in links]
        out[nid] = (full.strip(), links, f"{name}#{kind}[@w:id='{nid}']")
    return out


def read(path: str, data: bytes) -> RawDocument:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise InputError(path, "corrupt DOCX: not a zip archive") from None
    with zf:
        doc_xml = _read_part(path, zf, "word/document.xml")
        if doc_xml is None:
            raise InputError(path, "not a Word document: word/document.xml is missing")
        document = _xml(path, "word/document.xml", doc_xml)
        footnotes = _notes_part(path, zf, "footnote")
        endnotes = _notes_part(path, zf, "endnote")
        doc_rels = _relationships(path, zf, "word/document.xml")

    # Word numbers notes in the order they are referenced; ids in the XML are arbitrary.
    order: dict[tuple[str, str], None] = {}  # (kind, id) in the order first referenced
    markers: list[tuple[str, str, int]] = []
    body_parts: list[str] = []
    length = 0
    body_el = document.find(_W + "body")
    for _index, p in enumerate((body_el if body_el is not None else document).iter(_W + "p")):
        pending: list[tuple[str, str, int]] = []

        def on_ref(kind: str, nid: str | None, at: int) -> None:
            pending.append((kind.replace("Reference", ""), nid or "", at))  # noqa: B023 -- called only within this iteration

        text, _ = _paragraph_text(p, doc_rels, on_ref)
        for kind, nid, at in pending:
            order.setdefault((kind, nid))
            markers.append((kind, nid, length + at))
        body_parts.append(text)
        length += len(text) + 1

    numbers: dict[tuple[str, str], str] = {}
    notes: list[RawNote] = []
    for kind, nid in order:
        table = footnotes if kind == "footnote" else endnotes
        if nid not in table:
            continue
        number = str(len(notes) + 1)
        numbers[(kind, nid)] = number
        text, links, xpath = table[nid]
        notes.append(RawNote(id=number, text=text, place=Place(path, xpath=xpath), links=links))
    if not notes:
        raise NoNotesError(path, "no footnotes or endnotes referenced in the document")
    raw_markers = [
        RawMarker(
            note_id=numbers.get((kind, nid), f"{kind}:{nid}"),
            offset=offset,
            place=Place(path, xpath=f"word/document.xml#{kind}Reference[@w:id='{nid}']"),
        )
        for kind, nid, offset in markers
    ]
    return RawDocument(path=path, format="docx", body="\n".join(body_parts), notes=notes, markers=raw_markers)
