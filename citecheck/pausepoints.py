"""Named points at which a test can stop citecheck, to kill it there and look at what it left.

A test that kills a process "some time after it starts" depends on the machine's speed: on a fast
machine the kill lands after the work, on a slow one before it. Instead the test sets
``CITECHECK_PAUSE_AT=NAME`` (or ``NAME:N``, the Nth time the point is reached) in the process's
environment; when the process reaches that point it prints ``citecheck: paused at NAME`` on
standard error and stops itself with SIGSTOP. The test reads that line, then kills or resumes the
process: the moment is the same on every machine.

The points are named where the state they expose is defined:

- ``fix-checked``: the draft's sources are checked, nothing is written yet;
- ``write-temp``: a file's new content is on disk beside it, not yet renamed over it;
- ``write-replaced``: the new file has replaced the old one;
- ``audit-recorded``: an audit has recorded one more check (``audit-recorded:8``: the eighth).

The same points' cousins, `phase`, only say when a run reached them, for the benchmarks.
"""

from __future__ import annotations

import os
import signal
import sys
import time

ENV = "CITECHECK_PAUSE_AT"
PHASES_ENV = "CITECHECK_PHASES"

# How often each point has been reached in this process. A process-wide count is what `NAME:N`
# means; only the points named in the environment are counted, so a normal run keeps nothing.
_reached: dict[str, int] = {}


def reached(name: str) -> None:
    """Stop the process here if the environment asks to pause at `name` (at this count)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, count = wanted.partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if count and _reached[name] != int(count):
        return
    sys.stderr.write(f"citecheck: paused at {name}\n")
    sys.stderr.flush()
    if hasattr(signal, "SIGSTOP"):
        os.kill(os.getpid(), signal.SIGSTOP)


def phase(name: str) -> None:
    """With ``CITECHECK_PHASES`` set, say on standard error that the run reached `name`, on the
    system's monotonic clock (which the process that launched this one reads too): how
    benchmarks/bench_check.py breaks a run's time down. The phases: ``started`` (the command line
    is read), ``parsed`` (the whole draft), ``first-request`` (sent), ``fetched`` (every answer in),
    ``written`` (the reports)."""
    if os.environ.get(PHASES_ENV):
        sys.stderr.write(f"citecheck: phase {name} {time.monotonic():.6f}\n")
        sys.stderr.flush()
