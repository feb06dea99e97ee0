"""Hostile pages, broken servers and bad drafts: every source gets a verdict with its reason, nothing escapes.

Each fault is a real loopback server misbehaving at the socket level (tests/loopback.py for HTTP,
raw asyncio servers for what no HTTP server would send).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from citecheck.config import FetchOptions
from citecheck.fetch.resolver import Resolver
from citecheck.model import Verdict
from tests.loopback import Loopback, Response, page
from tests.pausing import kill, run_until_paused


def opts(**kw: object) -> FetchOptions:
    base = dict(
        allow_private=True,
        min_interval=0.0,
        tries=2,
        backoff_initial=0.01,
        backoff_max=0.02,
        dns_canary="localhost",
        http2=False,
        soft404_probe=False,
        total_timeout=3.0,
        read_timeout=2.0,
        connect_timeout=2.0,
    )
    base.update(kw)
    return FetchOptions(**base)  # type: ignore[arg-type]


def resolve(urls: list[str], **kw: object) -> dict[str, object]:
    async def go():
        async with Resolver(opts(**kw)) as r:
            return {res.url: res async for res in r.resolve(urls)}

    return asyncio.run(go())


class RawServer:
    """A TCP server on loopback whose every connection is handled by `behave(reader, writer)`: for bytes no HTTP server sends."""

    def __init__(self, host: str, behave: Callable) -> None:
        self.host, self.behave, self.port = host, behave, 0
        self.ssl = None  # an SSLContext makes it a TLS server
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()

    def __enter__(self) -> RawServer:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                await reader.readuntil(b"\r\n\r\n")
                await self.behave(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        async def serve() -> None:
            self.serve_task = asyncio.current_task()
            server = await asyncio.start_server(handle, self.host, 0, ssl=self.ssl)
            self.port = server.sockets[0].getsockname()[1]
            self.ready.set()
            try:
                await server.serve_forever()
            except asyncio.CancelledError:
                pass
            finally:  # end the handlers still running (a stalled handshake), so none is left half-done
                server.close()
                others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                for task in others:
                    task.cancel()
                await asyncio.gather(*others, return_exceptions=True)

        self.thread = threading.Thread(target=lambda: self.loop.run_until_complete(serve()), daemon=True)
        self.thread.start()
        self.ready.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.serve_task.cancel)
        self.thread.join(10)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"


def sends(*packets: bytes, pause: float = 0.0) -> Callable:
    """A RawServer behaviour that writes these bytes, each packet flushed on its own (`pause` seconds
    between them), then closes the connection."""

    async def behave(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for i, packet in enumerate(packets):
            if i and pause:
                await asyncio.sleep(pause)
            writer.write(packet)
            await writer.drain()

    return behave


async def trickle(reader, writer) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(60):  # a byte a second: every read succeeds, only the total timeout can stop it
        writer.write(b"x")
        await writer.drain()
        await asyncio.sleep(1)


async def stall_tls(reader, writer) -> None:
    await asyncio.sleep(30)  # accepts the connection, never answers the ClientHello


FAULTS = {
    "dropped mid-headers": (sends(b"HTTP/1.1 200 OK\r\nContent-Type: text/ht"), Verdict.UNREACHABLE),
    "dropped mid-body": (sends(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html><title>Half"), Verdict.UNREACHABLE),
    "invalid chunked encoding": (
        sends(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nnot hex\r\n"),
        Verdict.UNREACHABLE,
    ),
    "garbage instead of a status line": (sends(b"\x00\x01\x02 this is not HTTP at all \xff\xfe\r\n\r\n"), Verdict.UNREACHABLE),
    "a 1 MB header": (sends(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n"), Verdict.UNREACHABLE),
}


@pytest.mark.parametrize("http2", [False, True], ids=["http1.1-transport", "httpx-transport"])
@pytest.mark.parametrize("name", sorted(FAULTS))
def test_broken_server_gives_a_verdict_with_a_reason(name: str, http2: bool) -> None:
    behave, verdict = FAULTS[name]
    with RawServer("127.0.0.61", behave) as server:
        url = server.url(f"/{name.replace(' ', '-')}")
        result = resolve([url], http2=http2)[url]
    assert result.verdict is verdict and result.reason and "internal error" not in result.reason, result.reason


def test_a_trickling_server_is_cut_by_the_total_timeout() -> None:
    with RawServer("127.0.0.62", trickle) as server:
        started = time.monotonic()
        result = resolve([server.url("/slow")], tries=1, total_timeout=2.0)[server.url("/slow")]
        elapsed = time.monotonic() - started
    assert result.verdict is Verdict.UNREACHABLE and "timed out" in result.reason
    assert "no whole answer within 2 s" in result.reason and "TimeoutError: TimeoutError" not in result.reason  # says what happened
    assert elapsed < 8  # the run goes on; a byte a second for 60 s would otherwise hold it


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.69 (openssl, as on every Debian machine)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.69",
            "-addext",
            "subjectAltName=IP:127.0.0.69",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def tls_server(certificate: tuple[Path, Path]) -> RawServer:
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))

    async def answer(reader, writer) -> None:
        body = b"<html><head><title>Over TLS</title></head><body>secure</body></html>"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()

    server = RawServer("127.0.0.69", answer)
    server.ssl = context
    return server


@pytest.mark.parametrize("http2", [False, True], ids=["http1.1-transport", "httpx-transport"])
def test_tls_is_verified_against_the_trusted_roots(certificate, monkeypatch: pytest.MonkeyPatch, http2: bool) -> None:
    with tls_server(certificate) as server:
        url = f"https://{server.host}:{server.port}/"
        untrusted = resolve([url], tries=1, http2=http2)[url]  # a self-signed certificate is not trusted by default
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
        trusted = resolve([url], tries=1, http2=http2)[url]
        monkeypatch.delenv("SSL_CERT_FILE")
        insecure = resolve([url], tries=1, insecure=True, http2=http2)[url]
    assert untrusted.verdict is Verdict.UNREACHABLE and "certificate" in untrusted.reason.lower(), untrusted.reason
    assert trusted.verdict is Verdict.OK and trusted.page_title == "Over TLS", trusted.reason
    assert insecure.verdict is Verdict.OK


def test_a_stalled_tls_handshake_times_out() -> None:
    with RawServer("127.0.0.63", stall_tls) as server:
        url = f"https://{server.host}:{server.port}/"
        result = resolve([url], tries=1, total_timeout=2.0, connect_timeout=1.0)[url]
    assert result.verdict is Verdict.UNREACHABLE and "timed out" in result.reason


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.org/a", "javascript:alert(1)", "data:text/html,<h1>x</h1>", "gopher://x/"])
def test_redirects_to_other_schemes_are_refused(target: str) -> None:
    with Loopback("127.0.0.64") as lb:
        lb[0].route("/r", Response(302, b"", {"Location": target}))
        result = resolve([lb[0].url("/r")])[lb[0].url("/r")]
    assert result.verdict is Verdict.UNREACHABLE and "refused" in result.reason.lower(), result.reason


def test_the_address_checked_is_the_address_connected_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name resolves to a public address for the check, to loopback for the connection."""
    with Loopback("127.0.0.65") as lb:
        lb[0].route("/", page("Internal admin page"))
        real = socket.getaddrinfo
        answers = iter(["93.184.216.34"] + ["127.0.0.65"] * 20)

        def rebinding(host, port, *args, **kwargs):
            if host == "rebind.test":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        url = f"http://rebind.test:{lb[0].port}/"
        result = resolve([url], allow_private=False)[url]
        assert result.verdict is Verdict.UNREACHABLE and "refused for safety" in result.reason, result.reason
        assert lb[0].requests == []  # the loopback server never saw a request


