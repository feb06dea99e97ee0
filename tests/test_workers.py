"""The worker processes' server: started without holding the caller's output."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

# Started in a fresh interpreter whose output is a pipe (as a CI runner reads it): the process
# server's and a worker's standard output and error, as /proc shows them, then the script's own.
_SCRIPT = textwrap.dedent("""
    import os, sys
    from citecheck.pipeline.workers import start_process_server, worker_pool

    def fds(pid):
        return [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in (1, 2)]

    def child(pid):
        stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return stat[1] == str(os.getpid()) and b"forkserver" in open(f"/proc/{pid}/cmdline", "rb").read()

    start_process_server(page_reading=False)
    server = next(int(p) for p in os.listdir("/proc") if p.isdigit() and child(p))
    pool = worker_pool(1, warm=False)
    worker = [pool.submit(os.readlink, f"/proc/self/fd/{fd}").result() for fd in (1, 2)]
    pool.shutdown()
    print("server", *fds(server))
    print("worker", *worker)
    print("mine", *fds(os.getpid()))
    sys.stderr.write("still mine\\n")
""")


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_the_process_server_and_its_workers_do_not_hold_the_callers_output() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    )
    assert run.returncode == 0, run.stderr
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert lines["server"] == "/dev/null /dev/null"
    assert lines["worker"] == "/dev/null /dev/null"
    assert lines["mine"].startswith("pipe:") and lines["mine"].split()[1].startswith("pipe:")  # this process writes on, to its caller
    assert run.stderr == "still mine\n"
