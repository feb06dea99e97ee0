"""Discovery: each backend against a fake of its service in the real answer's shape, the decoys it
must reject, and the faults it must survive (tests/fakeweb.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from citecheck import read_draft
from citecheck.config import DiscoverOptions, FetchOptions
from citecheck.discover.identifiers import identifiers_in
from citecheck.discover.slugs import slug_fit, slug_of, title_fit
from citecheck.endpoints import Endpoints
from citecheck.model import SourceCheck, Verdict
from citecheck.outlets import OutletRegistry
from citecheck.pipeline.check import Draft, check_document
from citecheck.pipeline.pages import Verification
from citecheck.recover.archive import ArchiveOptions
from tests.fakeweb import Article, Capture, FakeServices, Pages, Result, article
from tests.loopback import Loopback, Response

# --- the pure parts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, style, slug",
    [
        ("Burkina Faso: Massacre Shows Need to Protect Civilians", "drop-stopwords", "burkina-faso-massacre-shows-need-protect-civilians"),
        (
            "Journey to Damascus: An Interview with Wassim Nasr, Journalist, France24",
            "keep",
            "journey-to-damascus-an-interview-with-wassim-nasr-journalist-france24",
        ),
        ("Mali : au moins 40 civils tués dans la zone des trois frontières", "keep", "mali-au-moins-40-civils-tues-dans-la-zone-des-trois-frontieres"),
        ("L’armée malienne et Wagner accusés d’exactions", "keep", "larmee-malienne-et-wagner-accuses-dexactions"),
    ],
)
def test_slugs_are_made_of_titles_as_sites_make_them(title: str, style: str, slug: str) -> None:
    assert slug_of(title, style) == slug


@pytest.mark.parametrize(
    "url, fit_at_least, fit_below",
    [
        ("https://www.france24.com/en/africa/20240903-barsalogho-massacre-jihadist-violence-on-the-rise-in-burkina-faso-mali-niger", 1.0, 1.01),
        ("https://www.france24.com/en/africa/20240903-barsalogho-massacre-jihadist-violence", 0.99, 1.01),  # a slug cut short still fits
        ("https://www.france24.com/en/africa/20240903-burkina-faso-junta-says-army-repelled-attack", 0.0, 0.3),
        ("https://www.bbc.com/news/articles/c0mzpqj2pd9o", 0.0, 0.01),  # an opaque id: nothing to fit
    ],
)
def test_a_slug_is_scored_by_how_much_of_it_the_title_covers(url: str, fit_at_least: float, fit_below: float) -> None:
    fit = slug_fit("Barsalogho massacre: Jihadist violence on the rise in Burkina Faso, Mali, Niger", url)
    assert fit_at_least <= fit < fit_below


def test_listed_titles_fit_with_the_sites_name_and_as_a_prefix_when_the_citation_is_cut() -> None:
    assert title_fit("Al-Qaeda-linked group says it was behind Mali attack", "Al-Qaeda-linked group says it was behind Mali attack - BBC News") == 1.0
    assert title_fit("#Mali en vu de la guerre avec FAMa & Wagner …", "#Mali en vu de la guerre avec FAMa & Wagner, la wilaya demande", True) >= 0.99
    assert title_fit("Mali attack: Jihadists target Bamako", "Sudan war: a year on") < 0.5


@pytest.mark.parametrize(
    "citation, found",
    [
        ("Jane Roe, “Title,” Journal 12, no. 3 (2020): 1–20, doi: 10.1080/1057610X.2020.1234567.", [("DOI", "10.1080/1057610X.2020.1234567")]),
        ("J. Roe, Title (2021), https://doi.org/10.1177/00220027211012345.", [("DOI", "10.1177/00220027211012345")]),
        ("A. Author, “Paper,” arXiv:2401.01234v2 (2024).", [("arXiv", "2401.01234v2")]),
        ("Scott, Seeing Like a State (New Haven: Yale, 1998), ISBN 978-0-300-07815-2.", [("ISBN", "978-0-300-07815-2")]),
        ("Smith et al., “Trial,” Lancet (2019), PMID: 31234567.", [("PMID", "31234567")]),
        ("Letter dated 19 July 2024 from the Chair of the Committee, S/2024/556, July 22, 2024.", [("UN symbol", "S/2024/556")]),
        ("General Assembly resolution A/RES/78/1 (2023).", [("UN symbol", "A/RES/78/1")]),
        ("Human Rights Council, A/HRC/55/L.1 (2024).", [("UN symbol", "A/HRC/55/L.1")]),
        ("Thesis, hdl:1721.1/12345 (2019).", [("Handle", "1721.1/12345")]),
        ("“Burkina Faso: Massacre Shows Need to Protect Civilians,” Human Rights Watch, October 29, 2024.", []),
    ],
)
def test_identifiers_in_a_note(citation: str, found: list[tuple[str, str]]) -> None:
    assert identifiers_in(citation) == found


def test_discover_settings_are_read_and_checked() -> None:
    from citecheck.errors import ConfigError

    table = {"backends": ["listings", "search"], "search_url": "http://127.0.0.1:8888/", "days": 1, "search_interval": 0.1}
    options = DiscoverOptions.from_table(table, "c.toml")
    assert options.backends == ("listings", "search") and options.search_url == "http://127.0.0.1:8888" and options.days == 1
    assert options.search_interval == 0.1 and options.gdelt_interval == 5.0
    for bad in ({"backends": ["bing"]}, {"search_url": "ftp://x"}, {"seconds": 0}, {"search_interval": "fast"}, {"nope": 1}):
        with pytest.raises(ConfigError):
            DiscoverOptions.from_table(bad, "c.toml")


# --- against the fakes ----------------------------------------------------------------------------------


class World:
    """Outlet hosts and the services, and the registry and endpoints that point at them."""

    def __init__(self) -> None:
        self.lb = Loopback("127.0.0.151", "127.0.0.152", "127.0.0.153", "127.0.0.154")
        self.services = FakeServices()

    def __enter__(self) -> World:
        self.lb.__enter__()
        self.news, self.ngo, self.other, self.api = self.lb.sites
        self.news_pages, self.ngo_pages, self.other_pages = Pages(self.news), Pages(self.ngo), Pages(self.other)
        self.services.routes(self.api)
        return self

    def __exit__(self, *exc: object) -> None:
        self.lb.__exit__(*exc)

    def registry(self, outlets: Iterable[dict[str, Any]] = ()) -> OutletRegistry:
        registry = OutletRegistry.default()
        registry.extend(outlets)  # rows the draft's own configuration would add
        registry.extend(
            [
                {
                    "name": "Example News",
                    "domains": [self.news.host],
                    "kind": "article-newspaper",
                    "site": self.news.url("").rstrip("/"),
                    "listings": ["{host}/{lang}/ | .*/{days}-.*"],
                },
                {
                    "name": "Example Watch",
                    "domains": [self.ngo.host],
                    "kind": "webpage",
                    "site": self.ngo.url("").rstrip("/"),
                    "slug": "drop-stopwords",
                    "article_urls": ["{site}/news/{yyyy}/{mm}/{dd}/{slug}"],
                    "listings": ["{host}/news/{yyyy}/{mm}/{dd}/"],
                },
                {"name": "Numbered Times", "domains": [self.other.host], "kind": "article-newspaper", "site": self.other.url("").rstrip("/")},
                {
                    "name": "Feed Daily",
                    "domains": [self.other.host],
                    "kind": "article-newspaper",
                    "site": self.other.url("").rstrip("/"),
                    "feeds": ["{site}/sitemap-news.xml", "{site}/rss.xml"],
                },
            ]
        )
        return registry

    def endpoints(self) -> Endpoints:
        return Endpoints(**self.services.endpoints(self.api))

    def check(self, tmp: Path, notes: list[str], *, outlets: Iterable[dict[str, Any]] = (), **discover: Any) -> list[SourceCheck]:
        body = " ".join(f"Claim {i}.{i}" for i in range(1, len(notes) + 1))
        path = tmp / "draft.txt"
        path.write_text(body + "\nNotes\n" + "\n".join(f"[{i}] {n}" for i, n in enumerate(notes, 1)) + "\n", "utf-8")
        options = FetchOptions(
            allow_private=True, min_interval=0.0, backoff_initial=0.01, backoff_max=0.02, soft404_probe=False, dns_canary="localhost", tries=2
        )
        settings = DiscoverOptions(**{"gdelt_interval": 0.0, "search_url": self.api.url("/searx"), **discover})
        report = asyncio.run(
            check_document(
                Draft(read_draft(str(path))),
                options,
                endpoints=self.endpoints(),
                archive=ArchiveOptions(per_minute=6000),
                verification=Verification(registry=self.registry(outlets), processes=False),
                discover=settings,
            )
        )
        return report.checks


@pytest.fixture
def world():
    with World() as w:
        yield w


def test_an_ngo_report_is_found_at_its_predicted_address_and_its_follow_up_is_not_taken(world: World, tmp_path: Path) -> None:
    title = "Burkina Faso: Massacre Shows Need to Protect Civilians"
    url = world.ngo_pages.add("/news/2024/10/29/burkina-faso-massacre-shows-need-protect-civilians", article(title, "2024-10-29", "Example Watch"))
    checks = world.check(tmp_path, [f"“{title},” Example Watch, October 29, 2024."])
    assert checks[0].verdict is Verdict.OK and checks[0].url == url and checks[0].found is not None and checks[0].found.via == "outlet-urls"


def test_a_decoy_with_the_same_title_on_another_day_is_rejected_and_the_work_is_found_in_the_listing(world: World, tmp_path: Path) -> None:
    title = "Sudan: Civilians Killed in Shelling of Market"
    # the predicted address holds last year's story of the same name; the cited one was published with a suffix
    world.ngo_pages.add("/news/2024/03/05/sudan-civilians-killed-shelling-market", article(title, "2023-03-05", "Example Watch"))
    true = world.ngo_pages.add("/news/2024/03/05/sudan-civilians-killed-shelling-market-0", article(title, "2024-03-05", "Example Watch"))
    world.services.captures += [
        Capture(true, "20240305120000"),
        Capture(world.ngo.url("/news/2024/03/05/sudan-civilians-killed-shelling-market"), "20240305090000"),
        Capture(world.ngo.url("/news/2024/03/05/yemen-port-strikes"), "20240305100000"),
    ]
    check = world.check(tmp_path, [f"“{title},” Example Watch, March 5, 2024."])[0]
    assert check.url == true and check.found is not None and check.found.via == "listings"
    assert any("date differs" in r for r in check.found.rejected)


def test_a_french_title_is_found_in_the_listing_of_its_language(world: World, tmp_path: Path) -> None:
    title = "Mali : au moins 40 civils tués dans la zone des trois frontières"
    true = world.news_pages.add(
        "/fr/afrique/20220218-mali-au-moins-40-civils-tués-dans-la-zone-des-trois-frontières", article(title, "2022-02-18", "Example News")
    )
    world.services.captures += [
        Capture(true, "20220218130000"),
        Capture(world.news.url("/fr/afrique/20220218-burkina-le-capitaine-traore-investi"), "20220218140000"),
        Capture(world.news.url("/en/africa/20220218-mali-at-least-40-civilians-killed-in-tri-border-area"), "20220218150000"),
    ]
    world.news_pages.add(
        "/en/africa/20220218-mali-at-least-40-civilians-killed-in-tri-border-area", article("Mali: at least 40 civilians killed", "2022-02-18")
    )
    check = world.check(tmp_path, [f"“{title},” Example News, February 18, 2022."])[0]
    from urllib.parse import unquote

    assert check.verdict is Verdict.OK and unquote(check.url or "") == unquote(true) and check.found is not None and check.found.via == "listings"


def test_a_listing_is_read_no_further_than_its_cap_on_rows(world: World, tmp_path: Path) -> None:
    title = "Senegal votes in a tense presidential election"
    for i in range(30):  # thirty other articles of the day, listed before the work
        world.services.captures.append(Capture(world.news.url(f"/en/africa/20240324-other-story-number-{i:02d}"), "20240324080000"))
    true = world.news_pages.add("/en/africa/20240324-senegal-votes-in-a-tense-presidential-election", article(title, "2024-03-24"))
    world.services.captures.append(Capture(true, "20240324230000"))
    capped = world.check(tmp_path, [f"“{title},” Example News, March 24, 2024."], listing_rows=20)[0]
    listing = [r for r in world.api.requests if r.path.startswith("/cdx/search/cdx") and "matchType=prefix" in r.path]
    assert capped.verdict is Verdict.UNLINKED and len(listing) == 1 and "limit=20" in listing[0].path
    assert any("20 pages listed" in t for t in capped.discovery_tried)
    whole = world.check(tmp_path, [f"“{title},” Example News, March 24, 2024."])[0]
    assert whole.url == true


def test_the_cdx_resume_keys_are_followed(world: World, tmp_path: Path) -> None:
    from citecheck.discover.base import Context
    from citecheck.discover.listings import _listing
    from citecheck.fetch.resolver import Resolver

    for i in range(25):
        world.services.captures.append(Capture(world.news.url(f"/en/x/20240324-story-{i:02d}"), "20240324080000"))

    async def go() -> list[str]:
        async with Resolver(FetchOptions(allow_private=True, min_interval=0.0, dns_canary="localhost")) as resolver:
            ctx = Context(resolver, world.endpoints(), world.registry(), DiscoverOptions(listing_rows=1000))
            params = [
                ("url", f"{world.news.host}:{world.news.port}/en/"),
                ("matchType", "prefix"),
                ("output", "json"),
                ("fl", "original,timestamp"),
                ("showResumeKey", "true"),
                ("limit", "10"),
            ]
            urls, error = await _listing(ctx, params)
            assert error is None
            return urls

    urls = asyncio.run(go())
    pages = [r for r in world.api.requests if r.path.startswith("/cdx/")]
    assert len(urls) == 25 and len(set(urls)) == 25 and len(pages) == 3 and "resumeKey=20" in pages[-1].path


def test_an_opaque_or_numeric_id_outlet_is_found_by_its_listed_title(world: World, tmp_path: Path) -> None:
    title = "Mali Radisson Blu attack: Two Islamists sentenced to death"
    true = world.other_pages.add("/news/world-africa-54719497", article(title, "2020-10-28", "Numbered Times"))
    decoy = world.other_pages.add("/news/world-africa-54719000", article("Mali: Radisson Blu attackers go on trial", "2020-10-26", "Numbered Times"))
    world.services.articles += [
        Article(true, title, "20201028090000".replace("090000", "T090000Z"), world.other.host),
        Article(decoy, "Mali: Radisson Blu attackers go on trial", "20201026T090000Z", world.other.host),
    ]
    check = world.check(tmp_path, [f"“{title},” Numbered Times, October 28, 2020."])[0]
    assert check.url == true and check.found is not None and check.found.via == "gdelt"


def test_a_backend_that_is_down_is_said_to_be_and_the_next_one_finds_the_work(world: World, tmp_path: Path) -> None:
    title = "Mali attack: Jihadists target Bamako military school"
    true = world.other_pages.add("/news/articles/cx2l5k0e1r8o", article(title, "2024-09-17", "Numbered Times"))
    world.services.down.add("gdelt")
    world.services.index.append(Result(true, f"{title} - Numbered Times", published="2024-09-17"))
    check = world.check(tmp_path, [f"“{title},” Numbered Times, September 17, 2024."])[0]
    assert check.url == true and check.found is not None and check.found.via == "search"
    assert any(t.startswith("could not search gdelt (HTTP 503") for t in check.discovery_tried)


def test_nothing_found_names_each_backend_and_a_backend_unreached_is_never_no_match(world: World, tmp_path: Path) -> None:
    world.services.down.update({"gdelt", "search"})
    check = world.check(tmp_path, ["“A story nobody has,” Numbered Times, September 17, 2024."])[0]
    assert check.verdict is Verdict.UNLINKED and check.found is None
    assert "could not search gdelt" in check.reason and "could not search search" in check.reason and "no match" not in check.reason
    assert any(t.startswith("identifiers: not asked") for t in check.discovery_tried)


def test_a_candidate_that_404s_is_rejected_and_the_next_one_verified(world: World, tmp_path: Path) -> None:
    title = "Flooding displaces thousands in Niger"
    gone = world.other.url("/news/articles/c000000gone")
    true = world.other_pages.add("/news/articles/c1flood2niger", article(title, "2024-08-20", "Numbered Times"))
    world.services.articles += [Article(gone, title, "20240820T070000Z", world.other.host), Article(true, title, "20240820T080000Z", world.other.host)]
    check = world.check(tmp_path, [f"“{title},” Numbered Times, August 20, 2024."])[0]
    assert check.url == true and check.found is not None and any(r.startswith(gone) and "404" in r for r in check.found.rejected)


def test_a_press_release_and_a_translation_of_the_report_are_not_the_report(world: World, tmp_path: Path) -> None:
    title = "Sahel: Civilians Pay the Price of Counterterrorism"
    # the search holds the report's press release on another site, and its French edition; the report itself is gone from the index
    world.other_pages.add("/press/sahel-civilians-pay-the-price-of-counterterrorism", article(title, "2024-06-12", "Numbered Times"))
    world.ngo_pages.add(
        "/fr/news/2024/06/12/sahel-les-civils-paient-le-prix", article("Sahel : les civils paient le prix de l’antiterrorisme", "2024-06-12", "Example Watch")
    )
    world.services.index += [
        Result(world.other.url("/press/sahel-civilians-pay-the-price-of-counterterrorism"), title, published="2024-06-12"),
        Result(world.ngo.url("/fr/news/2024/06/12/sahel-les-civils-paient-le-prix"), "Sahel : les civils paient le prix", published="2024-06-12"),
    ]
    check = world.check(tmp_path, [f"“{title},” Example Watch, June 12, 2024."], backends=("search",))[0]
    assert check.verdict is Verdict.UNLINKED and check.url is None  # a wrong URL is worse than none


def test_a_scholarly_article_is_found_through_crossref_and_its_doi(world: World, tmp_path: Path) -> None:
    title = "How the Wagner Group Is Aggravating the Jihadi Threat in the Sahel"
    world.api.route("/journal/wagner-sahel", article(title, "2022-11-30", "Example Journal", author="Wassim Nasr"))  # a publisher's site
    landing = world.api.url("/journal/wagner-sahel")
    world.api.route("/doi/10.5555/ctc.2022.15.11", Response(302, b"", {"Location": landing}))
    world.services.works += [
        {
            "DOI": "10.5555/ctc.2022.15.11",
            "title": [title],
            "author": [{"given": "Wassim", "family": "Nasr"}],
            "issued": {"date-parts": [[2022, 11]]},
            "container-title": ["CTC Sentinel"],
            "type": "journal-article",
            "URL": "https://doi.org/10.5555/ctc.2022.15.11",
        },
        {
            "DOI": "10.5555/other",
            "title": ["The Wagner Group in Africa"],
            "author": [{"given": "A", "family": "Other"}],
            "issued": {"date-parts": [[2023]]},
            "type": "journal-article",
        },
    ]
    check = world.check(tmp_path, [f"Wassim Nasr, “{title},” Example Journal 15:11 (2022)."], backends=("crossref",))[0]
    assert check.verdict is Verdict.OK and check.found is not None and check.found.via == "crossref"
    assert check.url == world.api.url("/doi/10.5555/ctc.2022.15.11")  # the DOI's lasting address, not the landing page
    assert any(r.path.startswith("/crossref/works?query.bibliographic=") for r in world.api.requests)


def test_a_un_report_named_by_its_symbol_is_its_pdf(world: World, tmp_path: Path) -> None:
    pdf = (Path(__file__).resolve().parent.parent / "fixtures" / "pages" / "un-monitoring-report.pdf").read_bytes()
    world.api.route("/undocs/S/2024/556", Response(200, pdf, {"Content-Type": "application/pdf"}))
    title = (
        "Thirty-fourth report of the Analytical Support and Sanctions Monitoring Team submitted pursuant to resolution 2734 (2024) concerning "
        "ISIL (Da’esh), Al-Qaida and associated individuals and entities"
    )
    # the document service is the UN's own site (documents.un.org), as the fake's host is here
    un = [{"name": "United Nations", "domains": [world.api.host], "kind": "report"}]
    check = world.check(tmp_path, [f"“{title},” S/2024/556, United Nations, July 22, 2024, p. 6."], outlets=un)[0]
    assert check.verdict is Verdict.OK and check.found is not None and check.found.via == "identifiers"
    assert check.url == world.api.url("/undocs/S/2024/556") and check.resolution is not None and check.resolution.page.kind == "pdf"


def test_a_book_found_by_its_isbn_on_a_catalogue_is_ok_not_mismatched_for_its_publisher(world: World, tmp_path: Path) -> None:
    # Open Library answers /isbn/<13 digits> with a redirect to the edition's record, titled
    # "<title> by <author> | Open Library": the record, not the publisher's site, is the work's page
    record = "/openlibrary/books/OL364166M/Seeing_Like_a_State"
    world.api.route("/openlibrary/isbn/9780300078152", Response(302, b"", {"Location": world.api.url(record)}))
    html = (
        "<!doctype html><html lang='en'><head><title>Seeing Like a State by James C. Scott | Open Library</title>"
        '<meta property="og:site_name" content="Open Library"></head>'
        "<body><h1>Seeing Like a State</h1><p>by James C. Scott. Published 1998 by Yale University Press.</p></body></html>"
    )
    world.api.route(record, Response(200, html.encode(), {"Content-Type": "text/html; charset=utf-8"}))
    note = "James C. Scott, Seeing Like a State (New Haven: Yale University Press, 1998), ISBN 978-0-300-07815-2."
    check = world.check(tmp_path, [note])[0]
    assert check.found is not None and check.found.via == "identifiers"
    assert check.verdict is Verdict.OK, check.reason
    assert check.url == world.api.url("/openlibrary/isbn/9780300078152")
    outlet = [f for f in check.findings if f.check == "outlet"]
    assert all(f.level.value != "fail" for f in outlet)


def test_a_gone_work_without_an_archived_copy_is_found_at_its_new_home(world: World, tmp_path: Path) -> None:
    title = "Niger junta expels French ambassador"
    old = world.news.url("/en/africa/niger-junta-expels-french-ambassador")  # 404: the site moved its articles
    true = world.news_pages.add("/en/africa/20230826-niger-junta-expels-french-ambassador", article(title, "2023-08-26"))
    world.services.captures.append(Capture(true, "20230826100000"))
    check = world.check(tmp_path, [f"“{title},” Example News, August 26, 2023, {old}."])[0]
    assert check.verdict is Verdict.MOVED and check.url == old and check.fix == true
    assert check.found is not None and check.found.via == "listings" and "its new home was found" in check.reason


def test_garbage_and_rate_limits_from_a_backend_are_reported_and_the_run_goes_on(world: World, tmp_path: Path) -> None:
    calls = {"n": 0}

    def limited(req):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return Response(429, b"", {"Retry-After": "0"}) if calls["n"] == 1 else Response(200, b"<html>not json</html>", {"Content-Type": "text/html"})

    world.api.route("/gdelt/doc", limited)
    check = world.check(tmp_path, ["“A story nobody has,” Numbered Times, September 17, 2024."], backends=("gdelt",))[0]
    assert check.verdict is Verdict.UNLINKED and calls["n"] == 2  # retried after its Retry-After, then read
    assert any(t.startswith("could not search gdelt (an answer that is not its JSON") for t in check.discovery_tried)


def test_discovery_is_off_with_no_discover_and_without_verification(world: World, tmp_path: Path) -> None:
    title = "Burkina Faso: Massacre Shows Need to Protect Civilians"
    world.ngo_pages.add("/news/2024/10/29/burkina-faso-massacre-shows-need-protect-civilians", article(title, "2024-10-29", "Example Watch"))
    path = tmp_path / "d.txt"
    path.write_text(f"Claim.1\nNotes\n[1] “{title},” Example Watch, October 29, 2024.\n", "utf-8")
    options = FetchOptions(allow_private=True, min_interval=0.0, soft404_probe=False, dns_canary="localhost")
    for verification, discover in ((None, DiscoverOptions()), (Verification(registry=world.registry(), processes=False), None)):
        report = asyncio.run(check_document(Draft(read_draft(str(path))), options, endpoints=world.endpoints(), verification=verification, discover=discover))
        assert report.checks[0].verdict is Verdict.UNLINKED and report.checks[0].found is None
    assert world.ngo.requests == [] and world.api.requests == []


def test_only_the_works_title_authors_outlet_and_date_leave_the_machine(world: World, tmp_path: Path) -> None:
    from urllib.parse import parse_qs, unquote, urlsplit

    secret = "the draft's unpublished sentence"
    path = tmp_path / "d.txt"
    path.write_text(f"Our {secret} is here.1\nNotes\n[1] Jane Roe, “A story nobody has,” Numbered Times, September 17, 2024.\n", "utf-8")
    options = FetchOptions(allow_private=True, min_interval=0.0, soft404_probe=False, dns_canary="localhost")
    asyncio.run(
        check_document(
            Draft(read_draft(str(path))),
            options,
            endpoints=world.endpoints(),
            archive=ArchiveOptions(per_minute=6000),
            verification=Verification(registry=world.registry(), processes=False),
            discover=DiscoverOptions(search_url=world.api.url("/searx"), gdelt_interval=0.0),
        )
    )
    sent = " ".join(unquote(r.path) for r in world.api.requests)
    assert world.api.requests and "unpublished" not in sent and "Claim" not in sent
    asked = [parse_qs(urlsplit(r.path).query) for r in world.api.requests if r.path.startswith("/searx/")]
    assert asked and asked[0]["q"] == [f'"A story nobody has" site:{world.other.host}']


@pytest.mark.parametrize(
    "fmt, draft, repaired",
    [
        (
            "markdown",
            "Claim.[^1]\n\n[^1]: “Burkina Faso: Massacre Shows Need to Protect Civilians,” Example Watch, October 29, 2024.\n",
            "Claim.[^1]\n\n[^1]: “[Burkina Faso: Massacre Shows Need to Protect Civilians](<{url}>),” Example Watch, October 29, 2024.\n",
        ),
        (
            "html",
            '<p>Claim.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a></p>\n<section class="footnotes" '
            'role="doc-endnotes"><ol><li id="fn1"><p>“Burkina Faso: Massacre Shows Need to Protect Civilians,” Example Watch, October 29, 2024.</p></li>'
            "</ol></section>\n",
            '<p>Claim.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a></p>\n<section class="footnotes" '
            'role="doc-endnotes"><ol><li id="fn1"><p>“<a href="{url}">Burkina Faso: Massacre Shows Need to Protect Civilians</a>,” Example Watch, '
            "October 29, 2024.</p></li></ol></section>\n",
        ),
    ],
)
def test_fix_makes_the_title_of_a_found_work_a_link_to_it(world: World, tmp_path: Path, fmt: str, draft: str, repaired: str) -> None:
    from citecheck.fix import fixed_bytes

    title = "Burkina Faso: Massacre Shows Need to Protect Civilians"
    url = world.ngo_pages.add("/news/2024/10/29/burkina-faso-massacre-shows-need-protect-civilians", article(title, "2024-10-29", "Example Watch"))
    path = tmp_path / ("d.md" if fmt == "markdown" else "d.html")
    path.write_text(draft, "utf-8")
    options = FetchOptions(allow_private=True, min_interval=0.0, soft404_probe=False, dns_canary="localhost")
    report = asyncio.run(
        check_document(
            Draft(read_draft(str(path))),
            options,
            endpoints=world.endpoints(),
            verification=Verification(registry=world.registry(), processes=False),
            discover=DiscoverOptions(gdelt_interval=0.0),
        )
    )
    after, edits = fixed_bytes(path.read_bytes(), fmt, report)
    assert after.decode("utf-8") == repaired.format(url=url) and len(edits) == 1 and "found" in edits[0].why


def test_a_work_no_backend_applies_to_says_why_each_was_not_asked(world: World, tmp_path: Path) -> None:
    check = world.check(tmp_path, ["“Sahel : le point sur la situation,” France24 via YouTube, October 22, 2024."], search_url=None)[0]
    assert check.verdict is Verdict.UNLINKED and check.reason.startswith("the note gives no URL; not searched (")
    assert "search: not asked (no search_url is configured)" in check.reason and world.api.requests == []


def test_crossrefs_stated_rate_limit_slows_the_next_queries() -> None:
    from citecheck.discover.base import Context
    from citecheck.discover.crossref import _keep_to_its_limit
    from citecheck.fetch.gates import HostGate

    async def go() -> list[float]:
        ctx = Context(None, Endpoints(), OutletRegistry(), DiscoverOptions())  # type: ignore[arg-type]
        ctx.gates["crossref"] = HostGate(2, 0.2)
        seen = []
        for headers in ({"x-rate-limit-limit": "5", "x-rate-limit-interval": "1s"}, {"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"}, {}):
            _keep_to_its_limit(ctx, headers)
            seen.append(ctx.gates["crossref"].interval)
        return seen

    assert asyncio.run(go()) == [0.4, 0.4, 0.4]  # half of 5 a second; a higher limit later never speeds it past that


@pytest.mark.parametrize("backend", ["openalex", "semantic-scholar"])
def test_a_work_crossref_lacks_is_found_by_openalex_or_semantic_scholar_when_configured(world: World, tmp_path: Path, backend: str) -> None:
    title = "Insurgent Rivalry and Civilian Victimization in the Sahel"
    landing = world.api.url("/repository/rivalry")
    world.api.route("/repository/rivalry", article(title, "2023-05-02", "Example Repository", author="Jane Diallo"))
    world.api.route("/doi/10.48550/example.2023.1", Response(302, b"", {"Location": landing}))
    world.services.works.append(
        {
            "DOI": "10.48550/example.2023.1",
            "title": [title],
            "author": [{"given": "Jane", "family": "Diallo"}],
            "issued": {"date-parts": [[2023, 5]]},
            "type": "posted-content",
        }
    )
    note = f"Jane Diallo, “{title},” Example Repository 4, no. 2 (2023)."
    key = {"openalex_key": "k-secret-123"} if backend == "openalex" else {}
    check = world.check(tmp_path, [note], backends=(backend,), **key)[0]
    assert check.verdict is Verdict.OK and check.found is not None and check.found.via == backend
    assert check.url == world.api.url("/doi/10.48550/example.2023.1")
    assert "k-secret-123" not in " ".join([check.reason, *check.discovery_tried, *check.found.evidence])


def test_openalex_is_not_asked_without_its_key(world: World, tmp_path: Path) -> None:
    check = world.check(tmp_path, ["Jane Diallo, “A Paper,” Example Repository 4, no. 2 (2023)."], backends=("openalex",))[0]
    assert check.verdict is Verdict.UNLINKED and "openalex: not asked (no OpenAlex API key is configured)" in check.reason
    assert world.services.asked.get("openalex") is None


def test_the_openalex_key_comes_from_the_environment_and_is_never_shown() -> None:
    options = DiscoverOptions().with_environment({"CITECHECK_OPENALEX_KEY": "k-env"})
    assert options.openalex_key == "k-env" and "k-env" not in repr(options)
    assert DiscoverOptions(openalex_key="k-config").with_environment({"CITECHECK_OPENALEX_KEY": "k-env"}).openalex_key == "k-config"


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}</urlset>"""
NEWS_URL = """<url><loc>{loc}</loc><news:news><news:publication><news:name>Feed Daily</news:name><news:language>en</news:language>
</news:publication><news:publication_date>{day}T07:30:00+00:00</news:publication_date><news:title>{title}</news:title></news:news></url>
"""


