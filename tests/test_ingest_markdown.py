"""The Markdown reader's link handling: plain links skip markdown-it's mdurl normalization, and
come out exactly as markdown-it would give them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from citecheck.ingest import read_document
from citecheck.ingest.markdown import markdown_parser

REFERENCE = MarkdownIt("commonmark")
FAST = markdown_parser()

# URL-shaped text: schemes in any case, hosts with dots, hyphens and punycode, ports, userinfo,
# and path characters mdurl encodes (space, %, brackets, non-ASCII) beside those it keeps
schemes = st.sampled_from(["http://", "https://", "HTTP://", "Https://", "ftp://", "mailto:", ""])
hosts = st.text("abcXYZ019-.:@[]xn-ü", min_size=0, max_size=14)
rests = st.text("abcXYZ019/?#;:@&=+$,-_.!~*'()% []<>\"é中", max_size=30)


@settings(max_examples=400, deadline=None)
@given(schemes, hosts, rests)
def test_links_are_normalized_exactly_as_markdown_it_does(scheme: str, host: str, rest: str) -> None:
    url = scheme + host + rest
    assert FAST.normalizeLink(url) == REFERENCE.normalizeLink(url)
    assert FAST.normalizeLinkText(url) == REFERENCE.normalizeLinkText(url)


def test_a_notes_links_keep_markdown_its_encoding_and_display(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text(
        "Said so.[^1] And so.[^2]\n\n[^1]: A. Lee, “Report,” <https://example.org/a?q=é>.\n"
        "[^2]: B. Diallo, “Page,” <https://xn--bcher-kva.ch/Über>, and <https://www.bbc.com/news/world-africa-46357252>.\n",
        "utf-8",
    )
    raw = read_document(str(path))
    links = {note.id: [(link.url, link.text) for link in note.links] for note in raw.notes}
    assert links["1"] == [("https://example.org/a?q=%C3%A9", "https://example.org/a?q=é")]
    assert links["2"] == [
        ("https://xn--bcher-kva.ch/%C3%9Cber", "https://bücher.ch/Über"),
        ("https://www.bbc.com/news/world-africa-46357252", "https://www.bbc.com/news/world-africa-46357252"),
    ]


def test_each_marker_on_a_line_gets_its_own_column_even_when_a_note_is_cited_twice(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text(
        "Said.[^1] Denied.[^2] Said again.[^1]\n\n[^1]: A. Lee, “Report,” <https://example.org/a>.\n[^2]: B. Diallo, “Reply,” <https://example.org/b>.\n",
        "utf-8",
    )
    raw = read_document(str(path))
    line = path.read_text("utf-8").splitlines()[0]
    assert [(m.note_id, m.place.line, m.place.column) for m in raw.markers] == [
        ("1", 1, line.index("[^1]") + 1),
        ("2", 1, line.index("[^2]") + 1),
        ("1", 1, line.rindex("[^1]") + 1),
    ]


@pytest.mark.parametrize(
    "written, url",
    [
        ("http://example.org/redir?to=http://[2001:db8::1]/x", "http://example.org/redir?to=http://[2001:db8::1]/x"),
        ("<http://example.org/redir?to=http://[2001:db8::1]/x>", "http://example.org/redir?to=http://[2001:db8::1]/x"),
        ("http://[2001:db8::1]/report", "http://[2001:db8::1]/report"),
        ("<http://[2001:db8::1]:8080/a?b=c>", "http://[2001:db8::1]:8080/a?b=c"),
        ("[the report](http://example.org/a)", "http://example.org/a"),
    ],
)
def test_a_note_url_with_brackets_around_an_ipv6_address_is_kept_whole(tmp_path, written: str, url: str) -> None:
    from citecheck import parse_file

    path = tmp_path / "d.md"
    path.write_text(f"Claim.[^1]\n\n[^1]: “T,” Outlet, May 1, 2024, {written}.\n", "utf-8")
    assert [s.url for n in parse_file(str(path)).notes for s in n.sources] == [url]


def test_footnote_definitions_no_marker_references_are_notes_reported_as_such(tmp_path) -> None:
    from citecheck import parse_file

    path = tmp_path / "d.md"
    path.write_text(
        "Claim one.[^a] Two.[^b]\n\n[^a]: “A,” Outlet, 2020.\n[^b]: “B,” Outlet, 2020.\n[^c]: “C, [linked](https://e.org/c),” Outlet, 2021.\n", "utf-8"
    )
    doc = parse_file(str(path))
    assert [n.id for n in doc.notes] == ["a", "b", "c"] and doc.notes[2].sources[0].url == "https://e.org/c"
    assert [(p.code, p.note_id) for p in doc.problems] == [("note-without-marker", "c")]
    assert doc.notes[2].place.line == 5


def test_a_markdown_file_of_notes_only_is_a_file_of_notes(tmp_path) -> None:
    from citecheck import parse_file

    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\n[^1]: “A,” Outlet, 2020.\n[^2]: “B,” Outlet, 2021.\n    Its note goes on here.\n", "utf-8")
    doc = parse_file(str(path))
    assert [(n.id, n.text) for n in doc.notes] == [("1", "“A,” Outlet, 2020."), ("2", "“B,” Outlet, 2021. Its note goes on here.")]
    assert {p.code for p in doc.problems} == {"note-without-marker"} and all(not n.claims for n in doc.notes)
