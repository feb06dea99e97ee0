"""The resolver against real HTTP servers on loopback: verdicts, evidence, and politeness."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest

from citecheck.config import FetchOptions
from citecheck.fetch.http2 import ShardedTransport
from citecheck.fetch.resolver import Resolver
from citecheck.model import Resolution, Verdict

from .loopback import Loopback, Request, Response, Site, page, redirect


def options(**overrides: object) -> FetchOptions:
    base = dict(
        allow_private=True,
        min_interval=0.0,
        backoff_initial=0.05,
        backoff_max=0.2,
        total_timeout=3.0,
        read_timeout=2.0,
        connect_timeout=2.0,
        dns_canary="localhost",
        http2=False,
    )
    base.update(overrides)
    return FetchOptions(**base)  # type: ignore[arg-type]


def resolve(urls: list[str], **overrides: object) -> dict[str, Resolution]:
    async def go() -> dict[str, Resolution]:
        async with Resolver(options(**overrides)) as r:
            return {res.url: res async for res in r.resolve(urls)}

    return asyncio.run(go())


@pytest.fixture(scope="module")
def net():
    with Loopback("127.0.0.2", "127.0.0.3", "127.0.0.4") as lb:
        a, b, c = lb.sites
        a.route("/", page("Home of A"))
        a.route("/ok", page("A working article", "Real content here."))
        a.route("/old", redirect("/mid", 301))
        a.route("/mid", redirect("/new", 308))
        a.route("/new", page("The article, moved"))
        a.route("/temp", redirect("/ok", 302))
        a.route("/loop1", redirect("/loop2", 301))
        a.route("/loop2", redirect("/loop1", 301))
        a.route("/gone-home", redirect("/", 301))
        a.route("/to-error", redirect("/errors/404.html", 302))
        a.route("/errors/404.html", page("Oops"))
        a.route("/cross", redirect(b.url("/landed"), 301))
        a.route("/404", page("Not Found", status=404))
        a.route("/410", page("Gone", status=410))
        a.route("/soft", page("Page not found | Site A"))
        a.route("/challenge", Response(403, b"<html><title>Just a moment...</title></html>", {"cf-mitigated": "challenge", "Content-Type": "text/html"}))
        a.route("/forbidden", page("Forbidden", status=403))
        a.route("/head405", lambda req: Response(405) if req.method == "HEAD" else page("GET works"))
        state = {"429": 0, "503": 0}

        def limited(req: Request) -> Response:
            state["429"] += 1
            return page("Slow down", status=429, **{"Retry-After": "1"}) if state["429"] == 1 else page("Now fine")

        def flaky(req: Request) -> Response:
            state["503"] += 1
            return page("Busy", status=503) if state["503"] == 1 else page("Recovered")

        a.route("/429", limited)
        a.route("/503-once", flaky)
        a.route("/503-always", page("Down", status=503))
        a.route("/slow", Response(200, b"late", delay=10))
        a.route("/drop", Response(drop=True))

        async def huge() -> AsyncIterator[bytes]:
            chunk = b"x" * 65536
            for _ in range(800):  # 50 MB if read to the end
                yield chunk

        a.route("/huge", Response(200, headers={"Content-Type": "text/plain"}, stream=huge))
        b.route("/landed", page("Landed on B"))
        # C answers every unknown address with the same 200 page: a soft-404 site
        c.fallback = lambda req: page("Welcome to C")
        c.route("/real", page("A real page on C"))
        yield lb


def test_ok_with_evidence(net) -> None:
    url = net[0].url("/ok")
    res = resolve([url])[url]
    assert res.verdict is Verdict.OK
    assert (res.status, res.final_url, res.page_title) == (200, url, "A working article")
    assert [h.status for h in res.hops] == [200]
    assert res.content_type.startswith("text/html") and res.elapsed_ms > 0


def test_permanent_chain_is_moved_with_the_new_url_as_fix(net) -> None:
    url = net[0].url("/old")
    res = resolve([url])[url]
    assert res.verdict is Verdict.MOVED
    assert res.suggested_url == net[0].url("/new")
    assert [(h.status, h.location) for h in res.hops] == [(301, "/mid"), (308, "/new"), (200, None)]


def test_temporary_redirect_is_not_a_move(net) -> None:
    url = net[0].url("/temp")
    res = resolve([url])[url]
    assert res.verdict is Verdict.OK and res.final_url == net[0].url("/ok")
    assert res.suggested_url is None


def test_cross_domain_move(net) -> None:
    url = net[0].url("/cross")
    res = resolve([url])[url]
    assert res.verdict is Verdict.MOVED and res.suggested_url == net[1].url("/landed")


@pytest.mark.parametrize(
    ("path", "verdict", "words"),
    [
        ("/loop1", Verdict.UNREACHABLE, "redirect loop"),
        ("/gone-home", Verdict.MISSING, "home page"),
        ("/to-error", Verdict.MISSING, "error page"),
        ("/404", Verdict.MISSING, "HTTP 404"),
        ("/410", Verdict.MISSING, "HTTP 410"),
        ("/soft", Verdict.MISSING, "soft 404"),
        ("/challenge", Verdict.UNREACHABLE, "bot challenge"),
        ("/forbidden", Verdict.UNREACHABLE, "HTTP 403"),
        ("/head405", Verdict.OK, "answered 200"),
        ("/503-always", Verdict.UNREACHABLE, "server error (HTTP 503) after all retries"),
        ("/slow", Verdict.UNREACHABLE, "timed out"),
        ("/drop", Verdict.UNREACHABLE, "connection failed"),
    ],
)
def test_verdicts_and_reasons(net, path: str, verdict: Verdict, words: str) -> None:
    url = net[0].url(path)
    res = resolve([url], total_timeout=1.0, read_timeout=1.0)[url]
    assert res.verdict is verdict, res.reason
    assert words in res.reason


def test_retries_transient_failures_then_succeeds(net) -> None:
    url = net[0].url("/503-once")
    res = resolve([url])[url]
    assert res.verdict is Verdict.OK and res.attempts == 2
    assert len(net[0].hits("/503-once")) == 2


def test_retry_after_is_honoured(net) -> None:
    url = net[0].url("/429")
    res = resolve([url])[url]
    assert res.verdict is Verdict.OK and res.attempts == 2
    first, second = net[0].hits("/429")[-2:]
    # Retry-After: 1. Seen by a server thread that may record late; an immediate retry would be ~0.05 s
    assert second.started - first.ended >= 0.8


def test_retry_after_slows_the_whole_host(tmp_path) -> None:
    with Loopback("127.0.0.5") as lb:
        site = lb[0]
        site.route("/limit", Response(429, b"", {"Retry-After": "1"}))
        site.route("/other", page("Other"))
        calls: list[float] = []

        async def go() -> None:
            async with Resolver(options(tries=2)) as r:
                limited = asyncio.create_task(r.resolve_one(site.url("/limit")))
                while not r._gate(site.url("/limit")).slow_until:  # the 429 has arrived and slowed the host
                    await asyncio.sleep(0.01)
                calls.append(time.monotonic())
                await r.resolve_one(site.url("/other"))
                await limited

        asyncio.run(go())
        other = site.hits("/other")[0]
        first_429 = site.hits("/limit")[0]
        # it waited for the host's Retry-After, though it never got a 429 (without the gate: ~0.2 s)
        assert other.started - first_429.ended >= 0.7


def read_bodies(urls: list[str], **overrides: object) -> tuple[dict[str, Resolution], dict[str, int]]:
    """Resolve with an inspect hook, as the verifier's page reader does: (results, body length seen per URL)."""
    seen: dict[str, int] = {}

    async def inspect(res: Resolution) -> None:
        seen[res.url] = len(res.body or b"")

    async def go() -> dict[str, Resolution]:
        async with Resolver(options(**overrides), inspect=inspect) as r:
            return {res.url: res async for res in r.resolve(urls)}

    return asyncio.run(go()), seen


