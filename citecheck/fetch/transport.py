"""How bytes reach the servers: the transports under the resolver's single httpx client.

Two ways, both connecting only to addresses that pass the safety rules, checked at connect time:

- `Http11Transport` here (the default): HTTP/1.1 with keep-alive on asyncio protocols, answers
  parsed by llhttp (httptools, the C parser uvicorn uses). A link check is many small requests,
  and httpcore's pure-Python HTTP/1.1 path cost about 1.6 ms of CPU each here (measured: 2,000
  requests over 20 loopback hosts), more than the rest of a check put together.
- `transport_http2.CheckedTransport` (`--http2`): httpx's own transport, HTTP/2 where offered,
  imported only when asked for (httpcore and h2 take 65 ms to import).

httpx above either of them builds the requests, decodes gzip/br and raises its exceptions; the
transports raise httpx's exception types too, so the resolver reads failures the same way on both.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import ssl
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import NamedTuple, TypeVar

import httptools
import httpx

from .safety import Lookup, check_host, loop_lookup


def tls_context(insecure: bool = False) -> ssl.SSLContext:
    """The run's TLS settings: the system's or SSL_CERT_FILE/SSL_CERT_DIR's trust store; no checks at all with --insecure."""
    if insecure:  # what httpx builds for verify=False
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
    if cafile or capath:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    # here, not at the top: the trust store loads at the first TLS connection (~50 ms)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


# --- HTTP/1.1 on asyncio protocols -------------------------------------------------------------------

MAX_HEAD_BYTES = 64 * 1024  # a header section larger than this is an attack or a broken server
_PAUSE_AT = 512 * 1024  # body bytes parsed but not yet read: stop reading the socket...
_RESUME_AT = 128 * 1024  # ...until the reader is down to this
_Origin = tuple[str, str, int]


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection, one request at a time; llhttp parses the answer as bytes arrive.

    The parser's callbacks fill the current answer's head and a queue of body chunks; the
    request's task waits on `_wakeup` for either.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self._parser = httptools.HttpResponseParser(self)
        # Read what browsers read (and h11, httpx's own parser, reads): bare LF line ends from old
        # servers, folded header lines, Content-Length beside chunked (the chunks win), spaces after
        # a chunk size. A checker that called such pages unreachable would be wrong about live
        # sources; the leniencies guard servers against smuggled requests, not clients.
        self._parser.set_dangerous_leniencies(
            lenient_headers=True, lenient_optional_cr_before_lf=True, lenient_chunked_length=True, lenient_spaces_after_chunk_size=True
        )
        self._active = False
        self._wakeup: asyncio.Future[None] | None = None
        self._begin()

    def _begin(self) -> None:
        self.status = 0
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.got_bytes = False
        self.keep_alive = False
        self._head_bytes = 0
        self._head_done = False
        self._interim = False  # a 1xx answer before the real one
        self._framed = False  # Content-Length or chunked: the body does not end with the connection
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._paused = False
        self._complete = False
        self._error: Exception | None = None

    # -- asyncio.Protocol ---------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if not self._active or self._error is not None:  # bytes nobody asked for: the connection is not reusable
            self.close()
            return
        self.got_bytes = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(httpx.RemoteProtocolError("the server switched protocols"))
            return
        except httptools.HttpParserError as exc:
            if self._complete:  # junk after a whole answer: the answer stands, the connection is not reused
                self.close()
                return
            self._fail(httpx.RemoteProtocolError(f"malformed HTTP response: {exc}"))
            return
        if not self._head_done:
            self._head_bytes += len(data)  # everything fed so far was header section
            if self._head_bytes > MAX_HEAD_BYTES:
                self._fail(httpx.RemoteProtocolError(f"the response's header section is larger than {MAX_HEAD_BYTES // 1024} KB"))

    def eof_received(self) -> bool | None:
        return False  # close our side too; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._active and not self._complete and self._error is None:
            if self._head_done and not self._framed and exc is None:
                self._complete = True  # an answer without length: its body ends with the connection
            elif exc is not None:
                self._error = httpx.ReadError(str(exc) or type(exc).__name__)
            elif not self._head_done:
                self._error = httpx.RemoteProtocolError("the server disconnected without sending a response")
            else:
                self._error = httpx.RemoteProtocolError("the server closed the connection before the end of the body")
        self._wake()

    # -- llhttp callbacks -------------------------------------------------------------------------------

    def on_status(self, reason: bytes) -> None:
        self.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))
        if name.lower() in (b"content-length", b"transfer-encoding"):
            self._framed = True

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200 and status != 101:
            self._interim = True
            self.headers, self.reason, self._framed = [], b"", False
            return
        self.status = status
        self._head_done = True
        self._wake()

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)
        self._buffered += len(body)
        if self._buffered > _PAUSE_AT and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        self.keep_alive = self._parser.should_keep_alive()
        self._complete = True
        self._wake()

    # -- used by the transport ------------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        assert self.transport is not None
        self._begin()
        self._active = True
        self.transport.write(data)

    async def response_head(self, timeout: float | None) -> None:
        while not self._head_done:
            if self._error is not None:
                raise self._error
            await self._wait(timeout)

    async def body(self, timeout: float | None) -> AsyncIterator[bytes]:
        while True:
            if self._chunks:
                chunk = self._chunks.popleft()
                self._buffered -= len(chunk)
                if self._paused and self._buffered < _RESUME_AT and self.transport is not None:
                    self._paused = False
                    self.transport.resume_reading()
                yield chunk
            elif self._error is not None:
                raise self._error
            elif self._complete:
                return
            else:
                await self._wait(timeout)

    @property
    def reusable(self) -> bool:
        return self._complete and self.keep_alive and not self.closed and self._error is None and not self._chunks

    def finish(self) -> None:
        self._active = False
        self.idle_since = time.monotonic()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, error: Exception) -> None:
        self._error = error
        self.close()
        self._wake()

    async def _wait(self, timeout: float | None) -> None:
        self._wakeup = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(timeout):
                await self._wakeup
        except TimeoutError:
            raise httpx.ReadTimeout("timed out reading the response") from None
        finally:
            self._wakeup = None

    def _wake(self) -> None:
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)


