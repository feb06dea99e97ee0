"""Discovery's precision, recall and cost on citations whose true URL is known (run by hand; prints figures).

    .venv/bin/python benchmarks/bench_discover.py [--seed 1] [--absent 20]

Makes citations in the forms of real notes (news on outlets whose URLs carry the date and a slug,
news on outlets with opaque ids, NGO releases at predictable addresses, journal articles with and
without a DOI, UN reports by symbol, think-tank reports, books by ISBN), each with its true page on
a loopback fake web, among realistic decoys: the same title on another day (a follow-up), the same
day's other stories, the report's press release on another site, a translated edition. The fake
services (tests/fakeweb.py) hold what the real ones would: the archive's listings, GDELT's article
list, a search index, Crossref's works. `--absent` citations have no page at all: they must end
unlinked. Each citation is checked on its own (so that its requests can be counted), with the
default backends and their order.

Prints precision (found URLs that are the true one), recall (true works found), the requests a
citation took (median and 90th percentile), seconds a citation here, and the time the same
requests would take at the services' default paces (the rate-limit bound).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from citecheck import read_draft
from citecheck.config import DiscoverOptions, FetchOptions
from citecheck.discover.slugs import slug_of
from citecheck.endpoints import Endpoints
from citecheck.outlets import OutletRegistry
from citecheck.pipeline.check import Draft, check_document
from citecheck.pipeline.pages import Verification
from citecheck.recover.archive import ArchiveOptions
from tests.fakeweb import Article, Capture, FakeServices, Pages, Result  # noqa: E402
from tests.fakeweb import article as page  # noqa: E402
from tests.loopback import Loopback, Response  # noqa: E402

PLACES = [
    "Mali",
    "Niger",
    "Burkina Faso",
    "Chad",
    "Sudan",
    "Somalia",
    "Nigeria",
    "Benin",
    "Togo",
    "Mozambique",
    "Libya",
    "Syria",
    "Iraq",
    "Yemen",
    "Afghanistan",
    "Pakistan",
    "Ethiopia",
    "Cameroon",
    "Senegal",
    "Ghana",
]
EVENTS = [
    "attack on army base kills {n} soldiers",
    "jihadists seize town near border",
    "junta extends transition by {n} months",
    "drone strike hits wedding party",
    "aid convoy looted on main road",
    "talks with armed groups stall",
    "{n} civilians killed in village raid",
    "hostages freed after {n} days",
    "UN mission ends after {n} years",
    "floods displace {n},000 people",
    "election date set amid unrest",
    "militants ambush police patrol",
    "curfew imposed in the capital",
    "mining site attack leaves {n} dead",
]
FRENCH = [
    "attaque contre une base militaire : {n} soldats tués",
    "les jihadistes prennent une ville frontalière",
    "la junte prolonge la transition de {n} mois",
]
REPORTS = [
    "{place}: Civilians Pay the Price of Counterterrorism",
    "{place}: Armed Groups Target Schools",
    "‘They Burned Everything’: Abuses in {place}",
    "{place}: Army Killings of Detainees Go Unpunished",
    "{place}: Displaced Families Denied Aid",
]
PAPERS = [
    "Jihadist Governance in {place}",
    "Insurgent Rivalry and Civilian Victimization in {place}",
    "The Political Economy of Violence in {place}",
    "Why Armed Groups Split: Evidence from {place}",
    "Counterinsurgency and Local Militias in {place}",
]
BOOKS = ["The Sahel Wars", "Jihad in the Desert", "Empires of Sand", "The New Insurgents", "States of Exception in Africa", "Borderlands of Violence"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


@dataclass
class Case:
    kind: str
    note: str
    true_url: str | None  # None: deliberately absent


class Bench:
    def __init__(self, rng: random.Random, absent: int) -> None:
        self.rng = rng
        self.absent = absent
        self.lb = Loopback(*(f"127.0.0.{i}" for i in range(161, 169)))
        self.services = FakeServices()
        self.cases: list[Case] = []
        self.titles: set[str] = set()  # each work's title once: two works of one title, day and author cannot be told apart

    def __enter__(self) -> Bench:
        self.lb.__enter__()
        s = self.lb.sites
        self.slugged, self.opaque, self.ngo, self.journal, self.un, self.tank, self.press, self.api = s
        self.pages = {site.host: Pages(site) for site in s[:-1]}
        self.services.routes(self.api)
        return self

    def __exit__(self, *exc: object) -> None:
        self.lb.__exit__(*exc)

    def registry(self) -> OutletRegistry:
        r = OutletRegistry.default()
        site = lambda x: x.url("").rstrip("/")  # noqa: E731
        r.extend(
            [
                {
                    "name": "Slug Daily",
                    "domains": [self.slugged.host],
                    "kind": "article-newspaper",
                    "site": site(self.slugged),
                    "listings": ["{host}/{lang}/ | .*/{days}-.*"],
                },
                {"name": "Opaque News", "domains": [self.opaque.host], "kind": "article-newspaper", "site": site(self.opaque)},
                {
                    "name": "Rights Monitor",
                    "domains": [self.ngo.host],
                    "kind": "webpage",
                    "site": site(self.ngo),
                    "slug": "drop-stopwords",
                    "article_urls": ["{site}/news/{yyyy}/{mm}/{dd}/{slug}"],
                    "listings": ["{host}/news/{yyyy}/{mm}/{dd}/"],
                },
                {"name": "Journal of Conflict Studies", "domains": [self.journal.host], "kind": "article-journal", "site": site(self.journal)},
                {"name": "United Nations", "domains": [self.un.host], "kind": "report", "site": site(self.un)},
                {"name": "Policy Institute", "domains": [self.tank.host], "kind": "report", "site": site(self.tank)},
            ]
        )
        return r

    def endpoints(self) -> Endpoints:
        e = self.services.endpoints(self.api)
        e["openlibrary"] = self.api.url("/openlibrary")
        return Endpoints(**e)

    def day(self) -> tuple[str, str]:
        y, m, d = self.rng.randint(2017, 2025), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return f"{y:04d}-{m:02d}-{d:02d}", f"{MONTHS[m - 1]} {d}, {y}"

    def title(self, templates: list[str]) -> str:
        while True:
            t = self.rng.choice(templates).format(n=self.rng.randint(3, 90), place=self.rng.choice(PLACES))
            t = t if t[0].isupper() else f"{self.rng.choice(PLACES)}: {t}"
            if t not in self.titles:
                self.titles.add(t)
                return t

    def add(self, host_site, path: str, resp: Response) -> str:  # type: ignore[no-untyped-def]
        return self.pages[host_site.host].add(path, resp)

    def build(self, per_kind: dict[str, int]) -> None:
        for kind, count in per_kind.items():
            for _ in range(count):
                getattr(self, f"_{kind}")(present=True)
        kinds = list(per_kind)
        for _ in range(self.absent):
            getattr(self, f"_{self.rng.choice(kinds)}")(present=False)

    # --- the forms of notes -------------------------------------------------------------------------

    def _slugged_news(self, present: bool) -> None:
        iso, written = self.day()
        french = self.rng.random() < 0.25
        title = self.title([f"{p} : {f}" for p in PLACES for f in FRENCH]) if french else self.title(EVENTS)
        lang = "fr" if french else "en"
        stamp = iso.replace("-", "")
        slug = slug_of(title)
        url = None
        if present:
            url = self.add(self.slugged, f"/{lang}/africa/{stamp}-{slug}", page(title, iso, "Slug Daily", lang=lang))
            self.services.captures.append(Capture(url, stamp + "120000"))
        # the day's other stories, and a follow-up with the same title a week later
        for i in range(3):
            other = self.title(EVENTS)
            u = self.add(self.slugged, f"/{lang}/africa/{stamp}-{slug_of(other)}-{i}", page(other, iso, "Slug Daily", lang=lang))
            self.services.captures.append(Capture(u, stamp + "130000"))
        later = _shift(iso, 7)
        u = self.add(self.slugged, f"/{lang}/africa/{later.replace('-', '')}-{slug}", page(title, later, "Slug Daily", lang=lang))
        self.services.captures.append(Capture(u, later.replace("-", "") + "120000"))
        self.cases.append(Case("news, dated slug", f"“{title},” Slug Daily, {written}.", url))

    def _opaque_news(self, present: bool) -> None:
        iso, written = self.day()
        title = self.title(EVENTS)
        seen = iso.replace("-", "") + "T090000Z"
        url = None
        if present:
            url = self.add(self.opaque, f"/news/articles/c{self.rng.randrange(16**10):010x}", page(title, iso, "Opaque News", author="Ann Lee"))
            self.services.articles.append(Article(url, title, seen, self.opaque.host))
        # a follow-up with a near title, the same day; and the same title two weeks later
        near = title + " as toll rises"
        u = self.add(self.opaque, f"/news/articles/c{self.rng.randrange(16**10):010x}", page(near, iso, "Opaque News"))
        self.services.articles.append(Article(u, near, seen, self.opaque.host))
        later = _shift(iso, 14)
        u = self.add(self.opaque, f"/news/world-africa-{self.rng.randrange(10**8):08d}", page(title, later, "Opaque News"))
        self.services.articles.append(Article(u, title, later.replace("-", "") + "T090000Z", self.opaque.host))
        self.cases.append(Case("news, opaque id", f"Ann Lee, “{title},” Opaque News, {written}.", url))

    def _ngo_release(self, present: bool) -> None:
        iso, written = self.day()
        title = self.title(REPORTS)
        y, m, d = iso.split("-")
        url = None
        if present:
            url = self.add(self.ngo, f"/news/{y}/{m}/{d}/{slug_of(title, 'drop-stopwords')}", page(title, iso, "Rights Monitor"))
            self.services.captures.append(Capture(url, iso.replace("-", "") + "120000"))
        # its press release on another site, and a translated edition
        press = self.add(self.press, f"/press/{slug_of(title)}", page(title, iso, "Wire Releases"))
        self.services.index.append(Result(press, title, published=iso))
        fr = self.add(self.ngo, f"/fr/news/{y}/{m}/{d}/{slug_of(title)}-fr", page("Rapport : " + title, iso, "Rights Monitor", lang="fr"))
        self.services.captures.append(Capture(fr, iso.replace("-", "") + "130000"))
        self.cases.append(Case("NGO release", f"“{title},” Rights Monitor, {written}.", url))

    def _journal_article(self, present: bool) -> None:
        year = self.rng.randint(2012, 2025)
        title = self.title(PAPERS)
        family = self.rng.choice(["Roe", "Diallo", "Keita", "Haddad", "Okafor", "Moreau"])
        doi = f"10.5555/jcs.{year}.{self.rng.randrange(10**6):06d}"
        url = None
        if present:
            landing = self.add(self.journal, f"/doi/full/{doi}", page(title, f"{year}-03-01", "Journal of Conflict Studies", author=f"Jane {family}"))
            self.api.route(f"/doi/{doi}", Response(302, b"", {"Location": landing}))
            self.services.works.append(
                {
                    "DOI": doi,
                    "title": [title],
                    "author": [{"given": "Jane", "family": family}],
                    "issued": {"date-parts": [[year, 3]]},
                    "container-title": ["Journal of Conflict Studies"],
                    "type": "journal-article",
                }
            )
            url = self.api.url(f"/doi/{doi}")
        # a same-titled paper by others, years apart (a common title)
        self.services.works.append(
            {
                "DOI": f"10.5555/other.{self.rng.randrange(10**6)}",
                "title": [title],
                "author": [{"given": "A", "family": "Other"}],
                "issued": {"date-parts": [[year - 6]]},
                "type": "journal-article",
            }
        )
        with_doi = self.rng.random() < 0.4
        tail = f", doi: {doi}" if with_doi else ""
        note = f"Jane {family}, “{title},” Journal of Conflict Studies {self.rng.randint(1, 40)}, no. {self.rng.randint(1, 6)} ({year}){tail}."
        self.cases.append(Case("journal article" + (" (DOI in note)" if with_doi else ""), note, url if present else None))

    def _un_report(self, present: bool) -> None:
        iso, written = self.day()
        symbol = f"S/{iso[:4]}/{self.rng.randint(100, 999)}"
        title = self.title([f"Report of the Secretary-General on the situation in {p}" for p in PLACES])
        url = None
        if present:
            self.api.route(f"/undocs/{symbol}", page(title, iso, "United Nations"))
            url = self.api.url(f"/undocs/{symbol}")
        self.cases.append(Case("UN report, by symbol", f"United Nations Security Council, “{title},” {symbol}, {written}.", url))

    def _think_tank(self, present: bool) -> None:
        iso, written = self.day()
        title = self.title([p + ": Options for Policy" for p in PAPERS])
        url = None
        if present:
            url = self.add(self.tank, f"/research/{slug_of(title)}", page(title, iso, "Policy Institute"))
            self.services.index.append(Result(url, f"{title} | Policy Institute", published=iso))
        decoy = self.add(self.tank, f"/events/{slug_of(title)}-launch", page(f"Launch event: {title}", iso, "Policy Institute"))
        self.services.index.append(Result(decoy, f"Launch event: {title} | Policy Institute", published=iso))
        self.cases.append(Case("think-tank report", f"“{title},” Policy Institute, {written}.", url))

    def _book(self, present: bool) -> None:
        title = self.title([b + ": {place} since " + str(self.rng.randint(1990, 2015)) for b in BOOKS])
        isbn = "978" + "".join(str(self.rng.randint(0, 9)) for _ in range(10))
        year = self.rng.randint(2005, 2024)
        url = None
        if present:
            self.api.route(f"/openlibrary/isbn/{isbn}", page(title, f"{year}-01-01", "Open Library"))
            url = self.api.url(f"/openlibrary/isbn/{isbn}")
        self.cases.append(Case("book, ISBN", f"Jane Roe, {title} (London: Hurst, {year}), ISBN {isbn}.", url))

    # --- a run ----------------------------------------------------------------------------------------

    def run(self, case: Case, tmp: Path) -> tuple[str | None, int, str]:
        before = sum(len(site.requests) for site in self.lb.sites)
        path = tmp / "draft.txt"
        path.write_text(f"Claim.1\nNotes\n[1] {case.note}\n", "utf-8")
        options = FetchOptions(allow_private=True, min_interval=0.0, soft404_probe=False, dns_canary="localhost", tries=2)
        report = asyncio.run(
            check_document(
                Draft(read_draft(str(path))),
                options,
                endpoints=self.endpoints(),
                archive=ArchiveOptions(per_minute=60000),
                verification=Verification(registry=self.registry(), processes=False),
                discover=DiscoverOptions(search_url=self.api.url("/searx"), gdelt_interval=0.0),
            )
        )
        check = report.checks[0]
        found = check.url if check.found is not None else None
        return found, sum(len(site.requests) for site in self.lb.sites) - before, check.verdict.value

    def run_draft(self, cases: list[Case], tmp: Path, scale: float) -> tuple[dict[str, str | None], float, dict[str, int]]:
        """Every citation in one draft, as a real draft holds them, with the services' default paces
        sped up `scale` times (CDX 24 a minute, GDELT one every 5 s, a search every 0.5 s): (note -> URL found, seconds,
        each service's requests)."""
        before = dict(self.services.asked)
        path = tmp / "paced.txt"
        body = " ".join(f"Claim {i}.{i}" for i in range(1, len(cases) + 1))
        path.write_text(body + "\nNotes\n" + "\n".join(f"[{i}] {c.note}" for i, c in enumerate(cases, 1)) + "\n", "utf-8")
        options = FetchOptions(allow_private=True, min_interval=0.0, soft404_probe=False, dns_canary="localhost", tries=2)
        started = time.monotonic()
        report = asyncio.run(
            check_document(
                Draft(read_draft(str(path))),
                options,
                endpoints=self.endpoints(),
                archive=ArchiveOptions(per_minute=24.0 * scale),
                verification=Verification(registry=self.registry(), processes=False),
                discover=DiscoverOptions(search_url=self.api.url("/searx"), gdelt_interval=5.0 / scale, search_interval=0.5 / scale),
            )
        )
        elapsed = time.monotonic() - started
        found = {c.note_id: (c.url if c.found is not None else None) for c in report.checks}
        asked = {k: v - before.get(k, 0) for k, v in self.services.asked.items() if v - before.get(k, 0)}
        return found, elapsed, asked


# seconds between requests at each paced service's default pace: CDX 24 a minute (shared with
# the archive look-ups), GDELT one every 5 s, a search every 0.5 s
PACES = {"cdx": 60 / 24, "gdelt": 5.0, "search": 0.5}


def rate_bound(asked: dict[str, int], scale: float = 1.0) -> float:
    """The least time the paced services' requests take: the services are asked side by side, so
    the slowest of them bounds the whole."""
    return max(asked.get(service, 0) * interval for service, interval in PACES.items()) / scale


def _shift(iso: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--absent", type=int, default=20, help="citations whose work the fake web lacks")
    ap.add_argument(
        "--paced", type=float, metavar="SCALE", help="also check every citation in one draft at the services' paces sped up SCALE times, against the bound"
    )
    args = ap.parse_args()
    per_kind = {"slugged_news": 50, "opaque_news": 40, "ngo_release": 40, "journal_article": 30, "un_report": 15, "think_tank": 15, "book": 10}
    with Bench(random.Random(args.seed), args.absent) as bench, tempfile.TemporaryDirectory() as tmp:
        bench.build(per_kind)
        requests: list[int] = []
        right = wrong = missed = absent_ok = 0
        not_ok: list[str] = []  # works found at their true URL but reported other than ok
        by_kind: dict[str, list[int]] = {}
        wrong_cases: list[str] = []
        started = time.monotonic()
        for case in bench.cases:
            found, asked, verdict = bench.run(case, Path(tmp))
            requests.append(asked)
            tally = by_kind.setdefault(case.kind, [0, 0, 0])
            if case.true_url is None:
                absent_ok += found is None
                wrong += found is not None
                continue
            tally[1] += 1
            if found is None:
                missed += 1
            elif unquote(found) == unquote(case.true_url):
                right += 1
                tally[0] += 1
                if verdict != "ok":
                    not_ok.append(f"{case.kind}: {verdict}")
            else:
                wrong += 1
                tally[2] += 1
                wrong_cases.append(f"{case.note} -> {found}")
        elapsed = time.monotonic() - started
        present = len([c for c in bench.cases if c.true_url])
        asked = dict(bench.services.asked)
        paced = bench.run_draft(bench.cases, Path(tmp), args.paced) if args.paced else None
    print(f"{len(bench.cases)} citations ({present} whose work is on the fake web, {args.absent} deliberately absent), seed {args.seed}")
    print(
        f"precision {right / max(1, right + wrong):.3f} ({right} right, {wrong} wrong), recall {right / max(1, present):.3f} ({missed} not found); "
        f"absent works left unlinked: {absent_ok}/{args.absent}"
    )
    print(f"found at their true URL and reported ok: {right - len(not_ok)}/{right}" + (f" (not ok: {', '.join(sorted(set(not_ok)))})" if not_ok else ""))
    for kind, (ok, total, bad) in by_kind.items():
        print(f"  {kind}: {ok}/{total} found" + (f", {bad} wrong" if bad else ""))
    q = statistics.quantiles(requests, n=10)
    print(f"requests per citation: median {statistics.median(requests):g}, 90th percentile {q[-1]:g}, mean {statistics.mean(requests):.1f}")
    print(f"seconds per citation here: {elapsed / len(bench.cases):.3f} ({elapsed:.1f} s in all)")
    # the same services' requests at the default paces, side by side
    bound = rate_bound(asked)
    print(
        f"service requests: {dict(sorted(asked.items()))}; at the default paces they take at least {bound:.0f} s "
        f"({bound / len(bench.cases):.1f} s per citation: the rate-limit bound)"
    )
    if paced is not None:
        found, seconds, paced_asked = paced
        paced_bound = rate_bound(paced_asked, args.paced)
        right_in_draft = sum(1 for i, c in enumerate(bench.cases, 1) if c.true_url and unquote(found.get(str(i)) or "") == unquote(c.true_url))
        print(
            f"one draft, paces x{args.paced:g}: {seconds:.1f} s ({seconds / len(bench.cases):.3f} s per citation), rate-limit bound {paced_bound:.1f} s "
            f"({seconds / paced_bound:.2f}x the bound); service requests {dict(sorted(paced_asked.items()))}; {right_in_draft}/{present} found"
        )
    for line in wrong_cases[:5]:
        print("  wrong:", line)


if __name__ == "__main__":
    main()
