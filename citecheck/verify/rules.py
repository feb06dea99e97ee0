"""Verification: is the page found the cited work, and does it still say what the article quotes?

Input: a Source (the work as cited), the quotations the article attributes to it,
and the PageEvidence of what was found (live page, archived capture, PDF or embed).
Output: one Finding per check — title, date, author, outlet, quote, language — each
with its level, score and evidence. Any `fail` makes the source `mismatched`.

Every comparison works on `normalize`d text: HTML entities, Unicode compatibility
forms, diacritics, case, quotes, dashes and punctuation folded, so that typography
never decides a verdict. Similarity is rapidfuzz's (Indel-based `ratio`, and
`partial_ratio_alignment` to find where a near-miss quotation sits in a page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz import fuzz

from ..config import VerifyOptions
from ..fetch.classify import is_error_title
from ..model import Candidate, Finding, Level, PageEvidence, PartialDate, Source
from ..outlets import Outlet, OutletRegistry, host_of
from .extract import guess_language, parse_iso_day
from .match import author_named, find_quote, normalize, title_similarity

# --- normalization ------------------------------------------------------------------------------------


# --- the checks ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Cited:
    """The work as the article cites it: the verifier's other input."""

    source: Source
    quotes: list[str]  # quotations in the body sentences (and notes) that cite this work
    shares_note: bool = False  # a citing note cites other works too: a quote may belong to them
    draft_language: str | None = None


def verify(cited: Cited, page: PageEvidence, registry: OutletRegistry, options: VerifyOptions = VerifyOptions()) -> list[Finding]:  # noqa: B008 -- frozen: one shared default is safe
    """Every check that has something to compare, in a fixed order."""
    findings: list[Finding] = []
    for check in CHECKS:
        found = check(cited, page, registry, options)
        if found is not None:
            findings.extend(found if isinstance(found, list) else [found])
    return findings


def level_of(findings: list[Finding]) -> Level:
    """The worst level among findings (fail > warn > pass), skips ignored."""
    levels = {f.level for f in findings}
    for level in (Level.FAIL, Level.WARN, Level.PASS):
        if level in levels:
            return level
    return Level.SKIP


def summary(findings: list[Finding]) -> str:
    """The failures (or else the warnings) in one line, for a report's reason."""
    worst = level_of(findings)
    picked = [f.message for f in findings if f.level is worst and worst in (Level.FAIL, Level.WARN)]
    return "; ".join(picked)


# title ------------------------------------------------------------------------------------------------


def _site_words(page: PageEvidence, outlets: list[Outlet]) -> set[str]:
    names = [page.site_name or "", *(n for o in outlets for n in (o.name, *o.aliases))]
    host = host_of(page.url).removeprefix("www.")
    names += [host, host.split(".")[0]]
    return {normalize(n) for n in names if n and normalize(n)}


LANGUAGE_CONFIDENCE = 0.8  # py3langid's normalized probability on a title; 0.90 for plain English headlines, 0.99+ for French


def check_title(cited: Cited, page: PageEvidence, registry: OutletRegistry, options: VerifyOptions) -> Finding | None:
    src = cited.source
    if not src.title:
        return None
    if not page.titles:
        return Finding("title", Level.WARN, "the page declares no title to compare", expected=src.title)
    error = next((c for c in page.titles if is_error_title(c.value)), None)
    if error is not None and not is_error_title(src.title):
        return Finding("title", Level.FAIL, f"the page is an error page: “{error.value}”", 0.0, src.title, error.value, error.where)
    site_words = _site_words(page, registry.for_url(page.url))
    scored = [(title_similarity(src.title, src.title_truncated, c.value, site_words), c) for c in page.titles]
    score, best = max(scored, key=lambda sc: sc[0])
    score = round(score, 3)
    if score >= options.title_pass:
        return Finding("title", Level.PASS, "title matches", score, src.title, best.value, best.where)
    # a translated title is a language difference, not a different work: both languages must be clear
    cited_lang = src.language or guess_language(src.title, min_confidence=LANGUAGE_CONFIDENCE)
    page_lang = guess_language(best.value, min_confidence=LANGUAGE_CONFIDENCE) or page.language
    if cited_lang and page_lang and cited_lang != page_lang:
        return Finding(
            "language", Level.WARN, f"the citation is in {cited_lang}, the page in {page_lang}: titles not compared", score, src.title, best.value, best.where
        )
    if score >= options.title_warn:
        return Finding(
            "title", Level.WARN, f"title similar, not the same ({score:.2f}): the page says “{best.value}”", score, src.title, best.value, best.where
        )
    return Finding("title", Level.FAIL, f"title differs ({score:.2f}): the page says “{best.value}”", score, src.title, best.value, best.where)


