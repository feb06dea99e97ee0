"""Coverage-guided fuzzing of the draft parsers with atheris (libFuzzer).

    python tests/fuzz/fuzz_parsers.py -max_total_time=60 [corpus_dir]

The first byte picks the reader (text, Markdown, HTML, DOCX, CSL-JSON); the rest is the file.
Whatever the bytes, a reader either returns a document or raises citecheck's InputError (a
one-line error for the user): any other exception is a crash, saved by libFuzzer as crash-*;
each one found is committed as a regression case in tests/test_fuzz.py.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from citecheck.errors import CitecheckError
    from citecheck.ingest import READERS
    from citecheck.outlets import OutletRegistry
    from citecheck.parse.notes import build_document

FORMATS = sorted(READERS)
REGISTRY = OutletRegistry.default()


def parse(data: bytes) -> None:
    if not data:
        return
    fmt = FORMATS[data[0] % len(FORMATS)]
    try:
        build_document(READERS[fmt](f"fuzz.{fmt}", data[1:]), REGISTRY)
    except CitecheckError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, parse)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
