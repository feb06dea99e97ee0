"""The first document citecheck must handle perfectly: the CTC Sentinel interview, 17 notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck import parse_file
from citecheck.model import Position
from citecheck.report.data import parse_json

from .conftest import FIXTURES, SEED


def test_parse_equals_hand_checked_expectation(in_repo: Path) -> None:
    got = json.loads(parse_json(parse_file(SEED)))
    want = json.loads((FIXTURES / "ctc-sentinel-nasr-interview.expected.json").read_text("utf-8"))
    got.pop("citecheck"), want.pop("citecheck")
    assert got == want


@pytest.fixture(scope="module")
def seed():
    return parse_file(str(FIXTURES / "ctc-sentinel-nasr-interview.txt"))


def test_seventeen_notes_each_with_exactly_one_marker(seed) -> None:
    assert [n.id for n in seed.notes] == [str(i) for i in range(1, 18)]
    assert all(len(n.claims) == 1 for n in seed.notes)
    assert seed.problems == []


def test_markers_glued_to_years_are_split_from_the_year(seed) -> None:
    by_id = {n.id: n for n in seed.notes}
    assert by_id["6"].claims[0].text.endswith("in Bamako in November 2015")
    assert by_id["7"].claims[0].text.endswith("in Ouagadougou in August 2017")
    assert by_id["13"].claims[0].text.endswith("in Timbuktu in August 2024.")
    assert by_id["16"].claims[0].text.endswith("during a visit there in 2023,")


def test_numbers_after_a_space_are_not_markers(seed) -> None:
    # "at least 133 people", "replied to 14", "17 questions": none of them is a marker
    texts = " ".join(c.sentence for n in seed.notes for c in n.claims)
    assert "133 people" in texts
    assert seed.notes[8].claims[0].place.line == 14


def test_back_references_point_at_the_first_citation(seed) -> None:
    by_id = {n.id: n for n in seed.notes}
    short, ibid, ibid2 = by_id["11"].sources[0], by_id["12"].sources[0], by_id["17"].sources[0]
    assert (short.position, short.refers_to, short.repeats_note) == (Position.SUBSEQUENT, "9.1", "9")
    assert (ibid.position, ibid.refers_to, ibid.repeats_note) == (Position.IBID, "9.1", "11")
    assert (ibid2.position, ibid2.refers_to, ibid2.repeats_note) == (Position.IBID, "16.1", "16")
    assert seed.canonical(ibid).title == "Burkina Faso: Massacre Shows Need to Protect Civilians"


def test_quoted_words_follow_the_marker_they_precede(seed) -> None:
    by_id = {n.id: n for n in seed.notes}
    assert by_id["9"].claims[0].quotes[0].startswith("at least 133 people")
    assert by_id["8"].claims[0].quotes == []  # marker 8 comes before the quotation
    assert by_id["11"].claims[0].quotes == ["this would not be an excuse to spare them. Anyone who … follows this regime … deserves to be held accountable."]
    assert by_id["13"].claims[0].quotes == ["birth control"]  # "hostile activities" is in the sentence before
    assert by_id["2"].claims[0].quotes == []  # the marker stands inside the interviewer's own open question


def test_author_handle_read_from_the_bio(seed) -> None:
    assert seed.handles == {"Wassim Nasr": "SimNasr"}


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx"])
def test_every_format_of_the_seed_gives_the_same_citations_and_claims(seed, suffix: str) -> None:
    other = parse_file(str(FIXTURES / f"ctc-sentinel-nasr-interview{suffix}"))

    def essence(doc):
        return [
            (
                n.id,
                n.framing,
                [
                    (
                        s.kind,
                        s.authors,
                        s.title,
                        s.outlet,
                        s.platform,
                        s.issued,
                        s.url,
                        s.language,
                        s.page,
                        s.volume,
                        s.issue,
                        s.lead_in,
                        s.position,
                        s.refers_to,
                    )
                    for s in n.sources
                ],
                [(c.sentence, c.text, c.quotes, c.speaker) for c in n.claims],
            )
            for n in doc.notes
        ]

    assert essence(other) == essence(seed)
    assert other.problems == []
