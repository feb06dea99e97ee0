"""The terminal: the text report in colour, and a progress bar on stderr while sources resolve (rich).

Colour only on a terminal and never with NO_COLOR set (https://no-color.org); without a terminal
the text report is written as is, so pipes and files get plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import TextIO

from ..model import Resolution

STYLES = {
    "ok": "green",
    "moved": "yellow",
    "missing": "bold red",
    "mismatched": "bold red",
    "unreachable": "magenta",
    "unlinked": "dim",
    "fail": "red",
    "warn": "yellow",
}
_TAG_RE = re.compile(r"^(\[(?P<verdict>[a-z]+)\])|^    (?P<level>fail|warn):", re.MULTILINE)


def wants_colour(stream: TextIO, env: Mapping[str, str]) -> bool:
    return stream.isatty() and not env.get("NO_COLOR") and env.get("TERM") != "dumb"


def write_text(text: str, stream: TextIO, env: Mapping[str, str]) -> None:
    """The plain text report, its verdict tags and fail/warn lines coloured when `stream` is a colour terminal."""
    if not wants_colour(stream, env):
        stream.write(text)
        return
    # here, not at the top: rich loads only when output goes to a terminal
    from rich.console import Console
    from rich.text import Text

    styled = Text(text)
    for m in _TAG_RE.finditer(text):
        key = m.group("verdict") or m.group("level")
        styled.stylize(STYLES.get(key, ""), m.start(), m.end())
    Console(file=stream, highlight=False, soft_wrap=True).print(styled, end="")


class ProgressBar:
    """A progress bar on stderr while sources resolve, when stderr is a terminal; otherwise nothing."""

    def __init__(self, total: int | None, stream: TextIO, env: Mapping[str, str]) -> None:
        """`total=None`: not known yet (a check before its draft is parsed, an audit before its inputs are read); see set_total and update."""
        self._progress = None
        if total != 0 and stream.isatty() and env.get("TERM") != "dumb" and not env.get("CI"):
            # here, not at the top: rich loads only when output goes to a terminal
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            console = Console(file=stream, no_color=bool(env.get("NO_COLOR")))
            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console, transient=True
            )
            self._task = self._progress.add_task("resolving", total=total)

    def __enter__(self) -> ProgressBar:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self, _result: Resolution) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def set_total(self, total: int) -> None:
        """The total, once known."""
        if self._progress is not None:
            self._progress.update(self._task, total=total)

    def stage(self, label: str, steps: int) -> Callable[[], None]:
        """A new stage on the same bar (`check.StageListener`): after the resolving, the archive
        look-ups, which go at the archives' pace, would otherwise sit at a full bar."""
        if self._progress is None:
            return _nothing
        self._progress.update(self._task, description=label, completed=0, total=steps)
        return partial(self._progress.advance, self._task)

    def update(self, done: int, total: int) -> None:
        """Progress and total together (audits, whose total grows as inputs are read)."""
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total)


def _nothing() -> None:
    pass


__all__ = ["ProgressBar", "write_text", "wants_colour"]
