"""The JSON Schemas of citecheck's JSON reports, derived from the model's dataclasses.

The files in `citecheck/data/schema/` are what users validate against; they are written by

    python -m citecheck.report.schema

and a test fails when the model changes without them. Field descriptions come from the
comments beside each field in `model.py`. A report's `$schema` names its version
(`check-1`, `parse-1`); a change that removes or retypes a field makes a new version.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import json
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

from .. import model
from .data import CHECK_SCHEMA, PARSE_SCHEMA

SCHEMA_DIR = Path(__file__).parent.parent / "data" / "schema"
_COMMENT_RE = re.compile(r"^\s+(\w+):[^#\n]*#\s*(.+)$", re.MULTILINE)


def _comments(cls: type) -> dict[str, str]:
    return {m.group(1): m.group(2).strip() for m in _COMMENT_RE.finditer(inspect.getsource(cls))}


def _type(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [_type(a, defs) for a in typing.get_args(hint) if a is not type(None)]
        nullable = type(None) in typing.get_args(hint)
        schema = options[0] if len(options) == 1 else {"anyOf": options}
        return {"anyOf": [schema, {"type": "null"}]} if nullable else schema
    if origin in (list, tuple, frozenset):
        return {"type": "array", "items": _type(typing.get_args(hint)[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type(typing.get_args(hint)[1], defs)}
    if hint is model.PartialDate:
        return {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "description": "ISO 8601 date at the precision cited: 2024, 2024-10, 2024-10-29"}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"type": "string", "enum": [m.value for m in hint]}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _object(hint, defs)
        return {"$ref": f"#/$defs/{name}"}
    return {str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"}, bool: {"type": "boolean"}}[hint]


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls, vars(model))
    comments = _comments(cls)
    props: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if not (f.metadata.get("serialize", True) and f.metadata.get("report", True)):
            continue
        prop = _type(hints[f.name], defs)
        if f.name in comments:
            prop = {**prop, "description": comments[f.name]}
        props[f.name] = prop
    doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else cls.__name__
    return {"type": "object", "description": doc, "properties": props, "required": list(props), "additionalProperties": False}


def _frame(schema_id: str, title: str, middle: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {
        "$schema": {"const": schema_id},
        "citecheck": {"type": "string", "description": "the version of citecheck that wrote the report"},
        "file": {"type": "string", "description": "the draft, as named on the command line"},
        "format": {"type": "string", "enum": ["text", "markdown", "html", "docx", "csl-json"]},
        **middle,
        "notes": {"type": "array", "items": _type(model.Note, defs)},
        "problems": {"type": "array", "items": _type(model.Problem, defs)},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
        "$defs": defs,
    }


def check_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    verdicts = [v.value for v in model.Verdict]
    middle = {
        "started_at": {"type": ["string", "null"], "description": "ISO 8601, UTC"},
        "finished_at": {"type": ["string", "null"]},
        "requests": {"type": "integer", "description": "HTTP requests made"},
        "fail_on": {"type": "array", "items": {"enum": verdicts}, "description": "verdicts that make the run fail (exit 1)"},
        "summary": {"type": "object", "properties": {v: {"type": "integer"} for v in verdicts}, "required": verdicts, "additionalProperties": False},
        "warned": {"type": "integer", "description": "sources whose verification gave warnings"},
        "checks": {"type": "array", "items": _type(model.SourceCheck, defs)},
        "skipped": {"type": "array", "items": _type(model.Skipped, defs), "description": "works not checked, and why"},
    }
    return _frame(CHECK_SCHEMA, "citecheck check report, version 1", middle, defs)


def parse_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    middle = {"handles": {"type": "object", "additionalProperties": {"type": "string"}, "description": "author name -> X handle, from the article"}}
    return _frame(PARSE_SCHEMA, "citecheck parse report, version 1", middle, defs)


SCHEMAS = {"check-1.json": check_schema, "parse-1.json": parse_schema}


def rendered(name: str) -> str:
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        (SCHEMA_DIR / name).write_text(rendered(name), "utf-8")
        print(f"wrote {SCHEMA_DIR / name}", file=sys.stderr)


if __name__ == "__main__":
    main()
