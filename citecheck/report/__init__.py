"""What people and CI read: the last stage of the pipeline.

Each format is a function from results to text, listed in a table so `--format` and
`--output FORMAT=PATH` share them.
"""

from __future__ import annotations

from typing import Callable

from ..model import CheckReport, Document
from .data import CHECK_SCHEMA, PARSE_SCHEMA, check_csl_json, check_json, parse_csl_json, parse_json
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

__all__ = ["CHECK_FORMATS", "PARSE_FORMATS", "CHECK_SCHEMA", "PARSE_SCHEMA"]
