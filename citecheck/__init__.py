"""citecheck: check the citations of an article before and after it is published.

The pipeline, in the order the data flows:

    ingest.read_document  ->  notes.build_document  ->  fetch  ->  verify  ->  report
"""

from __future__ import annotations

from .errors import (
    CitecheckError,
    ConfigError,
    InputError,
    NoNotesError,
    OutputError,
    UnsupportedFormatError,
)
from .model import (
    Claim,
    Document,
    Note,
    PartialDate,
    Place,
    Position,
    Problem,
    RawDocument,
    Source,
)
from .version import __version__


def parse_file(path: str, format: str | None = None, *, max_bytes: int | None = None) -> Document:
    """Read a draft and return its notes as normalized citations."""
    # here, not at the top: the parser loads when first used: `import citecheck` stays light
    from .parse.notes import build_document

    return build_document(read_draft(path, format, max_bytes=max_bytes))


def read_draft(path: str, format: str | None = None, *, max_bytes: int | None = None) -> RawDocument:
    """Read a draft's body and notes, not yet parsed into citations (an InputError if it has no notes)."""
    # here, not at the top: the readers load when first used: `import citecheck` stays light
    from .ingest import DEFAULT_MAX_BYTES, read_document

    raw = read_document(path, format, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    if not raw.notes:
        raise NoNotesError(path, "no notes found")
    return raw


__all__ = [
    "__version__",
    "parse_file",
    "read_draft",
    "Claim",
    "Document",
    "Note",
    "PartialDate",
    "Place",
    "Position",
    "Problem",
    "Source",
    "CitecheckError",
    "ConfigError",
    "InputError",
    "NoNotesError",
    "OutputError",
    "UnsupportedFormatError",
]
