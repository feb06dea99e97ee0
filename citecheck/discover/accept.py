"""When a fetched lead is the cited work: the verifier's findings, held to a higher bar than a
cited URL's. A page the note links is the work unless shown otherwise; a page found by search is
not the work unless shown to be. So a lead is accepted only when:

- its title matches (a pass, not a near miss: a follow-up story or a press release has a near title);
- nothing the verifier checks fails (date, author, outlet), quotations aside (a changed page is
  still the work, and is then reported `mismatched`);
- the cited day, when the note gives one, is confirmed by the page (or, where the page declares
  no date, by the date in its URL);
- the outlet, when the note names one citecheck knows, is confirmed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..model import Finding, Level, PartialDate

_URL_DAY_RE = "{yyyy}[/-]?{mm}[/-]?{dd}"


# what a page an identifier in the note leads to (a DOI, an ISBN, a UN symbol) need not confirm: a
# catalogue or repository page is not the publisher's own, nor dated to the day
EXCUSED_WHEN_IDENTIFIED = ("outlet", "date")

# A found page's title must match more closely than a cited page's (the verifier passes 0.9): "Launch
# event: <the report's title>" scores 0.91 against the report's title, and is not the report.
DISCOVERED_TITLE_PASS = 0.95


def rejection(
    findings: list[Finding],
    url: str,
    issued: PartialDate | None,
    outlet_known: bool,
    *,
    listed_day: str | None = None,
    posted: bool = False,
    identified: bool = False,
) -> str | None:
    """Why a lead is not the cited work, or None when it is. `listed_day`: the day the backend
    listed the page as published; `posted`: a post or video read from its platform's embed
    endpoint, which gives no date (its channel is checked as the outlet); `identified`: the lead
    is where an identifier written in the note resolves (a DOI, an ISBN, a UN symbol), which names
    the work: its title must still match, but a catalogue or repository page need not be the
    publisher's, nor dated to the day."""
    by_check: dict[str, list[Finding]] = {}
    for f in findings:
        by_check.setdefault(f.check, []).append(f)
    titles = by_check.get("title", [])
    if not titles or titles[0].level is not Level.PASS:
        what = titles[0].message if titles else next((f.message for f in by_check.get("language", [])), "no title to compare")
        return f"title not confirmed: {what}"
    if not identified and titles[0].score is not None and titles[0].score < DISCOVERED_TITLE_PASS:
        return f"title too far from the cited one for a page found by search ({titles[0].score:.2f}): the page says “{titles[0].found}”"
    failed = [f for f in as_found(findings, identified) if f.level is Level.FAIL and f.check != "quote"]
    if failed:
        return "; ".join(f.message for f in failed)
    if identified:
        return None
    if issued is not None and issued.day is not None and not posted:
        dates = by_check.get("date", [])
        confirmed = bool(dates) and dates[0].level in (Level.PASS, Level.WARN) and dates[0].found is not None
        if not confirmed and not _day_in_url(url, issued) and not _near(listed_day, issued):
            return "the cited day is not confirmed: " + (dates[0].message if dates else "the page declares no date")
    if outlet_known:
        outlets = by_check.get("outlet", [])
        if outlets and outlets[0].level is not Level.PASS:
            return f"the outlet is not confirmed: {outlets[0].message}"
    return None


def as_found(findings: list[Finding], identified: bool) -> list[Finding]:
    """The findings a found page is reported with: on a page an identifier leads to, the outlet
    and date failures its acceptance excused are warnings (the book's Open Library record is not on
    Hurst's site), so the work found is not then reported `mismatched` for them."""
    if not identified:
        return findings
    return [
        replace(f, level=Level.WARN, message=f"{f.message} (the page is where the note's identifier leads)")
        if f.level is Level.FAIL and f.check in EXCUSED_WHEN_IDENTIFIED
        else f
        for f in findings
    ]


def _day_in_url(url: str, issued: PartialDate) -> bool:
    day = _URL_DAY_RE.format(yyyy=f"{issued.year:04d}", mm=f"{issued.month or 1:02d}", dd=f"{issued.day:02d}")
    return bool(re.search(day, url))


def _near(listed: str | None, issued: PartialDate, days: int = 2) -> bool:
    if not listed or issued.day is None:
        return False
    try:
        when = date.fromisoformat(listed)
    except ValueError:
        return False
    return abs((when - date(issued.year, issued.month or 1, issued.day)).days) <= days


def evidence(findings: list[Finding]) -> list[str]:
    """The verifier's passes, in plain words: what made the lead the work."""
    return [f.message + (f" (“{f.found}”)" if f.found and f.check == "title" else "") for f in findings if f.level is Level.PASS]
