"""The resolver: fetch every cited URL concurrently, politely and correctly, and say what happened.

One `httpx.AsyncClient` per run (connection reuse, HTTP/2 where offered,
gzip/br decoding). citecheck follows redirects itself so it can record every
hop, refuse unsafe targets after each one, and drop per-host secrets when a
redirect leaves their host. Requests to one host share a gate: at most
`per_host` at once, `min_interval` between starts, and a `Retry-After` from
that host slows all of them. Results stream out as they finish.
"""

from __future__ import annotations

import asyncio
import functools
import random
import secrets
import socket
import ssl
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.request import getproxies

import httpx

from .. import pausepoints
from ..config import FetchOptions
from ..errors import FetchRefused
from ..model import Hop, Resolution, Verdict
from .cache import Cache
from .classify import (
    Answer,
    charset_of,
    classify,
    content_digest,
    describe,
    internal_error,
    page_title,
    shared,
    strip_fragment,
)
from .gates import NO_ANSWER, RETRYABLE, TRANSIENT_STATUSES, HostDown, HostGate, Slots, TryAgain, parse_retry_after
from .routing import Client, Routing, cookie_state, proxied_schemes
from .safety import NameLookups
from .transport import (
    Http11Transport,
    header_lines,
    tls_context,
)

MAX_LOOKUP_THREADS = 64  # host names looked up at once: as many as requests in flight, up to this


# --- one answer, and why to try again -------------------------------------------------------------


@dataclass(slots=True)
class ApiAnswer:
    """What an API endpoint answered, for the archive and platform look-ups (error: why there is no answer)."""

    status: int | None
    body: bytes
    error: str | None = None
    headers: dict[str, str] | None = None


# --- per-host politeness ----------------------------------------------------------------------------


# --- classification ---------------------------------------------------------------------------------


# --- the resolver -------------------------------------------------------------------------------------


# Bytes of fetched pages waiting to be read from which no new fetch starts (see Resolver.has_room).
PAGES_HELD_MAX = 16 * 1024 * 1024


class _Once:
    """Calls `action` the first time it is called, and never again."""

    __slots__ = ("action",)

    def __init__(self, action: Callable[[], None]) -> None:
        self.action: Callable[[], None] | None = action

    def __call__(self, *_: object) -> None:
        action, self.action = self.action, None
        if action is not None:
            action()