def test_body_is_capped_and_handed_to_the_inspector_but_never_kept(net) -> None:
    url = net[0].url("/huge")
    results, seen = read_bodies([url], max_body=1_000_000)
    assert results[url].verdict is Verdict.OK
    assert seen[url] == 1_000_000
    assert results[url].body is None  # results wait for the report without their pages


def test_soft_404_by_fingerprint_of_a_made_up_sibling(net) -> None:
    fake, real = net[2].url("/vanished-article"), net[2].url("/real")
    results = resolve([fake, real])
    assert results[fake].verdict is Verdict.MISSING and "any unknown address" in results[fake].reason
    assert results[real].verdict is Verdict.OK
    probes = [r for r in net[2].requests if "citecheck-" in r.path]
    assert len(probes) == 1  # probed once per host, whatever the number of URLs


def test_name_that_does_not_resolve_is_missing_while_dns_works() -> None:
    url = "http://no-such-host.invalid/page"
    assert resolve([url])[url].verdict is Verdict.MISSING
    # ... but unreachable when DNS itself is down (the canary fails too): never a false "missing"
    res = resolve([url], dns_canary="canary.invalid")[url]
    assert res.verdict is Verdict.UNREACHABLE and "DNS itself" in res.reason


def test_refused_connection_is_unreachable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.6", 0))
        port = s.getsockname()[1]  # bound but not listening: connections are refused
        url = f"http://127.0.0.6:{port}/x"
        res = resolve([url], tries=2)[url]
    assert res.verdict is Verdict.UNREACHABLE and "connection failed" in res.reason and res.attempts == 2