# date -------------------------------------------------------------------------------------------------


def _span(d: PartialDate) -> tuple[date, date]:
    """First and last day a partial date covers."""
    if d.month is None:
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if d.day is None:
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return date(d.year, d.month, 1), nxt - timedelta(days=1)
    return (day := date(d.year, d.month, d.day)), day


def check_date(cited: Cited, page: PageEvidence, registry: OutletRegistry, options: VerifyOptions) -> Finding | None:
    issued = cited.source.issued
    if issued is None:
        return None
    if page.published is None:
        what = "shows only an update date" if page.modified else "shows no publication date"
        return Finding("date", Level.SKIP, f"the page {what}", expected=issued.iso)
    found = parse_iso_day(page.published.value)
    if found is None:
        return Finding("date", Level.SKIP, f"the page's date is unreadable ({page.published.value})", expected=issued.iso)
    try:
        first, last = _span(issued)
    except ValueError:
        return None
    off = 0 if first <= found <= last else min(abs((found - first).days), abs((found - last).days))
    where = page.published.where
    if off <= options.date_tolerance_days:
        return Finding("date", Level.PASS, "date matches", 1.0, issued.iso, found.isoformat(), where)
    if off <= options.date_warn_days:
        return Finding("date", Level.WARN, f"date off by {off} days: the page says {found.isoformat()}", None, issued.iso, found.isoformat(), where)
    return Finding("date", Level.FAIL, f"date differs: cited {issued.iso}, the page says {found.isoformat()}", None, issued.iso, found.isoformat(), where)


# authors ----------------------------------------------------------------------------------------------


def check_authors(cited: Cited, page: PageEvidence, registry: OutletRegistry, options: VerifyOptions) -> list[Finding] | None:
    src = cited.source
    people = [a for a in src.authors if registry.lookup(a) is None]  # an outlet named as author is the outlet check's job
    if not people:
        return None
    names = [c.value for c in page.authors]
    byline_zone = page.text[:3000]
    out = []
    for author in people:
        if author_named(author, names, options.author_match):
            out.append(Finding("author", Level.PASS, f"{author} is named as an author", 1.0, author, "; ".join(names), "authors"))
        elif normalize(author) in normalize(byline_zone):
            out.append(Finding("author", Level.PASS, f"{author} is named at the top of the page", 1.0, author, None, "byline"))
        else:
            shown = f"; the page names {'; '.join(names)}" if names else ""
            out.append(Finding("author", Level.WARN, f"{author} is not shown on the page{shown}", 0.0, author, "; ".join(names) or None, "authors"))
    return out


# outlet -----------------------------------------------------------------------------------------------


def check_outlet(cited: Cited, page: PageEvidence, registry: OutletRegistry, options: VerifyOptions) -> Finding | None:
    """The cited outlet publishes on the page's site: by the registry's domains, else by the site's own name."""
    src = cited.source
    name = src.outlet or src.platform
    if not name:
        return None
    host = host_of(page.url)
    expected = registry.lookup(name)
    on_site = registry.for_url(page.url)
    if expected is not None and expected in on_site:
        return Finding("outlet", Level.PASS, f"{expected.name} publishes on {host}", 1.0, name, host, "address")
    # a platform (YouTube, X) hosts the outlet's channel: the channel's name must be the outlet
    channel_names = [c.value for c in page.authors] + ([page.site_name] if page.site_name else [])
    platform_here = any(o.is_platform for o in on_site)
    if src.outlet and platform_here:
        if _same_outlet(src.outlet, channel_names, registry, options):
            return Finding("outlet", Level.PASS, f"posted by {src.outlet} on {host}", 1.0, src.outlet, "; ".join(channel_names), "channel")
        return Finding(
            "outlet",
            Level.WARN,
            f"posted on {host} by {'; '.join(channel_names) or 'an unnamed account'}, not clearly {src.outlet}",
            0.0,
            src.outlet,
            "; ".join(channel_names) or None,
            "channel",
        )
    if page.site_name and _same_outlet(name, [page.site_name], registry, options):
        return Finding("outlet", Level.PASS, f"the site calls itself {page.site_name}", 1.0, name, page.site_name, "site name")
    if not on_site and _host_spells(name, host):
        return Finding("outlet", Level.PASS, f"{host} is {name}'s site", 1.0, name, host, "address")
    other = on_site[0].name if on_site else page.site_name
    if other or expected is not None:
        found = f"{other} ({host})" if other else host
        return Finding("outlet", Level.FAIL, f"outlet differs: cited {name}, the page is on {found}", 0.0, name, found, "address")
    return Finding("outlet", Level.WARN, f"could not confirm that {host} is {name}", 0.0, name, host, "address")


