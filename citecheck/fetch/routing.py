"""Routing a request: which transport carries it (proxy, HTTP/1.1, HTTP/2), which host's gate it
waits at, which headers it sends, and whether its target is an address citecheck may fetch."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit
from urllib.request import proxy_bypass

import httpx

from ..config import FetchOptions, HostRule
from .gates import HostGate
from .safety import Lookup, NameLookups, check_host, check_scheme
from .transport import (
    Http11Transport,
    PlainTarget,
    default_port,
    origin_of,
    plain_target,
)


class Routing:
    """The resolver's per-request plumbing; `Resolver` sets every attribute below."""

    options: FetchOptions
    _client: httpx.AsyncClient | None
    _native: Http11Transport | None
    _own_headers: bool
    _origin_transports: dict[tuple[str, str, int], httpx.AsyncBaseTransport]
    _gates: dict[str, HostGate]
    _prefix_gates: list[tuple[str, HostGate]]
    _dns_works: asyncio.Task[bool] | None
    _lookups: NameLookups | None
    _proxies: dict[str, str]
    _proxied: frozenset[str]
    _proxy_transports: dict[str, httpx.AsyncBaseTransport]
    _targets: dict[tuple[str, int], tuple[float, asyncio.Future[list[str]]]]
    _tls: Callable[[], ssl.SSLContext]

    def pace(self, prefix: str, gate: HostGate) -> None:
        """Send every request whose URL starts with `prefix` through `gate` (a rate-limited API)."""
        self._prefix_gates.append((prefix, gate))

    def _transport_for(self, url: str, request: httpx.Request) -> httpx.AsyncBaseTransport:
        """The proxy's transport when the environment sends `url` through one (the rule
        `_check_target` applied to the same string), else the client's (whose choice respx replaces
        in tests). httpx ignores the proxy variables once a client has its own transport, so
        citecheck routes them itself."""
        if not uses_proxy(url, self._proxied):
            return self._client_transport(origin_of(request.url), request.url)
        proxy = self._proxies.get(request.url.scheme) or self._proxies["all"]
        transport = self._proxy_transports.get(proxy)
        if transport is None:
            transport = self._proxy_transports[proxy] = httpx.AsyncHTTPTransport(
                proxy=proxy, verify=self._tls(), limits=httpx.Limits(max_connections=self.options.concurrency)
            )
        return transport

    def _plain_target(self, url: str, cookies: httpx.Cookies | None) -> PlainTarget | None:
        """Where a GET of `url` goes, when the run's own HTTP/1.1 transport can send it as httpx
        would, with the client's headers as they are: a plain URL (`plain_target`), no cookies to
        send, no per-host headers or proxy, and the transport the client would choose (respx
        chooses its mock in tests). Else None: the request goes through httpx.Request."""
        if self._native is None or cookies or self._own_headers or uses_proxy(url, self._proxied):
            return None
        target = plain_target(url)
        if target is None:
            return None
        return target if self._client_transport(target.origin) is self._native else None

    def _client_transport(self, origin: tuple[str, str, int], url: httpx.URL | None = None) -> httpx.AsyncBaseTransport:
        """The transport the client chooses for an origin (respx chooses its mock in tests), asked once an origin
        (`url`: one of its URLs, when the caller has it parsed already)."""
        transport = self._origin_transports.get(origin)
        if transport is None:
            assert self._client is not None
            scheme, host, port = origin
            transport = self._origin_transports[origin] = self._client._transport_for_url(url or httpx.URL(scheme=scheme, host=host, port=port))
        return transport

    def _gate(self, url: str) -> HostGate:
        for prefix, gate in self._prefix_gates:
            if url.startswith(prefix):
                return gate
        parts = urlsplit(url)
        key = f"{parts.hostname}:{parts.port or default_port(parts.scheme)}"
        known = self._gates.get(key)
        if known is not None:
            return known
        rule = self._rule(url)
        gate = self._gates[key] = HostGate(
            rule.per_host or self.options.per_host,
            self.options.min_interval if rule.min_interval is None else rule.min_interval,
            down_after=self.options.host_down_after,
            down_for=self.options.host_down_for,
            host=parts.hostname or url,
        )
        return gate

    def _rule(self, url: str) -> HostRule:
        """The config's rule for a URL's host or the nearest parent domain that has one."""
        if not self.options.hosts:
            return NO_RULE
        labels = (urlsplit(url).hostname or "").lower().split(".")
        for i in range(len(labels) - 1):
            rule = self.options.hosts.get(".".join(labels[i:]))
            if rule is not None:
                return rule
        return NO_RULE

    def _request_headers(self, url: str) -> httpx.Headers:
        """The client's headers, with the config's own for this URL's host."""
        assert self._client is not None
        extra = self._headers_for(url) if self.options.hosts or self.options.host_headers else None
        if not extra:
            return self._client.headers
        merged = self._client.headers.copy()
        merged.update(extra)
        return merged

    def _headers_for(self, url: str) -> dict[str, str]:
        # exact host only: a token for www.example.com is not sent to upload.example.com
        host = (urlsplit(url).hostname or "").lower()
        rule = self.options.hosts.get(host)
        return {**(rule.headers if rule else {}), **self.options.host_headers.get(host, {})}

    async def _check_target(self, url: str) -> None:
        """Refuse a URL before any request: its scheme, and where its host's name points now.

        The look-up is shared by every URL of a host for a minute (a thousand links to one site
        are not a thousand DNS queries). It is the early, explained refusal; the transport checks
        the address it actually connects to again, so a cached answer cannot be exploited.
        """
        check_scheme(url)
        parts = urlsplit(url)
        # Through a proxy, the proxy resolves the name and connects: citecheck cannot check the
        # address it reaches. It still refuses what it can see is private: an address as written
        # (in any spelling getaddrinfo reads), or a name that resolves here to one. A name that
        # does not resolve here is the proxy's to resolve (docs/security.md: what a proxy
        # can and cannot protect).
        proxied = uses_proxy(url, self._proxied)
        key = (parts.hostname or "", parts.port or default_port(parts.scheme))
        now = time.monotonic()
        entry = self._targets.get(key)
        if entry is None or now - entry[0] > TARGET_CHECK_TTL:
            lookup: Lookup = self._name_lookups()
            if proxied:
                lookup = resolved_here_or_nothing(lookup)
            entry = self._targets[key] = (now, asyncio.ensure_future(check_host(*key, allow_private=self.options.allow_private, lookup=lookup)))
        await asyncio.shield(entry[1])

    def _name_lookups(self) -> NameLookups:
        if self._lookups is None:
            raise RuntimeError("use the Resolver as `async with Resolver(...) as resolver`")
        return self._lookups

    async def _dns_is_working(self) -> bool:
        """Whether the canary name resolves (checked once per run)."""
        canary = self.options.dns_canary
        if canary is None:
            return True

        async def lookup() -> bool:
            try:
                await self._name_lookups()(canary, 80)
                return True
            except OSError:
                return False

        if self._dns_works is None:
            self._dns_works = asyncio.create_task(lookup())
        return await asyncio.shield(self._dns_works)


