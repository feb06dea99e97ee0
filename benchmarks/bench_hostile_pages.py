"""Pages that cost most to read: endless or dense markup cut at --max-body (run by hand; prints figures).

    .venv/bin/python benchmarks/bench_hostile_pages.py --pages 8 --max-body 5M

A loopback host serves `--pages` pages that stream markup without end (`<a href="/x">x</a> ` over
and over, the densest cheap markup); citecheck checks a draft that cites each of them, verifying
as by default, and is cut at `--max-body`. Prints the wall time, the CPU time and the peak memory of
the citecheck process, and each page's verdict with its first page problem.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from tests.loopback import Loopback, Response  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--max-body", default="5M")
    args = ap.parse_args()
    endless = b"<html><head><title>Endless</title></head><body>" + b'<a href="/x">x</a> ' * 3_000_000  # 57 MB: more than any cap
    with Loopback("127.0.0.90") as lb, tempfile.TemporaryDirectory() as tmp:
        for i in range(args.pages):
            lb[0].route(f"/endless{i}", Response(200, endless, {"Content-Type": "text/html"}))
        notes = "\n".join(f"[{i + 1}] “Endless,” Site, May 1, 2024, {lb[0].url(f'/endless{i}')}." for i in range(args.pages))
        draft = os.path.join(tmp, "draft.txt")
        with open(draft, "w", encoding="utf-8") as f:
            f.write("Claim." + "".join(str(i + 1) for i in range(args.pages)) + "\nNotes\n" + notes + "\n")
        started = time.monotonic()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "citecheck.cli",
                "check",
                draft,
                "--allow-private",
                "--no-cache",
                "--no-archive",
                "--max-body",
                args.max_body,
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            cwd=tmp,
        )
        wall = time.monotonic() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = json.loads(proc.stdout)
    print(
        f"{args.pages} endless pages, --max-body {args.max_body}: {wall:.1f} s wall, {usage.ru_utime + usage.ru_stime:.1f} s CPU "
        f"(with its page readers), peak {usage.ru_maxrss // 1024} MB (largest process)"
    )
    for check in report["checks"]:
        page = (check.get("resolution") or {}).get("page") or {}
        print(f"  {check['verdict']}: {(page.get('problems') or ['-'])[0]}")


if __name__ == "__main__":
    main()
