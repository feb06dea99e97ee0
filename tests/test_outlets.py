"""The outlet table: one row per outlet, so a name always means one outlet."""

from __future__ import annotations

from collections import defaultdict

from citecheck.outlets import OutletRegistry


def test_no_name_or_alias_names_two_rows() -> None:
    rows_by_name: dict[str, set[int]] = defaultdict(set)
    for row, outlet in enumerate(OutletRegistry.default().outlets):
        for name in (outlet.name, *outlet.aliases):
            rows_by_name[name.casefold()].add(row)
    assert {name: rows for name, rows in rows_by_name.items() if len(rows) > 1} == {}


def test_a_programme_network_is_a_broadcast_outlet() -> None:
    registry = OutletRegistry.default()
    assert {name: registry.lookup(name).kind for name in ("France Culture", "BBC Radio 4", "Radio 4")} == {  # type: ignore[union-attr]
        "France Culture": "broadcast",
        "BBC Radio 4": "broadcast",
        "Radio 4": "broadcast",
    }
