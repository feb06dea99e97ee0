"""py3langid's language model cut to the languages citecheck reads, shipped as `data/langid.npz`.

py3langid keeps its 142-language model LZMA-compressed; every process that reads pages spent
0.85 s decompressing it before its first page (the checker, then each page-reader worker). The
columns for the fifteen languages of `cldr.LANGUAGES` are all citecheck uses (see
extract._identifier): written once with zlib by `python -m citecheck.verify.language`, they load in
under 0.1 s. A test fails when the table and py3langid's model disagree. The model is
py3langid's (BSD-3-Clause, from langid.py by Marco Lui and Timothy Baldwin).
"""

from __future__ import annotations

import io
import zipfile
from array import array
from importlib.resources import files
from typing import Any

import numpy as np

from ..parse.cldr import LANGUAGES

_TABLE = "langid.npz"


def codes() -> list[str]:
    """The model's codes for citecheck's languages (Norwegian Bokmål is `no` there)."""
    return [{"nb": "no"}.get(code, code) for code in LANGUAGES]


def build() -> dict[str, np.ndarray]:
    """The arrays of py3langid's model with only the columns of citecheck's languages."""
    # here, not at the top: py3langid's own model is read only to rebuild the cut one
    import lzma

    from py3langid.langid import MODEL_DIR, MODEL_FILE

    with lzma.open(MODEL_DIR / MODEL_FILE) as packed, np.load(io.BytesIO(packed.read()), allow_pickle=False) as full:
        arrays = {name: full[name] for name in full.files}
    classes = arrays["classes"].tolist()
    keep = [classes.index(code) for code in codes() if code in classes]
    arrays["ptc"], arrays["pc"], arrays["classes"] = arrays["ptc"][:, keep], arrays["pc"][keep], arrays["classes"][keep]
    return arrays


def load() -> Any:
    """A py3langid LanguageIdentifier on the shipped model (normalized probabilities)."""
    # here, not at the top: the model loads (0.15 s) only in a process that guesses a language
    from py3langid.langid import LanguageIdentifier

    packed = files("citecheck").joinpath("data", _TABLE).read_bytes()
    with np.load(io.BytesIO(packed), allow_pickle=False) as data:
        return LanguageIdentifier(
            data["ptc"],
            data["pc"],
            data["classes"].tolist(),
            _streamed_array(packed, "nextmove"),
            data["out_feat"].tolist(),
            norm_probs=True,
            tk_row=_streamed_array(packed, "nextmove_row"),
        )


def _streamed_array(packed: bytes, name: str) -> array:
    """One unsigned integer table of the .npz, decompressed straight into the stdlib array that
    py3langid's tokenizer walks (as its own loader makes). The tokenizer's state table is 39 MB:
    read through numpy, it was there three times at once (the array, its bytes, the copy), and
    every process that reads pages peaked ~70 MB higher than it needed to."""
    with zipfile.ZipFile(io.BytesIO(packed)) as archive, archive.open(f"{name}.npy") as member:
        version = np.lib.format.read_magic(member)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran_order, dtype = read_header(member)
        if fortran_order or len(shape) != 1 or dtype.kind != "u":
            raise ValueError(f"{_TABLE}: {name} is not a flat unsigned integer table")
        out = array({2: "H", 4: "I", 8: "Q"}[dtype.itemsize])
        rest = b""
        while chunk := member.read(1 << 20):
            chunk = rest + chunk
            whole = len(chunk) - len(chunk) % dtype.itemsize
            out.frombytes(chunk[:whole])
            rest = chunk[whole:]
    if rest or len(out) != shape[0]:
        raise ValueError(f"{_TABLE}: {name} is truncated")
    if not dtype.isnative:  # stored little-endian, read on a big-endian machine (numpy would swap it)
        out.byteswap()
    return out


if __name__ == "__main__":
    from pathlib import Path

    path = Path(__file__).parent.parent / "data" / _TABLE
    np.savez_compressed(path, **build())  # type: ignore[arg-type]  # numpy's stub types the first keyword as allow_pickle
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