class RecordingTransport(httpx.AsyncBaseTransport):
    """Notes when each request leaves the client: the gate's spacing, free of server-thread scheduling."""

    def __init__(self) -> None:
        self.inner = ShardedTransport(lambda: httpx.AsyncHTTPTransport())
        self.sent: list[tuple[str, float]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.url.host, time.monotonic()))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_per_host_limit_and_interval_are_honoured() -> None:
    with Loopback("127.0.0.7", "127.0.0.8") as lb:
        for site in lb.sites:
            # answers take 0.3 s, so three starts 0.05 s apart must overlap: the limit, not luck, caps it at 3
            site.fallback = lambda req: Response(200, b"<title>p</title>", {"Content-Type": "text/html"}, delay=0.3)
        urls = [site.url(f"/p{i}") for site in lb.sites for i in range(9)]
        recorder = RecordingTransport()

        async def go() -> list[Resolution]:
            async with Resolver(options(per_host=3, min_interval=0.05, soft404_probe=False), transport=recorder) as r:
                return [res async for res in r.resolve(urls)]

        results = asyncio.run(go())
        assert all(r.verdict is Verdict.OK for r in results)
        for site in lb.sites:
            assert site.max_in_flight == 3  # seen by the server: never more than the limit
            starts = sorted(t for host, t in recorder.sent if host == site.host)
            assert len(starts) == 9
            # the gate passes requests 0.05 s apart; the client's own work before the socket may shift one by a few ms
            assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.04


def test_same_url_is_fetched_once(net) -> None:
    url = net[1].url("/landed")
    before = len(net[1].hits("/landed"))
    resolve([url, url, url])
    assert len(net[1].hits("/landed")) - before == 1


def test_private_addresses_refused_by_default(net) -> None:
    url = net[0].url("/ok")
    res = resolve([url], allow_private=False)[url]
    assert res.verdict is Verdict.UNREACHABLE and "refused for safety" in res.reason and "loopback" in res.reason
    assert res.attempts == 0


def test_gzip_bomb_is_cut_at_the_body_cap() -> None:
    import gzip

    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # 200 MB of zeros in ~200 KB
    with Loopback("127.0.0.9") as lb:
        lb[0].route("/bomb", Response(200, bomb, {"Content-Encoding": "gzip", "Content-Type": "text/html"}))
        url = lb[0].url("/bomb")
        results, seen = read_bodies([url], max_body=2_000_000)
    assert len(bomb) < 1_000_000
    assert seen[url] == 2_000_000 and results[url].body is None


