"""Resolver rules, one at a time, with httpx mocked by respx (numeric public IPs: no DNS, no network).

respx replaces the client's transport (`using="httpx"`), whichever transport the resolver would have used.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import respx

from citecheck.config import DEFAULT_USER_AGENT, FetchOptions
from citecheck.fetch.cache import Cache
from citecheck.fetch.classify import is_error_title
from citecheck.fetch.gates import parse_retry_after
from citecheck.fetch.resolver import Resolver
from citecheck.fetch.safety import special_address_reason
from citecheck.model import Verdict

mock = respx.mock(using="httpx", assert_all_called=False)
PUB = "http://93.184.216.34"  # a public address: passes the safety check without DNS
OTHER = "http://93.184.216.35"


def opts(**kw: object) -> FetchOptions:
    base = dict(min_interval=0.0, backoff_initial=0.01, backoff_max=0.02, soft404_probe=False, http2=False)
    base.update(kw)
    return FetchOptions(**base)  # type: ignore[arg-type]


def run(url: str, cache: Cache | None = None, **kw: object):
    async def go():
        async with Resolver(opts(**kw), cache=cache) as r:
            return await r.resolve_one(url)

    return asyncio.run(go())


@mock
def test_default_user_agent_names_citecheck_and_version() -> None:
    route = mock.get(f"{PUB}/a").respond(200, html="<title>A</title>")
    run(f"{PUB}/a")
    assert route.calls[0].request.headers["user-agent"] == DEFAULT_USER_AGENT
    assert "citecheck/" in DEFAULT_USER_AGENT and "+http" in DEFAULT_USER_AGENT


@mock
def test_host_headers_are_sent_only_to_their_host_never_after_a_cross_host_redirect() -> None:
    first = mock.get(f"{PUB}/a").respond(301, headers={"Location": f"{OTHER}/b"})
    second = mock.get(f"{OTHER}/b").respond(200, html="<title>B</title>")
    res = run(f"{PUB}/a", host_headers={"93.184.216.34": {"Authorization": "Bearer s3cret"}})
    assert res.verdict is Verdict.MOVED
    assert first.calls[0].request.headers["authorization"] == "Bearer s3cret"
    assert "authorization" not in second.calls[0].request.headers
    assert "s3cret" not in repr(res)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://93.184.216.34/x", "javascript:alert(1)", "data:text/html,hi"])
@mock
def test_redirects_to_other_schemes_are_refused(target: str) -> None:
    mock.get(f"{PUB}/a").respond(302, headers={"Location": target})
    res = run(f"{PUB}/a")
    assert res.verdict is Verdict.UNREACHABLE and "refused for safety" in res.reason
    assert [h.status for h in res.hops] == [302]


@mock
def test_redirect_from_public_to_private_address_is_refused() -> None:
    mock.get(f"{PUB}/a").respond(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    meta = mock.get("http://169.254.169.254/latest/meta-data/").respond(200, text="secret")
    res = run(f"{PUB}/a")
    assert res.verdict is Verdict.UNREACHABLE and "link-local" in res.reason
    assert not meta.called


@mock
def test_hop_limit() -> None:
    for i in range(15):
        mock.get(f"{PUB}/r{i}").respond(301, headers={"Location": f"/r{i + 1}"})
    res = run(f"{PUB}/r0", max_hops=5)
    assert res.verdict is Verdict.UNREACHABLE and "more than 5 redirects" in res.reason


@mock
def test_429_without_retry_after_backs_off_and_reports_rate_limit() -> None:
    route = mock.get(f"{PUB}/a").respond(429)
    res = run(f"{PUB}/a", tries=3)
    assert route.call_count == 3
    assert res.verdict is Verdict.UNREACHABLE and "rate limited" in res.reason


@mock
def test_paywall_and_999_are_unreachable_not_missing() -> None:
    mock.get(f"{PUB}/pay").respond(402)
    mock.get(f"{PUB}/li").respond(999)
    assert run(f"{PUB}/pay").verdict is Verdict.UNREACHABLE
    assert "bot wall" in run(f"{PUB}/li").reason


@mock
def test_soft_404_by_not_found_heading() -> None:
    mock.get(f"{PUB}/a").respond(200, html="<html><body><h1>Page introuvable</h1></body></html>")
    res = run(f"{PUB}/a")
    assert res.verdict is Verdict.MISSING and "soft 404" in res.reason


ERROR_TITLES = [
    "404 Not Found",
    "404",
    "Error 404",
    "404 | BBC",
    "Not Found",
    "Page not found – Example News",
    "Example News | 404",
    "Oops! That page can’t be found. – Site",
    "404 error - page not found",
    "Sorry, the page you were looking for could not be found",
    "Erreur 404 : page introuvable",
    "Page introuvable | France 24",
    "Cette page n'existe pas",
    "Página no encontrada",
    "Seite nicht gefunden - Spiegel",
    "Pagina non trovata",
    "Página não encontrada",
]
NAMED_TITLES = [  # a number or a phrase inside a name is not an error message
    "Report 404: Cross-border trade routes",
    "Security Council resolution 404 (1977)",
    "Flight 404",
    "Route 410 reopens",
    "The Man Who Does Not Exist",
    "Lost but not found: a memoir",
    "Errors of the Past",
    "Nothing found for “Foo”",
]


@pytest.mark.parametrize("title", ERROR_TITLES)
def test_an_error_pages_title_is_an_error_title(title: str) -> None:
    assert is_error_title(title)


@pytest.mark.parametrize("title", NAMED_TITLES)
def test_a_title_that_names_a_number_or_phrase_is_not_an_error_title(title: str) -> None:
    assert not is_error_title(title)


@mock
def test_a_live_page_whose_title_and_path_hold_404_as_a_name_is_ok() -> None:
    mock.get(f"{PUB}/ok/404").respond(200, html="<html><head><title>Report 404: Cross-border trade routes</title></head><body>x</body></html>")
    mock.get(f"{PUB}/res").respond(301, headers={"Location": f"{PUB}/resolutions/404"})
    mock.get(f"{PUB}/resolutions/404").respond(200, html="<title>Security Council resolution 404 (1977)</title>")
    assert run(f"{PUB}/ok/404").verdict is Verdict.OK
    assert run(f"{PUB}/res").verdict is Verdict.MOVED


@pytest.mark.parametrize("target", ["/404", "/en/404.html", "/errors/404", "/error?code=404", "/page-not-found", "/notfound.aspx?x=1"])
@mock
def test_a_redirect_to_an_error_address_is_missing(target: str) -> None:
    mock.get(f"{PUB}/gone").respond(302, headers={"Location": f"{PUB}{target}"})
    mock.get(url__startswith=f"{PUB}{target.split('?')[0]}").respond(200, html="<title>Example</title>")
    res = run(f"{PUB}/gone")
    assert res.verdict is Verdict.MISSING and "error page" in res.reason


def test_retry_after_seconds_and_http_date() -> None:
    now = time.time()
    assert parse_retry_after("120") == 120
    when = datetime.fromtimestamp(now, UTC) + timedelta(seconds=30)
    assert 29 <= parse_retry_after(format_datetime(when, usegmt=True), now=now) <= 31
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@mock
def test_fresh_cache_entries_make_no_request_and_errors_are_never_cached(tmp_path) -> None:
    ok = mock.get(f"{PUB}/ok").respond(200, html="<title>OK</title>")
    bad = mock.get(f"{PUB}/bad").respond(503)
    cache = Cache(str(tmp_path / "c.db"), max_age=3600)
    assert run(f"{PUB}/ok", cache=cache).verdict is Verdict.OK
    run(f"{PUB}/bad", cache=cache, tries=1)
    second = run(f"{PUB}/ok", cache=cache)
    run(f"{PUB}/bad", cache=cache, tries=1)
    assert second.from_cache and second.verdict is Verdict.OK
    assert ok.call_count == 1 and bad.call_count == 2
    stale = Cache(str(tmp_path / "c.db"), max_age=0)
    run(f"{PUB}/ok", cache=stale)
    assert ok.call_count == 2


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fd00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "2002:7f00:1::",
    ],
)
def test_special_addresses_are_named(address: str) -> None:
    assert special_address_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "017700000001", "127.1", "0x7f.0.0.1"])
def test_numeric_spellings_of_loopback_are_refused(host: str) -> None:
    res = run(f"http://{host}/")
    assert res.verdict is Verdict.UNREACHABLE and "loopback" in res.reason


def test_public_address_is_allowed() -> None:
    assert special_address_reason(ipaddress.ip_address("93.184.216.34")) is None


@mock
def test_cookies_set_by_one_host_are_not_sent_to_another_after_a_redirect() -> None:
    mock.get(f"{PUB}/a").respond(302, headers={"Location": f"{OTHER}/b", "Set-Cookie": "session=abc; Path=/"})
    other = mock.get(f"{OTHER}/b").respond(200, html="<title>B</title>")
    run(f"{PUB}/a")
    assert "cookie" not in other.calls[0].request.headers


def test_a_host_gate_is_down_after_requests_in_a_row_without_an_answer_and_tries_one_after_its_time() -> None:
    from citecheck.fetch.gates import HostDown, HostGate

    async def go() -> None:
        gate = HostGate(limit=4, interval=0.0, down_after=3, down_for=0.2, host="dead.example")
        for _ in range(2):
            gate.failed("timed out")
        gate.answered()  # an answer of any kind starts the count again
        for _ in range(2):
            gate.failed("timed out")
        gate.check_up()  # two in a row: still up
        gate.failed("ConnectError: refused")
        with pytest.raises(HostDown, match=r"dead\.example answered none of its last 3 requests \(the last: ConnectError: refused\)"):
            gate.check_up()
        await asyncio.sleep(0.25)
        gate.check_up()  # its time is over: one request goes through...
        gate.failed("timed out")
        with pytest.raises(HostDown):  # ...and one more failure is enough
            gate.check_up()
        await asyncio.sleep(0.25)
        gate.check_up()
        gate.answered()
        gate.failed("timed out")
        gate.check_up()  # it answered: up, with a fresh count

    asyncio.run(go())


def test_a_request_waiting_its_turn_when_its_host_goes_down_fails_without_waiting_out_the_hosts_pace() -> None:
    from citecheck.fetch.gates import HostDown, HostGate

    async def go() -> None:
        gate = HostGate(limit=1, interval=30.0, down_after=1, down_for=60.0, host="dead.example")
        holder = gate.slot()
        await holder.__aenter__()  # the first request's turn: the next may pass 30 s later

        async def next_request() -> None:
            async with gate.slot():
                pass

        waiting = asyncio.ensure_future(next_request())
        await asyncio.sleep(0.01)
        gate.failed("timed out")  # the first request got no answer: the host is down
        await holder.__aexit__(None, None, None)
        with pytest.raises(HostDown, match="dead.example"):
            await asyncio.wait_for(waiting, 5)  # at once, not after the 30 s pace

    asyncio.run(go())


def test_a_host_gate_without_a_limit_on_failures_is_never_down() -> None:
    from citecheck.fetch.gates import HostGate

    async def go() -> None:
        gate = HostGate(limit=4, interval=0.0)  # down_after=0, as the archives' paced gates are made
        for _ in range(100):
            gate.failed("timed out")
        gate.check_up()

    asyncio.run(go())


def test_host_gate_passes_requests_at_least_interval_apart_and_honours_slow_down() -> None:
    from citecheck.fetch.gates import HostGate

    async def go() -> list[float]:
        gate = HostGate(limit=2, interval=0.05)
        loop = asyncio.get_running_loop()
        passes: list[float] = []

        async def one() -> None:
            async with gate.slot():
                passes.append(loop.time())
                await asyncio.sleep(0.01)

        first = asyncio.create_task(one())
        await first
        gate.slow_down(0.3)
        await asyncio.gather(*(one() for _ in range(5)))
        return passes

    passes = asyncio.run(go())
    gaps = [b - a for a, b in zip(passes, passes[1:])]
    assert min(gaps) >= 0.05
    assert gaps[0] >= 0.29  # slow_down held everyone back


@mock
@pytest.mark.parametrize("content_type", ["text/html; charset=iso-8859-1", 'text/html;charset="ISO-8859-1"', "text/html; Charset = latin-1; q=1"])
def test_a_title_is_decoded_with_the_charset_the_answer_declares(content_type: str) -> None:
    mock.get(f"{PUB}/fr").respond(
        200, content="<html><head><title>Sécurité au Sahel</title></head></html>".encode("latin-1"), headers={"Content-Type": content_type}
    )
    assert run(f"{PUB}/fr").page_title == "Sécurité au Sahel"


@mock
def test_strings_repeated_across_results_are_held_once() -> None:
    for i in range(3):  # each answer's strings are its own objects until citecheck shares them
        mock.get(f"{PUB}/p{i}").respond(200, content=b"<html><title>t</title></html>", headers={"Content-Type": "text/html; " + "charset=utf-8"})

    async def go():
        async with Resolver(opts()) as r:
            return await asyncio.gather(*(r.resolve_one(f"{PUB}/p{i}") for i in range(3)))

    results = asyncio.run(go())
    assert [r.reason for r in results] == ["answered 200"] * 3
    for field in ("reason", "content_type", "fetched_at"):
        values = [getattr(r, field) for r in results]
        assert len({id(v) for v in values}) == len(set(values)), field


def test_slots_serve_work_already_begun_before_new_work_and_survive_cancelled_waiters() -> None:
    from citecheck.fetch.gates import Slots

    async def go() -> list[str]:
        slots = Slots(1)
        order: list[str] = []
        await slots.acquire()

        async def wait(name: str, urgent: bool) -> None:
            await slots.acquire(urgent)
            order.append(name)
            slots.release()

        tasks = [asyncio.create_task(wait(f"new{i}", False)) for i in range(3)]
        await asyncio.sleep(0)
        gone = asyncio.create_task(wait("cancelled", True))
        tasks.append(asyncio.create_task(wait("next hop", True)))
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.sleep(0)
        slots.release()
        await asyncio.gather(*tasks)
        await asyncio.wait_for(slots.acquire(), 1)  # every slot came back: none was lost to the cancelled waiter
        return order

    assert asyncio.run(go()) == ["next hop", "new0", "new1", "new2"]


def test_slots_pass_over_a_waiter_cancelled_just_before_its_turn() -> None:
    from citecheck.fetch.gates import Slots

    async def go() -> bool:
        slots = Slots(1)
        await slots.acquire()
        waiting = asyncio.create_task(slots.acquire())
        later = asyncio.create_task(slots.acquire())
        await asyncio.sleep(0)
        waiting.cancel()  # cancelled, and the slot freed, before the cancelled task runs again
        slots.release()
        await asyncio.wait_for(later, 1)  # the slot went to the next waiter, not to the cancelled one
        try:
            await waiting
        except asyncio.CancelledError:
            pass
        slots.release()
        await asyncio.wait_for(slots.acquire(), 1)  # and no slot was lost or made up on the way
        return slots.free == 0

    assert asyncio.run(go())


def test_a_resolver_with_the_default_options_opens_and_closes() -> None:
    # the public default: Resolver() with no options, as a library caller writes it
    async def go() -> bool:
        async with Resolver() as resolver:
            return resolver.options.insecure

    assert asyncio.run(go()) is False
