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
import email.utils
import functools
import hashlib
import html
import math
import random
import re
import secrets
import socket
import ssl
import sys
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.request import getproxies, proxy_bypass

import httpx

from .cache import Cache
from ..errors import FetchRefused
from ..model import Hop, Resolution, Verdict
from ..config import FetchOptions, HostRule
from .safety import Lookup, NameLookups, check_host, check_scheme
from .transport import Http11Transport, PlainTarget, default_port, header_lines, origin_of, plain_target, tls_context

_NO_RULE = HostRule()
TARGET_CHECK_TTL = 60.0  # seconds a host's safety look-up serves its other URLs
MAX_LOOKUP_THREADS = 64  # host names looked up at once: as many as requests in flight, up to this


# --- one answer, and why to try again -------------------------------------------------------------


@dataclass(slots=True)
class _Answer:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes
    encoding: str | None
    elapsed_ms: float
    http_version: str


@dataclass(slots=True)
class ApiAnswer:
    """What an API endpoint answered, for the archive and platform look-ups (error: why there is no answer)."""

    status: int | None
    body: bytes
    error: str | None = None
    headers: dict[str, str] | None = None


class _TryAgain(Exception):
    """A transient answer (5xx, 429): retried, and reported if it lasts."""

    def __init__(self, answer: _Answer, retry_after: float | None) -> None:
        super().__init__(f"HTTP {answer.status}")
        self.answer = answer
        self.retry_after = retry_after


_TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
# what a request that got no answer at all raises: a timeout, a refused or dropped connection
_NO_ANSWER = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, TimeoutError)
_RETRYABLE = (_TryAgain, *_NO_ANSWER)  # those, and a transient answer


class HostDown(httpx.TransportError):
    """A host that answered none of its last requests, not asked again for a while (see HostGate)."""


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


# --- per-host politeness ----------------------------------------------------------------------------


class Slots:
    """A semaphore that serves work already begun first.

    Waiters that continue a source (a redirect's next hop, a retry, a host's soft-404 probe that
    answers are waiting for) go before waiters for new sources. With plain FIFO order they queued
    behind the hundreds of sources waiting to start, and every answered page waited with them.
    """

    def __init__(self, limit: int) -> None:
        self.free = limit
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._new: deque[asyncio.Future[None]] = deque()

    async def acquire(self, urgent: bool = False) -> None:
        if self.free > 0 and not self._urgent and not self._new:
            self.free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._new
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # the slot was handed over as the waiter was cancelled: pass it on
            elif waiter in queue:  # (a release may have dropped it already)
                queue.remove(waiter)
            raise

    def release(self) -> None:
        for queue in (self._urgent, self._new):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():  # a waiter cancelled a moment ago is passed over
                    waiter.set_result(None)
                    return
        self.free += 1

    def held(self, urgent: bool = False) -> _Turn:
        """`async with slots.held():` one slot for the block."""
        return _Turn(self.acquire, self, urgent)


class _Turn:
    """A turn as a plain context manager (a generator-based one costs ~10 µs a request): wait with
    `enter(urgent)`, then give the slot back to `slots`. A host's gate and the run's slots share it."""

    __slots__ = ("enter", "slots", "urgent")

    def __init__(self, enter: Callable[[bool], Awaitable[None]], slots: Slots, urgent: bool) -> None:
        self.enter = enter
        self.slots = slots
        self.urgent = urgent

    async def __aenter__(self) -> None:
        await self.enter(self.urgent)

    async def __aexit__(self, *exc: object) -> None:
        self.slots.release()


