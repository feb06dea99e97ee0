"""Markers glued to text, and the words each supports."""

from __future__ import annotations

import pytest

from citecheck.model import Place
from citecheck.parse.body import build_claims, find_handles, find_markers, find_quotations


def values(text: str, notes: int = 20) -> list[int]:
    return [c.value for c in find_markers(text, set(range(1, notes + 1)))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what he told me.1 We did not", [1]),
        ("villages in Ansongo [in eastern Mali],2 accusing", [2]),
        ("into the hands of al-Qa`ida.3 He did", [3]),
        ("in Bamako in November 20156 and an attack in August 20177—they", [6, 7]),
        ("a response to Human Rights Watch10 justifying", [10]),
        ("with a military base.”9", [9]),
        ("in Timbuktu in August 2024.13", [13]),
        ("during a visit there in 2023,16 HTS moved", [16]),
        ("Superscripts work too.¹ And twice.¹²", [1, 12]),
        ("Bracketed [4] markers.", [4]),
        ("at least 133 people in the town", []),
        ("Koufa replied to 14. There were", []),
        ("the G20 summit and the F16 jets", []),
        ("a 2.5 million budget and 1,000 people at 10:30", []),
        ("COVID-19 spread", []),
        ("Mali.1 Niger.2 a spurious Word7 then Chad.3", [1, 2, 3]),
    ],
)
def test_markers_found_by_shape_and_order(text: str, expected: list[int]) -> None:
    assert values(text) == expected


def test_markers_are_as_long_as_the_highest_note_number() -> None:
    body = "Event 9999 was described in detail.9999 Event 10000 too.10000 And [12345] in brackets."
    assert values(body, notes=20000) == [9999, 10000, 12345]
    # with fewer notes, five glued digits stay a number; four still make a marker
    assert values(body, notes=9999) == [9999]


def test_claim_span_starts_after_the_previous_marker_in_the_sentence() -> None:
    body = "He documented a massacre8 of “at least 133 people.”9 Next sentence."
    found = find_markers(body, {8, 9})
    claims = build_claims(body, [(str(c.value), c.start, c.end) for c in found], lambda o: Place("f", 1, o + 1))
    assert [c.text for c in claims] == ["He documented a massacre", "of “at least 133 people.”"]
    assert [c.quotes for c in claims] == [[], ["at least 133 people."]]
    assert claims[0].sentence == claims[1].sentence == "He documented a massacre of “at least 133 people.”"


def test_quotation_spanning_sentences_is_one_quote() -> None:
    body = "He said “One. Two. Three.”4 Then he left."
    found = find_markers(body, {4})
    claims = build_claims(body, [("4", found[0].start, found[0].end)], lambda o: Place("f"))
    assert claims[0].quotes == ["One. Two. Three."]
    assert claims[0].sentence == "He said “One. Two. Three.”"


def test_apostrophes_do_not_close_single_quotes() -> None:
    text = "He did not say ‘it’s only my force of preaching.’ Then"
    assert [text[o + 1 : c] for o, c in find_quotations(text)] == ["it’s only my force of preaching."]


def test_abbreviations_do_not_end_sentences() -> None:
    body = "Officials in the U.S. and Dr. Smith said so.5"
    found = find_markers(body, {5})
    claims = build_claims(body, [("5", found[0].start, found[0].end)], lambda o: Place("f"))
    assert claims[0].sentence == "Officials in the U.S. and Dr. Smith said so."


def test_handles_from_bios() -> None:
    assert find_handles("Jane Roe is a reporter for AFP. X: @janeroe\nOther text.") == {"Jane Roe": "janeroe"}
    assert find_handles("No bio here. X: @someone") == {}


def test_a_long_paragraph_of_quoted_claims_splits_only_outside_the_quotations() -> None:
    """One paragraph, many sentences, some quoting several sentences: each claim's sentence is its
    own, whole quotations included, however far into the paragraph it stands (and no abbreviation
    ends one)."""
    parts = []
    for i in range(1, 301):
        if i % 3 == 0:
            parts.append(f"Witness {i} said “It burned. We ran. Dr. Lee stayed.”{i}")
        else:
            parts.append(f"Report {i} counts the dead in the U.S. sense.{i}")
    body = " ".join(parts)
    found = find_markers(body, set(range(1, 301)))
    claims = build_claims(body, [(str(c.value), c.start, c.end) for c in found], lambda o: Place("f"))
    assert len(claims) == 300
    for i, claim in enumerate(claims, start=1):
        if i % 3 == 0:
            assert claim.sentence == f"Witness {i} said “It burned. We ran. Dr. Lee stayed.”"
            assert claim.quotes == ["It burned. We ran. Dr. Lee stayed."]
        else:
            assert claim.sentence == f"Report {i} counts the dead in the U.S. sense."


def test_a_paragraph_without_sentence_ends_gives_each_claim_the_words_around_its_marker() -> None:
    """A run-together paragraph of 3,000 markers: each claim's sentence is bounded (it was the
    whole paragraph, repeated in every claim: 100,000 markers made a 20 GB report)."""
    from citecheck.parse.body import MAX_SENTENCE

    parts, markers = [], []
    pos = 0
    for i in range(1, 3001):
        words = f"claim {i} says “quote {i}” and more "
        parts.append(words)
        pos += len(words)
        marker = str(i)
        markers.append((str(i), pos, pos + len(marker)))
        parts.append(marker + " ")
        pos += len(marker) + 1
    body = "".join(parts)
    claims = build_claims(body, markers, lambda offset: Place("d.txt"))
    assert len(claims) == 3000
    assert max(len(c.sentence) for c in claims) <= MAX_SENTENCE
    middle = claims[1499]
    assert middle.text == "claim 1500 says “quote 1500” and more" and middle.quotes == ["quote 1500"]
    assert "claim 1500 says" in middle.sentence
