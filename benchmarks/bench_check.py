"""Link-checking speed and memory against loopback hosts with real latency (run by hand; prints figures).

    .venv/bin/python benchmarks/bench_check.py --links 1000 10000 --hosts 20 --latency 0.1 --concurrency 100

For each size: a generated draft of N footnoted links (author, title, outlet, date, URL;
90% pages, 5% 404, 5% 301 -> page, spread over the hosts) is checked by the `citecheck`
command in a child process (so its own peak RSS and CPU are measured), with a per-host limit
that does not bind. Prints wall time, links/s, CPU, peak RSS, requests and connections the
servers saw, the peak in flight per host, when the first request arrived and the last answer left
(after the launch: the start-up before and the report after them), whether the verdicts are right, and the latency bound
(round trips / concurrency x latency). With BENCH_CACHE=1 the runs write a results cache (a fresh
one each), as a user's runs do by default, instead of `--no-cache`.

`--floor`: also run benchmarks/floor.py, a bare standard-library checker (no parsing, keep-alive,
the same concurrency), on the same draft against the same servers: what any Python checker
takes here, so that what citecheck takes beyond it is its own.

`--names K --dns-delay S`: the links name K distinct hosts (`n7-127-0-1-8.bench.test`, spread over
the loopback hosts), as an archive's links name thousands of sites, and each look-up of such a
name takes S seconds, as an uncached DNS query does (a stand-in for the system's resolver, loaded
into citecheck's processes through a `sitecustomize` module; it blocks its thread like the real
one). The bound then leaves the look-ups out: it is what citecheck would reach if they cost nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def draft(n: int, hosts: list[str], seed: int = 1, names: int = 0) -> tuple[str, dict[str, int]]:
    """A draft of n footnoted links over `hosts`, or over `names` host names that stand for them
    (a multiple of len(hosts): link i's name stands for the host it would have had)."""
    rnd = random.Random(seed)
    body, notes = [], []
    expected = {"ok": 0, "missing": 0, "moved": 0}
    for i in range(1, n + 1):
        host = hosts[i % len(hosts)]
        if names:
            address, port = host.split(":")
            host = f"n{i % names}-{address.replace('.', '-')}.bench.test:{port}"
        roll = rnd.random()
        if roll < 0.05:
            path, verdict = f"/gone{i}", "missing"
        elif roll < 0.10:
            path, verdict = f"/old{i}", "moved"
        else:
            path, verdict = f"/p{i}", "ok"
        expected[verdict] += 1
        body.append(f"Officials described event {i} in detail.{i}")
        # what the latency server's page says: title, site name and date match, so verification has real work and no failures
        notes.append(f"[{i}] Ann Diallo, “Article {i},” Site {i % len(hosts) + 1}, May {i % 28 + 1}, 2024, http://{host}{path}.")
    text = "\n".join(" ".join(body[j : j + 5]) for j in range(0, n, 5)) + "\nNotes\n" + "\n".join(notes) + "\n"
    return text, expected


def measured(cmd: list[str], env: dict[str, str], cwd: str) -> tuple[dict[str, float], str]:
    """Run in a fresh Python wrapper so the children's rusage (CPU, peak RSS) is this tool's alone;
    `launched` is when the wrapper started it (on the system's monotonic clock), `wall` from then."""
    wrapper = (
        "import json,resource,subprocess,sys,time;t=time.perf_counter();m=time.monotonic();"
        "r=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.STDOUT);w=time.perf_counter()-t;"
        "u=resource.getrusage(resource.RUSAGE_CHILDREN);sys.stdout.buffer.write(r.stdout);"
        "print('\\n@@'+json.dumps({'wall':w,'cpu':u.ru_utime+u.ru_stime,'rss':u.ru_maxrss/1024,'code':r.returncode,'launched':m}))"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, env=env, cwd=cwd).stdout
    text, _, figures = out.rpartition("\n@@")
    return json.loads(figures), text


PHASES = (
    ("start-up", None, "started"),
    ("parse", "started", "parsed"),
    ("to first request", "started", "first-request"),
    ("requests", "first-request", "fetched"),
    ("report", "fetched", "written"),
    ("exit", "written", None),
)


def breakdown(output: str, launched: float, wall: float) -> str:
    """Where a run's time went, from the phases it reported (`citecheck: phase NAME T` on stderr,
    T on the monotonic clock this process shares): start-up is launch to the command line read,
    parse runs alongside the first requests, requests is first sent to every answer in, exit is the
    reports written to the process gone."""
    at = {parts[2]: float(parts[3]) for line in output.splitlines() if len(parts := line.split()) == 4 and line.startswith("citecheck: phase ")}
    at[None] = launched
    ends = {"exit": launched + wall}
    shown = []
    for label, start, end in PHASES:
        finish = ends.get(label) if end is None else at.get(end)
        if start in at and finish is not None:
            shown.append(f"{label}={finish - at[start]:.3f}s")
    return "  ".join(shown)


# The stand-in for the system's resolver (see --names): names `n<k>-<a>-<b>-<c>-<d>.bench.test`
# are the address a.b.c.d, after BENCH_DNS_DELAY seconds; every other name goes to the real one.
SLOW_DNS = """
import os, re, socket, time
_real, _delay = socket.getaddrinfo, float(os.environ.get("BENCH_DNS_DELAY", "0"))
def _getaddrinfo(host, port, *args, **kwargs):
    m = re.fullmatch(r"n\\d+-(\\d+)-(\\d+)-(\\d+)-(\\d+)\\.bench\\.test", host if isinstance(host, str) else "")
    if m is None:
        return _real(host, port, *args, **kwargs)
    time.sleep(_delay)
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (".".join(m.groups()), int(port)))]
socket.getaddrinfo = _getaddrinfo
"""


@contextlib.contextmanager
def latency_server(hosts: int, latency: float, *extra: str) -> Iterator[tuple[list[str], set[str]]]:
    """Run benchmarks/latency_server.py: yields its hosts ("127.0.1.x:port") and those that misbehave."""
    server = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "latency_server.py"), "--hosts", str(hosts), "--latency", str(latency), *extra], stdout=subprocess.PIPE, text=True
    )
    try:
        line = server.stdout.readline().split()  # type: ignore[union-attr]
        assert line and line[0] == "READY", line
        names = line[1 : line.index("BAD")]
        yield names, {names[int(i) - 1] for i in line[line.index("BAD") + 1 :]}
    finally:
        server.kill()


