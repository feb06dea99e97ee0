"""Writing files the user asked for, atomically: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable

from . import pausepoints
from .errors import OutputError


def write_atomic(path: str, text: str | bytes | Iterable[str]) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`.

    Bytes are written as they are, text as UTF-8; an iterable of strings piece by piece (a
    streamed report), so the file appears only once the last piece is written.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".citecheck-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(text, (str, bytes)):
                f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            else:
                for piece in text:
                    f.write(piece.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        pausepoints.reached("write-temp")
        os.replace(tmp, path)
        pausepoints.reached("write-replaced")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def check_writable(path: str) -> None:
    """Fail now, naming `path`, if a file cannot be written there: before the work whose result it
    is to hold (a check of 1,000 sources must not end on "cannot write")."""
    if os.path.isdir(path):
        raise OutputError(f"{path}: cannot write: it is a folder")
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, probe = tempfile.mkstemp(prefix=".citecheck-", suffix=".probe", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    os.close(fd)
    os.unlink(probe)
    if os.path.exists(path) and not os.access(path, os.W_OK) and not os.access(folder, os.W_OK):
        raise OutputError(f"{path}: cannot write: permission denied")
