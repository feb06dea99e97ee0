"""Per-host gates: how many requests a host takes at once, how far apart they start, when it is down, and Retry-After."""

from __future__ import annotations

import asyncio
import email.utils
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC

import httpx

from .classify import Answer


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
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


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
            raise HostDown(
                f"not asked: {self.host} answered none of its last {self.failures} requests (the last: {self.last_failure}); "
                f"it is asked again after {self.down_for:g} s"
            )
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


class TryAgain(Exception):
    """A transient answer (5xx, 429): retried, and reported if it lasts."""

    def __init__(self, answer: Answer, retry_after: float | None) -> None:
        super().__init__(f"HTTP {answer.status}")
        self.answer = answer
        self.retry_after = retry_after


TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


# what a request that got no answer at all raises: a timeout, a refused or dropped connection
NO_ANSWER = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, TimeoutError)


RETRYABLE = (TryAgain, *NO_ANSWER)  # those, and a transient answer
