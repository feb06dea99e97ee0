"""Audit speed and memory on a generated archive (run by hand; prints figures).

    .venv/bin/python benchmarks/bench_audit.py --articles 2000 --per-article 20 --hosts 20

Writes N Markdown articles with M footnoted sources each (all distinct URLs, spread over the
loopback latency hosts: 90% pages, 5% 404, 5% 301), runs `citecheck audit` on the folder in a child
process, samples its resident memory, and prints wall time, requests per host per second, peak RSS,
and the database's size; then a second audit the next (simulated) day, when nothing is due.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench_check import latency_server, stats  # noqa: E402
from soak import rss_mb  # noqa: E402


def write_archive(folder: str, articles: int, per_article: int, hosts: list[str]) -> None:
    rnd = random.Random(7)
    n = 0
    for a in range(articles):
        notes, body = [], []
        for k in range(1, per_article + 1):
            n += 1
            roll = rnd.random()
            path = f"/gone{n}" if roll < 0.05 else f"/old{n}" if roll < 0.10 else f"/p{n}"
            body.append(f"Claim {k}.[^{k}]")
            # what the latency server's page says (title, site, May n%28+1, 2024), so verification has real work and no failures
            notes.append(f"[^{k}]: Ann Diallo, “Article {n},” Site {n % len(hosts) + 1}, May {n % 28 + 1}, 2024, <http://{hosts[n % len(hosts)]}{path}>.")
        with open(os.path.join(folder, f"a{a:05d}.md"), "w", encoding="utf-8") as f:
            f.write(f"# Article {a}\n\n{' '.join(body)}\n\n" + "\n".join(notes) + "\n")


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, rss_mb(proc.pid) or 0.0)
        time.sleep(0.5)
    out, err = proc.communicate()
    return time.perf_counter() - started, peak, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--per-article", type=int, default=20)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--no-verify", action="store_true", help="link checks only")
    ap.add_argument("--declared", action="store_true", help="the pages declare their language and author, as most news pages do (see latency_server.py)")
    args = ap.parse_args()
    with latency_server(args.hosts, 0.1, *(["--declared"] if args.declared else [])) as (hosts, _):
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.path.join(tmp, "articles")
            os.mkdir(folder)
            write_archive(folder, args.articles, args.per_article, hosts)
            db = os.path.join(tmp, "audit.db")
            citecheck = os.path.join(os.path.dirname(sys.executable), "citecheck")
            cmd = [
                citecheck,
                "audit",
                folder,
                "--db",
                db,
                "--allow-private",
                "--no-archive",
                "--no-http2",
                "--min-interval",
                "0",
                "--concurrency",
                str(args.concurrency),
                "--per-host",
                str(args.concurrency),
                "--format",
                "json",
                "-o",
                os.path.join(tmp, "r.json"),
                *(["--no-verify"] if args.no_verify else []),
            ]
            env = {**os.environ, "CITECHECK_DNS_CANARY": "localhost", "CITECHECK_NOW": "1767225600"}
            before = stats(hosts)
            wall, peak, result = run(cmd, env)
            after = stats(hosts)
            if result.returncode not in (0, 1):
                raise SystemExit(result.stderr)
            report = json.load(open(os.path.join(tmp, "r.json"), encoding="utf-8"))
            requests = [a["requests"] - b["requests"] for a, b in zip(after, before)]
            sources = args.articles * args.per_article
            print(
                f"machine: {os.cpu_count()} cores; {args.articles} articles, {sources} sources over {args.hosts} hosts (100 ms), concurrency {args.concurrency}, "
                f"{'link checks only' if args.no_verify else 'pages verified'}",
                flush=True,
            )
            print(
                f"first audit: wall {wall:.1f} s, {sources / wall:.0f} sources/s, peak RSS {peak:.0f} MB, "
                f"requests per host per second max {max(requests) / wall:.1f}, statuses {report['status']}, db {os.path.getsize(db) / 1e6:.1f} MB",
                flush=True,
            )
            env["CITECHECK_NOW"] = str(1767225600 + 86400)
            wall2, peak2, result2 = run(cmd, env)
            print(f"next day (healthy not due, failing rechecked): wall {wall2:.1f} s, peak RSS {peak2:.0f} MB; {result2.stderr.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