class HostGate:
    """At most `limit` requests at once to a host, passing at least `interval` seconds apart; slowed by Retry-After.

    A host that answers none of `down_after` requests in a row (each timed out, refused or
    dropped) is down: for `down_for` seconds its requests fail at once (HostDown), then one is let
    through, and one more failure makes it down again. A dead site is rarely gone cleanly: behind
    a firewall that drops packets, or a server that takes connections and hangs, each request
    costs its whole timeout, and each of the site's sources its retries: 40 sources on such a host,
    four at a time, took ten rounds of three timeouts (benchmarks/bench_dead_hosts.py: three such
    hosts, 2 s timeouts, 66 s; 8.5 s so, the live links' own time). 0 turns this off.
    """

    def __init__(self, limit: int, interval: float, *, down_after: int = 0, down_for: float = 0.0, host: str = "the host") -> None:
        self.slots = Slots(limit)
        self.host = host
        self.interval = interval
        self.last_pass = -math.inf
        self.slow_until = 0.0
        self.lock = asyncio.Lock()
        self.down_after = down_after
        self.down_for = down_for
        self.failures = 0  # requests in a row that got no answer
        self.last_failure = ""
        self.down_until = -math.inf

    def answered(self) -> None:
        self.failures = 0

    def failed(self, why: str) -> None:
        self.failures += 1
        self.last_failure = why
        if self.down_after and self.failures >= self.down_after:
            self.down_until = asyncio.get_running_loop().time() + self.down_for

    def check_up(self) -> None:
        """Raise HostDown while the host is down; once its time is over, let requests through again."""
        if not self.down_after or self.failures < self.down_after:
            return
        if asyncio.get_running_loop().time() < self.down_until:
            raise HostDown(f"not asked: {self.host} answered none of its last {self.failures} requests (the last: {self.last_failure}); "
                           f"it is asked again after {self.down_for:g} s")
        self.failures = self.down_after - 1  # let this one through: if it fails too, the host is down again

    def slow_down(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self.slow_until = max(self.slow_until, loop.time() + seconds)

    def slot(self, urgent: bool = False) -> _Turn:
        """`async with gate.slot():` one request's turn (`urgent`: it continues a source already begun)."""
        return _Turn(self._enter, self.slots, urgent)

    async def _enter(self, urgent: bool) -> None:
        loop = asyncio.get_running_loop()
        await self.slots.acquire(urgent)
        try:
            # a host that went down while this request waited for a slot: it fails now, without
            # taking a pass (its other sources queued behind had each waited out `interval`)
            self.check_up()
            # Pass times, not reservations: a waiter that wakes late cannot let the next one in early.
            while True:
                async with self.lock:
                    now = loop.time()
                    ready = max(self.last_pass + self.interval, self.slow_until)
                    if now >= ready:
                        self.last_pass = now
                        return
                await asyncio.sleep(ready - now)
        except BaseException:
            self.slots.release()
            raise


# --- classification ---------------------------------------------------------------------------------

_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_H1_RE = re.compile(rb"<h1[^>]*>(.*?)</h1", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
# An error page's title is its error message and perhaps the site's name: "404 Not Found",
# "Page not found – Example News", "Erreur 404 : page introuvable", "Oops! That page can’t be found.".
# A title is split at its separators and one segment must be wholly such a message; a status code
# or an error phrase inside other words ("Report 404: Trade routes", "Security Council resolution
# 404 (1977)", "Flight 404", "The Man Who Does Not Exist") is a name, not an error message.
_TITLE_SEGMENTS_RE = re.compile(r"\s+[-–—|·•:/]\s+|\s*[|·•–—]\s*|\s*:\s+|\s*::\s*")
_ERROR_CODE_RE = re.compile(r"\b(?:404|410)\b")
_ERROR_WORD_RE = re.compile(r"\b(?:error|erreur|fehler|errore|erro|fout)\b")
# words an error message wraps its phrase in, dropped before the phrase is compared
_ERROR_NOISE = frozenset(
    "oops whoops sorry uh oh ouch hmm error erreur fehler errore erro fout http code status 404 410 the this that page pages seite "
    "pagina página la le die cette esta questa requested you were are looking for we re 're web a an our".split()
)
_ERROR_PHRASES = frozenset({
    "not found", "file not found", "cannot be found", "can't be found", "cant be found", "could not be found", "couldn't be found",
    "no longer available", "no longer exists", "does not exist", "doesn't exist", "not available", "nothing found", "gone",
    "introuvable", "non trouvée", "non trouvee", "n'existe pas", "n'existe plus", "est introuvable",
    "no encontrada", "no se encontró", "no se encontro", "no existe", "nicht gefunden", "wurde nicht gefunden", "existiert nicht",
    "non trovata", "non esiste", "não encontrada", "nao encontrada", "não existe", "niet gevonden",
})


def _error_segment(segment: str) -> bool:
    text = " ".join(re.sub(r"[^\w'\s]", " ", segment.lower().replace("’", "'")).split())
    if not text:
        return False
    left = " ".join(w for w in text.split() if w not in _ERROR_NOISE)
    announced = bool(_ERROR_CODE_RE.search(text) or _ERROR_WORD_RE.search(text))
    return (not left and announced) or left in _ERROR_PHRASES


def is_error_title(title: str) -> bool:
    """Whether a page title is an error page's ("Page not found", "404", "Page introuvable – Site")."""
    return any(_error_segment(part) for part in _TITLE_SEGMENTS_RE.split(title.strip()) if part)


# "/", "/index.html", "/home", "/en/", "/fr-fr/index.php", "/ar": a site's front page, in some language
_HOME_PATH_RE = re.compile(
    r"^/?(?:(?:[a-z]{2}(?:[-_][a-z]{2})?/)|(?:en|fr|es|ar|de|pt|it|ru|zh|ja|nl|tr|fa|ur|sw|ha)/?$)?(?:index\.\w+|home/?|default\.\w+)?$",
    re.IGNORECASE,
)
# Where sites send unknown addresses: "/404", "/en/404.html", "/errors/404", "/error?code=404",
# "/page-not-found"; not "/resolutions/404" or "/flight-404-report" (a number in a path is a name)
_404_URL_RE = re.compile(
    r"^(?:/(?:en|fr|es|de|ar|pt|it|ru|zh|ja|nl|tr|fa|ur|sw|ha|pl|uk|ko|id|hi|he|el|sv|da|no|fi|cs|ro|hu|vi|th|bn)(?:[-_][a-z]{2})?)?/(?:404|410)(?:\.\w+)?/?(?:\?|$)|/[^/?]*(?:404|410)\.(?:html?|php|aspx?|jsp)(?:\?|$)|"
    r"/errors?(?:/|\.\w+\?|\?)(?:.*\b(?:404|410)\b)?|(?:^|/)(?:not[-_]?found|page[-_]not[-_]found|error[-_]?404|404[-_]error)(?:[/_.?]|$)|"
    r"[?&](?:error|code|status|err)=(?:404|410)\b",
    re.IGNORECASE,
)
_CHALLENGE_RE = re.compile(
    rb"just a moment|attention required|cf-browser-verification|challenge-platform|captcha|are you a robot|"
    rb"access denied|request unsuccessful\. incapsula|perimeterx|datadome",
    re.IGNORECASE,
)
_PERMANENT = frozenset({301, 308})


def page_title(body: bytes, encoding: str | None) -> str | None:
    m = _TITLE_RE.search(body[:262144]) or _H1_RE.search(body[:262144])
    if not m:
        return None
    text = m.group(1).decode(encoding or "utf-8", "replace")
    return " ".join(html.unescape(_TAG_RE.sub(" ", text)).split()) or None


def content_digest(body: bytes, url: str) -> str:
    """A fingerprint of a page's content, blind to the address it was asked for (pages often echo it)."""
    path = urlsplit(url).path.encode()
    text = body[:262144]
    if len(path) > 1:
        text = text.replace(path, b"")
    text = re.sub(rb"\s+", b" ", text).strip()
    return hashlib.sha1(text).hexdigest()


def _strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _is_home(original: str, final: str) -> bool:
    o, f = urlsplit(original), urlsplit(final)
    return bool(_HOME_PATH_RE.match(f.path)) and not f.query and not _HOME_PATH_RE.match(o.path)


def _bot_wall(answer: _Answer) -> str | None:
    if answer.headers.get("cf-mitigated") == "challenge":
        return "a bot challenge (Cloudflare cf-mitigated)"
    if answer.status in (403, 429, 503, 999) and _CHALLENGE_RE.search(answer.body[:65536]):
        return f"a bot wall (HTTP {answer.status} with a challenge page)"
    if answer.status == 999:
        return "a bot wall (HTTP 999)"
    return None


def classify(url: str, hops: list[Hop], answer: _Answer, title: str | None, *, probe_digest: str | None = None) -> tuple[Verdict, str, str | None]:
    """(verdict, reason in plain words, suggested URL) for the final answer of a chain, whose page title is `title`."""
    status, final = answer.status, answer.url
    if 200 <= status < 300:
        checks: tuple[tuple[bool, str], ...] = (
            (_is_home(url, final), f"redirected to the site's home page ({final})"),
            (bool(_404_URL_RE.search(urlsplit(final).path + "?" + urlsplit(final).query)) and final != url, f"redirected to an error page ({final})"),
            (bool(title and is_error_title(title)), f"soft 404: answered {status} but the page says “{title}”"),
            (bool(probe_digest) and content_digest(answer.body, final) == probe_digest and not _HOME_PATH_RE.match(urlsplit(final).path),
             "soft 404: the page is the one this site serves for any unknown address" + (f" (“{title}”)" if title else "")),
            (not answer.body and answer.headers.get("content-length") == "0", f"answered {status} with an empty page"),
        )
        for hit, reason in checks:
            if hit:
                return Verdict.MISSING, reason, None
        if any(h.status in _PERMANENT for h in hops) and _strip_fragment(final) != _strip_fragment(url):
            return Verdict.MOVED, f"permanently redirected to {final}", final
        return Verdict.OK, (f"answered {status} after redirects to {final}" if final != url else _shared(f"answered {status}")), None
    wall = _bot_wall(answer)
    rules: tuple[tuple[bool, Verdict, str], ...] = (
        (wall is not None, Verdict.UNREACHABLE, f"blocked by {wall}: citecheck cannot tell whether the page exists"),
        (status in (404, 410), Verdict.MISSING, f"the server says the page is gone (HTTP {status})"),
        (status == 451, Verdict.MISSING, "unavailable for legal reasons (HTTP 451)"),
        (status in (401, 402), Verdict.UNREACHABLE, f"behind a login or paywall (HTTP {status})"),
        (status == 403, Verdict.UNREACHABLE, "access forbidden (HTTP 403): often a bot wall"),
        (status == 429, Verdict.UNREACHABLE, "rate limited (HTTP 429) after all retries"),
        (status >= 500, Verdict.UNREACHABLE, f"server error (HTTP {status}) after all retries"),
        (300 <= status < 400, Verdict.UNREACHABLE, f"redirect (HTTP {status}) without a usable Location"),
    )
    for hit, verdict, reason in rules:
        if hit:
            return verdict, reason, None
    return Verdict.UNREACHABLE, f"unexpected answer (HTTP {status})", None


# --- the resolver -------------------------------------------------------------------------------------


def _proxied_schemes(proxies: dict[str, str]) -> frozenset[str]:
    """URL schemes the standard proxy variables send through a proxy."""
    return frozenset({"http", "https"} if "all" in proxies else set(proxies) & {"http", "https"})


def _resolved_here_or_nothing(lookup: Lookup) -> Lookup:
    """`lookup`, answering no addresses where the name does not resolve here (a proxy's to resolve)."""

    async def resolved(host: str, port: int) -> list[str]:
        try:
            return await lookup(host, port)
        except OSError:  # socket.gaierror included: no answer here is no refusal
            return []

    return resolved


def _uses_proxy(url: str, schemes: frozenset[str]) -> bool:
    """Whether this URL goes through a proxy (which then resolves names itself)."""
    if not schemes:
        return False
    parts = urlsplit(url)
    return parts.scheme in schemes and not proxy_bypass(parts.hostname or "")


# the charset parameter of a Content-Type (httpx's `charset_encoding` parses the header with
# the email package: ~0.1 ms an answer, which matters at thousands of links)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type) if content_type else None
    return _shared(match.group(1)) if match else None


def _shared(text: str) -> str:
    """One copy of a string that thousands of results repeat ("answered 200", "text/html;
    charset=utf-8", the second a fetch ended): at 20,000 links, 5 MB of equal strings."""
    return sys.intern(text)


class _Client(httpx.AsyncClient):
    """The run's client, without a shared cookie jar.

    Cookies live in one URL's redirect chain (`Resolver._follow`): sources stay independent, and
    a jar shared by thousands of sources would be copied into every request (httpx merges it per
    request) and read back from every answer (measured: ~0.17 ms a request even when empty).
    """

    def __init__(self, **kwargs: Any) -> None:
        self._no_cookies = _NoCookies()
        super().__init__(**kwargs)

    @property  # type: ignore[override]
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies

    @cookies.setter
    def cookies(self, value: Any) -> None:
        pass  # httpx's constructor sets it; there is nothing to keep


def _cookie_state(cookies: httpx.Cookies) -> tuple[tuple[str, str, str | None], ...]:
    return tuple(sorted((c.domain, c.name, c.value) for c in cookies.jar))


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


def _internal_error(url: str, exc: Exception) -> Resolution:
    return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=f"internal error: {type(exc).__name__}: {exc}", error=repr(exc))


class _NoCookies(httpx.Cookies):
    def extract_cookies(self, response: httpx.Response) -> None:
        pass


class Resolver:
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
        self._proxied = _proxied_schemes(self._proxies)
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
            from .http2 import CheckedTransport, ShardedTransport

            per_origin = httpx.Limits(max_connections=o.per_host, max_keepalive_connections=o.per_host)
            transport = ShardedTransport(lambda: CheckedTransport(context=tls(), http2=True, limits=per_origin, allow_private=o.allow_private,
                                                                  lookup=lookups))
        elif transport is None:
            transport = Http11Transport(context=tls, allow_private=o.allow_private, lookup=lookups)
        self._client = _Client(  # its own transport: httpx reads no proxy variables or TLS settings (see _transport_for)
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

    async def resolve(self, urls: Iterable[str]) -> AsyncIterator[Resolution]:
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
                task = await finished.get()
                if task is not None:
                    pending.discard(task)
                    yield task.result()
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
        stamp = _shared(datetime.now(timezone.utc).isoformat(timespec="seconds"))
        try:
            if self.cache is not None and (cached := self.cache.get(url)) is not None:
                if self.inspect is None or (cached.page is not None and (self.reuse is None or await self.reuse(cached))):
                    return cached
            try:
                result = await self._follow(url)
            except Exception as exc:  # a bug must not lose the other sources' results
                result = _internal_error(url, exc)
        finally:
            fetched()
        if self.inspect is not None and result.body is not None:
            held = len(result.body)
            self._held += held
            try:
                await self.inspect(result)
            except Exception as exc:  # a bug must not lose the other sources' results
                result = _internal_error(url, exc)
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

    def pace(self, prefix: str, gate: HostGate) -> None:
        """Send every request whose URL starts with `prefix` through `gate` (a rate-limited API)."""
        self._prefix_gates.append((prefix, gate))

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
        except _TryAgain as exc:
            return ApiAnswer(exc.answer.status, exc.answer.body, f"HTTP {exc.answer.status} after {self.options.tries} tries")
        except FetchRefused as exc:
            return ApiAnswer(None, b"", str(exc))
        except socket.gaierror as exc:
            return ApiAnswer(None, b"", f"DNS: {exc.strerror}")
        except (*_RETRYABLE, httpx.HTTPError) as exc:
            return ApiAnswer(None, b"", _describe(exc))
        headers = {k.lower(): v for k, v in answer.headers.items()}
        if cache and self.cache is not None and answer.status == 200:
            self.cache.put_api(url, answer.status, answer.body)
        return ApiAnswer(answer.status, answer.body, headers=headers)

    def _transport_for(self, url: str, request: httpx.Request) -> httpx.AsyncBaseTransport:
        """The proxy's transport when the environment sends `url` through one (the rule
        `_check_target` applied to the same string), else the client's (whose choice respx replaces
        in tests). httpx ignores the proxy variables once a client has its own transport, so
        citecheck routes them itself."""
        if not _uses_proxy(url, self._proxied):
            return self._client_transport(origin_of(request.url), request.url)
        proxy = self._proxies.get(request.url.scheme) or self._proxies["all"]
        transport = self._proxy_transports.get(proxy)
        if transport is None:
            transport = self._proxy_transports[proxy] = httpx.AsyncHTTPTransport(
                proxy=proxy, verify=self._tls(), limits=httpx.Limits(max_connections=self.options.concurrency))
        return transport

    def _plain_target(self, url: str, cookies: httpx.Cookies | None) -> PlainTarget | None:
        """Where a GET of `url` goes, when the run's own HTTP/1.1 transport can send it as httpx
        would, with the client's headers as they are: a plain URL (`plain_target`), no cookies to
        send, no per-host headers or proxy, and the transport the client would choose (respx
        chooses its mock in tests). Else None: the request goes through httpx.Request."""
        if self._native is None or cookies or self._own_headers or _uses_proxy(url, self._proxied):
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
        gate = self._gates.get(key)
        if gate is None:
            rule = self._rule(url)
            gate = self._gates[key] = HostGate(rule.per_host or self.options.per_host,
                                               self.options.min_interval if rule.min_interval is None else rule.min_interval,
                                               down_after=self.options.host_down_after, down_for=self.options.host_down_for,
                                               host=parts.hostname or url)
        return gate

    def _rule(self, url: str) -> HostRule:
        """The config's rule for a URL's host or the nearest parent domain that has one."""
        if not self.options.hosts:
            return _NO_RULE
        labels = (urlsplit(url).hostname or "").lower().split(".")
        for i in range(len(labels) - 1):
            rule = self.options.hosts.get(".".join(labels[i:]))
            if rule is not None:
                return rule
        return _NO_RULE

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
        proxied = _uses_proxy(url, self._proxied)
        key = (parts.hostname or "", parts.port or default_port(parts.scheme))
        now = time.monotonic()
        entry = self._targets.get(key)
        if entry is None or now - entry[0] > TARGET_CHECK_TTL:
            lookup: Lookup = self._name_lookups()
            if proxied:
                lookup = _resolved_here_or_nothing(lookup)
            entry = self._targets[key] = (now, asyncio.ensure_future(check_host(*key, allow_private=self.options.allow_private, lookup=lookup)))
        await asyncio.shield(entry[1])

    async def _follow(self, url: str) -> Resolution:
        try:
            urlsplit(url).port  # noqa: B018 - raises on malformed hosts and ports
        except ValueError as exc:
            return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=f"malformed URL: {exc}", error=str(exc))
        hops: list[Hop] = []
        current = url
        attempts = 0
        cookies = httpx.Cookies()  # this chain's own: a cookie wall that sets one and redirects back gets it
        seen = {(_strip_fragment(url), _cookie_state(cookies))}  # the same address with new cookies is no loop
        for _ in range(self.options.max_hops + 1):
            try:
                await self._check_target(current)
            except FetchRefused as exc:
                return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=str(exc), hops=hops, final_url=current, error=str(exc), attempts=attempts)
            except socket.gaierror as exc:
                host = urlsplit(current).hostname
                if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)) and await self._dns_is_working():
                    return Resolution(url=url, verdict=Verdict.MISSING, reason=f"the domain {host} does not exist (DNS)", hops=hops, final_url=current, error=str(exc), attempts=attempts)
                why = f"DNS lookup of {host} failed: {exc.strerror}"
                if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                    why = f"cannot resolve {host}, but DNS itself is not answering ({self.options.dns_canary} does not resolve either)"
                return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=why, hops=hops, final_url=current, error=str(exc), attempts=attempts)
            try:
                answer, tries = await self._get_with_retries(current, cookies=cookies, urgent=bool(hops))
                attempts += tries
            except FetchRefused as exc:  # the connection's own check (the name now resolves somewhere forbidden)
                return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=str(exc), hops=hops, final_url=current, error=str(exc), attempts=attempts)
            except socket.gaierror as exc:
                return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=f"DNS lookup of {urlsplit(current).hostname} failed while connecting: {exc.strerror}",
                                  hops=hops, final_url=current, error=str(exc), attempts=attempts)
            except _TryAgain as exc:
                attempts += self.options.tries
                answer = exc.answer
            except HostDown as exc:  # its earlier requests, this source's or others', got no answer
                return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=str(exc), hops=hops, final_url=current, error=str(exc), attempts=attempts)
            except _RETRYABLE as exc:
                attempts += self.options.tries
                kind = "timed out" if isinstance(exc, (httpx.TimeoutException, TimeoutError)) else "connection failed"
                return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=f"{kind} after {self.options.tries} tries: {_describe(exc)}", hops=hops, final_url=current, error=_describe(exc), attempts=attempts)
            except httpx.HTTPError as exc:
                return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=f"request failed: {_describe(exc)}", hops=hops, final_url=current, error=_describe(exc), attempts=attempts)
            location = answer.headers.get("location")
            hops.append(Hop(url=current, status=answer.status, location=location, elapsed_ms=round(answer.elapsed_ms, 1)))
            if 300 <= answer.status < 400 and location:
                following = _strip_fragment(urljoin(current, location.strip()))
                step = (following, _cookie_state(cookies))
                if step in seen:
                    return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=f"redirect loop at {following}", hops=hops, final_url=following, status=answer.status, attempts=attempts)
                seen.add(step)
                current = following
                continue
            return await self._finish(url, hops, answer, attempts)
        return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=f"more than {self.options.max_hops} redirects", hops=hops, final_url=current, attempts=attempts)

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

    async def _finish(self, url: str, hops: list[Hop], answer: _Answer, attempts: int) -> Resolution:
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
            content_type=_shared(content_type) if (content_type := answer.headers.get("content-type")) else None,
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
        except (*_RETRYABLE, httpx.HTTPError):
            digest = None
        if self.cache is not None:
            self.cache.put_probe(host, {"digest": digest})
        return digest

    async def _get_with_retries(self, url: str, tries: int | None = None, cookies: httpx.Cookies | None = None,
                                urgent: bool = False) -> tuple[_Answer, int]:
        """GET with the run's retries: (answer, attempts). Most requests succeed at once, so the
        first attempt is a plain call; tenacity takes over only after a transient failure.
        `urgent`: the request continues a source already begun (retries always do)."""
        gate = self._gate(url)
        total = tries or self.options.tries
        try:
            return await self._attempt(url, gate, cookies, urgent), 1
        except _RETRYABLE as exc:
            if total <= 1:
                raise
            await asyncio.sleep(self._backoff(exc, 1))
        from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt  # here: most runs never retry

        count = 1
        retrying = AsyncRetrying(
            stop=stop_after_attempt(total - 1),
            wait=lambda state: self._backoff(state.outcome.exception() if state.outcome else None, state.attempt_number + 1),
            retry=retry_if_exception_type(_RETRYABLE),
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
        if isinstance(exc, _TryAgain) and exc.retry_after is not None:
            return min(exc.retry_after, opts.retry_after_cap)
        backoff = min(opts.backoff_max, opts.backoff_initial * (2 ** (failures - 1)))
        return backoff * (0.5 + random.random() / 2)  # jitter keeps retries from marching in step

    async def _attempt(self, url: str, gate: HostGate, cookies: httpx.Cookies | None, urgent: bool = False) -> _Answer:
        """One GET; a transient status (5xx, 429) is raised as _TryAgain, and its Retry-After slows the whole host."""
        answer = await self._get(url, gate, cookies, urgent)
        if answer.status in _TRANSIENT_STATUSES:
            retry_after = parse_retry_after(answer.headers.get("retry-after"))
            if retry_after is not None:
                gate.slow_down(min(retry_after, self.options.retry_after_cap))
            raise _TryAgain(answer, retry_after)
        return answer

    async def _get(self, url: str, gate: HostGate, cookies: httpx.Cookies | None = None, urgent: bool = False) -> _Answer:
        """One GET through the host's gate, reading at most max_body of the page; `cookies`: the redirect chain's."""
        assert self._global is not None
        gate.check_up()  # at once: a host that is down does not hold its other sources to its pace
        async with gate.slot(urgent), self._global.held(urgent):
            self.requests_made += 1
            return await self._send(url, gate, cookies)

    async def _send(self, url: str, gate: HostGate, cookies: httpx.Cookies | None) -> _Answer:
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
                    return _Answer(
                        url=url if request is None else str(request.url),  # a plain URL is httpx's form of itself
                        status=response.status_code,
                        headers=response.headers,
                        body=body,
                        encoding=_charset(response.headers.get("content-type")),
                        elapsed_ms=(time.perf_counter() - started) * 1000,
                        http_version=response.http_version,
                    )
                finally:
                    await response.aclose()
        except TimeoutError:  # asyncio.timeout's own says nothing: "TimeoutError: TimeoutError" in reports
            failure = TimeoutError(f"no {'whole ' if answered else ''}answer within {opts.total_timeout:g} s")
            if not answered:
                gate.failed(_describe(failure))
            raise failure from None
        except _NO_ANSWER as exc:
            if not answered:
                gate.failed(_describe(exc))
            raise


def _describe(exc: BaseException) -> str:
    text = str(exc)
    cause = exc.__cause__ or exc.__context__
    if cause is not None and str(cause) and str(cause) not in text:
        text = f"{text} ({cause})" if text else str(cause)
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