class _Body(httpx.AsyncByteStream):
    """An answer's body as it arrives; closing it gives the connection back when the answer was read to its end."""

    def __init__(self, pool: Http11Transport, origin: _Origin, connection: _Connection, timeout: float | None) -> None:
        self._pool, self._origin, self._connection, self._timeout = pool, origin, connection, timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._connection.body(self._timeout):
            yield chunk

    async def aclose(self) -> None:
        self._pool.release(self._origin, self._connection)


class Http11Transport(httpx.AsyncBaseTransport):
    """HTTP/1.1 with keep-alive: idle connections are kept per origin and reused most recent first.

    It does not limit connections itself: the resolver's per-host gates and global limit already
    bound the requests in flight, and so the connections open.
    """

    def __init__(
        self,
        *,
        context: Callable[[], ssl.SSLContext],
        allow_private: bool,
        keepalive_expiry: float = 5.0,
        idle_per_origin: int = 32,
        lookup: Lookup = loop_lookup,
    ) -> None:
        self._context = context  # called at each TLS connection: the caller builds it once, when first asked
        self._allow_private = allow_private
        self._lookup = lookup
        self._keepalive_expiry = keepalive_expiry
        self._idle_per_origin = idle_per_origin
        self._idle: dict[_Origin, list[_Connection]] = {}
        self.connections_opened = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"cannot fetch {request.url.scheme}: URLs")
        return await self.send(origin_of(request.url), _request_bytes(request, await request.aread()), request.extensions.get("timeout", {}))

    async def get(self, target: PlainTarget, header_lines: bytes, timeouts: dict[str, float | None]) -> httpx.Response:
        """A GET of a plain URL (`plain_target`) with the client's `header_lines`, without building
        an httpx.Request: parsing a URL and its headers into one costs ~65 µs, more than the rest
        of sending it. The bytes sent are those httpx would have built (tests compare them)."""
        return await self.send(target.origin, target.head + header_lines + b"\r\n", timeouts)

    async def send(self, origin: _Origin, message: bytes, timeouts: dict[str, float | None]) -> httpx.Response:
        """Send a whole request (`message`) on an idle connection to `origin` or a new one; the answer's head, its body to come."""
        while True:
            connection = self._take_idle(origin)
            reused = connection is not None
            if connection is None:
                connection = await self._connect(origin, timeouts.get("connect"))
            connection.send(message)
            try:
                await connection.response_head(timeouts.get("read"))
            except (httpx.RemoteProtocolError, httpx.ReadError):
                connection.close()
                if reused and not connection.got_bytes:
                    continue  # the server closed the idle connection as it was reused: the request never arrived
                raise
            except BaseException:
                connection.close()
                raise
            break
        return httpx.Response(
            connection.status,
            headers=connection.headers,
            stream=_Body(self, origin, connection, timeouts.get("read")),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": connection.reason},
        )

    def release(self, origin: _Origin, connection: _Connection) -> None:
        connection.finish()
        idle = self._idle.setdefault(origin, [])
        if connection.reusable and len(idle) < self._idle_per_origin:
            idle.append(connection)
        else:
            connection.close()

    def _take_idle(self, origin: _Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if not connection.closed and now - connection.idle_since < self._keepalive_expiry:
                return connection
            connection.close()
        return None

    async def _connect(self, origin: _Origin, timeout: float | None) -> _Connection:
        scheme, host, port = origin
        tls = scheme == "https"
        loop = asyncio.get_running_loop()

        async def open_connection(address: str) -> _Connection:
            _, connection = await loop.create_connection(
                _Connection, address, port, ssl=self._context() if tls else None, server_hostname=host if tls else None
            )
            return connection

        connection = await connect_checked(host, port, timeout, open_connection, allow_private=self._allow_private, tls=tls, lookup=self._lookup)
        self.connections_opened += 1
        return connection

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()


_Stream = TypeVar("_Stream")


async def connect_checked(
    host: str,
    port: int,
    timeout: float | None,
    connect: Callable[[str], Awaitable[_Stream]],
    *,
    allow_private: bool,
    tls: bool = False,
    errors: tuple[type[Exception], type[Exception]] = (httpx.ConnectTimeout, httpx.ConnectError),
    lookup: Lookup = loop_lookup,
) -> _Stream:
    """`connect(address)` to the first of `host`'s addresses that answers, every one of them checked
    by the safety rules first: the address checked is the address connected to, never a fresh
    lookup, so a DNS server that answers a public address to the check and a private one to the
    connection (rebinding) gets nowhere. Failures become `errors` (timeout, other), naming the address.
    """
    timed_out, failed = errors
    addresses = await check_host(host, port, allow_private=allow_private, lookup=lookup)
    failure: Exception | None = None
    for address in addresses:  # every address passed the check; try them in turn
        try:
            async with asyncio.timeout(timeout):
                return await connect(address)
        except TimeoutError:
            failure = timed_out(f"timed out connecting to {host} ({address})" + (" or in the TLS handshake" if tls else ""))
        except ssl.SSLCertVerificationError as exc:
            failure = failed(f"TLS certificate not trusted: {exc.verify_message} ({address})")
        except ssl.SSLError as exc:
            failure = failed(f"TLS failed: {exc.reason or exc} ({address})")
        except OSError as exc:
            failure = failed(f"{exc.strerror or exc} ({address})")
    raise failure or failed(f"{host} has no address")


def origin_of(url: httpx.URL) -> _Origin:
    """Scheme, host and port (the scheme's own when none is written): where connections go, and how they are kept."""
    return (url.scheme, url.host, url.port or default_port(url.scheme))


def default_port(scheme: str) -> int:
    """The port a URL of `scheme` (http or https) means when it names none."""
    return 443 if scheme == "https" else 80


class PlainTarget(NamedTuple):
    """Where a plain URL's GET goes (`origin`) and its request line and Host header (`head`)."""

    origin: _Origin
    head: bytes


# A URL httpx sends exactly as written: http(s), a lower-case host name or IPv4 address, a port
# other than the scheme's own, a path (and query) of characters httpx leaves alone, percent
# escapes included, no "." or ".." segment in the path (see _DOT_SEGMENT), and no fragment. Most
# cited URLs are such; the others go through httpx.URL.
_PLAIN_URL = re.compile(
    r"(https?)://([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::([1-9][0-9]{0,4}))?"
    r"((?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)+(?:\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?)"
)


_IPV4_STYLE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")

# A "." or ".." segment of the path, which httpx removes ("/a/../b" is sent as "/b"); a query's are kept.
_DOT_SEGMENT = re.compile(r"/\.\.?(?=[/?]|$)")


def plain_target(url: str) -> PlainTarget | None:
    """The origin and request head of a GET of `url` when it is plain (see _PLAIN_URL), else None."""
    match = _PLAIN_URL.fullmatch(url)
    if match is None:
        return None
    scheme, host, port, target = match.groups()
    if _DOT_SEGMENT.search(target.partition("?")[0]):
        return None  # httpx removes dot segments: its way
    if _IPV4_STYLE.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return None  # httpx refuses it (InvalidURL): its way
    default = default_port(scheme)
    number = int(port) if port else default
    if port and (number == default or number > 65535):
        return None  # httpx drops a default port from the URL (and refuses a bad one): its way
    return PlainTarget(
        (scheme, host, number), b"GET %s HTTP/1.1\r\nHost: %s\r\n" % (target.encode("ascii"), (host if not port else f"{host}:{port}").encode("ascii"))
    )


def header_lines(headers: httpx.Headers) -> bytes:
    """`headers` as request header lines, each ending in CRLF."""
    lines = []
    for name, value in headers.raw:
        if b"\r" in value or b"\n" in value or b"\r" in name or b"\n" in name:
            raise httpx.LocalProtocolError(f"header {name!r} contains a line break")
        lines.append(name + b": " + value + b"\r\n")
    return b"".join(lines)


def _request_bytes(request: httpx.Request, body: bytes) -> bytes:
    """The request line, headers (httpx has set Host, Accept-Encoding and the lengths) and body."""
    return b"%s %s HTTP/1.1\r\n" % (request.method.encode("ascii"), request.url.raw_path) + header_lines(request.headers) + b"\r\n" + body
