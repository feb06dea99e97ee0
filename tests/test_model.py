"""The shared model's JSON form (`to_jsonable`): what reports and the cache are written from."""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import pytest

from citecheck import model
from citecheck.ingest import read_document
from citecheck.model import Candidate, Hop, Level, PageEvidence, PartialDate, Resolution, Snapshot, Verdict, json_encoded, to_jsonable
from citecheck.outlets import OutletRegistry
from citecheck.parse.notes import body_claims, parse_notes

# the two ways a record becomes JSON: plain values for the json module, or encoded by orjson
ENCODERS = {
    "to_jsonable": lambda value, stored=False: to_jsonable(value, stored=stored),
    "json_encoded": lambda value, stored=False: json.loads(json_encoded(value, stored=stored)),
}
each_encoder = pytest.mark.parametrize("encode", ENCODERS.values(), ids=ENCODERS.keys())


def page() -> PageEvidence:
    return PageEvidence(kind="html", url="https://example.org/a", titles=[Candidate("A report", "og:title")], text="the page's whole text")


@each_encoder
def test_fields_keep_their_order_and_values_become_plain_json(encode) -> None:
    res = Resolution(
        url="https://example.org/a",
        verdict=Verdict.MOVED,
        reason="moved",
        status=200,
        hops=[Hop(url="https://example.org/a", status=301, location="/b", elapsed_ms=1.5)],
    )
    data = encode(res)
    assert list(data)[:3] == ["url", "verdict", "reason"]
    assert data["verdict"] == "moved" and data["hops"] == [{"url": "https://example.org/a", "status": 301, "location": "/b", "elapsed_ms": 1.5}]
    assert json.loads(json.dumps(data)) == data


@each_encoder
def test_a_page_body_never_leaves_memory_not_even_for_the_cache(encode) -> None:
    res = Resolution(url="https://example.org/a", verdict=Verdict.OK, reason="", body=b"<html>secret</html>", encoding="utf-8")
    for stored in (False, True):
        data = encode(res, stored=stored)
        assert "body" not in data and "encoding" not in data


@each_encoder
def test_extracted_text_goes_to_the_cache_but_not_into_reports(encode) -> None:
    snap = Snapshot(url="https://web.archive.org/web/2024/x", timestamp="20240101000000", original="x", service="wayback", page=page())
    assert "page" not in encode(snap)
    stored = encode(snap, stored=True)
    assert stored["page"]["text"] == "the page's whole text"
    assert "text" not in encode(page())


@each_encoder
def test_dates_enums_and_containers(encode) -> None:
    value = {"when": PartialDate(2024, 5), "level": Level(list(Level)[0].value), "pair": (1, None), "nested": [[PartialDate(2020)]]}
    assert encode(value) == {"when": "2024-05", "level": list(Level)[0].value, "pair": [1, None], "nested": [["2020"]]}
    assert encode("text") == "text" and encode(None) is None and encode(True) is True


def test_anything_else_is_refused_by_the_encoder() -> None:
    with pytest.raises(TypeError):
        json_encoded({"a": {1, 2}})


SEED = Path(__file__).parent.parent / "fixtures" / "ctc-sentinel-nasr-interview.txt"


def test_parsed_notes_and_claims_come_back_from_a_worker_process_unchanged() -> None:
    # what NoteRuns and the page reader's workers send back: pickled model objects
    raw = read_document(str(SEED))
    notes = parse_notes(raw.notes, OutletRegistry.default())
    claims = body_claims(raw, [note.id for note in raw.notes])
    assert notes and claims
    for value in (raw, notes, claims):
        back = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == value and back is not value
    assert all(type(note.place) is model.Place for note in pickle.loads(pickle.dumps(notes)))


def test_a_notes_text_is_held_once_by_the_note_and_its_source_even_back_from_a_worker() -> None:
    """Notes live to the end of a check: a source citing the whole note, and a claim whose text is
    its whole sentence, share the one string (20,000 notes: 7 MB less peak RSS)."""
    raw = read_document(str(SEED))
    notes = parse_notes(raw.notes, OutletRegistry.default())
    claims = body_claims(raw, [note.id for note in raw.notes])
    whole = [(note, note.sources[0]) for note in notes if len(note.sources) == 1 and note.sources[0].text == note.text]
    same = [claim for claim in claims if claim.text == claim.sentence]
    assert whole and same  # the seed has both kinds
    back_notes, back_claims = pickle.loads(pickle.dumps((notes, claims), protocol=pickle.HIGHEST_PROTOCOL))
    for got in (notes, back_notes):
        assert all(note.sources[0].text is note.text for note in got if len(note.sources) == 1 and note.sources[0].text == note.text)
    for got in (claims, back_claims):
        assert all(claim.text is claim.sentence for claim in got if claim.text == claim.sentence)


def test_every_shared_dataclass_round_trips_by_pickle_with_every_field_set() -> None:
    for cls in [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]:
        # a distinct value in every field, so a pickle that dropped or swapped one would show
        values = {f.name: f"{cls.__name__}.{f.name}" for f in dataclasses.fields(cls)}
        obj = cls(**values)
        back = pickle.loads(pickle.dumps(obj))
        assert type(back) is cls and {n: getattr(back, n) for n in values} == values, cls.__name__
