"""The outlet's own URL shapes: where a note's title and date say the article must be.

An outlet row of `data/outlets.toml` may give the shapes of its article URLs
(`article_urls = ["{site}/news/{yyyy}/{mm}/{dd}/{slug}"]`) and how it makes slugs. A shape is
tried only when the note gives everything it needs (a shape with the day needs a cited day).
"""

from __future__ import annotations

import re

from ..model import PartialDate
from .base import Asked, Context, Lead, WorkQuery
from .slugs import slug_of

_FIELD_RE = re.compile(r"\{(\w+)\}")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")  # The Guardian's /2024/sep/03/


def fill(template: str, site: str, work: WorkQuery, slug_style: str) -> str | None:
    """The URL a template gives for a work, or None if the note lacks a field it needs."""
    values = date_fields(work.issued)
    values["site"] = site.rstrip("/")
    values["host"] = re.sub(r"^https?://", "", site.rstrip("/"))
    values["slug"] = slug_of(work.title, slug_style)
    values["lang"] = (work.language or "en").split("-")[0]
    needed = _FIELD_RE.findall(template)
    if any(not values.get(name) for name in needed):
        return None
    return _FIELD_RE.sub(lambda m: values[m.group(1)], template)


def date_fields(day: PartialDate | None) -> dict[str, str]:
    if day is None:
        return {}
    values = {"yyyy": f"{day.year:04d}"}
    if day.month:
        values.update(mm=f"{day.month:02d}", m=str(day.month), yyyymm=f"{day.year:04d}{day.month:02d}", mon=_MONTHS[day.month - 1])
        if day.day:
            values.update(dd=f"{day.day:02d}", d=str(day.day), yyyymmdd=f"{day.year:04d}{day.month:02d}{day.day:02d}")
    return values


class OutletUrls:
    name = "outlet-urls"

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        outlet = ctx.outlet(work)
        if (why := ctx.not_on_outlet_site(work)) or outlet is None:
            return why
        if not outlet.article_urls:
            return "the outlet's URLs cannot be predicted from a note"
        return None if ctx.site(work) else "the outlet's site is not known"

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        outlet = ctx.outlet(work)
        site = ctx.site(work)
        assert outlet is not None and site is not None
        urls = [u for u in (fill(t, site, work, outlet.slug) for t in outlet.article_urls) if u]
        if not urls:
            return Asked(self.name, [], "the note lacks what the outlet's URLs need (a day, a title)")
        leads = [Lead(u, self.name, 0.9, f"{outlet.name}'s URL shape") for u in dict.fromkeys(urls)]
        return Asked(self.name, leads, f"{len(leads)} predicted URL{'s' if len(leads) > 1 else ''}")