class Resolver(Routing):
    """Resolves URLs; use as `async with Resolver(options) as r: async for res in r.resolve(urls)`."""

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        cache: Cache | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        inspect: Callable[[Resolution], Awaitable[None]] | None = None,
        reuse: Callable[[Resolution], Awaitable[bool]] | None = None,
    ) -> None:
        self.options = options or FetchOptions()
        self.cache = cache
        # called on every page answered, before it is cached: the checker's page reader, which
        # turns the body into evidence (and drops it), so cached results can be verified again
        self.inspect = inspect
        # with `inspect`: whether a cached result's page serves (else the page is fetched again);
        # without it, any cached page does
        self.reuse = reuse
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._extensions: dict[str, Any] = {}
        self._native: Http11Transport | None = None
        self._header_lines = b""
        self._own_headers = False
        self._origin_transports: dict[tuple[str, str, int], httpx.AsyncBaseTransport] = {}
        self._gates: dict[str, HostGate] = {}
        self._global: Slots | None = None
        self._probes: dict[str, asyncio.Task[str | None]] = {}
        self._dns_works: asyncio.Task[bool] | None = None
        self._lookups: NameLookups | None = None  # made on entry, with the transport
        # the standard proxy variables, read once per run; one rule (urllib's, NO_PROXY included)
        # decides both that a URL goes through the proxy and that its name is the proxy's to resolve
        self._proxies = getproxies()
        self._proxied = proxied_schemes(self._proxies)
        self._proxy_transports: dict[str, httpx.AsyncBaseTransport] = {}
        # built at the first TLS connection, if any: loading the trust store takes ~50 ms, spent
        # for nothing on a run of plain-http links or one answered from the cache
        self._tls: Callable[[], ssl.SSLContext] = functools.cache(functools.partial(tls_context, self.options.insecure))
        self._prefix_gates: list[tuple[str, HostGate]] = []
        self._targets: dict[tuple[str, int], tuple[float, asyncio.Future[list[str]]]] = {}
        self.requests_made = 0
        # the window every stream of work shares (see has_room): fetches begun and not ended, and
        # the bytes of fetched pages the inspector has not finished reading
        self._window = max(1, self.options.concurrency * 4)
        self._fetching = 0
        self._held = 0
        self._room_listeners: list[Callable[[], None]] = []

    async def __aenter__(self) -> Resolver:
        o = self.options
        self._global = Slots(o.concurrency)
        tls = self._tls
        lookups = self._lookups = NameLookups(min(o.concurrency, MAX_LOOKUP_THREADS))
        transport = self._transport
        if transport is None and o.http2:
            # here, not at the top: h2 loads only when a run allows HTTP/2
            from .http2 import CheckedTransport, ShardedTransport

            per_origin = httpx.Limits(max_connections=o.per_host, max_keepalive_connections=o.per_host)
            transport = ShardedTransport(lambda: CheckedTransport(context=tls(), http2=True, limits=per_origin, allow_private=o.allow_private, lookup=lookups))
        elif transport is None:
            transport = Http11Transport(context=tls, allow_private=o.allow_private, lookup=lookups)
        self._client = Client(  # its own transport: httpx reads no proxy variables or TLS settings (see _transport_for)
            follow_redirects=False,
            timeout=httpx.Timeout(connect=o.connect_timeout, read=o.read_timeout, write=o.read_timeout, pool=None),
            limits=httpx.Limits(max_connections=o.concurrency, max_keepalive_connections=o.concurrency),
            headers={
                "User-Agent": o.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf;q=0.8,*/*;q=0.5",
                "Accept-Language": "en;q=0.9, *;q=0.5",
            },
            transport=transport,
        )
        self._extensions = {"timeout": self._client.timeout.as_dict()}
        # what plain GETs need to skip httpx's request objects (see _plain_target)
        self._native = transport if isinstance(transport, Http11Transport) else None
        self._header_lines = header_lines(self._client.headers)
        self._own_headers = bool(o.hosts or o.host_headers)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._probes.values():
            task.cancel()
        for _, lookup in self._targets.values():
            lookup.cancel()
        for proxy in self._proxy_transports.values():
            await proxy.aclose()
        if self._client is not None:
            await self._client.aclose()
        if self._lookups is not None:
            self._lookups.close()

    # -- streaming many ------------------------------------------------------------------------------

    async def resolve(self, urls: Iterable[str]) -> AsyncGenerator[Resolution, None]:
        """Resolve each distinct URL once; yield results as they finish, starting more while the window has room."""
        seen: set[str] = set()
        pending: set[asyncio.Task[Resolution]] = set()
        # finished tasks arrive here (asyncio.wait would re-arm every pending task's callback after
        # each completion: quadratic in the window, ~10% of a 5,000-link check's loop time), and
        # None when the window gains room
        finished: asyncio.Queue[asyncio.Task[Resolution] | None] = asyncio.Queue()
        source = iter(urls)
        exhausted = False
        stop_listening = self.on_room(functools.partial(finished.put_nowait, None))
        try:
            while True:
                while not exhausted and self.has_room():
                    url = next(source, None)
                    if url is None:
                        exhausted = True
                        break
                    if url in seen:
                        continue
                    seen.add(url)
                    task = self.start(url)
                    task.add_done_callback(finished.put_nowait)
                    pending.add(task)
                if not pending and exhausted:
                    return
                done = await finished.get()
                if done is not None:
                    pending.discard(done)
                    yield done.result()
        finally:
            stop_listening()
            for task in pending:  # the caller stopped early: nothing keeps running behind it
                task.cancel()

    # -- the window ----------------------------------------------------------------------------------

    def has_room(self) -> bool:
        """Whether another resolution may start: fewer than 4 x concurrency fetches under way, and
        fewer than PAGES_HELD_MAX bytes of fetched pages waiting to be read.

        A fetch leaves the window when its answer is in, not when its page has been read: the page
        readers may still be starting (a verified check's first second) or busy, and fetching
        meanwhile costs only the pages' memory, which the byte limit bounds (counting tasks, 400
        of them could hold max_body each)."""
        return self._fetching < self._window and self._held < PAGES_HELD_MAX

    def on_room(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` whenever the window may have gained room; returns what stops it."""
        self._room_listeners.append(listener)
        return functools.partial(self._room_listeners.remove, listener)

    def start(self, url: str) -> asyncio.Task[Resolution]:
        """`resolve_one(url)` as a task, counted in the window from now (not from its first step)."""
        self._fetching += 1
        fetched = _Once(self._fetched)
        task = asyncio.create_task(self._resolve(url, fetched))
        task.add_done_callback(fetched)  # a task cancelled before its first step never ran its own
        return task

    def _fetched(self) -> None:
        self._fetching -= 1
        self._roomier()

    def _roomier(self) -> None:
        for listener in list(self._room_listeners):
            listener()

    # -- one URL -----------------------------------------------------------------------------------------

    async def resolve_one(self, url: str) -> Resolution:
        """Never raises: whatever happens becomes a verdict with its evidence."""
        self._fetching += 1
        return await self._resolve(url, _Once(self._fetched))

    async def _resolve(self, url: str, fetched: _Once) -> Resolution:
        started = time.perf_counter()
        stamp = shared(datetime.now(UTC).isoformat(timespec="seconds"))
        try:
            if self.cache is not None and (cached := self.cache.get(url)) is not None:
                if self.inspect is None or (cached.page is not None and (self.reuse is None or await self.reuse(cached))):
                    return cached
            try:
                result = await self._follow(url)
            except Exception as exc:  # a bug must not lose the other sources' results
                result = internal_error(url, exc)
        finally:
            fetched()
        if self.inspect is not None and result.body is not None:
            held = len(result.body)
            self._held += held
            try:
                await self.inspect(result)
            except Exception as exc:  # a bug must not lose the other sources' results
                result = internal_error(url, exc)
            finally:
                self._held -= held
                self._roomier()
        # the page has been read (inspect) or is not wanted: results waiting to be reported must
        # not hold pages (up to max_body each, thousands of them when a draft is checked as it is read)
        result.body = None
        result.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        result.fetched_at = stamp
        if self.cache is not None:
            self.cache.put(result)
        return result

    async def fetch_api(self, url: str, *, cache: bool = False) -> ApiAnswer:
        """GET an API endpoint with the run's retries, pacing and safety rules; never raises.

        With `cache`, a 200 answer is kept in the run's cache (archive look-ups: a paced
        service is not asked twice a day for the same thing).
        """
        if cache and self.cache is not None and (stored := self.cache.get_api(url)) is not None:
            return ApiAnswer(stored[0], stored[1])
        try:
            await self._check_target(url)
            answer, _ = await self._get_with_retries(url)
        except TryAgain as exc:
            return ApiAnswer(exc.answer.status, exc.answer.body, f"HTTP {exc.answer.status} after {self.options.tries} tries")
        except FetchRefused as exc:
            return ApiAnswer(None, b"", str(exc))
        except socket.gaierror as exc:
            return ApiAnswer(None, b"", f"DNS: {exc.strerror}")
        except (*RETRYABLE, httpx.HTTPError) as exc:
            return ApiAnswer(None, b"", describe(exc))
        headers = {k.lower(): v for k, v in answer.headers.items()}
        if cache and self.cache is not None and answer.status == 200:
            self.cache.put_api(url, answer.status, answer.body)
        return ApiAnswer(answer.status, answer.body, headers=headers)

    async def _follow(self, url: str) -> Resolution:
        try:
            urlsplit(url).port  # noqa: B018 - raises on malformed hosts and ports
        except ValueError as exc:
            return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=f"malformed URL: {exc}", error=str(exc))
        hops: list[Hop] = []
        current = url
        attempts = 0
        cookies = httpx.Cookies()  # this chain's own: a cookie wall that sets one and redirects back gets it
        seen = {(strip_fragment(url), cookie_state(cookies))}  # the same address with new cookies is no loop

        def ended(
            reason: str, error: str | None = None, *, verdict: Verdict = Verdict.UNREACHABLE, final_url: str | None = None, status: int | None = None
        ) -> Resolution:
            """The chain ends without a page: why, with the hops and tries so far and where it stopped."""
            return Resolution(url=url, verdict=verdict, reason=reason, hops=hops, final_url=final_url or current, status=status, error=error, attempts=attempts)

        for _ in range(self.options.max_hops + 1):
            try:
                await self._check_target(current)
            except FetchRefused as exc:
                return ended(str(exc), str(exc))
            except socket.gaierror as exc:
                host = urlsplit(current).hostname
                if exc.errno not in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                    return ended(f"DNS lookup of {host} failed: {exc.strerror}", str(exc))
                if await self._dns_is_working():
                    return ended(f"the domain {host} does not exist (DNS)", str(exc), verdict=Verdict.MISSING)
                why = f"cannot resolve {host}, but DNS itself is not answering ({self.options.dns_canary} does not resolve either)"
                return ended(why, str(exc))
            try:
                answer, tries = await self._get_with_retries(current, cookies=cookies, urgent=bool(hops))
                attempts += tries
            except FetchRefused as exc:  # the connection's own check (the name now resolves somewhere forbidden)
                return ended(str(exc), str(exc))
            except socket.gaierror as exc:
                return ended(f"DNS lookup of {urlsplit(current).hostname} failed while connecting: {exc.strerror}", str(exc))
            except TryAgain as exc:
                attempts += self.options.tries
                answer = exc.answer
            except HostDown as exc:  # its earlier requests, this source's or others', got no answer
                return ended(str(exc), str(exc))
            except RETRYABLE as exc:
                attempts += self.options.tries
                kind = "timed out" if isinstance(exc, (httpx.TimeoutException, TimeoutError)) else "connection failed"
                return ended(f"{kind} after {self.options.tries} tries: {describe(exc)}", describe(exc))
            except httpx.HTTPError as exc:
                return ended(f"request failed: {describe(exc)}", describe(exc))
            location = answer.headers.get("location")
            hops.append(Hop(url=current, status=answer.status, location=location, elapsed_ms=round(answer.elapsed_ms, 1)))
            if 300 <= answer.status < 400 and location:
                following = strip_fragment(urljoin(current, location.strip()))
                step = (following, cookie_state(cookies))
                if step in seen:
                    return ended(f"redirect loop at {following}", final_url=following, status=answer.status)
                seen.add(step)
                current = following
                continue
            return await self._finish(url, hops, answer, attempts)
        return ended(f"more than {self.options.max_hops} redirects")

    async def _finish(self, url: str, hops: list[Hop], answer: Answer, attempts: int) -> Resolution:
        probe = None
        if self.options.soft404_probe and 200 <= answer.status < 300 and b"<" in answer.body[:4096]:
            probe = await self._probe(answer.url)
        title = page_title(answer.body, answer.encoding) if answer.body else None
        verdict, reason, suggested = classify(url, hops, answer, title, probe_digest=probe)
        if verdict is not Verdict.OK and answer.status in self._rule(answer.url).accept:
            verdict, reason, suggested = Verdict.OK, f"answered {answer.status}, which the config accepts for {urlsplit(answer.url).hostname}", None
        return Resolution(
            url=url,
            verdict=verdict,
            reason=reason,
            final_url=answer.url,
            status=answer.status,
            hops=hops,
            content_type=shared(content_type) if (content_type := answer.headers.get("content-type")) else None,
            page_title=title,
            attempts=attempts,
            suggested_url=suggested,
            body=answer.body if 200 <= answer.status < 300 else None,
            encoding=answer.encoding,
        )

    async def _probe(self, url: str) -> str | None:
        """The content digest of what a host serves for a made-up address, when it answers 200; once per host."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        task = self._probes.get(host)
        if task is None:
            task = self._probes[host] = asyncio.create_task(self._run_probe(url, host))
        try:
            return await asyncio.shield(task)
        except Exception:
            return None

    async def _run_probe(self, url: str, host: str) -> str | None:
        if self.cache is not None and (stored := self.cache.get_probe(host)) is not None:
            return stored.get("digest")
        parts = urlsplit(url)
        parent = parts.path.rsplit("/", 1)[0]
        probe = urlunsplit((parts.scheme, parts.netloc, f"{parent}/citecheck-{secrets.token_hex(6)}-no-such-page", "", ""))
        digest = None
        try:
            answer, _ = await self._get_with_retries(probe, tries=1, urgent=True)
            if 200 <= answer.status < 300 and answer.body:
                digest = content_digest(answer.body, answer.url)
        except (*RETRYABLE, httpx.HTTPError):
            digest = None
        if self.cache is not None:
            self.cache.put_probe(host, {"digest": digest})
        return digest

    async def _get_with_retries(self, url: str, tries: int | None = None, cookies: httpx.Cookies | None = None, urgent: bool = False) -> tuple[Answer, int]:
        """GET with the run's retries: (answer, attempts). Most requests succeed at once, so the
        first attempt is a plain call; tenacity takes over only after a transient failure.
        `urgent`: the request continues a source already begun (retries always do)."""
        gate = self._gate(url)
        total = tries or self.options.tries
        try:
            return await self._attempt(url, gate, cookies, urgent), 1
        except RETRYABLE as exc:
            if total <= 1:
                raise
            await asyncio.sleep(self._backoff(exc, 1))
        from tenacity import (  # here: most runs never retry
            AsyncRetrying,
            retry_if_exception_type,
            stop_after_attempt,
        )

        count = 1
        retrying = AsyncRetrying(
            stop=stop_after_attempt(total - 1),
            wait=lambda state: self._backoff(state.outcome.exception() if state.outcome else None, state.attempt_number + 1),
            retry=retry_if_exception_type(RETRYABLE),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                count += 1
                answer = await self._attempt(url, gate, cookies, True)
        return answer, count

    def _backoff(self, exc: BaseException | None, failures: int) -> float:
        """Seconds to wait after the `failures`-th failed attempt: the server's Retry-After (capped), else jittered exponential backoff."""
        opts = self.options
        if isinstance(exc, TryAgain) and exc.retry_after is not None:
            return min(exc.retry_after, opts.retry_after_cap)
        backoff = min(opts.backoff_max, opts.backoff_initial * (2 ** (failures - 1)))
        return backoff * (0.5 + random.random() / 2)  # jitter keeps retries from marching in step

    async def _attempt(self, url: str, gate: HostGate, cookies: httpx.Cookies | None, urgent: bool = False) -> Answer:
        """One GET; a transient status (5xx, 429) is raised as TryAgain, and its Retry-After slows the whole host."""
        answer = await self._get(url, gate, cookies, urgent)
        if answer.status in TRANSIENT_STATUSES:
            retry_after = parse_retry_after(answer.headers.get("retry-after"))
            if retry_after is not None:
                gate.slow_down(min(retry_after, self.options.retry_after_cap))
            raise TryAgain(answer, retry_after)
        return answer

    async def _get(self, url: str, gate: HostGate, cookies: httpx.Cookies | None = None, urgent: bool = False) -> Answer:
        """One GET through the host's gate, reading at most max_body of the page; `cookies`: the redirect chain's."""
        assert self._global is not None
        gate.check_up()  # at once: a host that is down does not hold its other sources to its pace
        async with gate.slot(urgent), self._global.held(urgent):
            self.requests_made += 1
            if self.requests_made == 1:
                pausepoints.phase("first-request")
            return await self._send(url, gate, cookies)

    async def _send(self, url: str, gate: HostGate, cookies: httpx.Cookies | None) -> Answer:
        """The request of `_get`, its turn taken; the gate hears when the host answers (its status
        line: a page cut short later was still an answer)."""
        assert self._client is not None
        opts = self.options
        started = time.perf_counter()
        answered = False
        try:
            async with asyncio.timeout(opts.total_timeout):
                target = self._plain_target(url, cookies)
                request: httpx.Request | None = None
                if target is not None and self._native is not None:
                    response = await self._native.get(target, self._header_lines, self._extensions["timeout"])
                else:
                    request = httpx.Request("GET", url, headers=self._request_headers(url), extensions=self._extensions)
                    if cookies:
                        cookies.set_cookie_header(request)
                    # straight to the transport: the client's send adds auth, redirect and hook plumbing
                    # citecheck does not use, at ~0.2 ms of CPU a request, and parses every Location it
                    # sees (raising on `javascript:`)
                    response = await self._transport_for(url, request).handle_async_request(request)
                    response.request = request
                answered = True
                gate.answered()
                try:
                    if cookies is not None and "set-cookie" in response.headers:
                        if request is None:
                            response.request = httpx.Request("GET", url)  # what the cookie rules read: the URL
                        cookies.extract_cookies(response)
                    body = b""
                    if not (300 <= response.status_code < 400 and "location" in response.headers):
                        chunks: list[bytes] = []
                        size = 0
                        async for chunk in response.aiter_bytes():
                            chunks.append(chunk)
                            size += len(chunk)
                            if size >= opts.max_body:
                                break  # enough: the cap stops endless streams and decompression bombs
                        body = b"".join(chunks)[: opts.max_body]
                    return Answer(
                        url=url if request is None else str(request.url),  # a plain URL is httpx's form of itself
                        status=response.status_code,
                        headers=response.headers,
                        body=body,
                        encoding=charset_of(response.headers.get("content-type")),
                        elapsed_ms=(time.perf_counter() - started) * 1000,
                        http_version=response.http_version,
                    )
                finally:
                    await response.aclose()
        except TimeoutError:  # asyncio.timeout's own says nothing: "TimeoutError: TimeoutError" in reports
            failure = TimeoutError(f"no {'whole ' if answered else ''}answer within {opts.total_timeout:g} s")
            if not answered:
                gate.failed(describe(failure))
            raise failure from None
        except NO_ANSWER as exc:
            if not answered:
                gate.failed(describe(exc))
            raise