def _same_outlet(name: str, candidates: list[str], registry: OutletRegistry, options: VerifyOptions) -> bool:
    wanted = registry.lookup(name)
    for cand in candidates:
        known = registry.lookup(cand)
        if wanted is not None and known is wanted:
            return True
        a, b = normalize(name), normalize(cand)
        if fuzz.ratio(a, b) >= options.outlet_match * 100:
            return True
        # "France24" and the channel "FRANCE 24 English": the outlet's name begins the account's
        if len(a.replace(" ", "")) >= 3 and b.replace(" ", "").startswith(a.replace(" ", "")):
            return True
    return False


def _host_spells(name: str, host: str) -> bool:
    """ "Le Monde" and lemonde.fr, "Al Jazeera" and aljazeera.com: the name is the site's address."""
    key = normalize(name).replace(" ", "")
    labels = host.removeprefix("www.").split(".")
    return len(key) >= 4 and any(label == key for label in labels[:-1])


# quotes -----------------------------------------------------------------------------------------------


def check_quotes(cited: Cited, page: PageEvidence, registry: OutletRegistry, options: VerifyOptions) -> list[Finding] | None:
    if not cited.quotes:
        return None
    if page.kind == "video":
        return [Finding("quote", Level.SKIP, "the words of a video cannot be checked from its page", expected=q) for q in cited.quotes]
    if not page.text_read:  # the reader was told there was none to find (PageNeeds): it cannot happen
        return [Finding("quote", Level.WARN, "the page's text was not read: quotation not checked", expected=q) for q in cited.quotes]
    if not page.text.strip():
        return [Finding("quote", Level.WARN, "no text on the page to search for the quotation", expected=q) for q in cited.quotes]
    text_norm = normalize(page.text)
    translated = bool(cited.draft_language and page.language and cited.draft_language != page.language)
    out = []
    for quote in cited.quotes:
        score, found = find_quote(quote, text_norm, options)
        score = round(score, 3)
        if score >= 1.0:
            out.append(Finding("quote", Level.PASS, "quotation found", 1.0, quote, found, "main text"))
        elif score >= options.quote_warn:
            out.append(Finding("quote", Level.WARN, f"quotation not verbatim ({score:.2f}): the page says “{found}”", score, quote, found, "main text"))
        elif translated:
            out.append(
                Finding(
                    "quote",
                    Level.WARN,
                    f"quotation not found; the page is in {page.language}, the draft in {cited.draft_language} (a translation?)",
                    score,
                    quote,
                    found,
                    "main text",
                )
            )
        elif cited.shares_note:
            out.append(Finding("quote", Level.WARN, "quotation not found in this source (the note cites others too)", score, quote, found, "main text"))
        elif page.truncated:
            out.append(
                Finding(
                    "quote",
                    Level.WARN,
                    "unverified: quotation not found in the part of the page read (the page is too large to read whole)",
                    score,
                    quote,
                    found,
                    "main text",
                )
            )
        else:
            closest = f"; closest passage ({score:.2f}): “{found}”" if found else ""
            out.append(Finding("quote", Level.FAIL, f"quotation not found on the page{closest}", score, quote, found, "main text"))
    return out


def needs_draft_language(cited: Cited, page: PageEvidence, findings: list[Finding], options: VerifyOptions) -> bool:
    """Whether knowing the draft's language could change `findings` (`check_quotes`): a quotation
    was not found on a page whose language is known, and may be a translation of it. A caller
    that does not know the draft's language yet learns it only then, and verifies again."""
    return (
        cited.draft_language is None
        and page.language is not None
        and any(f.check == "quote" and f.score is not None and f.score < options.quote_warn for f in findings)
    )


CHECKS: tuple[Callable[[Cited, PageEvidence, OutletRegistry, VerifyOptions], Finding | list[Finding] | None], ...] = (
    check_title,
    check_date,
    check_authors,
    check_outlet,
    check_quotes,
)

__all__ = [
    "Cited",
    "VerifyOptions",
    "verify",
    "author_named",
    "needs_draft_language",
    "level_of",
    "summary",
    "normalize",
    "title_similarity",
    "find_quote",
    "Candidate",
]
