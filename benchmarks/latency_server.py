"""A loopback latency server for benchmarks: N hosts (127.0.1.1 ... 127.0.1.N), each answer delayed.

Paths: /p<i> a page (200), /gone<i> 404, /old<i> 301 -> /p<i>, anything else 404 (so soft-404
probes see an honest 404). GET /__stats answers JSON: requests, connections, peak in flight, and,
with ?since=<time.monotonic() of the caller>, when the first of the later requests arrived and the
last of them was answered (the same clock: CLOCK_MONOTONIC is system-wide).
Prints one line "READY <host:port> ..." when listening; runs until killed.

    python benchmarks/latency_server.py --hosts 20 --latency 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tests.loopback import Request, Response, Site  # noqa: E402

PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Article {i}</title>"
    "<meta property='og:title' content='Article {i}'><meta property='og:site_name' content='Site {h}'>"
    "<meta property='article:published_time' content='2024-05-{d:02d}T10:00:00Z'></head>"
    "<body><h1>Article {i}</h1><p>{text}</p></body></html>"
)


# What a page may declare beyond title, site name and date: its language and its author, as most
# news pages do. Pages that declare neither are the readers' worst case: the language is guessed
# from the text, and trafilatura's metadata pass looks for an author.
DECLARED = "<meta name='author' content='Ann Diallo'>"


def make_handler(site: Site, index: int, latency: float, misbehaves: bool = False, seed: int = 0, page_words: int = 120, declared: bool = False):
    rnd = random.Random(seed * 1000 + index)

    async def handle(req: Request) -> Response:
        path = req.path.split("?")[0]
        if path == "/__stats":
            since = float(req.path.partition("?since=")[2] or "inf")
            later = [r for r in site.requests if r.started >= since and not r.path.startswith("/__stats")]
            figures = {
                "requests": len(site.requests) - 1,
                "connections": site.connections,
                "max_in_flight": site.max_in_flight,
                "first": min((r.started for r in later), default=None),
                "last": max((r.ended or r.started for r in later), default=None),
                "answering": sum(r.ended - r.started for r in later if r.ended),
                "answered": sum(1 for r in later if r.ended),
            }
            return Response(200, json.dumps(figures).encode(), {"Content-Type": "application/json"})
        await asyncio.sleep(latency)
        if misbehaves:  # a broken host: drops, 5xx and slowness at random
            roll = rnd.random()
            if roll < 0.25:
                return Response(drop=True)
            if roll < 0.5:
                return Response(503, b"busy", {"Retry-After": "1"} if roll < 0.3 else {})
            if roll < 0.75:
                await asyncio.sleep(rnd.uniform(1.0, 4.0))
        if path.startswith("/p"):
            i = path[2:]
            # each page's text its own (identical texts came back from the readers as one shared string)
            body = PAGE.format(i=i, h=index, d=(int(i) % 28) + 1, text=f"Article {i}. " + "Reporting on the Sahel. " * (page_words // 3))
            if declared:
                body = body.replace("<html>", "<html lang='en'>", 1).replace("</title>", "</title>" + DECLARED, 1)
            return Response(200, body.encode(), {"Content-Type": "text/html; charset=utf-8"})
        if path.startswith("/old"):
            return Response(301, b"", {"Location": "/p" + path[4:]})
        return Response(404, b"<title>Not Found</title>", {"Content-Type": "text/html"})

    return handle


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--misbehave", type=float, default=0.0, help="share of hosts that drop, fail and stall at random")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--page-words", type=int, default=120, help="words of text on each page (120: a short page; a news article has 500-2,000)")
    ap.add_argument("--declared", action="store_true", help="pages declare their language and author too (see DECLARED)")
    args = ap.parse_args()
    sites = [Site(f"127.0.1.{i}") for i in range(1, args.hosts + 1)]
    bad = set(random.Random(args.seed).sample(range(1, args.hosts + 1), round(args.hosts * args.misbehave)))
    for index, site in enumerate(sites, 1):
        site.fallback = make_handler(site, index, args.latency, index in bad, args.seed, args.page_words, args.declared)
        server = await asyncio.start_server(site._handle, site.host, 0, backlog=4096)
        site.port = server.sockets[0].getsockname()[1]
    print("READY " + " ".join(f"{s.host}:{s.port}" for s in sites) + " BAD " + " ".join(str(i) for i in sorted(bad)), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