def test_an_outlets_news_sitemap_as_archived_on_the_cited_day_lists_the_work(world: World, tmp_path: Path) -> None:
    title = "Chad: Thousands flee fighting near the border"
    true = world.other_pages.add("/news/a/8842913", article(title, "2023-04-12", "Feed Daily"))
    other = world.other.url("/news/a/8842900")
    feed = world.other.url("/sitemap-news.xml")
    urls = NEWS_URL.format(loc=other, day="2023-04-12", title="Chad: Talks resume in the capital") + NEWS_URL.format(loc=true, day="2023-04-12", title=title)
    world.services.captures.append(Capture(feed, "20230413090000", mimetype="application/xml"))
    world.services.snapshots[(feed, "20230413090000")] = NEWS_SITEMAP.format(urls=urls).encode()
    check = world.check(tmp_path, [f"“{title},” Feed Daily, April 12, 2023."], backends=("feeds",))[0]
    assert check.verdict is Verdict.OK and check.url == true and check.found is not None and check.found.via == "feeds"
    assert "the Wayback Machine's capture of 20230413" in check.found.evidence[0]
    assert any("rss.xml" in t and "no capture of it near the cited day" in t for t in check.discovery_tried)


def test_feed_items_are_read_from_news_sitemaps_rss_and_atom() -> None:
    from citecheck.discover.feeds import feed_items

    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title><item><title>One story</title><link>https://e.org/1</link>'
        b"<pubDate>Tue, 03 Sep 2024 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Two</title><link href="https://e.org/2"/>'
        b"<published>2024-09-04T08:00:00Z</published></entry></feed>"
    )
    sitemap = NEWS_SITEMAP.format(urls=NEWS_URL.format(loc="https://e.org/3", day="2024-09-05", title="Three")).encode()
    hostile = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title><link>https://e.org/4</link></item></channel></rss>'
    assert feed_items(rss) == [("https://e.org/1", "One story", "2024-09-03")]
    assert feed_items(atom) == [("https://e.org/2", "Two", "2024-09-04")]
    assert feed_items(sitemap) == [("https://e.org/3", "Three", "2024-09-05")]
    assert all("root:" not in title for _, title, _ in feed_items(hostile)) and feed_items(b"not xml") == []


def test_with_the_archives_off_the_backends_that_read_the_wayback_machine_are_not_asked(world: World, tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text(
        "Claim.1 Two.2\nNotes\n[1] “Senegal votes,” Example News, March 24, 2024.\n[2] Wassim Nasr (@SimNasr), “#Mali un post …,” X, September 20, 2024.\n",
        "utf-8",
    )
    options = FetchOptions(allow_private=True, min_interval=0.0, soft404_probe=False, dns_canary="localhost")
    report = asyncio.run(
        check_document(
            Draft(read_draft(str(path))),
            options,
            endpoints=world.endpoints(),
            archive=None,
            verification=Verification(registry=world.registry(), processes=False),
            discover=DiscoverOptions(gdelt_interval=0.0),
        )
    )
    news, post = report.checks
    assert any(t.startswith("listings: not asked (the archives are off") for t in news.discovery_tried)
    assert any(t.startswith("x-archive: not asked (the archives are off") for t in post.discovery_tried)
    assert world.services.asked.get("cdx") is None
