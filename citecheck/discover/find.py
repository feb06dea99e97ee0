"""Asking the backends in order and trying their leads: the discovery of one work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..config import BACKENDS, DiscoverOptions
from .base import Asked, Backend, Context, Lead, WorkQuery

if TYPE_CHECKING:
    from ..recover.archive import Archives


@dataclass(slots=True)
class Trial:
    """A lead fetched and verified: accepted, or rejected with why."""

    lead: Lead
    accepted: bool
    why: str  # rejected: the reason; accepted: what matched


@dataclass(slots=True)
class Discovery:
    """What discovery made of one work: the accepted trial if any, and everything tried."""

    accepted: Trial | None = None
    asked: list[Asked] = field(default_factory=list)
    rejected: list[Trial] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "crossref: not asked (the note does not look scholarly)"
    budget_spent: str | None = None  # why discovery stopped before asking every backend

    def answers(self) -> list[str]:
        """What each backend asked answered, in plain words ("gdelt: 3 articles …", "could not search …")."""
        return [f"{a.backend}: {a.said}" if a.reached else a.said for a in self.asked]

    def tried(self) -> list[str]:
        """In plain words, for the report: each backend and what it answered, then the leads rejected."""
        lines = self.answers() + self.skipped
        lines += [f"rejected {t.lead.url} ({t.lead.via}): {t.why}" for t in self.rejected]
        if self.budget_spent:
            lines.append(self.budget_spent)
        return lines


def backends(names: tuple[str, ...], archives: Archives | None = None) -> list[Backend]:
    """The backends named, in that order; `archives`: the run's archive look-ups, whose pace the
    post search shares."""
    # here, not at the top: a backend's module loads only when it is asked
    from .crossref import Crossref
    from .feeds import Feeds
    from .gdelt import Gdelt
    from .identifiers import Identifiers
    from .listings import Listings
    from .scholarly import OpenAlex, SemanticScholar
    from .search import Search
    from .shapes import OutletUrls
    from .xposts import XArchive

    made: dict[str, Callable[[], Backend]] = {
        "identifiers": Identifiers,
        "x-archive": lambda: XArchive(archives),
        "outlet-urls": OutletUrls,
        "listings": Listings,
        "feeds": Feeds,
        "gdelt": Gdelt,
        "crossref": Crossref,
        "search": Search,
        "openalex": OpenAlex,
        "semantic-scholar": SemanticScholar,
    }
    return [made[name]() for name in names]


async def find_url(work: WorkQuery, ctx: Context, order: list[Backend], trial: Callable[[Lead], Awaitable[Trial]]) -> Discovery:
    """Ask each backend in order and try its best leads until one is accepted, within the work's budget."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ctx.options.seconds
    found = Discovery()
    seen: set[str] = set()
    fetched = 0
    for backend in order:
        why_not = backend.skip(work, ctx)
        if why_not is not None:
            found.skipped.append(f"{backend.name}: not asked ({why_not})")
            continue
        left = deadline - loop.time()
        if left <= 0:
            found.budget_spent = f"discovery stopped: its budget of {ctx.options.seconds:g} s for this work was spent before {backend.name}"
            break
        try:
            asked = await asyncio.wait_for(backend.ask(work, ctx), left)
        except TimeoutError:
            found.budget_spent = f"discovery stopped: its budget of {ctx.options.seconds:g} s for this work was spent asking {backend.name}"
            break
        found.asked.append(asked)
        for lead in asked.leads[: ctx.options.candidates]:
            if lead.url in seen:
                continue
            if fetched >= ctx.options.fetches or loop.time() >= deadline:
                found.budget_spent = (
                    f"discovery stopped: {fetched} candidates fetched for this work, its most"
                    if fetched >= ctx.options.fetches
                    else f"discovery stopped: its budget of {ctx.options.seconds:g} s for this work was spent"
                )
                return found
            seen.add(lead.url)
            fetched += 1
            result = await trial(lead)
            if result.accepted:
                found.accepted = result
                return found
            found.rejected.append(result)
    return found


__all__ = ["BACKENDS", "Asked", "Context", "DiscoverOptions", "Discovery", "Lead", "Trial", "WorkQuery", "backends", "find_url"]
