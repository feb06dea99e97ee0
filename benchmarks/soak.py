"""Soak: many sources over many loopback hosts, some of them broken; run by hand, prints figures.

    .venv/bin/python benchmarks/soak.py --links 20000 --hosts 50 --misbehave 0.1

10% of hosts (chosen at random, fixed seed) drop connections, answer 503 (sometimes with
Retry-After) and stall 1-4 s at random; the rest answer after 100 ms (90% pages, 5% 404, 5% 301).
Checks that the run finishes, that every source has exactly one verdict (none lost, none
duplicated), that sources on healthy hosts get the right verdicts, and samples the checker's
resident memory every half second to show whether it stays flat.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench_check import draft, latency_server  # noqa: E402


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--links", type=int, default=20000)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--misbehave", type=float, default=0.1)
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--budget", type=float, default=600.0, help="seconds the run may take")
    args = ap.parse_args()
    with latency_server(args.hosts, 0.1, "--misbehave", str(args.misbehave)) as (hosts, bad):
        text, expected = draft(args.links, hosts)
        with tempfile.TemporaryDirectory() as tmp:
            path, out = os.path.join(tmp, "draft.txt"), os.path.join(tmp, "report.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            cmd = [
                os.path.join(os.path.dirname(sys.executable), "citecheck"),
                "check",
                path,
                "--allow-private",
                "--no-cache",
                "--no-archive",
                "--no-verify",
                "--format",
                "json",
                "-o",
                out,
                "--concurrency",
                str(args.concurrency),
                "--per-host",
                "8",
                "--min-interval",
                "0",
                "--no-http2",
                "--tries",
                "2",
                "--timeout",
                "10",
                "--retry-after-cap",
                "2",
            ]
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            samples = []
            while proc.poll() is None:
                if (mb := rss_mb(proc.pid)) is not None:
                    samples.append((time.perf_counter() - started, mb))
                if time.perf_counter() - started > args.budget:
                    proc.kill()
                    raise SystemExit(f"over budget ({args.budget:.0f} s)")
                time.sleep(0.5)
            wall = time.perf_counter() - started
            if proc.returncode not in (0, 1):
                raise SystemExit(proc.stderr.read())
            report = json.load(open(out, encoding="utf-8"))
        ids = [c["source_id"] for c in report["checks"]]
        verdicts = collections.Counter(c["verdict"] for c in report["checks"])
        healthy = [c for c in report["checks"] if c["url"].split("/")[2] not in bad]
        kind = {"g": "missing", "o": "moved", "p": "ok"}  # /gone…, /old…, /p… in the generated draft
        wrong = sum(1 for c in healthy if c["verdict"] != kind[c["url"].split("/", 3)[3][:1]])
        half = len(samples) // 2
        first, second = [mb for _, mb in samples[:half]], [mb for _, mb in samples[half:]]
        print(f"machine: {os.cpu_count()} cores; {args.links} links over {args.hosts} hosts, {len(bad)} misbehaving; concurrency {args.concurrency}")
        print(f"wall {wall:.1f} s (budget {args.budget:.0f} s); verdicts {dict(verdicts)}")
        print(
            f"sources reported {len(ids)}, distinct {len(set(ids))}, expected {args.links}: "
            f"{'none lost or duplicated' if len(ids) == len(set(ids)) == args.links else 'MISMATCH'}"
        )
        print(f"healthy hosts: {len(healthy)} sources, {wrong} with a wrong verdict")
        if samples:
            print(
                f"RSS MB: peak {max(mb for _, mb in samples):.0f}; first half max {max(first or [0]):.0f}, second half max {max(second or [0]):.0f}, "
                f"last {samples[-1][1]:.0f}"
            )


if __name__ == "__main__":
    main()
