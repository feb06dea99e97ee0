"""The floor: the least a Python link checker does for the same links (run by bench_check.py --floor).

    python benchmarks/floor.py DRAFT --concurrency 100

A standard-library asyncio checker with nothing citecheck adds: it finds the URLs with a regular
expression (no note is parsed, no rule applied), keeps connections alive per host, has at most
`--concurrency` requests in flight, follows redirects, reads each answer's head and body, and
says ok, moved or missing per URL (printed as one JSON line of counts). What it takes against the
latency server is what a Python process, its event loop and its sockets cost on this machine;
what citecheck takes beyond it is citecheck's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from urllib.parse import urljoin, urlsplit

URL_RE = re.compile(r"https?://[^\s<>\"]+?(?=[.,;]?(?:\s|$))")


class Connections:
    """Idle keep-alive connections by (host, port)."""

    def __init__(self) -> None:
        self.idle: dict[tuple[str, int], list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]] = {}

    async def get(self, url: str) -> tuple[int, str | None]:
        """GET `url`: its status and Location."""
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or 80
        pool = self.idle.setdefault((host, port), [])
        reader, writer = pool.pop() if pool else await asyncio.open_connection(host, port)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: floor\r\nAccept: */*\r\n\r\n".encode())
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:] if line)}
        if headers.get("transfer-encoding") == "chunked":
            while size := int((await reader.readline()).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readline()
        elif length := int(headers.get("content-length", "0")):
            await reader.readexactly(length)
        if headers.get("connection", "").lower() == "close":
            writer.close()
        else:
            pool.append((reader, writer))
        return int(head[0].split()[1]), headers.get("location")


async def check(urls: list[str], concurrency: int) -> dict[str, int]:
    connections = Connections()
    slots = asyncio.Semaphore(concurrency)
    counts = {"ok": 0, "moved": 0, "missing": 0, "unreachable": 0}

    async def one(url: str) -> None:
        moved = False
        try:
            for _ in range(5):
                async with slots:
                    status, location = await connections.get(url)
                if 300 <= status < 400 and location:
                    url, moved = urljoin(url, location), True
                    continue
                counts["missing" if status in (404, 410) else "moved" if moved else "ok" if status < 400 else "unreachable"] += 1
                return
        except (OSError, asyncio.IncompleteReadError, ValueError):
            pass
        counts["unreachable"] += 1

    await asyncio.gather(*(one(url) for url in urls))
    return counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("draft")
    ap.add_argument("--concurrency", type=int, default=100)
    args = ap.parse_args()
    with open(args.draft, encoding="utf-8") as f:
        urls = list(dict.fromkeys(URL_RE.findall(f.read())))
    json.dump(asyncio.run(check(urls, args.concurrency)), sys.stdout)
    print()


if __name__ == "__main__":
    main()