def test_a_hosts_links_share_one_safety_lookup_and_its_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forty links on one named host: the name is looked up once before the requests and once per
    connection opened (the connect-time check), never once per link."""
    with Loopback("127.0.0.31") as lb:
        for i in range(40):
            lb[0].route(f"/p{i}", page(f"Page {i}"))
        real, lookups = socket.getaddrinfo, []

        def counting(host, port, *args, **kwargs):
            if host == "many.test":
                lookups.append(host)
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.31", port))]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", counting)
        urls = [f"http://many.test:{lb[0].port}/p{i}" for i in range(40)]
        results = resolve(urls, per_host=2, soft404_probe=False)
        assert all(r.verdict is Verdict.OK for r in results.values())
        assert lb[0].connections <= 2
        assert len(lookups) == 1 + lb[0].connections


@pytest.mark.parametrize("http2", [False, True], ids=["citecheck's HTTP/1.1", "httpx's transport (--http2)"])
def test_host_names_are_looked_up_as_many_at_once_as_the_run_has_requests_in_flight(monkeypatch: pytest.MonkeyPatch, http2: bool) -> None:
    """Forty links on forty named hosts, at concurrency 40: the forty first look-ups are all under
    way at once, and so are the connections' own. asyncio's own getaddrinfo runs on the loop's default executor, min(32, cores + 4)
    threads, so an audit of many sites waited on a handful of DNS queries at a time."""
    with Loopback("127.0.0.33") as lb:
        for i in range(40):
            lb[0].route(f"/p{i}", page(f"Page {i}"))
        real, looked_up = socket.getaddrinfo, set()
        together = threading.Barrier(40, timeout=5)  # broken, and the look-ups fail, unless all forty wait at once
        connecting = threading.Barrier(40, timeout=5)

        def lookup(host, port, *args, **kwargs):
            if not host.endswith(".names.test"):
                return real(host, port, *args, **kwargs)
            if host not in looked_up:  # each name's first look-up (the early check), then its connection's
                looked_up.add(host)
                together.wait()
            else:
                connecting.wait()
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.33", port))]

        monkeypatch.setattr(socket, "getaddrinfo", lookup)
        urls = [f"http://site{i}.names.test:{lb[0].port}/p{i}" for i in range(40)]
        results = resolve(urls, concurrency=40, per_host=1, soft404_probe=False, http2=http2)
    assert not together.broken and not connecting.broken
    assert [results[u].verdict for u in urls] == [Verdict.OK] * 40, {u: r.reason for u, r in results.items() if r.verdict is not Verdict.OK}


async def _hang(req: Request) -> Response:
    await asyncio.sleep(60)  # takes the connection and never answers (cancelled as the server stops)
    return Response(500)


def test_a_host_that_never_answers_is_given_up_after_a_few_requests_and_others_are_not_slowed() -> None:
    """Twelve sources on a host that takes connections and never answers, two at a time with three
    tries each: once six requests in a row have had no answer, its other sources are reported at
    once, naming the failures, instead of each waiting out three more timeouts. The healthy
    host beside it is unaffected."""
    with Loopback("127.0.0.34", "127.0.0.35") as lb:
        dead, alive = lb.sites
        dead.fallback = _hang
        for i in range(12):
            alive.route(f"/p{i}", page(f"Page {i}"))
        urls = [dead.url(f"/p{i}") for i in range(12)] + [alive.url(f"/p{i}") for i in range(12)]
        results = resolve(urls, per_host=2, tries=3, total_timeout=0.3, host_down_after=6, host_down_for=60.0, soft404_probe=False)
        lb.loop.set_exception_handler(lambda loop, context: None)  # the hanging handlers, cancelled as the servers stop
        asked = len(dead.requests)
    assert all(results[u].verdict is Verdict.OK for u in urls[12:])
    assert all(results[u].verdict is Verdict.UNREACHABLE for u in urls[:12])
    given_up = [results[u] for u in urls[:12] if results[u].reason.startswith("not asked:")]
    assert len(given_up) >= 8 and all("127.0.0.34 answered none of its last" in r.reason and "no answer within 0.3 s" in r.reason for r in given_up)
    assert asked <= 6 + 2  # the six in a row, and those already on their way (36 without the rule)


def test_a_host_that_answers_errors_or_stalls_after_its_status_line_is_not_given_up() -> None:
    """A 503 is an answer, and so is a page whose body stalls after its status line: neither
    counts towards giving a host up, however many there are."""

    async def stalled_body() -> AsyncIterator[bytes]:
        yield b"<html><title>Slow</title>"
        await asyncio.sleep(60)

    with Loopback("127.0.0.36", "127.0.0.37") as lb:
        busy, stalling = lb.sites
        busy.fallback = lambda req: Response(503, b"busy")
        stalling.fallback = lambda req: Response(200, b"", {"Content-Type": "text/html"}, stream=stalled_body)
        urls = [busy.url(f"/p{i}") for i in range(4)] + [stalling.url(f"/p{i}") for i in range(4)]
        results = resolve(urls, per_host=1, tries=2, total_timeout=0.3, host_down_after=1, soft404_probe=False)
        lb.loop.set_exception_handler(lambda loop, context: None)
        asked = (len(busy.requests), len(stalling.requests))
    assert not any(r.reason.startswith("not asked:") for r in results.values()), {u: r.reason for u, r in results.items()}
    assert asked == (8, 8)  # every source, every try


def test_a_cookie_wall_redirect_gets_its_cookie_but_other_sources_never_see_it() -> None:
    """A site that sets a cookie and redirects back to the same address (a consent wall) is read;
    the cookie stays in that source's redirect chain."""
    with Loopback("127.0.0.32") as lb:

        def walled(req: Request) -> Response:
            if "consent=yes" in req.headers.get("cookie", ""):
                return page("Behind the wall")
            return Response(302, b"", {"Location": req.path, "Set-Cookie": "consent=yes; Path=/"})

        lb[0].route("/walled", walled)
        lb[0].route("/other", page("Another source"))
        results = resolve([lb[0].url("/walled")], soft404_probe=False)
        other = resolve([lb[0].url("/other")], soft404_probe=False)  # a later source on the same host
        res = results[lb[0].url("/walled")]
        assert res.verdict is Verdict.OK and res.page_title == "Behind the wall", res.reason
        assert [h.status for h in res.hops] == [302, 200]
        assert "cookie" not in lb[0].hits("/other")[0].headers
        assert other[lb[0].url("/other")].verdict is Verdict.OK