def stats(hosts: list[str], since: float | None = None) -> list[dict]:
    query = f"?since={since!r}" if since is not None else ""
    return [json.load(urllib.request.urlopen(f"http://{h}/__stats{query}", timeout=5)) for h in hosts]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--links", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--verify", action="store_true", help="verify pages too (default: a plain link check, --no-verify)")
    ap.add_argument("--page-words", type=int, default=120, help="words of text on each page the servers answer (see latency_server.py)")
    ap.add_argument("--declared", action="store_true", help="the pages declare their language and author, as most news pages do (see latency_server.py)")
    ap.add_argument("--names", type=int, default=0, help="distinct host names the links use (a multiple of --hosts; default: the hosts' addresses)")
    ap.add_argument("--dns-delay", type=float, default=0.05, help="seconds each look-up of a name takes (with --names)")
    ap.add_argument("--floor", action="store_true", help="also run benchmarks/floor.py, a bare standard-library checker, on each draft")
    ap.add_argument("--extra", nargs=argparse.REMAINDER, default=[], help="more citecheck check flags")
    args = ap.parse_args()
    if args.names % args.hosts:
        ap.error("--names must be a multiple of --hosts")

    with latency_server(args.hosts, args.latency, "--page-words", str(args.page_words), *(["--declared"] if args.declared else [])) as (hosts, _):
        citecheck = os.path.join(os.path.dirname(sys.executable), "citecheck")
        print(f"machine: {os.cpu_count()} cores; {args.hosts} hosts, {args.latency * 1000:.0f} ms per answer, concurrency {args.concurrency}")
        for n in args.links:
            text, expected = draft(n, hosts, names=args.names)
            before = stats(hosts)
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "draft.txt")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                out = os.path.join(tmp, "report.json")
                cmd = [
                    citecheck,
                    "check",
                    path,
                    "--allow-private",
                    *(["--cache", os.path.join(tmp, "cache.db")] if os.environ.get("BENCH_CACHE") else ["--no-cache"]),
                    "--no-archive",
                    "--format",
                    "json",
                    "--output",
                    out,
                    "--concurrency",
                    str(args.concurrency),
                    "--per-host",
                    str(args.concurrency),
                    "--min-interval",
                    "0",
                    "--no-http2",
                    "--fail-on",
                    "unreachable",
                    *([] if args.verify else ["--no-verify"]),
                    *args.extra,
                ]
                # through a fresh, small wrapper: a child forked from this process would count this
                # process's memory in its peak RSS (Linux keeps the high-water mark across exec)
                env = dict(os.environ, CITECHECK_PHASES="1")  # the run says when it reached each phase (citecheck/pausepoints.py)
                if args.names:
                    shim = os.path.join(tmp, "slow_dns")
                    os.mkdir(shim)
                    with open(os.path.join(shim, "sitecustomize.py"), "w", encoding="utf-8") as f:
                        f.write(SLOW_DNS)
                    env["PYTHONPATH"] = os.pathsep.join(filter(None, [shim, env.get("PYTHONPATH")]))
                    env["BENCH_DNS_DELAY"] = str(args.dns_delay)
                launched = time.monotonic()
                figures, output = measured(cmd, env, tmp)
                wall = figures["wall"]
                if figures["code"] not in (0, 1):
                    print(output)
                    raise SystemExit(figures["code"])
                report = json.load(open(out, encoding="utf-8"))
                after = stats(hosts, since=launched)  # before the floor's own requests
                floor = None
                if args.floor:  # the same draft, the same servers, the same environment
                    floor_figures, floor_output = measured(
                        [sys.executable, os.path.join(HERE, "floor.py"), path, "--concurrency", str(args.concurrency)], env, tmp
                    )
                    floor = (floor_figures, json.loads(floor_output.strip().splitlines()[-1]))
            first = min(a["first"] for a in after if a["first"] is not None) - figures["launched"]
            last = max(a["last"] for a in after if a["last"] is not None) - figures["launched"]
            # how long the servers took from reading a request to writing its answer (the latency, and their own lag)
            answering = sum(a["answering"] for a in after) / max(1, sum(a["answered"] for a in after))
            got = report["summary"]
            requests = sum(a["requests"] - b["requests"] for a, b in zip(after, before))
            connections = sum(a["connections"] - b["connections"] for a, b in zip(after, before))
            origins = min(n, args.names) if args.names else args.hosts
            round_trips = n + expected["moved"] + origins  # pages, the second hop of each move, one probe per host
            bound = round_trips / args.concurrency * args.latency
            right = all(got[k] == v for k, v in expected.items()) and got["unreachable"] == 0 and got["mismatched"] == 0
            print(
                f"links={n:>6}  wall={wall:6.2f}s  links/s={n / wall:7.0f}  cpu={figures['cpu']:6.2f}s  "
                f"peak_rss={figures['rss']:6.1f}MB  requests={requests}  connections={connections}  "
                f"peak_per_host={max(a['max_in_flight'] for a in after)}  server_ms={answering * 1000:.1f}  first_request={first:.2f}s  last_answer={last:.2f}s  "
                f"bound={bound:.2f}s  x_bound={wall / bound:.2f}  "
                f"verdicts_right={right} ({got['ok']} ok, {got['moved']} moved, {got['missing']} missing)"
            )
            print("    " + breakdown(output, figures["launched"], wall))
            if floor is not None:
                floor_figures, floor_counts = floor
                floor_right = all(floor_counts[k] == v for k, v in expected.items()) and floor_counts["unreachable"] == 0
                print(
                    f"    floor (benchmarks/floor.py): wall={floor_figures['wall']:.2f}s  cpu={floor_figures['cpu']:.2f}s  "
                    f"peak_rss={floor_figures['rss']:.1f}MB  x_bound={floor_figures['wall'] / bound:.2f}  verdicts_right={floor_right}; "
                    f"citecheck takes {wall - floor_figures['wall']:+.2f}s and {figures['cpu'] - floor_figures['cpu']:+.2f}s of CPU more"
                )


if __name__ == "__main__":
    main()
