"""What citecheck refuses to fetch: a draft from a pull request must not make CI probe its own network.

Only http and https are fetched. A host's every address is checked after DNS
resolution (and again after every redirect), so private, loopback,
link-local, metadata and other special addresses are refused however the
draft spells them (decimal, octal or hex IPv4, IPv4-mapped IPv6, names that
resolve to them). `--allow-private` lifts the address rule.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from ..errors import FetchRefused

ALLOWED_SCHEMES = frozenset({"http", "https"})


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchRefused(f"refused for safety: {scheme or 'no'} scheme (only http and https are fetched)")


def special_address_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address must not be fetched by default, or None for an ordinary public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if mapped is not None:
            inner = special_address_reason(mapped)
            return f"{inner} (inside IPv6 {ip})" if inner else None
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local (cloud metadata lives here)"),
        (ip.is_private, "private network"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_reserved, "reserved"),
    )
    for hit, name in checks:
        if hit:
            return f"{name} address {ip}"
    return None


#: Looks a host name up: (host, port) -> its addresses; raises socket.gaierror as getaddrinfo does.
Lookup = Callable[[str, int], Awaitable[list[str]]]


async def loop_lookup(host: str, port: int) -> list[str]:
    """A look-up through the event loop's own getaddrinfo (its default executor's threads)."""
    return _addresses(await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM))


class NameLookups:
    """Host names looked up by the system's resolver (getaddrinfo, as asyncio calls it) in threads
    of their own, up to `threads` at once: a `Lookup`.

    asyncio runs getaddrinfo on the event loop's default executor, min(32, cores + 4) threads: six
    on two cores, shared with anything else run there. An audit's links name thousands of sites,
    each looked up before its first request and again for each connection, and an uncached query
    takes tens of milliseconds (a dead domain's, seconds): 1,000 links over 500 names at 50 ms a
    look-up took 9.4 s, waiting on six threads (`bench_check.py --names`). A thread blocked in
    getaddrinfo holds no lock; the resolver's window bounds how many look-ups can be asked for.
    """

    def __init__(self, threads: int) -> None:
        self._threads = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="citecheck-dns")

    async def __call__(self, host: str, port: int) -> list[str]:
        return _addresses(await asyncio.get_running_loop().run_in_executor(self._threads, _getaddrinfo, host, port))

    def close(self) -> None:
        """No new look-ups; those under way end on their own (getaddrinfo cannot be interrupted)."""
        self._threads.shutdown(wait=False, cancel_futures=True)


def _addresses(infos: list) -> list[str]:
    """The distinct addresses of getaddrinfo's answer, in order."""
    return sorted({info[4][0] for info in infos})


def _getaddrinfo(host: str, port: int) -> list:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)  # looked up at each call: tests replace it


async def check_host(host: str, port: int, *, allow_private: bool, lookup: Lookup = loop_lookup) -> list[str]:
    """Resolve `host` (by `lookup`) and refuse special addresses; returns the addresses found."""
    if not host:
        raise FetchRefused("refused for safety: the URL has no host")
    literal = _ip_literal(host)
    if literal is not None:  # an address as written needs no lookup (and no trip through the resolver's thread)
        addresses = [literal]
    else:
        # socket.gaierror propagates: the caller tells "no such name" from a transient failure
        addresses = await lookup(host, port)
    if allow_private:
        return addresses
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        reason = special_address_reason(ip)
        if reason:
            raise FetchRefused(f"refused for safety: {host} is a {reason}; use --allow-private to fetch it")
    return addresses


def _ip_literal(host: str) -> str | None:
    """The address a host written in standard dotted or IPv6 form stands for; None for names and odd
    spellings (decimal, octal, hex IPv4), which go through getaddrinfo like names do."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None
