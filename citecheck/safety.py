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
from urllib.parse import urlsplit

from .errors import FetchRefused

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


async def check_host(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Resolve `host` and refuse special addresses; returns the addresses found."""
    if not host:
        raise FetchRefused("refused for safety: the URL has no host")
    literal = _ip_literal(host)
    if literal is not None:  # an address as written needs no lookup (and no trip through the resolver's thread)
        addresses = [literal]
    else:
        # socket.gaierror propagates: the caller tells "no such name" from a transient failure
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = sorted({info[4][0] for info in infos})
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
