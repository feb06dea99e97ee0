"""Machine-readable reports: JSON (versioned, with a JSON Schema in `schema/`) and CSL-JSON."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..csl import document_items
from ..model import CheckReport, Document, json_encoded
from ..version import __version__

PARSE_SCHEMA = "https://citecheck.dev/schema/parse-1.json"
CHECK_SCHEMA = "https://citecheck.dev/schema/check-1.json"


# Reports are encoded by orjson (model.json_encoded), 2-3x faster than the json module on
# citecheck's records; the report is written after the last answer, so its time is the run's
# tail. Past this many notes, reports are written compact and streamed: one note or check
# encoded at a time, so a 5,000-source report never exists whole in memory (it did, as dicts
# and then a string: +70 MB of peak RSS).
INDENT_UP_TO = 500
_CHUNK = 1 << 16

#: The fields of each report that are long lists, written item by item.
_STREAMED = frozenset({"notes", "checks"})


def _dumps(value: Any, *, indent: bool = False) -> str:
    return json_encoded(value, indent=indent).decode()


def _json_report(schema: str, doc: Document, middle: dict[str, Any]) -> Iterator[str]:
    """The JSON reports' shared frame: what made it, from which draft, then the report's own fields."""
    data = {"$schema": schema, "citecheck": __version__, "file": doc.path, "format": doc.format, **middle, "notes": doc.notes, "problems": doc.problems}
    if len(doc.notes) <= INDENT_UP_TO:
        yield _dumps(data, indent=True) + "\n"
        return
    yield from _chunked(_compact(data))


def _compact(data: dict[str, Any]) -> Iterator[str]:
    """Exactly orjson's compact encoding of `data`, in pieces: the streamed lists item by item."""
    yield "{"
    for i, (key, value) in enumerate(data.items()):
        yield ("," if i else "") + _dumps(key) + ":"
        if key in _STREAMED:
            yield "["
            for j, item in enumerate(value):
                yield ("," if j else "") + _dumps(item)
            yield "]"
        else:
            yield _dumps(value)
    yield "}\n"


def _chunked(pieces: Iterable[str]) -> Iterator[str]:
    """Pieces gathered into writes of about 64 KB."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def parse_json(doc: Document) -> str:
    return "".join(iter_parse_json(doc))


def iter_parse_json(doc: Document) -> Iterator[str]:
    return _json_report(PARSE_SCHEMA, doc, {"handles": doc.handles})


def parse_csl_json(doc: Document) -> str:
    return _dumps(document_items(doc), indent=True) + "\n"


def check_json(report: CheckReport) -> str:
    return "".join(iter_check_json(report))


def iter_check_json(report: CheckReport) -> Iterator[str]:
    """The check report as JSON, in pieces (see INDENT_UP_TO)."""
    return _json_report(
        CHECK_SCHEMA,
        report.document,
        {
            "started_at": report.started_at,
            "finished_at": report.finished_at,
            "requests": report.requests,
            "fail_on": sorted(v.value for v in report.fail_on),
            "summary": report.counts(),
            "warned": sum(1 for c in report.checks if c.warnings),
            "checks": report.checks,
            "skipped": report.skipped,
        },
    )


def check_csl_json(report: CheckReport) -> str:
    """The draft's citations as CSL-JSON, each item carrying its verdict and fix in `custom.citecheck`."""
    items = document_items(report.document)
    by_source = {c.source_id: c for c in report.checks}
    for item in items:
        custom = item.setdefault("custom", {}).setdefault("citecheck", {})
        check = by_source.get(custom.get("source", ""))
        if check is not None:
            custom["verdict"] = check.verdict.value
            custom["reason"] = check.reason
            if check.fix:
                custom["fix"] = check.fix
            if check.archive is not None:  # "archive" is the draft's own link; this is what citecheck found
                custom["archived_copy"] = {"url": check.archive.url, "date": check.archive.date}
    return _dumps(items, indent=True) + "\n"
