"""The cut language model citecheck ships (data/langid.npz) against py3langid's own."""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pytest

from citecheck.extract import guess_language
from citecheck.langid_model import build, codes, load

SAMPLES = [
    ("The attack killed at least 133 people in Burkina Faso", "en"),
    ("Les jihadistes ont attaqué la ville de Barsalogho samedi", "fr"),
    ("El ataque mató a cientos de personas en el norte del país", "es"),
    ("Der Angriff tötete viele Menschen im Norden des Landes", "de"),
    ("L'attacco ha ucciso molte persone nel nord del paese", "it"),
    ("O ataque matou muitas pessoas no norte do país", "pt"),
    ("De aanval doodde veel mensen in het noorden van het land", "nl"),
    ("Атака убила многих людей на севере страны", "ru"),
    ("قتل الهجوم العديد من الناس في شمال البلاد", "ar"),
    ("Saldırı ülkenin kuzeyinde birçok kişiyi öldürdü", "tr"),
    ("Atak zabił wielu ludzi na północy kraju", "pl"),
]


def test_the_shipped_model_is_py3langids_cut_to_citechecks_languages() -> None:
    """data/langid.npz is rebuilt by `python -m citecheck.langid_model`; rebuild it when this fails."""
    fresh = build()
    shipped = np.load(files("citecheck").joinpath("data", "langid.npz").open("rb"))
    assert sorted(shipped.files) == sorted(fresh)
    for name in fresh:
        assert np.array_equal(shipped[name], fresh[name]), name
    assert shipped["classes"].tolist() == [c for c in codes() if c in shipped["classes"].tolist()]


def test_it_guesses_as_py3langid_restricted_to_the_same_languages() -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    full.set_languages([c for c in codes() if c in full.nb_classes])
    cut = load()
    for text, _ in SAMPLES:
        (ours, p_ours), (theirs, p_theirs) = cut.classify(text), full.classify(text)
        assert ours == theirs and p_ours == pytest.approx(p_theirs, abs=1e-5), text


@pytest.mark.parametrize("text,language", SAMPLES)
def test_guess_language_on_the_shipped_model(text: str, language: str) -> None:
    assert guess_language(text) == language
