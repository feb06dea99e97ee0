"""CSL-JSON out (valid against the official schema) and back in, without loss."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from citecheck import parse_file
from citecheck.csl import document_items, from_item, to_item
from citecheck.model import Position
from citecheck.report.data import parse_csl_json

from .conftest import FIXTURES
from .test_citations import CASES

SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.schema.json").read_text("utf-8"))
SEED = str(FIXTURES / "ctc-sentinel-nasr-interview.txt")


def test_seed_csl_json_validates_against_the_official_schema() -> None:
    items = json.loads(parse_csl_json(parse_file(SEED)))
    jsonschema.validate(items, SCHEMA)
    assert len(items) == 15  # 18 citations, three of them (notes 11, 12, 17) back-references folded into their works


def test_back_references_fold_into_one_item_that_lists_every_note() -> None:
    items = {i["id"]: i for i in document_items(parse_file(SEED))}
    assert items["note9-1"]["custom"]["citecheck"]["cited_in"] == ["9", "11", "12"]
    assert items["note16-1"]["custom"]["citecheck"]["cited_in"] == ["16", "17"]


def test_csl_fields_map_as_zotero_and_pandoc_expect() -> None:
    items = {i["id"]: i for i in document_items(parse_file(SEED))}
    journal = items["note3-1"]
    assert journal["type"] == "article-journal"
    assert journal["container-title"] == "CTC Sentinel"
    assert (journal["volume"], journal["issue"], journal["issued"]) == ("15", "11", {"date-parts": [[2022]]})
    assert journal["author"] == [{"family": "Nasr", "given": "Wassim"}]
    report = items["note14-1"]
    assert report["publisher"] == "United Nations" and report["page"] == "6"
    video = items["note1-1"]
    assert video["language"] == "fr" and video["custom"]["citecheck"]["platform"] == "YouTube"


def _essence(src):
    return (
        src.kind,
        src.authors,
        src.title,
        src.title_truncated,
        src.outlet,
        src.platform,
        src.issued,
        src.accessed,
        src.url,
        src.language,
        src.page,
        src.volume,
        src.issue,
        src.lead_in,
        src.archive,
    )


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".docx"])
def test_round_trip_through_csl_json_gives_the_same_sources(tmp_path: Path, suffix: str) -> None:
    doc = parse_file(str(FIXTURES / f"ctc-sentinel-nasr-interview{suffix}"))
    out = tmp_path / "items.json"
    out.write_text(parse_csl_json(doc), "utf-8")
    again = parse_file(str(out))
    firsts = [s for s in doc.sources if s.position is Position.FIRST]
    assert [(s.id, _essence(s)) for s in again.sources] == [(s.id, _essence(s)) for s in firsts]
    assert [n.framing for n in again.notes] == [n.framing for n in doc.notes if any(s.position is Position.FIRST for s in n.sources)]


def test_every_table_case_round_trips_and_validates() -> None:
    from citecheck.model import Place, RawNote
    from citecheck.outlets import OutletRegistry
    from citecheck.parse.notes import parse_note

    registry = OutletRegistry.default()
    items = []
    for text, _, _ in CASES:
        for src in parse_note(RawNote("1", text, Place("t")), registry).sources:
            if src.position is not Position.FIRST:
                continue
            item = to_item(src)
            items.append(item)
            assert _essence(from_item(item)) == _essence(src), text
    jsonschema.validate(items, SCHEMA)


def test_foreign_csl_without_our_custom_fields_is_read() -> None:
    src = from_item(
        {
            "id": "x",
            "type": "article-newspaper",
            "title": "T",
            "container-title": "BBC",
            "author": [{"family": "Doe", "given": "Jane"}, {"literal": "Reuters Staff"}],
            "issued": {"date-parts": [["2020", "5", "1"]]},
            "URL": "https://bbc.com/x",
        }
    )
    assert (src.authors, src.outlet, src.issued.iso, src.url) == (["Jane Doe", "Reuters Staff"], "BBC", "2020-05-01", "https://bbc.com/x")
