"""What people and CI read: the last stage of the pipeline.

Each format is a function from results to text, listed in a table so `--format` and
`--output FORMAT=PATH` share them. Writers take a report's pieces (`check_pieces`): long
JSON reports come a piece at a time, the other formats whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import CheckReport, Document
from .data import (
    CHECK_SCHEMA,
    PARSE_SCHEMA,
    check_csl_json,
    check_json,
    iter_check_json,
    iter_parse_json,
    parse_csl_json,
    parse_json,
)
from .html import check_html
from .junit import check_junit
from .markdown import check_markdown
from .sarif import check_sarif
from .text import check_text, parse_text

PARSE_FORMATS: dict[str, Callable[[Document], str]] = {
    "text": parse_text,
    "json": parse_json,
    "csl-json": parse_csl_json,
}

CHECK_FORMATS: dict[str, Callable[[CheckReport], str]] = {
    "text": check_text,
    "json": check_json,
    "markdown": check_markdown,
    "junit": check_junit,
    "sarif": check_sarif,
    "html": check_html,
    "csl-json": check_csl_json,
}

#: Formats that can be written in pieces, so a long report never exists whole in memory.
_CHECK_STREAMS: dict[str, Callable[[CheckReport], Iterable[str]]] = {"json": iter_check_json}
_PARSE_STREAMS: dict[str, Callable[[Document], Iterable[str]]] = {"json": iter_parse_json}


def check_pieces(fmt: str, report: CheckReport) -> Iterable[str]:
    """A check report in the pieces to write: streamed where the format allows, else whole."""
    stream = _CHECK_STREAMS.get(fmt)
    return stream(report) if stream is not None else (CHECK_FORMATS[fmt](report),)


def parse_pieces(fmt: str, doc: Document) -> Iterable[str]:
    stream = _PARSE_STREAMS.get(fmt)
    return stream(doc) if stream is not None else (PARSE_FORMATS[fmt](doc),)


__all__ = ["CHECK_FORMATS", "PARSE_FORMATS", "CHECK_SCHEMA", "PARSE_SCHEMA", "check_pieces", "parse_pieces"]
