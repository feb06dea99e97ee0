"""Real HTTP servers on loopback addresses, for integration tests and benchmarks.

Each `Site` listens on its own 127.x.y.z address (one "host" each) with a
table of routes. Handlers are async and may delay, stream, trickle, or drop
the connection. Every request is recorded with its start and end times, and
each site tracks the most requests it ever had in flight at once, so tests
can assert that politeness limits and Retry-After were honoured.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    started: float = 0.0
    ended: float = 0.0


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line
    stream: Callable[[], AsyncIterator[bytes]] | None = None  # chunked body, for endless or slow pages
    drop: bool = False  # close the connection without answering


Handler = Callable[[Request], Awaitable[Response] | Response]

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    999: "Request denied",
}


def page(title: str, text: str = "", status: int = 200, **headers: str) -> Response:
    html = f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"
    return Response(status, html.encode(), {"Content-Type": "text/html; charset=utf-8", **headers})


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", {"Location": location})


class Site:
    def __init__(self, host: str) -> None:
        self.host = host
        self.port = 0
        self.routes: dict[str, Handler] = {}
        self.fallback: Handler = lambda req: page("Not Found", "no such page", 404)
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.connections = 0
        self._server: asyncio.base_events.Server | None = None

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, handler: Handler | Response) -> None:
        self.routes[path] = handler if callable(handler) else (lambda req, r=handler: r)

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                method, target, _ = line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (h := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = h.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                req = Request(method, target, headers, started=time.monotonic())
                self.requests.append(req)
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
                try:
                    handler = self.routes.get(target.split("?")[0], self.fallback)
                    resp = handler(req)
                    if asyncio.iscoroutine(resp):
                        resp = await resp
                    if resp.delay:
                        await asyncio.sleep(resp.delay)
                    if resp.drop:
                        writer.close()
                        return
                    await self._write(writer, method, resp)
                finally:
                    self.in_flight -= 1
                    req.ended = time.monotonic()
                if headers.get("connection", "").lower() == "close":
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            writer.close()

    async def _write(self, writer: asyncio.StreamWriter, method: str, resp: Response) -> None:
        head = [f"HTTP/1.1 {resp.status} {REASONS.get(resp.status, 'Status')}"]
        headers = dict(resp.headers)
        if resp.stream is None:
            headers.setdefault("Content-Length", str(len(resp.body)))
        else:
            headers["Transfer-Encoding"] = "chunked"
        head += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        if method == "HEAD":
            await writer.drain()
            return
        if resp.stream is None:
            writer.write(resp.body)
            await writer.drain()
            return
        async for chunk in resp.stream():
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()


class Loopback:
    """Runs sites in a background event loop; use as a context manager."""

    def __init__(self, *hosts: str) -> None:
        self.sites = [Site(h) for h in hosts]
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> Loopback:
        self.thread.start()
        for site in self.sites:
            asyncio.run_coroutine_threadsafe(self._start(site), self.loop).result(10)
        return self

    async def _start(self, site: Site) -> None:
        site._server = await asyncio.start_server(site._handle, site.host, 0, backlog=1024)
        site.port = site._server.sockets[0].getsockname()[1]

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            for site in self.sites:
                if site._server is not None:
                    site._server.close()
            handlers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in handlers:
                task.cancel()
            await asyncio.gather(*handlers, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def __getitem__(self, index: int) -> Site:
        return self.sites[index]
