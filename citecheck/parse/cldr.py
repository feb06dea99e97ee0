"""Month and language names from the Unicode CLDR, as a small table shipped with citecheck.

Babel answers these by loading whole locale files: 17 MB and about 0.2 s for the fifteen
languages read here, on every run. The few thousand names citecheck needs are written once to
`data/cldr.json` by `python -m citecheck.parse.cldr` (Babel is then needed only to rebuild it), and a
test fails when the table and Babel disagree.
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from typing import Any

#: Languages whose month names are recognized in dates.
LANGUAGES = ("en", "fr", "es", "de", "it", "pt", "nl", "ar", "ru", "tr", "pl", "sv", "da", "nb", "id")
#: Languages in which language names are recognized ("French", "français", "francés").
DISPLAY_LANGUAGES = ("en", "fr", "es", "de", "it", "pt")

_TABLE = "cldr.json"


def build() -> dict[str, Any]:
    """The table from Babel's CLDR data: every month name form (wide and abbreviated, in format
    and stand-alone contexts, so genitives too) and every language name, as written."""
    # here, not at the top: Babel is needed only to rebuild the table, never at run time
    import babel
    from babel import Locale
    from babel.dates import get_month_names

    months = [
        [name, number]
        for lang in LANGUAGES
        for width in ("wide", "abbreviated")
        for context in ("format", "stand-alone")
        for number, name in get_month_names(width, context, lang).items()
    ]
    languages = [[name, code] for display in DISPLAY_LANGUAGES for code, name in Locale(display).languages.items() if "_" not in code and len(code) <= 3]
    return {"cldr": f"babel {babel.__version__}", "months": months, "languages": languages}


def dumps(data: dict[str, Any]) -> str:
    """The table as JSON with one name per line, so a rebuild's changes read as a diff."""

    def rows(items: list[list[Any]]) -> str:
        return "[\n" + ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in items) + "\n]"

    return "{\n" + f'"cldr": {json.dumps(data["cldr"])},\n"months": {rows(data["months"])},\n"languages": {rows(data["languages"])}\n' + "}\n"


@functools.cache
def table() -> dict[str, Any]:
    """The shipped table (read once per process)."""
    return json.loads(files("citecheck").joinpath("data", _TABLE).read_text(encoding="utf-8"))


def month_names() -> list[tuple[str, int]]:
    """(name as CLDR writes it, month number), every language and form."""
    return [(name, number) for name, number in table()["months"]]


def language_names() -> list[tuple[str, str]]:
    """(language name as CLDR writes it, ISO code), in the order of DISPLAY_LANGUAGES."""
    return [(name, code) for name, code in table()["languages"]]


if __name__ == "__main__":
    from pathlib import Path

    path = Path(__file__).parent.parent / "data" / _TABLE
    path.write_text(dumps(build()), encoding="utf-8")
    print(f"wrote {path}")
