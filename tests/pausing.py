"""Run citecheck in a subprocess until it stops at a named pause point (citecheck/pausepoints.py)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence


def run_until_paused(cmd: Sequence[str], point: str, env: dict[str, str], cwd: str) -> subprocess.Popen[str]:
    """Start `cmd` with CITECHECK_PAUSE_AT=`point` and return it once it has stopped there.

    Fails the test if the process ends without reaching the point; its standard error is kept
    in the message. The process is stopped (SIGSTOP): kill it, or resume it with SIGCONT.
    """
    proc = subprocess.Popen(
        list(cmd), cwd=cwd, env={**env, "CITECHECK_PAUSE_AT": point}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    name = point.partition(":")[0]
    seen: list[str] = []
    for line in proc.stderr:  # ends when the process closes standard error, i.e. exits
        seen.append(line)
        if line.strip() == f"citecheck: paused at {name}":
            return proc
    proc.wait()
    raise AssertionError(f"the process ended (exit {proc.returncode}) without reaching {point}: {''.join(seen)[-2000:]}")


def kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL a paused process (it gets no chance to clean up) and reap it."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if proc.stderr is not None:
        proc.stderr.close()
