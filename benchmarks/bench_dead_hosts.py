"""Link rot's slowest case: hosts that take connections and never answer (run by hand; prints figures).

    .venv/bin/python benchmarks/bench_dead_hosts.py --dead 3 --links-per-dead 40 --live 200 --timeout 2

An archive's dead sites are rarely gone cleanly: a server behind a firewall that drops packets, or
one that accepts and hangs, costs every request its whole timeout, and each source its retries.
This draft cites `--live` pages on 5 loopback hosts (answering after 100 ms) and `--links-per-dead`
pages on each of `--dead` loopback hosts that accept connections and never answer. citecheck runs
with its default politeness (4 requests at once per host, 0.2 s apart, 3 tries) and `--timeout`
seconds a request (45 by default: the figures scale with it). Prints the wall time, the requests
the dead hosts saw, and whether every verdict is right (live pages ok, dead ones unreachable).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from tests.loopback import Loopback, Request, Response, page  # noqa: E402


async def _hang(req: Request) -> Response:
    await asyncio.sleep(3600)
    return Response(500)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dead", type=int, default=3, help="hosts that accept connections and never answer")
    ap.add_argument("--links-per-dead", type=int, default=40)
    ap.add_argument("--live", type=int, default=200, help="links to healthy hosts")
    ap.add_argument("--timeout", type=float, default=2.0, help="citecheck's --timeout (seconds a request)")
    ap.add_argument("--extra", nargs=argparse.REMAINDER, default=[], help="more citecheck check flags")
    args = ap.parse_args()

    live_hosts = [f"127.0.3.{i}" for i in range(1, 6)]
    dead_hosts = [f"127.0.4.{i}" for i in range(1, args.dead + 1)]
    with Loopback(*live_hosts, *dead_hosts) as lb:
        live, dead = lb.sites[: len(live_hosts)], lb.sites[len(live_hosts) :]

        async def slow_page(req: Request) -> Response:
            await asyncio.sleep(0.1)
            return page("Article " + req.path.strip("/p"))

        for site in live:
            site.fallback = slow_page
        for site in dead:
            site.fallback = _hang
        urls = [live[i % len(live)].url(f"/p{i}") for i in range(args.live)]
        urls += [site.url(f"/p{j}") for site in dead for j in range(args.links_per_dead)]
        notes = [f"[{i}] Ann Diallo, “Article {i},” Site, May 1, 2024, {url}." for i, url in enumerate(urls, start=1)]
        body = " ".join(f"Officials said so.{i}" for i in range(1, len(urls) + 1))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "draft.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(body + "\nNotes\n" + "\n".join(notes) + "\n")
            report = os.path.join(tmp, "report.json")
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
                "--output",
                report,
                "--timeout",
                str(args.timeout),
                *args.extra,
            ]
            started = time.perf_counter()
            run = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
            wall = time.perf_counter() - started
            if run.returncode not in (0, 1):
                raise SystemExit(run.stderr)
            checks = json.load(open(report, encoding="utf-8"))["checks"]
        lb.loop.set_exception_handler(lambda loop, context: None)  # the hanging handlers, cancelled as the servers stop
        verdicts = {c["url"]: c["verdict"] for c in checks}
        ended = {c["url"]: (c["resolution"] or {}).get("elapsed_ms", 0) for c in checks}
        right = all(verdicts[u] == ("unreachable" if any(u.startswith(s.url("/")) for s in dead) else "ok") for u in urls)
        seen = [len(site.requests) for site in dead]
        print(
            f"machine: {os.cpu_count()} cores; {args.live} live links on {len(live)} hosts, {args.links_per_dead} links on each of "
            f"{args.dead} hosts that never answer, --timeout {args.timeout:g}"
        )
        on_dead = [ended[u] for u in urls if any(u.startswith(s.url("/")) for s in dead)]
        print(f"wall={wall:6.2f}s  dead_host_requests={seen}  slowest_dead_source={max(on_dead, default=0) / 1000:.1f}s  verdicts_right={right}")
        reasons = sorted({c["reason"] for c in checks if c["verdict"] == "unreachable"})
        print("reasons:", *(f"  {r}" for r in reasons[:4]), sep="\n")


if __name__ == "__main__":
    main()