NO_RULE = HostRule()


TARGET_CHECK_TTL = 60.0  # seconds a host's safety look-up serves its other URLs


def resolved_here_or_nothing(lookup: Lookup) -> Lookup:
    """`lookup`, answering no addresses where the name does not resolve here (a proxy's to resolve)."""

    async def resolved(host: str, port: int) -> list[str]:
        try:
            return await lookup(host, port)
        except OSError:  # socket.gaierror included: no answer here is no refusal
            return []

    return resolved


def uses_proxy(url: str, schemes: frozenset[str]) -> bool:
    """Whether this URL goes through a proxy (which then resolves names itself)."""
    if not schemes:
        return False
    parts = urlsplit(url)
    return parts.scheme in schemes and not proxy_bypass(parts.hostname or "")


def proxied_schemes(proxies: dict[str, str]) -> frozenset[str]:
    """URL schemes the standard proxy variables send through a proxy."""
    return frozenset({"http", "https"} if "all" in proxies else set(proxies) & {"http", "https"})


class Client(httpx.AsyncClient):
    """The run's client, without a shared cookie jar.

    Cookies live in one URL's redirect chain (`Resolver._follow`): sources stay independent, and
    a jar shared by thousands of sources would be copied into every request (httpx merges it per
    request) and read back from every answer (measured: ~0.17 ms a request even when empty).
    """

    def __init__(self, **kwargs: Any) -> None:
        self._no_cookies = NoCookies()
        super().__init__(**kwargs)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies

    @cookies.setter
    def cookies(self, value: Any) -> None:
        pass  # httpx's constructor sets it; there is nothing to keep


def cookie_state(cookies: httpx.Cookies) -> tuple[tuple[str, str, str | None], ...]:
    return tuple(sorted((c.domain, c.name, c.value) for c in cookies.jar))


class NoCookies(httpx.Cookies):
    def extract_cookies(self, response: httpx.Response) -> None:
        pass
