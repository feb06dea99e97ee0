from __future__ import annotations

import pytest

from citecheck.parse.dates import find_dates, month_number, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("October 22, 2024", "2024-10-22"),
        ("22 October 2024", "2024-10-22"),
        ("Oct. 22, 2024", "2024-10-22"),
        ("Sept. 3, 2024", "2024-09-03"),
        ("2024-10-22", "2024-10-22"),
        ("22 octobre 2024", "2024-10-22"),
        ("1er janvier 2020", "2020-01-01"),
        ("18 de febrero de 2022", "2022-02-18"),
        ("junio de 2019", "2019-06"),
        ("17. September 2024", "2024-09-17"),
        ("15 марта 2023", "2023-03-15"),
        ("October 2024", "2024-10"),
        ("févr. 2021", "2021-02"),
        ("2022", "2022"),
        ("2024-10", "2024-10"),
        ("August 3rd, 2019", "2019-08-03"),
    ],
)
def test_dates_in_several_languages(text: str, iso: str) -> None:
    date = parse_date(text)
    assert date is not None and date.iso == iso


@pytest.mark.parametrize("text", ["Feb 30, 2024", "Mali attack", "Jun 45, 2020", "13/13/2020", "Mars"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_ambiguous_prefix_is_not_a_month() -> None:
    assert month_number("jui") is None  # juin or juillet
    assert month_number("Sept") == 9


def test_dates_inside_longer_text_are_found_in_order() -> None:
    found = find_dates("Letter dated 22 July 2024, received August 1, 2024.")
    assert [d.date.iso for d in found] == ["2024-07-22", "2024-08-01"]


def test_the_shipped_cldr_table_is_what_babel_gives() -> None:
    """data/cldr.json is built from Babel's CLDR data (python -m citecheck.parse.cldr); rebuild it when they differ."""
    import json
    from importlib.resources import files

    from citecheck.parse.cldr import build, dumps

    shipped = files("citecheck").joinpath("data", "cldr.json").read_text(encoding="utf-8")
    fresh = build()
    assert json.loads(shipped)["months"] == fresh["months"]
    assert json.loads(shipped)["languages"] == fresh["languages"]
    assert shipped == dumps(json.loads(shipped))  # the layout the builder writes


@pytest.mark.parametrize("word,month", [("октября", 10), ("Sept.", 9), ("févr.", 2), ("Mai", 5), ("Ağustos", 8), ("grudnia", 12), ("يناير", 1)])
def test_month_names_come_from_the_table_in_every_language(word: str, month: int) -> None:
    assert month_number(word) == month
