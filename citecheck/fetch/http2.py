"""The `--http2` path: httpx's own transport (httpcore; HTTP/2 where offered), connecting through the
same connect-time safety check as the default transport (see transport.py)."""

from __future__ import annotations

import asyncio
import select
import ssl
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from ..errors import FetchRefused
from .safety import Lookup, loop_lookup
from .transport import connect_checked


class ShardedTransport(httpx.AsyncBaseTransport):
    """One connection pool per origin, behind the run's single client.

    httpcore's pool assigns queued requests to connections in O(connections x requests)
    per event; with a hundred connections across many hosts that dominated CPU (measured:
    12 s of CPU for 1,000 links). Small per-origin pools keep it linear.
    """

    def __init__(self, make: Callable[[], httpx.AsyncBaseTransport]) -> None:
        self._make = make
        self._pools: dict[tuple[str, str, int | None], httpx.AsyncBaseTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.scheme, request.url.host, request.url.port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = self._make()
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()


class AsyncioStream(httpcore.AsyncNetworkStream):
    """httpcore's network stream on plain asyncio streams.

    httpcore's own backend goes through anyio, whose cancel scopes and attribute lookups cost
    about a tenth of the CPU of a request here (profiled); the resolver runs on asyncio only.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError:
            raise httpcore.ReadTimeout("timed out reading") from None
        except OSError as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError:
            raise httpcore.WriteTimeout("timed out writing") from None
        except OSError as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        self._writer.close()
        try:
            await self._writer.wait_closed()
        except (OSError, ssl.SSLError):
            pass

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError:
            await self.aclose()
            raise httpcore.ConnectTimeout("timed out in the TLS handshake") from None
        except (OSError, ssl.SSLError) as exc:
            await self.aclose()
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # an idle connection the server has closed: httpcore drops it instead of reusing it
            sock = self._writer.get_extra_info("socket")
            return sock is not None and _socket_readable(sock)
        key = {"ssl_object": "ssl_object", "client_addr": "sockname", "server_addr": "peername", "socket": "socket"}.get(info)
        return self._writer.get_extra_info(key) if key else None


def _socket_readable(sock: Any) -> bool:

    try:
        readable, _, _ = select.select([sock.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses that pass the safety rules (transport.connect_checked). TLS
    still verifies the certificate against the host name (httpcore passes it as server_hostname)."""

    def __init__(self, *, allow_private: bool, lookup: Lookup = loop_lookup) -> None:
        self._allow_private = allow_private
        self._lookup = lookup

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        async def open_stream(address: str) -> httpcore.AsyncNetworkStream:
            reader, writer = await asyncio.open_connection(address, port, local_addr=(local_address, 0) if local_address else None, limit=1 << 16)
            sock = writer.get_extra_info("socket")
            for option in socket_options or ():
                sock.setsockopt(*option)
            return AsyncioStream(reader, writer)

        # httpcore's exception types: httpx's transport maps them to its own
        return await connect_checked(
            host, port, timeout, open_stream, allow_private=self._allow_private, errors=(httpcore.ConnectTimeout, httpcore.ConnectError), lookup=self._lookup
        )

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise FetchRefused("refused for safety: Unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (HTTP/2 where offered), its connection pool connecting through CheckedBackend."""

    def __init__(self, *, context: ssl.SSLContext, http2: bool, limits: httpx.Limits, allow_private: bool, lookup: Lookup = loop_lookup) -> None:
        super().__init__(verify=context, http2=http2, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=CheckedBackend(allow_private=allow_private, lookup=lookup),
        )
