"""Properties of the parsers: they never raise on arbitrary input (but InputError), and they are stable."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.csl import from_item, to_item
from citecheck.errors import InputError
from citecheck.ingest import READERS
from citecheck.model import Place, Position, RawNote
from citecheck.outlets import OutletRegistry
from citecheck.parse.notes import build_document, parse_note

REGISTRY = OutletRegistry.default()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

note_alphabet = st.characters(codec="utf-8", exclude_categories=("Cs",))
pieces = st.sampled_from(
    [
        "“",
        "”",
        '"',
        "«",
        "»",
        "‘",
        "’",
        ",",
        ";",
        ".",
        "(",
        ")",
        "[",
        "]",
        "…",
        "Ibid.",
        "supra note 3",
        "See",
        "https://x.com/a/status/1",
        "October 22, 2024",
        "15:11 (2022)",
        "p. 6",
        " via YouTube",
        "Editor’s Note:",
        " and ",
        "et al.",
        "(French version)",
        "BBC",
        "@h",
        "op. cit.",
    ]
)
noteish = st.lists(st.one_of(st.text(note_alphabet, max_size=12), pieces), max_size=25).map("".join)


@SETTINGS
@given(noteish)
def test_a_note_of_anything_parses_without_raising(text: str) -> None:
    note = parse_note(RawNote("1", text, Place("f")), REGISTRY)
    for src in note.sources:
        assert src.note_id == "1"


def _read(fmt: str, data: bytes) -> None:
    try:
        raw = READERS[fmt]("fuzz", data)
    except InputError:
        return
    build_document(raw, REGISTRY)


@SETTINGS
@given(st.binary(max_size=2000))
def test_every_reader_takes_arbitrary_bytes_raising_only_input_errors(data: bytes) -> None:
    for fmt in READERS:
        _read(fmt, data)


html_tags = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<sup>",
        "</sup>",
        "<a href='#fn1'>",
        '<a href="#_ftn1" name="_ftnref1">',
        "</a>",
        "<section class='footnotes'>",
        "<div class='footnote'>",
        "<ol>",
        "<li id='fn1'>",
        "<li>",
        "</li>",
        "<h2>Notes</h2>",
        "<ol class='wp-block-footnotes'>",
        "<sup data-fn='x'>",
        "<!-- citecheck: ignore -->",
        "<div style='mso-element:footnote' id=ftn1>",
        "<br>",
        "&amp;",
        "&#0;",
        "<script>",
        "“",
        "1",
    ]
)


@SETTINGS
@given(st.lists(st.one_of(html_tags, st.text(note_alphabet, max_size=10)), max_size=60).map("".join))
def test_malformed_html_never_raises(text: str) -> None:
    _read("html", text.encode("utf-8"))


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["[^1]", "[^1]: ", "\n", "    ", "[t](http://x)", "<https://a>", "`", "*", "Notes\n", "1. "]), st.text(note_alphabet, max_size=10)
        ),
        max_size=40,
    ).map("".join)
)
def test_markdown_and_text_never_raise(text: str) -> None:
    _read("markdown", text.encode("utf-8"))
    _read("text", text.encode("utf-8"))


@SETTINGS
@given(st.data())
def test_mutated_docx_never_raises(data: st.DataObject) -> None:
    seed = (Path(__file__).resolve().parent.parent / "fixtures" / "ctc-sentinel-nasr-interview.docx").read_bytes()
    blob = bytearray(seed)
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(blob) - 1))
        blob[i] = data.draw(st.integers(0, 255))
    _read("docx", bytes(blob))
    # and a well-formed zip whose parts are junk
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", data.draw(st.binary(max_size=300)))
        zf.writestr("word/footnotes.xml", data.draw(st.binary(max_size=300)))
    _read("docx", buf.getvalue())


names = st.sampled_from(["Jane Doe", "Wassim Nasr", "Héni Nsaibia", "Paul Cruickshank", "Ruth Maclean"])
titles = st.lists(st.sampled_from(["Mali", "attack", "the", "Sahel:", "JNIM", "Niger’s", "junta", "café", "2024", "new", "front"]), min_size=1, max_size=8).map(
    " ".join
)
outlets = st.sampled_from(["BBC", "France24", "RFI", "Reuters", "Human Rights Watch", "Le Monde", "CTC Sentinel"])
dates = st.sampled_from(["October 22, 2024", "3 mai 2022", "Sept. 3, 2021", "2020-01-05", "July 2023"])


@SETTINGS
@given(st.lists(names, max_size=2, unique=True), titles, outlets, dates, st.booleans())
def test_csl_round_trip_is_stable(authors: list[str], title: str, outlet: str, date: str, with_url: bool) -> None:
    parts = [" and ".join(authors)] if authors else []
    parts.append(f"“{title},”")
    text = ", ".join(parts) + f" {outlet}, {date}" + (", https://example.org/a." if with_url else ".")
    src = parse_note(RawNote("1", text, Place("f")), REGISTRY).sources[0]
    assert src.position is Position.FIRST
    again = from_item(to_item(src))
    assert (again.kind, again.authors, again.title, again.outlet, again.issued, again.url) == (
        src.kind,
        src.authors,
        src.title,
        src.outlet,
        src.issued,
        src.url,
    )
    assert src.title == title and src.authors == authors


# Inputs the property tests once broke on, kept so they stay fixed.
REGRESSIONS_TEXT = [
    "1. [t](http://x)[^1][^1]",  # a URL with brackets made urlsplit raise "Invalid IPv6 URL"
    "1. [t](http://x)[^1]",
    "^[^1]",  # a Pandoc inline footnote has no label
    "Notes\n1. http://[::1/\n",
]


def test_regressions_found_by_the_property_tests() -> None:
    for text in REGRESSIONS_TEXT:
        _read("markdown", text.encode())
        _read("text", text.encode())
    title = "Sahel:"  # a colon inside the closing quote belongs to the title
    assert parse_note(RawNote("1", f"“{title},” BBC, May 1, 2020.", Place("f")), REGISTRY).sources[0].title == title


# --- the verifier's matching -------------------------------------------------------------------------------

from citecheck.config import VerifyOptions
from citecheck.verify.extract import extract
from citecheck.verify.match import find_quote, normalize

words = st.lists(st.text(st.characters(categories=("Ll", "Lu", "Nd"), codec="utf-8"), min_size=1, max_size=8), min_size=6, max_size=60)


@SETTINGS
@given(st.text(note_alphabet, max_size=200))
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


def _normalize_by_definition(text: str) -> str:
    """What normalize means, written the slow way: each character folded, the whole lower-cased,
    every run of non-word characters one space."""
    import html
    import re

    from citecheck.verify.match import _fold_char

    folded = "".join(c if c.isascii() else _fold_char(c) for c in html.unescape(text)).lower()
    return re.sub(r"[\W_]+", " ", folded).strip()


@SETTINGS
@given(st.one_of(st.text(max_size=60), st.text(note_alphabet, max_size=60), st.text(st.characters(codec="ascii"), max_size=60)))
def test_normalize_folds_by_its_definition(text: str) -> None:
    assert normalize(text) == _normalize_by_definition(text)


@SETTINGS
@given(words, st.data())
def test_any_run_of_a_pages_words_is_found_verbatim_in_any_typography(page_words: list[str], data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(page_words) - 3))
    end = data.draw(st.integers(start + 3, len(page_words)))
    punctuation = data.draw(st.sampled_from([" ", ", ", " — ", "’ ", "; "]))
    page = punctuation.join(page_words)
    quote = " ".join(page_words[start:end]).upper()
    score, _ = find_quote(quote, normalize(page), VerifyOptions())
    assert score == 1.0


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["text/html", "application/pdf", None]))
def test_the_page_reader_never_raises(body: bytes, content_type: str | None) -> None:
    evidence = extract(b"%PDF-1.4\n" + body if content_type == "application/pdf" else body, url="https://example.org/a", content_type=content_type)
    assert evidence.kind in ("html", "pdf", "other")
