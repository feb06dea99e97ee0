"""The exceptions citecheck raises, as one hierarchy.

Every error a user can cause (a bad file, a bad option, a bad config) is a
`CitecheckError` whose `str()` is one line naming the file and place; the CLI
prints it and exits 2. Errors about a single source on the web never escape as
exceptions: they become verdicts with evidence.
"""

from __future__ import annotations


class CitecheckError(Exception):
    """Base of every error citecheck raises on purpose."""


class InputError(CitecheckError):
    """A draft could not be read or understood."""

    def __init__(self, path: str, message: str, *, line: int | None = None, where: str | None = None) -> None:
        self.path = path
        self.message = message
        self.line = line
        self.where = where
        super().__init__(self.one_line())

    def one_line(self) -> str:
        place = self.path
        if self.line is not None:
            place += f":{self.line}"
        elif self.where:
            place += f":{self.where}"
        return f"{place}: {self.message}"


class UnsupportedFormatError(InputError):
    """The draft's format is not one citecheck reads."""


class NoNotesError(InputError):
    """The draft has no notes to check."""


class ConfigError(CitecheckError):
    """The configuration file or a command-line option is wrong."""


class OutputError(CitecheckError):
    """A report could not be written where it was asked for."""


class FetchRefused(CitecheckError):
    """citecheck will not fetch this URL (scheme or address), whatever the server would say."""
