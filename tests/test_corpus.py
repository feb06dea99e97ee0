"""The parsing corpus: 30 drafts as real tools and authors write them, 600 hand-checked notes.

Every note of every draft must be found (recall 1.0), and each field's accuracy must hold the
floor it has reached (tests/corpus/floors.json); the drafts must be what the builder writes, so
that the corpus and its expectations cannot drift apart. `python -m tests.corpus.evaluate`
prints the scores and the misses.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.corpus import build as corpus_build
from tests.corpus.evaluate import HERE, Scores, evaluate, evaluate_handwritten, table


@pytest.fixture(scope="module")
def scores() -> Scores:
    return evaluate()


def test_the_corpus_is_thirty_drafts_and_six_hundred_notes_in_every_input_format(scores: Scores) -> None:
    assert len(scores.notes_expected) >= 30 and sum(scores.notes_expected.values()) >= 600
    formats = Counter(Path(name).suffix for name in scores.notes_expected)
    assert {ext: formats[ext] >= 3 for ext in (".txt", ".md", ".html", ".docx")} == dict.fromkeys((".txt", ".md", ".html", ".docx"), True)


def test_every_note_of_every_draft_is_found(scores: Scores) -> None:
    assert scores.refused == {}
    assert {draft: scores.recall(draft) for draft in scores.notes_expected if scores.recall(draft) < 1} == {}


def test_each_fields_accuracy_holds_its_floor(scores: Scores) -> None:
    floors = {name: value for name, value in json.loads((HERE / "floors.json").read_text("utf-8")).items() if name not in ("_", "handwritten")}
    accuracy = scores.accuracy()
    assert set(floors) == set(accuracy), "every field scored has a floor"
    below = {name: (accuracy[name], floor) for name, floor in floors.items() if accuracy[name] < floor}
    misses = "\n".join(miss for name in below for miss in scores.wrong.get(name, [])[:10])
    assert below == {}, f"\n{table(scores)}\n{misses}"


def test_the_drafts_are_what_the_builder_writes(tmp_path: Path) -> None:
    corpus_build.build(tmp_path)
    written = {p.name: p.read_bytes() for p in (tmp_path / "drafts").iterdir()}
    committed = {p.name: p.read_bytes() for p in (HERE / "drafts").iterdir()}
    assert written == committed
    assert (tmp_path / "expected.json").read_bytes() == (HERE / "expected.json").read_bytes()


def test_the_drafts_written_by_hand_are_read_whole_and_hold_their_floors() -> None:
    """Notes the parser was never tuned on: every note found, each field at or above its floor."""
    scores = evaluate_handwritten()
    floors = {k: v for k, v in json.loads((HERE / "floors.json").read_text("utf-8"))["handwritten"].items() if k != "_"}
    assert scores.refused == {} and all(scores.recall(d) == 1 for d in scores.notes_expected)
    assert len(scores.notes_expected) >= 4 and {Path(d).suffix for d in scores.notes_expected} >= {".md", ".html", ".txt"}
    accuracy = scores.accuracy()
    assert set(floors) == set(accuracy), "every field scored has a floor"
    below = {name: (accuracy[name], floor) for name, floor in floors.items() if accuracy[name] < floor}
    assert below == {}, f"\n{table(scores)}\n" + "\n".join(m for name in below for m in scores.wrong.get(name, []))