def test_a_gzip_bomb_and_an_endless_body_are_capped() -> None:
    bomb = gzip.compress(b"<html><title>bomb</title>" + b"\0" * (64 << 20))

    async def endless():
        while True:
            yield b"<p>more</p>" * 1000
            await asyncio.sleep(0)

    with Loopback("127.0.0.66") as lb:
        lb[0].route("/bomb", Response(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
        lb[0].route("/endless", Response(200, b"", {"Content-Type": "text/html"}, stream=endless))
        results = resolve([lb[0].url("/bomb"), lb[0].url("/endless")], max_body=1 << 20)
    for res in results.values():
        assert res.verdict in (Verdict.OK, Verdict.UNREACHABLE) and res.reason  # a verdict, within the cap, no exception


def test_a_page_of_100000_links_and_bad_charsets_are_read(tmp_path: Path) -> None:
    from citecheck.verify.extract import extract

    links = ("<html><head><title>Index</title></head><body>" + "".join(f'<a href="/p{i}">p{i}</a> ' for i in range(100_000)) + "</body></html>").encode()
    started = time.monotonic()
    evidence = extract(links, url="https://example.org/", content_type="text/html")
    assert evidence.titles[0].value == "Index" and time.monotonic() - started < 60
    mojibake = "<html><head><meta charset='utf-8'><title>Sécurité</title></head><body><p>déjà</p></body></html>".encode("latin-1")
    assert extract(mojibake, url="https://example.org/", content_type="text/html; charset=utf-8").titles  # declared wrong: still read
    assert extract("<title>Ünïcode</title>".encode("utf-16"), url="https://example.org/", content_type="text/html").kind in ("html", "other")


# --- bad drafts ------------------------------------------------------------------------------------------


def citecheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citecheck.cli", *args], capture_output=True, text=True, timeout=120, cwd=cwd, env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    )


def zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (300 << 20) + b"</w:document>")


DRAFTS: dict[str, Callable[[Path], None]] = {
    "corrupt.docx": lambda p: p.write_bytes(b"PK\x03\x04 this is not a zip"),
    "bomb.docx": zip_bomb,
    "nul.txt": lambda p: p.write_bytes(b"Claim.1\nNotes\n[1] \x00\x00 binary"),
    "empty.md": lambda p: p.write_bytes(b""),
    "folder.md": lambda p: p.mkdir(),
    "huge.txt": lambda p: p.write_bytes(b"x" * (60 << 20)),
    "url-number.json": lambda p: p.write_text('[{"id": "1", "type": "webpage", "title": "T", "URL": 7}]', "utf-8"),
    "title-array.json": lambda p: p.write_text('[{"id": 1, "type": "webpage", "title": ["a"]}]', "utf-8"),
    "author-string.json": lambda p: p.write_text('[{"id": 1, "title": "T", "author": "x"}]', "utf-8"),
    "date-words.json": lambda p: p.write_text('[{"id": 1, "title": "T", "issued": {"date-parts": [["May"]]}}]', "utf-8"),
    "deep.json": lambda p: p.write_text("[" * 100_000 + "]" * 100_000, "utf-8"),
    "fifo.md": lambda p: os.mkfifo(p),  # nothing ever writes to it: reading it would block forever
}


@pytest.mark.parametrize("name", sorted(DRAFTS))
@pytest.mark.parametrize("command", ["parse", "check"])
def test_bad_drafts_get_a_one_line_error_naming_the_file(tmp_path: Path, name: str, command: str) -> None:
    path = tmp_path / name
    DRAFTS[name](path)
    result = citecheck(command, str(path), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in result.stderr, result.stderr


_PANDOC_NOTE = (
    '<html><body><p>Claim.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a></p>'
    '<section class="footnotes" role="doc-endnotes"><ol><li id="fn1">{note}</li></ol></section></body></html>'
)

# drafts that are odd but readable: each is read whole, with what it cites
ODD_DRAFTS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "integer-ids.json": (
        lambda p: p.write_text('[{"id": 1, "type": "webpage", "title": "Numbered", "page": 12, "issued": {"date-parts": [[2020, "5"]]}}]', "utf-8"),
        ["Numbered"],
    ),
    "deep-closed.html": (lambda p: p.write_text(_PANDOC_NOTE.format(note="<span>" * 1500 + "“Deep,” Outlet, 2020." + "</span>" * 1500), "utf-8"), ["Deep"]),
    "deep-unclosed.html": (lambda p: p.write_text(_PANDOC_NOTE.format(note="<div>" * 5000 + "“Deep,” Outlet, 2020."), "utf-8"), ["Deep"]),
    "deep-body.html": (lambda p: p.write_text("<div>" * 5000 + _PANDOC_NOTE.format(note="“Deep,” Outlet, 2020."), "utf-8"), ["Deep"]),
}


@pytest.mark.parametrize("name", sorted(ODD_DRAFTS))
def test_odd_drafts_are_read_whole(tmp_path: Path, name: str) -> None:
    import json

    make, titles = ODD_DRAFTS[name]
    path = tmp_path / name
    make(path)
    result = citecheck("parse", str(path), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    doc = json.loads(result.stdout)
    assert [s["title"] for n in doc["notes"] for s in n["sources"]] == titles


# --- files and secrets -----------------------------------------------------------------------------------


def test_an_interrupted_write_leaves_the_original_and_no_debris(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from citecheck.errors import OutputError
    from citecheck.files import write_atomic

    draft = tmp_path / "draft.md"
    draft.write_bytes(b"original \xe2\x80\x9cbytes\xe2\x80\x9d\r\n")

    def power_cut(src: str, dst: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OutputError):
        write_atomic(str(draft), b"the repaired draft")
    assert draft.read_bytes() == b"original \xe2\x80\x9cbytes\xe2\x80\x9d\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["draft.md"]


@pytest.mark.parametrize(
    "point, whole",
    [
        ("fix-checked", "original"),
        ("write-temp:1", "original"),
        ("write-replaced:1", "original"),
        ("write-temp:2", "original"),
        ("write-replaced:2", "repaired"),
    ],
)
def test_a_killed_fix_in_place_leaves_the_draft_whole(tmp_path: Path, point: str, whole: str) -> None:
    """Kill `fix --in-place` at each step of its writing: the draft is the original until the repaired
    file has replaced it, never a mix, and no temporary file is left beside it after the rename."""
    with Loopback("127.0.0.67") as lb:
        lb[0].route("/old", Response(301, b"", {"Location": "/new"}))
        lb[0].route("/new", page("New"))
        original = f"Claim.[^1]\n\n[^1]: “T,” O, May 1, 2024, <{lb[0].url('/old')}>.\n".encode()
        draft = tmp_path / "draft.md"
        draft.write_bytes(original)
        # the first write is the backup (draft.md.bak), the second the draft itself
        proc = run_until_paused(
            [
                sys.executable,
                "-m",
                "citecheck.cli",
                "fix",
                str(draft),
                "--in-place",
                "--allow-private",
                "--no-cache",
                "--no-archive",
                "--no-verify",
                "--min-interval",
                "0",
            ],
            point,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CITECHECK_DNS_CANARY": "localhost"},
            cwd=str(tmp_path),
        )
        kill(proc)
        expected = {"original": original, "repaired": original.replace(b"/old", b"/new")}[whole]
        assert draft.read_bytes() == expected
        if point.startswith("write-replaced"):
            assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".citecheck-")]


def test_configured_secrets_stay_out_of_reports_cache_and_logs(tmp_path: Path) -> None:
    with Loopback("127.0.0.68") as lb:
        lb[0].route("/a", page("A"))
        (tmp_path / "citecheck.toml").write_text('[hosts."127.0.0.68"]\nheaders = { Authorization = "Bearer tok-7f3e9" }\n', "utf-8")
        draft = tmp_path / "d.txt"
        draft.write_text(f"Claim.1\nNotes\n[1] “A,” O, May 1, 2024, {lb[0].url('/a')}.\n", "utf-8")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "citecheck.cli",
                "check",
                str(draft),
                "--allow-private",
                "--min-interval",
                "0",
                "--no-archive",
                "--cache",
                str(tmp_path / "c.db"),
                "-o",
                f"json={tmp_path / 'r.json'}",
                "-o",
                f"html={tmp_path / 'r.html'}",
                "-o",
                f"sarif={tmp_path / 'r.sarif'}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CITECHECK_DNS_CANARY": "localhost", "GITHUB_ACTIONS": "true"},
        )
        assert lb[0].requests and lb[0].requests[0].headers.get("authorization") == "Bearer tok-7f3e9", result.stdout + result.stderr
    for path in tmp_path.iterdir():
        if path.is_file() and path.name != "citecheck.toml":
            assert b"tok-7f3e9" not in path.read_bytes(), path
    assert "tok-7f3e9" not in result.stdout + result.stderr


