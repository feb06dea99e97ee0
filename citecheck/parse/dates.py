"""Dates as citations write them, in several languages.

Month names come from the Unicode CLDR (every form: wide, abbreviated,
stand-alone and the genitive used by Slavic languages, extracted with Babel into
`data/cldr.json`; see cldr.py), so "October", "Oct.", "Sept.", "octobre",
"févr.", "febrero" and "октября" are all known without a hand-kept table. A handful of patterns then cover the
orders citations use. dateparser was measured first: 1.5 ms to 265 ms a call,
too slow for documents of thousands of notes; these patterns take microseconds.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass

from ..model import PartialDate
from ..text import fold
from .cldr import month_names


@functools.cache
def _month_table() -> tuple[dict[str, int], dict[str, int]]:
    """(exact names -> month, 3+ letter prefixes -> month where every reading agrees)."""
    exact: dict[str, int] = {}
    for name, number in month_names():
        exact[fold(name).rstrip(".")] = number
    prefixes: dict[str, int] = {}
    clashes: set[str] = set()
    for name, number in exact.items():
        for end in range(3, len(name) + 1):
            key = name[:end]
            if prefixes.get(key, number) != number:
                clashes.add(key)
            prefixes[key] = number
    for key in clashes:
        del prefixes[key]
    return exact, prefixes


def month_number(word: str) -> int | None:
    """The month a word names ("Oct.", "Sept", "février"), or None."""
    key = fold(word).rstrip(".")
    if len(key) < 3:
        return None
    exact, prefixes = _month_table()
    return exact.get(key) or prefixes.get(key)


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    date: PartialDate


_WORD = r"([^\W\d_]{3,}\.?)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er|º|°)?"
_YEAR = r"(\d{4})"
# Each pattern names which groups hold (year, month word or number, day).
_PATTERNS: tuple[tuple[re.Pattern[str], tuple[int, int, int | None]], ...] = (
    (re.compile(rf"\b{_YEAR}-(\d{{2}})-(\d{{2}})\b"), (1, 2, 3)),
    (re.compile(rf"\b{_WORD}\s+{_DAY},?\s+{_YEAR}\b"), (3, 1, 2)),
    (re.compile(rf"\b{_DAY}\.?\s+(?:de\s+)?{_WORD},?\s+(?:de\s+)?{_YEAR}\b"), (3, 2, 1)),
    # "21.06.2023": the day first, as German and most of Europe write a date in figures
    (re.compile(rf"\b(\d{{1,2}})\.(\d{{1,2}})\.{_YEAR}\b"), (3, 2, 1)),
    (re.compile(rf"\b{_YEAR}-(\d{{2}})\b(?!-\d)"), (1, 2, None)),
    (re.compile(rf"\b{_WORD},?\s+(?:de\s+)?{_YEAR}\b"), (2, 1, None)),
)


def _build(year: str, month: str, day: str | None) -> PartialDate | None:
    y = int(year)
    if not 1000 <= y <= 2199:
        return None
    m = int(month) if month.isdigit() else month_number(month)
    if m is None or not 1 <= m <= 12:
        return None
    if day is None:
        return PartialDate(y, m)
    d = int(day)
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return PartialDate(y, m, d)


def find_dates(text: str) -> list[DateMatch]:
    """Every full or month-precision date in `text`, left to right, never overlapping."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern, (gy, gm, gd) in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            date = _build(m.group(gy), m.group(gm), m.group(gd) if gd else None)
            if date is None:
                continue
            found.append(DateMatch(m.start(), m.end(), date))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def parse_date(text: str) -> PartialDate | None:
    """The date `text` consists of (give or take punctuation), or None."""
    stripped = text.strip(" ,.;()[]")
    if re.fullmatch(r"\d{4}", stripped):
        return _build(stripped, "1", None) and PartialDate(int(stripped))
    for match in find_dates(stripped):
        if match.start == 0 and match.end == len(stripped):
            return match.date
    return None
