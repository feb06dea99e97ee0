"""Plain-text drafts: the notes section, note numbers, continuation lines."""

from __future__ import annotations

from citecheck.ingest.text import parse_text


def test_note_numbers_of_six_and_seven_digits_start_notes() -> None:
    """Past 99,999 every note was read as a continuation of note 99,999 (and joined line by line,
    a quadratic cost that kept a 1,000,000-note file from finishing)."""
    doc = parse_text("d.txt", "Claim.1\nNotes\n[99999] “A,” O, 2020.\n[100000] “B,” O, 2020.\n1234567. “C,” O, 2020.\n")
    assert [(n.id, n.text) for n in doc.notes] == [("99999", "“A,” O, 2020."), ("100000", "“B,” O, 2020."), ("1234567", "“C,” O, 2020.")]


def test_continuation_lines_join_the_note_above() -> None:
    doc = parse_text("d.txt", "Claim.1\nNotes\n[1] “A long title\n   that goes on,” Outlet,\n\n  May 1, 2020.\n[2] “B,” O, 2020.\n")
    assert [n.text for n in doc.notes] == ["“A long title that goes on,” Outlet, May 1, 2020.", "“B,” O, 2020."]
    assert [(n.place.line, n.place.column) for n in doc.notes] == [(3, 5), (7, 5)]


def test_a_few_invalid_utf8_bytes_are_replaced_and_reported_where_they_are(tmp_path) -> None:
    from citecheck import parse_file

    path = tmp_path / "d.txt"
    path.write_bytes("Claim “one”.1 Two.2\nNotes\n[1] “Caf".encode() + b"\xe9" + "”, Le Monde, 2020.\n[2] “B,” O, 2020.".encode() + b"\xff\n")
    doc = parse_file(str(path))
    assert [s.title for n in doc.notes for s in n.sources] == ["Caf\ufffd", "B"]
    damaged = [(p.place.line, p.place.column) for p in doc.problems if p.code == "invalid-utf-8"]
    assert damaged == [(3, 9), (4, 18)]  # after "[1] “Caf" and "[2] “B,” O, 2020."


def test_text_in_an_eight_bit_encoding_is_decoded_not_reported_as_damage(tmp_path) -> None:
    from citecheck import parse_file

    path = tmp_path / "d.txt"
    path.write_bytes("Claim café.1\nNotes\n[1] “Café,” Le Monde, 2020.\n".encode("cp1252"))
    doc = parse_file(str(path))
    assert doc.notes[0].sources[0].title == "Café" and not [p for p in doc.problems if p.code == "invalid-utf-8"]


def test_notes_numbered_with_a_bare_number_and_a_space_under_a_notes_heading() -> None:
    """As book and journal notes pages print them: "1 Jane Roe, …". A continuation line that begins
    with a number ("2020), 45.") is not a note: a bare number starts one only as the next in sequence."""
    doc = parse_text(
        "d.txt", "Body.1 More.2 Third.3\n\nNotes\n\n1 Jane Roe, “A Title,” Outlet, May 1,\n2020, 45.\n2 John Doe, “Another,” 2021.\n3 “Third,” Outlet, 2022.\n"
    )
    assert [(n.id, n.text) for n in doc.notes] == [
        ("1", "Jane Roe, “A Title,” Outlet, May 1, 2020, 45."),
        ("2", "John Doe, “Another,” 2021."),
        ("3", "“Third,” Outlet, 2022."),
    ]


def test_a_bare_number_starts_no_notes_section_without_a_heading() -> None:
    import pytest

    from citecheck.errors import NoNotesError

    with pytest.raises(NoNotesError):
        parse_text("d.txt", "In 2019 the war began.\n1 soldier died that day.\n2 more were wounded.\n")


BOOK = """Introduction

The Sahel has changed.1 Few expected it.2

Chapter 1: The Road to Bamako

The junta took power.1 It expelled the French.2 Then Wagner arrived.3

Notes

Introduction
1 Alexander Thurston, Jihadists of North Africa and the Sahel (Cambridge: Cambridge University Press, 2020), 4.
2 Ibid., 9.

Chapter 1: The Road to Bamako
1 “Mali junta expels French ambassador,” Reuters, January 31, 2022.
2 Jane Doe, “France leaves Mali,” Le Monde, 15 August 2022,
  12–13.
3 Ibid.
"""


def test_numbering_that_restarts_per_chapter_keeps_every_note_and_each_chapters_markers() -> None:
    from citecheck.parse.notes import build_document

    raw = parse_text("book.txt", BOOK)
    assert [(n.id, n.text[:12]) for n in raw.notes] == [
        ("1-1", "Alexander Th"),
        ("1-2", "Ibid., 9."),
        ("2-1", "“Mali junta "),
        ("2-2", "Jane Doe, “F"),
        ("2-3", "Ibid."),
    ]
    assert raw.notes[3].text.endswith("15 August 2022, 12–13.")  # the heading line is no continuation of the note above it
    doc = build_document(raw)
    assert [(n.id, [c.text for c in n.claims]) for n in doc.notes] == [
        ("1-1", ["The Sahel has changed."]),
        ("1-2", ["Few expected it."]),
        ("2-1", ["The junta took power."]),
        ("2-2", ["It expelled the French."]),
        ("2-3", ["Then Wagner arrived."]),
    ]
    # Ibid. points within its chapter: note 3 of chapter 1 is the work of chapter 1's note 2
    assert [(s.position.value, s.refers_to) for n in doc.notes for s in n.sources][-1] == ("ibid", "2-2.1")
    assert doc.problems == []


def test_a_restart_without_a_heading_is_a_new_chapter_and_its_markers_are_reported_missing() -> None:
    from citecheck.parse.notes import build_document

    text = "One.1 Two.2\n\nNotes\n\n1. “A,” BBC, May 1, 2020.\n2. “B,” BBC, May 2, 2020.\n1. “C,” BBC, May 3, 2020.\n"
    doc = build_document(parse_text("t.txt", text))
    assert [n.id for n in doc.notes] == ["1-1", "1-2", "2-1"]  # never two notes with one id
    assert [(p.code, p.message) for p in doc.problems if p.code == "note-without-marker"] == [("note-without-marker", "note 2-1 is not referenced in the text")]