def test_a_page_too_large_to_read_whole_is_read_in_part_and_says_so() -> None:
    """An endless page cut at --max-body still holds millions of elements: only its first part is
    read, a quotation not found in it is unverified (not absent), and one found in it passes."""
    from citecheck.config import VerifyOptions
    from citecheck.model import Level, PageNeeds, Source
    from citecheck.outlets import OutletRegistry
    from citecheck.verify.extract import MAX_PAGE_TAGS, extract
    from citecheck.verify.rules import Cited, check_quotes

    head = b"<html><head><title>Endless</title></head><body><p>The early passage is here.</p>"
    body = head + b'<a href="/x">x</a> ' * (MAX_PAGE_TAGS // 2 + 1000) + b"<p>The late passage is past the cut.</p>"
    page = extract(body, url="http://e.org/endless", content_type="text/html", needs=PageNeeds(quotes=True))
    assert page.truncated and any(p.startswith("unverified: page too large to verify whole") for p in page.problems)
    assert page.titles[0].value == "Endless"
    src = Source(id="1.1", note_id="1", text="…", title="Endless")
    early, late = (
        check_quotes(Cited(src, ["The early passage is here."], shares_note=False), page, OutletRegistry.default(), VerifyOptions()) or [],
        check_quotes(Cited(src, ["The late passage is past the cut."], shares_note=False), page, OutletRegistry.default(), VerifyOptions()) or [],
    )
    assert [f.level for f in early] == [Level.PASS]
    assert [f.level for f in late] == [Level.WARN] and late[0].message.startswith("unverified:")


def test_a_large_page_under_the_cap_is_read_whole_by_its_text() -> None:
    from citecheck.model import PageNeeds
    from citecheck.verify.extract import LARGE_PAGE_TAGS, extract

    body = (
        b"<html><head><title>Long</title><script>var x = '<b>';</script></head><body>"
        + b"<p>Filler words.</p>" * (LARGE_PAGE_TAGS // 2)
        + b"<p>The passage at the end.</p></body></html>"
    )
    page = extract(body, url="http://e.org/long", content_type="text/html", needs=PageNeeds(quotes=True))
    assert not page.truncated and page.text.endswith("The passage at the end.") and "var x" not in page.text


@pytest.mark.parametrize("command", ["parse", "check"])
def test_a_draft_on_standard_input_is_read_as_a_file_is(tmp_path: Path, command: str) -> None:
    draft = "Claim.[^1]\n\n[^1]: “Sent on standard input,” Outlet, May 1, 2024.\n"
    result = subprocess.run(
        [sys.executable, "-m", "citecheck.cli", command, "-", "--format", "json", *(["--no-archive"] if command == "check" else [])],
        input=draft,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["format"] == "markdown" and [s["title"] for n in data["notes"] for s in n["sources"]] == ["Sent on standard input"]


def test_standard_input_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "citecheck.cli", "parse", "-", "--max-input-size", "1000"],
        input="x" * 5000,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 2 and result.stderr.strip() == "citecheck: error: -: standard input is over the 1,000-byte limit for a draft (--max-input-size)"
