"""citecheck: check the citations of an article before and after it is published.

The pipeline, in the order the data flows:

    ingest.read_document  ->  notes.build_document  ->  fetch  ->  verify  ->  report
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import CitecheckError, ConfigError, InputError, NoNotesError, OutputError, UnsupportedFormatError
from .model import Claim, Document, Note, PartialDate, Place, Position, Problem, Source


def parse_file(path: str, format: str | None = None, *, max_bytes: int | None = None) -> Document:
    """Read a draft and return its notes as normalized citations."""
    from .ingest import DEFAULT_MAX_BYTES, read_document
    from .notes import build_document

    raw = read_document(path, format, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    if not raw.notes:
        raise NoNotesError(path, "no notes found")
    return build_document(raw)


__all__ = [
    "__version__", "parse_file",
    "Claim", "Document", "Note", "PartialDate", "Place", "Position", "Problem", "Source",
    "CitecheckError", "ConfigError", "InputError", "NoNotesError", "OutputError", "UnsupportedFormatError",
]
