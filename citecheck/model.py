"""The data every stage shares.

The pipeline reads in the order the data flows:

    ingest  ->  RawDocument  (notes as text, markers in the body)
    notes   ->  Document     (notes split into normalized Sources, back-references resolved)
    fetch   ->  Resolution   (what the web said about each Source's URL)
    verify  ->  checks on each Resolution
    report  ->  what people and CI read

Only plain data lives here: dataclasses with no behaviour beyond small derived
properties and conversion to JSON-ready dictionaries.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson


class Position(enum.StrEnum):
    """Where a citation stands among citations of the same work (CSL's `position`)."""

    FIRST = "first"
    SUBSEQUENT = "subsequent"
    IBID = "ibid"
    IBID_WITH_LOCATOR = "ibid-with-locator"


@dataclass(frozen=True, slots=True)
class Place:
    """Where something is in the user's file: line/column (1-based) or an XML path."""

    file: str
    line: int | None = None
    column: int | None = None
    xpath: str | None = None

    def __str__(self) -> str:
        if self.line is not None:
            col = f":{self.column}" if self.column is not None else ""
            return f"{self.file}:{self.line}{col}"
        if self.xpath:
            return f"{self.file}:{self.xpath}"
        return self.file


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, month or day, as citations give them."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def date_parts(self) -> list[int]:
        return [p for p in (self.year, self.month, self.day) if p is not None]

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        bits = [int(b) for b in text.split("-")]
        return cls(*bits)

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink found in a note: its visible text, target, and any Robust Links archive pointer."""

    url: str
    text: str = ""
    start: int | None = None  # offset of the link text in the note's text
    end: int | None = None
    version_url: str | None = None  # data-versionurl (an existing archive copy)
    version_date: str | None = None  # data-versiondate


@dataclass(frozen=True, slots=True)
class ArchivePointer:
    """An archived copy the draft already names (Robust Links)."""

    url: str
    date: str | None = None


@dataclass(slots=True)
class Source:
    """One cited work, as one note cites it.

    Fields hold what the author wrote, normalized; nothing is looked up here.
    `refers_to` names the Source (by id) that a back-reference repeats.
    """

    id: str  # "<note id>.<index>", e.g. "9.1"
    note_id: str
    text: str  # this citation's own text within the note
    kind: str = "document"  # CSL type
    authors: list[str] = field(default_factory=list)
    title: str | None = None
    title_truncated: bool = False  # the title ends with an ellipsis: match it as a prefix
    outlet: str | None = None  # newspaper, journal, broadcaster, publisher
    platform: str | None = None  # where it was posted: X, YouTube, ...
    handle: str | None = None  # the author's account on the platform, when the note names it ("@SimNasr")
    issued: PartialDate | None = None
    accessed: PartialDate | None = None
    url: str | None = None
    doi: str | None = None  # "10.1080/…", from "doi: 10.…", "DOI 10.…" or a doi.org URL in the note
    language: str | None = None  # BCP 47 code from an explicit hint such as "(French version)"
    page: str | None = None
    volume: str | None = None
    issue: str | None = None
    publisher_place: str | None = None  # a book's or report's place of publication: "New York" in "(New York: Crown, 2018)"
    publisher: str | None = None  # a chapter's publisher (its book is the outlet); a book's publisher is its outlet
    editors: list[str] = field(default_factory=list)  # of the book a chapter is in: "ed. A. Editor"
    translators: list[str] = field(default_factory=list)  # "trans. B. Translator"
    lead_in: str | None = None  # "See", "For more on these dynamics, see", ...
    position: Position = Position.FIRST
    refers_to: str | None = None  # id of the first citation of the work a back-reference repeats
    repeats_note: str | None = None  # the note a back-reference points at (previous note for Ibid.)
    archive: ArchivePointer | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def is_back_reference(self) -> bool:
        return self.position is not Position.FIRST


@dataclass(slots=True)
class Claim:
    """The words in the body that a footnote marker supports."""

    note_id: str
    place: Place
    sentence: str  # the whole sentence carrying the marker (markers removed)
    text: str  # the part of the sentence the marker closes (from the previous marker)
    quotes: list[str] = field(default_factory=list)
    speaker: str | None = None  # "CTC", "Nasr" in interviews


@dataclass(slots=True)
class Note:
    """A footnote or endnote."""

    id: str
    text: str
    place: Place
    framing: str | None = None  # "Editor’s Note"
    sources: list[Source] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    ignored: bool = False  # the draft asked citecheck to skip this note


@dataclass(slots=True)
class Problem:
    """Something wrong with the draft itself, found while parsing."""

    code: str  # "marker-without-note", "note-without-marker", "ambiguous-ibid", ...
    message: str
    place: Place | None = None
    note_id: str | None = None


@dataclass(slots=True, repr=False)
class Document:
    """A parsed draft."""

    path: str
    format: str
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    handles: dict[str, str] = field(default_factory=dict)  # author name -> X handle from the draft

    def __repr__(self) -> str:
        # short: a draft's full repr runs to megabytes, and asyncio.run builds one of its main
        # task's result when it restores the SIGINT handler (measured: +35 MB at 5,000 notes)
        return f"Document({self.path!r}, {self.format!r}, {len(self.notes)} notes, {len(self.problems)} problems)"

    @property
    def sources(self) -> list[Source]:
        return [s for n in self.notes for s in n.sources]

    def source(self, source_id: str) -> Source | None:
        for s in self.sources:
            if s.id == source_id:
                return s
        return None

    def citing_notes(self) -> dict[str, list[str]]:
        """Work (id of its first citation) -> the notes citing it, in order, back-references included.

        `refers_to` always names the first citation (back-references are flattened when
        resolved), so no chain is followed.
        """
        notes: dict[str, list[str]] = {}
        for src in self.sources:
            citing = notes.setdefault(src.refers_to or src.id, [])
            if src.note_id not in citing:
                citing.append(src.note_id)
        return notes

    def canonical(self, source: Source) -> Source:
        """The first citation of the work a back-reference repeats (itself if not one)."""
        seen: set[str] = set()
        while source.refers_to and source.refers_to not in seen:
            seen.add(source.id)
            target = self.source(source.refers_to)
            if target is None:
                break
            source = target
        return source


def to_jsonable(value: Any, *, stored: bool = False) -> Any:
    """Dataclasses, enums and dates as plain JSON values (dicts, lists, strings...), keeping field order.

    Fields marked `serialize: False` (page bodies) never leave memory; fields marked
    `report: False` (a page's extracted text) go to the cache (`stored=True`) but not
    into reports. The rules live in `json_encoded`, which reports and the cache use; this
    decodes what it writes.
    """
    return json.loads(json_encoded(value, stored=stored))


def json_encoded(value: Any, *, stored: bool = False, indent: bool = False) -> bytes:
    """`value` as JSON, by orjson: what `to_jsonable` gives, encoded, without building it first.

    orjson walks lists, dicts, strings, numbers and enums itself and asks `_record` only for
    citecheck's records (dataclasses) and partial dates: 2-3x faster than converting them for the
    json module (reports and the cache are written as results arrive or after the last one).
    """
    option = orjson.OPT_PASSTHROUGH_DATACLASS | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(value, default=_stored_record if stored else _reported_record, option=option)


def _reported_record(value: Any) -> Any:
    return _REPORTED[type(value)](value)


def _stored_record(value: Any) -> Any:
    return _STORED[type(value)](value)


class _Encoders(dict[type, Callable[[Any], Any]]):
    """Each record type's encoder, made at first use: a dict display of the fields that go out.
    orjson calls back once per record (ten a note in a check report); a generated
    `lambda v: {"id": v.id, ...}` costs ~2 µs where a loop over the field names costs ~4."""

    def __init__(self, stored: bool) -> None:
        super().__init__()
        self.stored = stored

    def __missing__(self, cls: type) -> Callable[[Any], Any]:
        encoder = self[cls] = _encoder_for(cls, self.stored)
        return encoder


def _encoder_for(cls: type, stored: bool) -> Callable[[Any], Any]:
    if cls is PartialDate:
        return operator.attrgetter("iso")
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a citecheck record")
    names = [f.name for f in dataclasses.fields(cls) if f.metadata.get("serialize", True) and (stored or f.metadata.get("report", True))]
    assert all(name.isidentifier() for name in names)  # field names, so the display below is plain attribute reads
    return eval("lambda v: {" + ", ".join(f"{name!r}: v.{name}" for name in names) + "}")  # noqa: S307


_REPORTED = _Encoders(stored=False)
_STORED = _Encoders(stored=True)


# --- what ingest hands to the notes stage -------------------------------------------------------


@dataclass(slots=True)
class RawNote:
    """A note's text as the file holds it, before it is taken apart."""

    id: str
    text: str
    place: Place
    links: list[Link] = field(default_factory=list)
    ignored: bool = False
    framing: str | None = None
    sources: list[Source] | None = None  # already structured (CSL-JSON input): not parsed again


@dataclass(frozen=True, slots=True)
class RawMarker:
    """A footnote reference the format marks explicitly (Markdown `[^1]`, HTML `<sup>`, DOCX)."""

    note_id: str
    offset: int  # where the marker stood in RawDocument.body (markers are not in the body text)
    place: Place


@dataclass(slots=True)
class RawDocument:
    """A draft read from disk: its body as plain text, its notes, and where markers are.

    `markers is None` means the format does not mark them (plain text): the
    notes stage finds them in the body by their shape and the notes' order.
    """

    path: str
    format: str
    body: str
    notes: list[RawNote]
    markers: list[RawMarker] | None = None
    body_first_line: int = 1  # line in the file where `body` starts (plain text)
    # where a book's note numbering restarts (plain text): (offset in `body` where the chapter's
    # text starts, or None where its heading is not found there; the prefix of its notes' ids, "2-")
    chapters: list[tuple[int | None, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # found while reading (damaged bytes), before the notes are parsed


# --- what the resolver found ----------------------------------------------------------------------


class Verdict(enum.StrEnum):
    """What became of a source. Every stage and report uses these six words."""

    OK = "ok"  # answers 2xx with real content
    MOVED = "moved"  # permanently redirected to a working page: the new URL is the fix
    MISSING = "missing"  # gone: 404/410, no such domain, redirect to home, soft 404
    MISMATCHED = "mismatched"  # found, but not the cited work (the verifier says so)
    UNREACHABLE = "unreachable"  # could not tell: timeouts, 5xx, bot walls, refused for safety
    UNLINKED = "unlinked"  # the note gives no URL to check


@dataclass(frozen=True, slots=True)
class Hop:
    """One request in a redirect chain."""

    url: str
    status: int | None
    location: str | None = None
    elapsed_ms: float | None = None


@dataclass(slots=True)
class Resolution:
    """What the web said about one URL, with the evidence for the verdict."""

    url: str
    verdict: Verdict
    reason: str
    final_url: str | None = None
    status: int | None = None
    hops: list[Hop] = field(default_factory=list)
    content_type: str | None = None
    page_title: str | None = None
    error: str | None = None
    attempts: int = 0
    elapsed_ms: float = 0.0
    fetched_at: str | None = None  # ISO 8601, UTC
    from_cache: bool = False
    suggested_url: str | None = None  # where the source lives now (moved)
    post: PostEvidence | None = None  # X posts and videos: what the platform's embed endpoint said
    page: PageEvidence | None = None  # what the page says about itself (filled when verification is on)
    archive: Snapshot | None = None  # the archived copy chosen for this source, if one was looked for
    archive_tried: list[str] = field(default_factory=list)  # the look-ups made, for the report
    # The page as fetched (capped), for the resolver's inspect hook (the verifier's page reader);
    # dropped before the resolution is returned, never serialized or cached.
    body: bytes | None = field(default=None, repr=False, compare=False, metadata={"serialize": False})
    encoding: str | None = field(default=None, repr=False, compare=False, metadata={"serialize": False})


@dataclass(slots=True)
class Found:
    """How citecheck found the URL of a work its note does not link (citecheck/discover)."""

    via: str  # the backend: "identifiers", "outlet-urls", "listings", "gdelt", "crossref", "search", "x-archive"
    score: float  # the backend's confidence in the lead, 0..1; the verifier decided
    evidence: list[str] = field(default_factory=list)  # what matched: the lead's reason, then the verifier's passes
    rejected: list[str] = field(default_factory=list)  # up to 3 candidates that failed verification, each with why


@dataclass(slots=True)
class SourceCheck:
    """The verdict on one cited work, with the evidence and the fix."""

    source_id: str
    note_id: str
    cited_in: list[str]  # every note that cites this work (back-references included)
    url: str | None
    verdict: Verdict
    reason: str
    fix: str | None = None  # what the editor should do: the new URL, an archive URL
    resolution: Resolution | None = None
    place: Place | None = None
    archive: Snapshot | None = None  # the archived copy found (or the draft's own, checked)
    archive_tried: list[str] = field(default_factory=list)
    verified_against: str | None = None  # "the live page", "the archived copy of 2024-10-30", "X's embed endpoint"
    findings: list[Finding] = field(default_factory=list)  # the verifier's checks, each with its evidence
    found: Found | None = None  # the note gives no URL: how the URL checked was found
    discovery_tried: list[str] = field(default_factory=list)  # each backend asked for a work without a URL, and what it answered

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARN]


@dataclass(frozen=True, slots=True)
class Ignore:
    """A known false positive, from the config: a note or a URL pattern not to check, and why."""

    reason: str
    note: str | None = None
    url: str | None = None  # a glob: "https://www.ft.com/*"


@dataclass(slots=True)
class Skipped:
    """A cited work citecheck was told not to check, and who said so."""

    source_id: str
    note_id: str
    url: str | None
    reason: str  # "ignored in the draft", "ignored by the config: paywalled, checked by hand", "excluded by [urls]"


@dataclass(slots=True, repr=False)
class CheckReport:
    document: Document
    checks: list[SourceCheck] = field(default_factory=list)
    started_at: str | None = None
    finished_at: str | None = None
    requests: int = 0
    # the verdicts that fail the run (the CLI's --fail-on): reports mark them as errors, the rest as warnings
    fail_on: frozenset[Verdict] = frozenset({Verdict.MISSING, Verdict.MISMATCHED})
    skipped: list[Skipped] = field(default_factory=list)  # works not checked: ignored or excluded

    def __repr__(self) -> str:  # short, like Document's
        return f"CheckReport({self.document!r}, {len(self.checks)} checks, requests={self.requests})"

    @property
    def failed(self) -> list[SourceCheck]:
        return [c for c in self.checks if c.verdict in self.fail_on]

    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for c in self.checks:
            out[c.verdict.value] += 1
        return out


# --- archives and platforms ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An archived copy of a source."""

    url: str  # where a reader sees it (replay URL)
    timestamp: str  # 14 digits, UTC
    original: str  # the URL that was captured
    service: str  # "wayback", "archive.today", "draft" (a Robust Link the draft already had)
    raw_url: str | None = None  # the capture as crawled (Wayback id_), for checking and metadata
    verified: bool = False  # the raw capture was fetched and is a real page, not an error page
    page: PageEvidence | None = field(default=None, compare=False, metadata={"report": False})

    @property
    def date(self) -> str:
        t = self.timestamp
        return f"{t[:4]}-{t[4:6]}-{t[6:8]}" if len(t) >= 8 else t


@dataclass(slots=True)
class PostEvidence:
    """What a platform's public embed endpoint says about a post or video."""

    provider: str  # "X", "YouTube"
    author_name: str | None = None
    author_handle: str | None = None
    text: str | None = None  # the post's text, or the video's title
    date: str | None = None  # ISO date, when the platform gives it
    language: str | None = None
    endpoint: str | None = None  # which endpoint answered


# --- verification -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Candidate:
    """One value a page gives for a field, and where on the page it was read."""

    value: str
    where: str  # "citation_title", "og:title", "json-ld headline", "<title>", "h1", "pdf info", "oembed"


@dataclass(slots=True)
class PageEvidence:
    """What a fetched page, PDF, archived capture or embed answer says about itself."""

    kind: str  # "html", "pdf", "post", "video", "other"
    url: str  # where it was read (final URL, or the archived original)
    titles: list[Candidate] = field(default_factory=list)  # in order of trust
    authors: list[Candidate] = field(default_factory=list)
    published: Candidate | None = None  # original publication date, ISO 8601
    modified: Candidate | None = None  # last update, when the page gives one
    site_name: str | None = None
    language: str | None = None  # BCP 47 primary tag, from the page's markup or its text
    # main text, capped: for quote search (kept in the cache, left out of reports)
    text: str = field(default="", metadata={"report": False})
    problems: list[str] = field(default_factory=list)  # why extraction fell short (corrupt PDF, ...)
    # False: the main text was not read, nothing the page was to be checked for needing it (PageNeeds)
    text_read: bool = field(default=True, metadata={"report": False})
    truncated: bool = False  # too large to read whole: only its first part was read (a quotation may be in the rest)


@dataclass(frozen=True, slots=True)
class PageNeeds:
    """What verifying a page may ask of its main text, for the page reader to decide whether to read
    it (trafilatura's main-text pass is most of the time a page takes to read): a quotation to
    find, and the cited authors, which are looked for in the text when the markup does not name them.
    A page whose markup does not declare its language is read too (the language is guessed from it)."""

    quotes: bool = False
    authors: tuple[str, ...] = ()  # the people cited as authors (outlets named as authors are the outlet check's)
    author_match: float = 0.88  # VerifyOptions.author_match


class Level(enum.StrEnum):
    """How one verification check came out."""

    PASS = "pass"
    WARN = "warn"  # worth an editor's look, not a failure: date off by days, language differs
    FAIL = "fail"  # the evidence says this is not the cited work: the source becomes `mismatched`
    SKIP = "skip"  # nothing to compare (the page shows no date; a paraphrase has no quote)


@dataclass(slots=True)
class Finding:
    """The result of one verification check, with its evidence."""

    check: str  # "title", "date", "author", "outlet", "quote", "language"
    level: Level
    message: str
    score: float | None = None  # 0..1 similarity, where the check is scored
    expected: str | None = None  # what the citation says
    found: str | None = None  # what the page says
    where: str | None = None  # where on the page ("og:title", "main text, paragraph 4")


# --- pickling ---------------------------------------------------------------------------------------


def _pickled_by_call(cls: type) -> None:
    """Pickle a slotted dataclass as a call of the class with its fields' values. Worker processes
    send notes and page evidence back by pickle, and the checking process unpickles them on its
    busy event loop's core: dataclasses' own pickling of slotted classes sets the slots one by one
    and, for frozen ones, looks up `fields()` for every object (~40 µs a parsed note; ~9 µs so).
    A class whose fields do not all go to `__init__` positionally keeps dataclasses' pickling."""
    if not all(f.init and not f.kw_only for f in dataclasses.fields(cls)) or hasattr(cls, "__post_init__"):
        return
    names = tuple(f.name for f in dataclasses.fields(cls))
    cls.__reduce__ = lambda self: (cls, tuple([getattr(self, name) for name in names]))  # type: ignore[method-assign, misc, assignment]


for _shared in list(globals().values()):
    if isinstance(_shared, type) and dataclasses.is_dataclass(_shared) and _shared.__module__ == __name__ and "__slots__" in _shared.__dict__:
        _pickled_by_call(_shared)
