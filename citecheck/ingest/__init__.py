"""Reading drafts: the first stage of the pipeline.

`read_document(path)` detects the format (extension first, content second),
reads the file safely (size cap, binary and encoding checks) and returns a
`RawDocument`: the body as plain text, the notes as text with their places and
links, and the footnote markers where the format marks them.
"""

from __future__ import annotations

import importlib
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, UnsupportedFormatError
from ..model import Place, Problem, RawDocument
from .decode import decode_text, invalid_utf8


def _reader(module: str) -> Callable[[str, bytes], RawDocument]:
    """The `read` of one reader module, imported on first use: the HTML reader alone brings in
    BeautifulSoup and soupsieve (0.12 s), which a plain-text draft never needs."""

    def read(path: str, data: bytes) -> RawDocument:
        return importlib.import_module(f"{__name__}.{module}").read(path, data)

    return read


#: format name -> reader(path, data) -> RawDocument
READERS: dict[str, Callable[[str, bytes], RawDocument]] = {
    "text": _reader("text"),
    "markdown": _reader("markdown"),
    "html": _reader("html"),
    "docx": _reader("docx"),
    "csl-json": _reader("csl"),
}

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".json": "csl-json",
}

#: Drafts larger than this are refused before they are read (see README: --max-input-size).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def detect_format(path: str, head: bytes) -> str:
    """The reader for a file: its extension if known, else what its first bytes look like."""
    ext = Path(path).suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    sample = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<?xml", b"<body", b"<article", b"<p", b"<div", b"<section")):
        return "html"
    if sample.startswith((b"[{", b"[\n", b"[ ")) and b'"type"' in sample:
        return "csl-json"
    if b"[^" in head:
        return "markdown"
    return "text"


STDIN = "-"  # the draft's path that reads standard input


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes (standard input's for "-"), or an InputError that says in one line why not."""
    if path == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(path, f"standard input is over the {max_bytes:,}-byte limit for a draft (--max-input-size)")
        if not data.strip():
            raise InputError(path, "standard input is empty")
        return data
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, "is a directory, not a draft")
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block, or never end
        raise InputError(path, "is not a regular file (a pipe, socket or device); to read a stream, give - and send it to standard input")
    if st.st_size > max_bytes:
        raise InputError(path, f"file is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit for a draft (--max-input-size)")
    try:
        with open(path, "rb") as f:
            # the size it had and one byte more, not the limit: read(n) takes n bytes of memory first
            data = f.read(min(st.st_size, max_bytes) + 1)
            if len(data) > st.st_size:  # it grew since it was measured: the rest, up to the limit
                data += f.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(path, f"file grew past the {max_bytes:,}-byte limit while being read")
    if not data.strip():
        raise InputError(path, "file is empty")
    return data


def read_document(path: str, format: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    data = read_bytes(path, max_bytes)
    fmt = format or detect_format(path, data[:8192])
    reader = READERS.get(fmt)
    if reader is None:
        raise UnsupportedFormatError(path, f"unknown input format {fmt!r} (known: {', '.join(READERS)})")
    raw = reader(path, data)
    if fmt != "docx":  # a DOCX's text is XML in a zip, read by its own rules
        damaged = invalid_utf8(data)
        if damaged:
            places, count = damaged
            raw.problems.extend(
                Problem("invalid-utf-8", "invalid UTF-8 bytes, read as \ufffd", place=Place(path, line=line, column=column)) for line, column in places
            )
            if count > len(places):
                raw.problems.append(Problem("invalid-utf-8", f"{count - len(places)} more places with invalid UTF-8 bytes", place=Place(path)))
    return raw


__all__ = ["READERS", "DEFAULT_MAX_BYTES", "STDIN", "decode_text", "detect_format", "read_bytes", "read_document"]
