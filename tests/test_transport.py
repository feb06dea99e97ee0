"""The HTTP/1.1 transport against real loopback servers: framing, keep-alive, limits and failures.

The resolver-level faults (drops, bad chunking, TLS, bombs) are in test_hardening.py, run on both
transports; these are the transport's own promises.
"""

from __future__ import annotations

import asyncio
import gzip

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.fetch.transport import MAX_HEAD_BYTES, Http11Transport, _request_bytes, header_lines, plain_target, tls_context
from tests.loopback import Loopback, Response, page
from tests.test_hardening import RawServer, certificate, sends  # noqa: F401  (certificate: a fixture, the self-signed certificate)


def fetch_all(urls: list[str], **client: object) -> tuple[list[httpx.Response], int]:
    """GET each URL in turn through one client; the answers (bodies read) and the connections opened."""

    async def go() -> tuple[list[httpx.Response], int]:
        transport = Http11Transport(context=tls_context, allow_private=True)
        async with httpx.AsyncClient(transport=transport, **{"timeout": 3.0, **client}) as c:  # type: ignore[arg-type]
            answers = []
            for url in urls:
                answer = await c.get(url)
                answers.append(answer)
            return answers, transport.connections_opened

    return asyncio.run(go())


def test_sequential_requests_to_one_host_share_one_connection() -> None:
    with Loopback("127.0.0.81") as lb:
        for i in range(20):
            lb[0].route(f"/p{i}", page(f"Page {i}"))
        answers, opened = fetch_all([lb[0].url(f"/p{i}") for i in range(20)])
        assert [a.status_code for a in answers] == [200] * 20
        assert [f"<title>Page {i}</title>" in a.text for i, a in enumerate(answers)] == [True] * 20
        assert opened == 1 and lb[0].connections == 1


def test_an_unread_or_half_read_answer_closes_its_connection_instead_of_reusing_it() -> None:
    async def go() -> int:
        transport = Http11Transport(context=tls_context, allow_private=True)
        async with httpx.AsyncClient(transport=transport) as c:
            async with c.stream("GET", lb[0].url("/big")) as r:
                async for _ in r.aiter_bytes():
                    break  # stop after the first chunk: the rest of the body is still on the wire
            second = await c.get(lb[0].url("/small"))
            assert second.text == "<title>small</title>"
        return transport.connections_opened

    with Loopback("127.0.0.82") as lb:
        lb[0].route("/big", Response(200, b"x" * (4 << 20), {"Content-Type": "text/plain"}))
        lb[0].route("/small", Response(200, b"<title>small</title>", {"Content-Type": "text/html"}))
        assert asyncio.run(go()) == 2


