"""What every discovery backend shares: the work as asked for, a lead (a candidate URL), and
what a backend answered.

A backend turns a cited work into leads; it never decides that a lead is the work. The pipeline
fetches each lead and the verifier decides (`accept.py`). A backend that could not search says
so in its answer (`reached=False`): "no match" is said only after a real answer was read.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..model import PartialDate

if TYPE_CHECKING:
    from ..config import DiscoverOptions
    from ..endpoints import Endpoints
    from ..fetch.gates import HostGate
    from ..fetch.resolver import ApiAnswer, Resolver
    from ..outlets import Outlet, OutletRegistry


@dataclass(frozen=True, slots=True)
class WorkQuery:
    """A cited work as discovery sees it. Only these fields leave the machine (a title, authors,
    an outlet and its site, a date, identifiers): never the draft's text or its other notes."""

    source_id: str
    title: str
    title_truncated: bool = False
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    issued: PartialDate | None = None
    kind: str = "document"
    language: str | None = None
    citation: str = ""  # the citation's own words, read here only for identifiers (DOI, ISBN, UN symbol)
    volume: str | None = None
    issue: str | None = None
    platform: str | None = None  # "YouTube", "X": where the work was posted, when the note says
    handle: str | None = None  # the author's account on the platform (from the note, or the article's bios)


@dataclass(slots=True)
class Lead:
    """A candidate URL for a work, with how a backend came to it."""

    url: str
    via: str  # the backend
    score: float  # the backend's own confidence that this is the work, 0..1 (for ordering only)
    why: str = ""  # in plain words: "slug covers 100% of its words", "listed title 0.97"
    published: str | None = None  # the day the backend says the page was published (ISO), where it lists one
    lasting: bool = False  # an identifier's address (doi.org/…): the one to cite, wherever it redirects


@dataclass(slots=True)
class Asked:
    """What one backend answered for one work."""

    backend: str
    leads: list[Lead] = field(default_factory=list)
    said: str = ""  # in plain words, for the report: "3 candidates", "no match", "could not search (HTTP 503)"
    reached: bool = True  # False: the backend could not be asked or gave no usable answer

    @classmethod
    def unreachable(cls, backend: str, why: str) -> Asked:
        return cls(backend, [], f"could not search {backend} ({why})", reached=False)


@dataclass(slots=True)
class Context:
    """What a backend may use: the run's HTTP client (its gates, retries, cache and safety rules),
    the service addresses, the outlet table and the discovery options."""

    resolver: Resolver
    endpoints: Endpoints
    registry: OutletRegistry
    options: DiscoverOptions
    learnt_sites: dict[str, str] = field(default_factory=dict)  # outlet name -> site (scheme and host) seen in the draft's own URLs

    def outlet(self, work: WorkQuery) -> Outlet | None:
        return self.registry.lookup(work.outlet) if work.outlet else None

    def domains(self, work: WorkQuery) -> tuple[str, ...]:
        """Where the work is published: its platform's domains (a video on YouTube), else its outlet's."""
        platform = self.registry.lookup(work.platform) if work.platform else None
        if platform is not None and platform.domains:
            return platform.domains
        outlet = self.outlet(work)
        return outlet.domains if outlet is not None else ()

    def not_on_outlet_site(self, work: WorkQuery) -> str | None:
        """Why the outlet's own site cannot hold the work (the backends that read an outlet's site
        start with this), or None."""
        if work.platform:
            return f"posted on {work.platform}, not on the outlet's own site"
        return None if self.outlet(work) is not None else "no known outlet"

    def site(self, work: WorkQuery) -> str | None:
        """The outlet's site: from the outlet table, else learnt from the draft's other notes."""
        outlet = self.outlet(work)
        if outlet is not None and outlet.site:
            return outlet.site
        if outlet is not None and outlet.name in self.learnt_sites:
            return self.learnt_sites[outlet.name]
        return self.learnt_sites.get(work.outlet or "")

    answers: dict[str, asyncio.Future[ApiAnswer]] = field(default_factory=dict)  # this run's, by URL
    gates: dict[str, HostGate] = field(default_factory=dict)  # each service's pace, by backend: a backend may slow its own
    archives_on: bool = True  # False with --no-archive: the backends that read the Wayback Machine are not asked

    async def get_json(self, url: str, backend: str, *, cache: bool = True, answers: dict[int, Asked] | None = None) -> tuple[Any, Asked | None]:
        """A service's JSON answer, or what the backend says when there is none: the status's own
        meaning (`answers`: 404 "no match", 403 "JSON is off"), else "could not search"."""
        answer = await self.get(url, cache=cache)
        if answers and answer.status in answers:
            return None, answers[answer.status]
        if answer.status != 200:
            return None, Asked.unreachable(backend, answer.error or f"HTTP {answer.status}")
        try:
            return json.loads(answer.body.decode("utf-8")), None
        except (UnicodeDecodeError, json.JSONDecodeError):  # GDELT answers a malformed query with 200 and plain text
            return None, Asked.unreachable(backend, "an answer that is not its JSON: " + answer.body[:80].decode("utf-8", "replace").strip())

    def needs_dated_outlet(self, work: WorkQuery, has_it: Callable[[Outlet], object], lacking: str) -> str | None:
        """Why a backend that reads the outlet's own site around the cited day is not asked, or None:
        the work is elsewhere, the outlet unknown or without what the backend reads (`lacking`),
        the date not to the day, the site unknown."""
        outlet = self.outlet(work)
        if (why := self.not_on_outlet_site(work)) or outlet is None:
            return why
        if not has_it(outlet):
            return lacking
        if work.issued is None or work.issued.day is None:
            return "the note's date is not precise to the day"
        return None if self.site(work) else "the outlet's site is not known"

    async def get(self, url: str, *, cache: bool = True) -> ApiAnswer:
        """An API answer, asked once a run (works that need the same listing share it) and kept in
        the run's cache unless `cache` is off (an address that holds a key): a paced service is not
        asked twice for the same thing."""
        if url not in self.answers:
            self.answers[url] = asyncio.ensure_future(self.resolver.fetch_api(url, cache=cache))
        return await asyncio.shield(self.answers[url])


class Backend(Protocol):
    """One way of finding leads. `skip` says why the backend is not asked for a work (None: ask)."""

    name: str

    def skip(self, work: WorkQuery, ctx: Context) -> str | None: ...

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked: ...
