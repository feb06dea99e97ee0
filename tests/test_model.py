"""The shared model's JSON form (`to_jsonable`): what reports and the cache are written from."""

from __future__ import annotations

import json

from citecheck.model import Candidate, Hop, Level, PageEvidence, PartialDate, Resolution, Snapshot, Verdict, to_jsonable


def page() -> PageEvidence:
    return PageEvidence(kind="html", url="https://example.org/a", titles=[Candidate("A report", "og:title")], text="the page's whole text")


def test_fields_keep_their_order_and_values_become_plain_json() -> None:
    res = Resolution(url="https://example.org/a", verdict=Verdict.MOVED, reason="moved", status=200,
                     hops=[Hop(url="https://example.org/a", status=301, location="/b", elapsed_ms=1.5)])
    data = to_jsonable(res)
    assert list(data)[:3] == ["url", "verdict", "reason"]
    assert data["verdict"] == "moved" and data["hops"] == [{"url": "https://example.org/a", "status": 301, "location": "/b", "elapsed_ms": 1.5}]
    assert json.loads(json.dumps(data)) == data


def test_a_page_body_never_leaves_memory_not_even_for_the_cache() -> None:
    res = Resolution(url="https://example.org/a", verdict=Verdict.OK, reason="", body=b"<html>secret</html>", encoding="utf-8")
    for stored in (False, True):
        data = to_jsonable(res, stored=stored)
        assert "body" not in data and "encoding" not in data


def test_extracted_text_goes_to_the_cache_but_not_into_reports() -> None:
    snap = Snapshot(url="https://web.archive.org/web/2024/x", timestamp="20240101000000", original="x", service="wayback", page=page())
    assert "page" not in to_jsonable(snap)
    stored = to_jsonable(snap, stored=True)
    assert stored["page"]["text"] == "the page's whole text"
    assert "text" not in to_jsonable(page())


def test_dates_enums_and_containers() -> None:
    value = {"when": PartialDate(2024, 5), "level": Level(list(Level)[0].value), "pair": (1, None), "nested": [[PartialDate(2020)]]}
    assert to_jsonable(value) == {"when": "2024-05", "level": list(Level)[0].value, "pair": [1, None], "nested": [["2020"]]}
    assert to_jsonable("text") == "text" and to_jsonable(None) is None and to_jsonable(True) is True