@contextlib.contextmanager
def _proxy(host: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A loopback HTTP proxy named by HTTP_PROXY (and no other proxy variable), serving http://cited.invalid/report."""
    with Loopback(host) as lb:
        proxy = lb[0]
        proxy.route("http://cited.invalid/report", page("Read through the proxy"))
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.url())
        yield proxy


def test_an_http_proxy_from_the_environment_carries_the_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY is honoured (a newsroom behind its gateway): the request goes to the proxy in
    absolute form, and the name is left for the proxy to resolve."""
    with _proxy("127.0.0.33", monkeypatch) as proxy:
        res = resolve(["http://cited.invalid/report"], soft404_probe=False)["http://cited.invalid/report"]
        assert res.verdict is Verdict.OK and res.page_title == "Read through the proxy", res.reason
        assert [r.path for r in proxy.requests] == ["http://cited.invalid/report"]


@pytest.mark.parametrize(
    "cited",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8080/admin",
        "http://[::1]/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://localhost/",
        "http://[::ffff:10.0.0.1]/",
    ],
)
def test_a_proxy_does_not_lift_the_address_rule(monkeypatch: pytest.MonkeyPatch, cited: str) -> None:
    """With HTTP_PROXY set, a private, loopback or link-local address as written (or a name that
    resolves here to one) is refused before the proxy is asked; other names still go through it."""
    with _proxy("127.0.0.39", monkeypatch) as proxy:
        res = resolve([cited, "http://cited.invalid/report"], soft404_probe=False, allow_private=False, tries=1)
        assert res[cited].verdict is Verdict.UNREACHABLE and "refused for safety" in res[cited].reason, res[cited].reason
        assert res["http://cited.invalid/report"].verdict is Verdict.OK, res["http://cited.invalid/report"].reason
        assert [r.path for r in proxy.requests] == ["http://cited.invalid/report"]  # the refused one never reached the proxy


def test_a_caller_that_stops_reading_results_leaves_nothing_running() -> None:
    with Loopback("127.0.0.34") as lb:
        for i in range(4):
            lb[0].route(f"/slow{i}", Response(200, b"<title>Slow</title>", {"Content-Type": "text/html"}, delay=0.2))

        async def first_only() -> None:
            async with Resolver(options(concurrency=1, soft404_probe=False)) as r:
                results = r.resolve([lb[0].url(f"/slow{i}") for i in range(4)])
                assert (await anext(results)).verdict is Verdict.OK
                await results.aclose()  # the other three were started, waiting for the one slot
                await asyncio.sleep(0.05)  # a request already on the wire reaches the server
                sent = len(lb[0].requests)
                await asyncio.sleep(0.5)  # long enough for two more of them, were they still running
                assert len(lb[0].requests) == sent < 4

        asyncio.run(first_only())


def test_a_run_of_plain_http_links_never_loads_the_trust_store(net, monkeypatch) -> None:
    # loading the CA bundle costs ~50 ms of start-up; only a TLS connection needs it
    def no_tls(*args: object) -> None:
        raise AssertionError("the TLS context was built for plain http")

    monkeypatch.setattr("citecheck.fetch.resolver.tls_context", no_tls)
    a = net.sites[0]
    assert resolve([a.url("/ok")])[a.url("/ok")].verdict is Verdict.OK


def test_plain_urls_are_sent_without_httpx_requests_and_the_others_with_them(net, monkeypatch) -> None:
    from citecheck.fetch.transport import Http11Transport

    sent: list[tuple[str, str]] = []
    plain_get, httpx_send = Http11Transport.get, Http11Transport.handle_async_request

    async def get(self, target, *args):
        sent.append(("plain", target.head.split(b" ")[1].decode()))
        return await plain_get(self, target, *args)

    async def handle(self, request):
        sent.append(("httpx", request.url.raw_path.decode()))
        return await httpx_send(self, request)

    monkeypatch.setattr(Http11Transport, "get", get)
    monkeypatch.setattr(Http11Transport, "handle_async_request", handle)
    a = net.sites[0]
    plain, escaped = a.url("/ok?from=plain"), a.url("/ok?from=a space")
    results = resolve([plain, escaped])
    assert results[plain].verdict is Verdict.OK and results[escaped].verdict is Verdict.OK
    assert ("plain", "/ok?from=plain") in sent and ("httpx", "/ok?from=a%20space") in sent
    # the server saw the same headers both ways
    assert a.hits("/ok?from=plain")[0].headers == a.hits("/ok?from=a%20space")[0].headers


def _fetched_while_a_reader_holds_the_pages(host: str, wait: Callable[[Site], Awaitable[None]]) -> tuple[int, list[Resolution]]:
    """Resolve 12 pages of ~1.1 KB at concurrency 1 (a window of 4 fetches) with a reader that
    holds every page until `wait` returns: the requests the server had seen by then, and the results."""
    with Loopback(host) as lb:
        for i in range(12):
            lb[0].route(f"/p{i}", page(f"Page {i}", "x" * 1000))

        async def go() -> tuple[int, list[Resolution]]:
            release = asyncio.Event()

            async def slow_reader(res: Resolution) -> None:
                await release.wait()

            async with Resolver(options(concurrency=1, soft404_probe=False), inspect=slow_reader) as r:
                results = asyncio.ensure_future(_all(r.resolve([lb[0].url(f"/p{i}") for i in range(12)])))
                await wait(lb[0])
                fetched = len(lb[0].requests)
                release.set()
                return fetched, await results

        return asyncio.run(go())


def test_fetching_goes_on_while_fetched_pages_wait_to_be_read() -> None:
    """The window counts fetches, not pages waiting for the reader: with 4 x concurrency = 4 and a
    reader that has not started, all 12 pages are still fetched (they waited for the reader's
    start, ~1 s with verification, holding the window and stopping the requests)."""

    async def all_requested(site: Site) -> None:
        for _ in range(200):  # up to 2 s for the 12 requests
            if len(site.requests) == 12:
                return
            await asyncio.sleep(0.01)

    fetched_before_reading, results = _fetched_while_a_reader_holds_the_pages("127.0.0.36", all_requested)
    assert fetched_before_reading == 12
    assert len(results) == 12 and all(res.verdict is Verdict.OK for res in results)


def test_fetching_pauses_while_the_pages_waiting_to_be_read_pass_the_byte_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import citecheck.fetch.resolver as fetch

    monkeypatch.setattr(fetch, "PAGES_HELD_MAX", 1000)  # less than one page (~1.1 KB)

    async def half_a_second(site: Site) -> None:
        await asyncio.sleep(0.5)  # long enough for all 12, were fetching not paused

    fetched_while_held, results = _fetched_while_a_reader_holds_the_pages("127.0.0.37", half_a_second)
    # the window's 4 fetches began before any page was held, and finished; none began after
    assert fetched_while_held == 4
    assert len(results) == 12 and all(res.verdict is Verdict.OK for res in results)


def test_work_cancelled_before_it_began_leaves_the_window() -> None:
    async def go() -> bool:
        async with Resolver(options(concurrency=1, soft404_probe=False)) as r:
            tasks = [r.start(f"http://127.0.0.38:9/{i}") for i in range(4)]  # the window (4 x 1) is full
            full = not r.has_room()
            for task in tasks:
                task.cancel()  # before their first step
            await asyncio.gather(*tasks, return_exceptions=True)
            return full and r.has_room()

    assert asyncio.run(go())


async def _all(results: AsyncIterator[Resolution]) -> list[Resolution]:
    return [res async for res in results]