# Keep-alive promised, then the connection closed anyway: the next request must not be lost.
close_after_each_answer = sends(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 16\r\n\r\n<title>k</title>")


def test_a_request_on_a_connection_the_server_closed_is_sent_again_on_a_fresh_one() -> None:
    with RawServer("127.0.0.83", close_after_each_answer) as server:
        answers, opened = fetch_all([server.url("/a"), server.url("/b"), server.url("/c")])
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert opened == 3


async def until_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
    for i in range(50):
        writer.write(b"<p>%d</p>" % i)
        await writer.drain()


# each part in its own packet: the answer must not end with the interim ones
interim_then_answer = sends(
    b"HTTP/1.1 100 Continue\r\n\r\n",
    b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 16\r\nX-Real: yes\r\n\r\n<title>",
    b"t</title>",
    pause=0.05,
)

chunked_with_trailer = sends(
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n<title>\r\n8\r\nchunked!\r\n8\r\n</title>\r\n0\r\nX-Trailer: 1\r\n\r\n"
)


async def head_just_over_the_limit(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    for i in range(MAX_HEAD_BYTES // 1000 + 2):  # many ordinary headers, none large by itself
        writer.write(b"HTTP/1.1 200 OK\r\n" if i == 0 else b"X-Pad-%d: %s\r\n" % (i, b"p" * 990))
        await writer.drain()
    await asyncio.sleep(1)


def test_a_body_without_length_ends_with_the_connection() -> None:
    with RawServer("127.0.0.84", until_close) as server:
        (answer,), _ = fetch_all([server.url("/")])
    assert answer.text == "".join(f"<p>{i}</p>" for i in range(50))


def test_interim_answers_are_skipped() -> None:
    with RawServer("127.0.0.85", interim_then_answer) as server:
        (answer,), _ = fetch_all([server.url("/")])
    assert answer.status_code == 200 and answer.headers["x-real"] == "yes" and "link" not in answer.headers
    assert answer.text == "<title>t</title>"


def test_chunked_bodies_are_joined() -> None:
    with RawServer("127.0.0.86", chunked_with_trailer) as server:
        (answer,), _ = fetch_all([server.url("/")])
    assert answer.text == "<title>chunked!</title>"


def test_a_header_section_over_the_limit_is_refused() -> None:
    with RawServer("127.0.0.87", head_just_over_the_limit) as server, pytest.raises(httpx.RemoteProtocolError, match="larger than 64 KB"):
        fetch_all([server.url("/")])


def test_a_large_body_arrives_whole_through_flow_control_and_gzip_is_decoded() -> None:
    body = bytes(range(256)) * (12 << 12)  # 12 MB: pauses and resumes the socket many times
    with Loopback("127.0.0.88") as lb:
        lb[0].route("/raw", Response(200, body, {"Content-Type": "application/octet-stream"}))
        lb[0].route("/gz", Response(200, gzip.compress(b"<title>zipped</title>"), {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
        (raw, zipped), opened = fetch_all([lb[0].url("/raw"), lb[0].url("/gz")])
    assert raw.content == body
    assert zipped.text == "<title>zipped</title>"
    assert opened == 1


def test_header_values_with_line_breaks_are_never_sent() -> None:
    with Loopback("127.0.0.89") as lb:
        lb[0].route("/", page("x"))
        with pytest.raises(httpx.LocalProtocolError):
            fetch_all([lb[0].url("/")], headers={"X-Token": "a\r\nX-Injected: 1"})
        assert lb[0].requests == []


def test_a_read_timeout_is_httpx_read_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)

    with RawServer("127.0.0.90", silent) as server, pytest.raises(httpx.ReadTimeout):
        fetch_all([server.url("/")], timeout=httpx.Timeout(0.3))


SLOPPY_BUT_READABLE = {
    "bare LF": b"HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 16\n\n<title>x</title>",
    "Content-Length beside chunked": b"HTTP/1.1 200 OK\r\nContent-Length: 999\r\nTransfer-Encoding: chunked\r\n\r\n10 \r\n<title>x</title>\r\n0\r\n\r\n",
    "folded header": b"HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 16\r\n\r\n<title>x</title>",
    "junk after the answer": b"HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n<title>x</title>\r\n\r\n<html>more than it said",
}


@pytest.mark.parametrize("answer", SLOPPY_BUT_READABLE.values(), ids=SLOPPY_BUT_READABLE.keys())
def test_answers_browsers_read_are_read(answer: bytes) -> None:
    """Old or sloppy servers that every browser (and h11) reads: their pages are not `unreachable`."""
    with RawServer("127.0.0.91", sends(answer)) as server:
        (response,), _ = fetch_all([server.url("/")])
    assert response.status_code == 200 and response.text == "<title>x</title>"


def test_over_tls_a_large_body_arrives_whole_and_the_connection_is_kept(certificate, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811 -- the fixture imported above
    """TLS: flow control on an SSL transport (3 MB), then two more requests on the same connection."""
    import ssl

    body = bytes(range(256)) * (3 << 12)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))

    async def keep_answering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for i in range(3):
            if i:
                await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()

    server = RawServer("127.0.0.69", keep_answering)
    server.ssl = context
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with server:
        url = f"https://{server.host}:{server.port}/"

        async def go() -> tuple[list[bytes], int]:
            transport = Http11Transport(context=tls_context, allow_private=True)
            async with httpx.AsyncClient(transport=transport, timeout=5.0) as c:
                bodies = [(await c.get(url)).content for _ in range(3)]
            return bodies, transport.connections_opened

        bodies, opened = asyncio.run(go())
    assert bodies == [body] * 3 and opened == 1


# --- plain GETs, sent without an httpx.Request ------------------------------------------------------

HEADERS = httpx.AsyncClient(headers={"User-Agent": "citecheck/test", "Accept-Language": "en;q=0.9, *;q=0.5"}).headers

# URL-shaped text, mostly of the characters plain URLs have (so most examples are plain), and
# some of those httpx escapes, drops or rewrites: other schemes, upper case, default and bad
# ports, a missing path, fragments, spaces, brackets, non-ASCII, bad percent escapes, dot segments
plain_schemes = st.sampled_from(["http://", "https://", "http://", "https://", "HTTP://", "ftp://"])
plain_hosts = st.one_of(
    st.from_regex(r"[a-zA-Z0-9]([a-z0-9.-]{0,10}[a-zA-Z0-9.-])?", fullmatch=True),
    st.text("abcXY019-._é", max_size=8),
    st.from_regex(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,4}", fullmatch=True),
)  # IPv4 addresses, and some httpx refuses
plain_ports = st.sampled_from(["", "", "", ":80", ":443", ":8080", ":0", ":08", ":65535", ":65536", ":99999", ":"])
plain_rests = st.one_of(
    st.lists(
        st.one_of(
            st.text("abcXYZ019/?;:@&=+$,-_.!~*'()", min_size=1, max_size=6),
            st.text("abcXYZ019/?;:@&=+$,-_.!~*'()", min_size=1, max_size=6),
            st.sampled_from(["%20", "%2f", "%C3%A9", "%zz", "%", "#", " ", "é", "[", "|", "^", "{", '"', "/.", "/..", "/./", "/../", "?/../"]),
        ),
        max_size=6,
    ).map(lambda parts: "/" + "".join(parts)),
    st.text("abcXYZ019/?#;:@&=+$,-_.!~*'()%[]<>\"{}| é\\^`", max_size=30),
)


@settings(max_examples=600, deadline=None)
@given(plain_schemes, plain_hosts, plain_ports, plain_rests)
def test_a_plain_get_is_the_request_httpx_would_send_byte_for_byte(scheme: str, host: str, port: str, rest: str) -> None:
    url = scheme + host + port + rest
    target = plain_target(url)
    try:
        request = httpx.Request("GET", url, headers=HEADERS)
    except httpx.InvalidURL:
        assert target is None  # what httpx refuses goes to httpx, to be refused the same way
        return
    if target is None:
        return  # not plain: such URLs go through httpx.Request
    assert target.head + header_lines(HEADERS) + b"\r\n" == _request_bytes(request, b"")
    assert target.origin == (request.url.scheme, request.url.host, request.url.port or (443 if request.url.scheme == "https" else 80))
    assert str(request.url) == url  # the answer's URL is the URL as written


@pytest.mark.parametrize(
    "url",
    [
        "https://ctc.westpoint.edu/a-view-from-the-ct-foxhole-nasr/",
        "http://127.0.1.3:44711/p1234",
        "https://www.bbc.com/news/world-africa-46357252?at_medium=RSS&at_campaign=KARANGA",
        "https://example.org/search?q=a%20b&page=2",
        "https://x.com/Mo_Nasr/status/1234567890",
    ],
)
def test_the_usual_cited_urls_are_plain(url: str) -> None:
    assert plain_target(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://Example.org/a",  # httpx lower-cases the host
        "http://example.org:80/a",  # and drops the scheme's own port
        "http://example.org",  # no path: httpx sends "/"
        "https://example.org/a b",  # a space: httpx escapes it
        "https://example.org/é",
        "https://example.org/a#part",  # a fragment is not sent
        "https://bücher.ch/a",
        "http://1.2.3.999/a",  # httpx refuses an invalid IPv4 address
        "http://example.org/.",  # dot segments: httpx sends "/"
        "http://example.org/a/../b",  # "/b"
        "http://example.org/a/./b?q=1",  # "/a/b?q=1"
        "http://example.org/a/..",  # "/"
    ],
)
def test_urls_httpx_rewrites_are_not_plain(url: str) -> None:
    assert plain_target(url) is None
