"""The cut language model citecheck ships (data/langid.npz) against py3langid's own."""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pytest

from citecheck.verify.extract import guess_language
from citecheck.verify.language import build, codes, load

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
    """data/langid.npz is rebuilt by `python -m citecheck.verify.language`; rebuild it when this fails."""
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


@pytest.mark.parametrize("name", ["nextmove", "nextmove_row"])
def test_the_tokenizer_tables_stream_into_arrays_equal_to_numpys_reading(name: str) -> None:
    from citecheck.verify.language import _streamed_array

    packed = files("citecheck").joinpath("data", "langid.npz").read_bytes()
    streamed = _streamed_array(packed, name)
    with np.load(files("citecheck").joinpath("data", "langid.npz").open("rb")) as data:
        expected = data[name]
    assert streamed.itemsize == expected.dtype.itemsize
    assert np.array_equal(np.frombuffer(streamed, dtype=expected.dtype), expected)


def test_a_table_that_is_not_a_flat_unsigned_one_is_refused() -> None:
    import io

    from citecheck.verify.language import _streamed_array

    buffer = io.BytesIO()
    np.savez_compressed(buffer, nextmove=np.zeros((2, 3), dtype=np.uint32))
    with pytest.raises(ValueError, match="nextmove is not a flat"):
        _streamed_array(buffer.getvalue(), "nextmove")


def test_a_table_stored_in_the_other_byte_order_is_swapped() -> None:
    import io

    from citecheck.verify.language import _streamed_array

    values = np.array([1, 2, 70000, 2**32 - 1], dtype=np.uint32)
    foreign = values.astype(values.dtype.newbyteorder())  # the same numbers, stored in the other order
    buffer = io.BytesIO()
    np.savez_compressed(buffer, nextmove=foreign)
    assert list(_streamed_array(buffer.getvalue(), "nextmove")) == values.tolist()
