"""Scores the parser on the corpus: note recall per draft and field accuracy per field.

    python -m tests.corpus.evaluate     # prints the table; tests/test_corpus.py holds it to its floors

A note is found when the draft gives a note of that id; a field is right when it equals the
hand-checked value (for the table's notes every field is checked, an empty one must be empty; for
a back-reference, what it points at and its page).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck import parse_file
from citecheck.errors import InputError
from tests.test_citations import EMPTY as TABLE_EMPTY
from tests.test_citations import FIELDS as TABLE_FIELDS

HERE = Path(__file__).resolve().parent
# the table's fields, and what a back-reference points at
FIELDS = (*TABLE_FIELDS, "refers_to")
EMPTY: dict[str, Any] = {**TABLE_EMPTY, "refers_to": None}


@dataclass
class Scores:
    notes_expected: dict[str, int] = field(default_factory=dict)
    notes_found: dict[str, int] = field(default_factory=dict)
    right: Counter[str] = field(default_factory=Counter)
    checked: Counter[str] = field(default_factory=Counter)
    wrong: dict[str, list[str]] = field(default_factory=dict)  # field -> "draft#note: got … want …", for reading
    refused: dict[str, str] = field(default_factory=dict)  # draft -> the error it was refused with

    def recall(self, draft: str) -> float:
        return self.notes_found[draft] / self.notes_expected[draft]

    def accuracy(self) -> dict[str, float]:
        return {f: round(self.right[f] / self.checked[f], 4) for f in sorted(self.checked)}


def _value(src: Any, name: str) -> Any:
    value = getattr(src, name)
    if name in ("issued", "accessed") and value is not None:
        return value.iso
    if name == "position":
        return value.value
    return value


def evaluate(folder: Path = HERE / "drafts", expected_file: Path = HERE / "expected.json", *, every_field: bool = True) -> Scores:
    """Score the drafts of `folder` against `expected_file`. With `every_field`, a source's fields
    left out of the expectation must be empty (the table's notes give every field); without it, only
    the fields an expectation names are checked (the hand-written drafts')."""
    expected = {draft: notes for draft, notes in json.loads(expected_file.read_text("utf-8")).items() if draft != "_"}
    scores = Scores()
    for draft, notes in expected.items():
        try:
            got = {n.id: n for n in parse_file(str(folder / draft)).notes}
        except InputError as exc:  # a draft refused whole: none of its notes found
            scores.refused[draft] = str(exc)
            got = {}
        scores.notes_expected[draft] = len(notes)
        scores.notes_found[draft] = sum(1 for n in notes if n["id"] in got)
        for want_note in notes:
            note = got.get(want_note["id"])
            sources = note.sources if note is not None else []
            scores.checked["sources"] += 1
            if len(sources) == len(want_note["sources"]):
                scores.right["sources"] += 1
            else:
                scores.wrong.setdefault("sources", []).append(f"{draft}#{want_note['id']}: got {len(sources)}, want {len(want_note['sources'])}")
            if "claim" in want_note:
                scores.checked["claim"] += 1
                claim = note.claims[0].text if note is not None and note.claims else None
                if claim == want_note["claim"]:
                    scores.right["claim"] += 1
                else:
                    scores.wrong.setdefault("claim", []).append(f"{draft}#{want_note['id']}: got {claim!r}, want {want_note['claim']!r}")
            if "framing" in want_note:
                scores.checked["framing"] += 1
                scores.right["framing"] += note is not None and note.framing == want_note["framing"]
            for k, want in enumerate(want_note["sources"]):
                # a back-reference is checked for what it points at; a table note for every field
                names = FIELDS if every_field and "refers_to" not in want else list(want)
                full = {**EMPTY, **want} if every_field and "refers_to" not in want else want
                src = sources[k] if k < len(sources) else None
                for name in names:
                    scores.checked[name] += 1
                    value = _value(src, name) if src is not None else None
                    if src is not None and value == full[name]:
                        scores.right[name] += 1
                    else:
                        scores.wrong.setdefault(name, []).append(f"{draft}#{want_note['id']}: got {value!r}, want {full[name]!r}")
    return scores


def evaluate_handwritten() -> Scores:
    """The drafts written by hand, whose notes the parser was never tuned on."""
    return evaluate(HERE / "handwritten", HERE / "handwritten" / "expected.json", every_field=False)


def table(scores: Scores) -> str:
    lines = [f"{len(scores.notes_expected)} drafts, {sum(scores.notes_expected.values())} notes, {sum(scores.notes_found.values())} found"]
    lines += [f"  refused: {error}" for error in scores.refused.values()]
    lines += [f"  recall {draft}: {scores.recall(draft):.3f}" for draft in scores.notes_expected if scores.recall(draft) < 1]
    lines += [f"  {name:<16} {value:.4f}  ({scores.right[name]}/{scores.checked[name]})" for name, value in scores.accuracy().items()]
    return "\n".join(lines)


if __name__ == "__main__":
    for title, result in (("drafts built from the table", evaluate()), ("drafts written by hand", evaluate_handwritten())):
        print(f"{title}: {table(result)}")
        for name, misses in sorted(result.wrong.items()):
            for miss in misses[:5]:
                print(f"  {name}: {miss}")
