"""The verifier's checks one by one, the page reader, and verification through archives and the cache."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from citecheck.config import VerifyOptions, load_config
from citecheck.fetch.cache import Cache
from citecheck.model import Candidate, Document, Level, Note, PageEvidence, PartialDate, Place, Source, Verdict
from citecheck.outlets import OutletRegistry
from citecheck.pipeline.check import check_document
from citecheck.pipeline.pages import Verification
from citecheck.pipeline.stages import verify_citation
from citecheck.recover.archive import ArchiveOptions
from citecheck.verify.extract import extract, guess_language
from citecheck.verify.match import find_quote, normalize, title_similarity
from citecheck.verify.rules import Cited, check_date, check_outlet, check_title
from tests.loopback import Response
from tests.test_archive_platforms import fakes, opts  # noqa: F401 - the fixture is used by name

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
REGISTRY = OutletRegistry.default()
OPTIONS = VerifyOptions()


def src(**kw: object) -> Source:
    base: dict = dict(id="1.1", note_id="1", text="…")
    base.update(kw)
    return Source(**base)


def page(**kw: object) -> PageEvidence:
    base: dict = dict(kind="html", url="https://www.hrw.org/news/x")
    base.update(kw)
    return PageEvidence(**base)


# --- normalization and quotations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("“Da’esh” — l’État", "\"Da'esh\" - l'Etat"),
        ("Al Qaïda", "AL QAIDA"),
        ("Fish &amp; Chips", "fish & chips"),
        ("ﬁnal  report", "final report"),  # compatibility ligature, doubled space
    ],
)
def test_normalize_folds_typography(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


TEXT = normalize(
    "JNIM said that even if the villagers had been forced to dig, “this would not be an excuse to spare them. Anyone who supports "
    "the army, follows this regime or fights alongside it deserves to be held accountable.” The army forced residents to build a trench."
)


@pytest.mark.parametrize(
    "quote, found",
    [
        ("this would not be an excuse to spare them. Anyone who … follows this regime … deserves to be held accountable.", True),
        ("this would not be an excuse to spare them. Anyone who ... follows this regime ... deserves to be held accountable.", True),
        ("deserves to be held accountable … this would not be an excuse", False),  # pieces out of order
        ("forced [locals] to build a trench", True),  # an insertion standing for one word
        ("The army [in the region] forced residents to build", True),  # an insertion added to the original
        ("[T]he army forced residents", True),
        ("this would [not] be an excuse to spare them [and everyone else who lives in the town or nearby] held accountable", False),  # gap too long
        ("birth control", False),
    ],
)
def test_quotation_tolerances(quote: str, found: bool) -> None:
    score, _ = find_quote(quote, TEXT, OPTIONS)
    assert (score == 1.0) is found


def test_near_miss_is_scored_with_the_passage_found() -> None:
    score, found = find_quote("this would not be an excuse to spare him", TEXT, OPTIONS)
    assert 0.85 < score < 1.0 and found is not None and "spare them" in found


def test_a_word_or_two_is_never_fuzzily_matched() -> None:
    assert find_quote("spare then", TEXT, OPTIONS) == (0.0, None)


# --- titles ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cited, truncated, candidate, at_least",
    [
        ("Burkina Faso: Massacre Shows Need to Protect Civilians", False, "Burkina Faso: Massacre Shows Need to Protect Civilians | Human Rights Watch", 1.0),
        ("Mali Radisson Blu attack", False, "Mali Radisson Blu attack: Two Islamists sentenced to death", 1.0),
        (
            "#Mali en vu de la guerre avec FAMa & Wagner, la wilaya de #Tombouctou du #JNIM demande …",
            True,
            "#Mali en vu de la guerre avec FAMa & Wagner, la wilaya de #Tombouctou du #JNIM demande aux ONG de quitter la région",
            1.0,
        ),
    ],
)
def test_title_tolerances(cited: str, truncated: bool, candidate: str, at_least: float) -> None:
    assert title_similarity(cited, truncated, candidate, {"human rights watch"}) >= at_least


def test_same_prefix_before_the_colon_is_not_the_same_title() -> None:
    score = title_similarity("Burkina Faso: Massacre Shows Need to Protect Civilians", False, "Burkina Faso: Army Executes Civilians in Djibo", set())
    assert score < OPTIONS.title_warn


def test_error_page_fails_the_title_check_in_any_language() -> None:
    finding = check_title(Cited(src(title="Mali: au moins 40 civils tués"), []), page(titles=[Candidate("Page introuvable", "<title>")]), REGISTRY, OPTIONS)
    assert finding is not None and finding.level is Level.FAIL and "error page" in finding.message


def test_translated_title_is_a_language_warning() -> None:
    cited = Cited(src(title="Sahel: Al Qaeda, NGOs, Fulani communities… The latest on the situation", language="en"), [])
    found = check_title(
        cited, page(titles=[Candidate("Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation", "og:title")], language="fr"), REGISTRY, OPTIONS
    )
    assert found is not None and (found.check, found.level) == ("language", Level.WARN)


def test_language_guess_is_limited_to_languages_citecheck_reads() -> None:
    assert guess_language("Journey to Damascus: An Interview with Wassim Nasr, Journalist, France24") == "en"
    assert guess_language("ok") is None


# --- dates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cited, published, level",
    [
        (PartialDate(2024, 10, 29), "2024-10-30", Level.PASS),  # time zones
        (PartialDate(2024, 10, 29), "2024-10-31", Level.WARN),
        (PartialDate(2024, 10, 29), "2021-10-29", Level.FAIL),
        (PartialDate(2024, 10), "2024-10-31", Level.PASS),
        (PartialDate(2024, 10), "2024-11-20", Level.WARN),
        (PartialDate(2022), "2022-12-31", Level.PASS),
        (PartialDate(2022), "2024-06-01", Level.FAIL),
    ],
)
def test_date_checked_at_the_cited_precision(cited: PartialDate, published: str, level: Level) -> None:
    finding = check_date(Cited(src(issued=cited), []), page(published=Candidate(published, "meta")), REGISTRY, OPTIONS)
    assert finding is not None and finding.level is level


def test_an_update_date_alone_is_not_compared() -> None:
    finding = check_date(Cited(src(issued=PartialDate(2024, 10, 29)), []), page(modified=Candidate("2025-03-01", "meta")), REGISTRY, OPTIONS)
    assert finding is not None and finding.level is Level.SKIP and "update" in finding.message


# --- outlets --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outlet, url, site_name, authors, level",
    [
        ("BBC", "https://www.bbc.co.uk/news/x", None, [], Level.PASS),
        ("HRW", "https://www.hrw.org/news/x", None, [], Level.PASS),
        ("BBC", "https://www.cnn.com/x", "CNN", [], Level.FAIL),
        ("BBC", "https://www.reuters.com/x", None, [], Level.FAIL),  # the registry knows the site is another outlet's
        ("Le Monde", "https://www.lemonde.fr/x", None, [], Level.PASS),  # not in the registry: the address spells it
        ("Sahel Intelligence", "https://blog.example/x", "Sahel Intelligence", [], Level.PASS),  # the site's own name
        ("Sahel Intelligence", "https://blog.example/x", None, [], Level.WARN),  # nothing to tell either way
        ("France24", "https://www.youtube.com/watch?v=x", "YouTube", ["FRANCE 24 English"], Level.PASS),  # the outlet's channel
        ("France24", "https://www.youtube.com/watch?v=x", "YouTube", ["Random Reuploads"], Level.WARN),
    ],
)
def test_outlet_by_registry_site_name_or_channel(outlet: str, url: str, site_name: str | None, authors: list[str], level: Level) -> None:
    platform = "YouTube" if "youtube" in url else None
    finding = check_outlet(
        Cited(src(outlet=REGISTRY.lookup(outlet).name if REGISTRY.lookup(outlet) else outlet, platform=platform), []),
        page(url=url, site_name=site_name, authors=[Candidate(a, "oembed") for a in authors]),
        REGISTRY,
        OPTIONS,
    )
    assert finding is not None and finding.level is level, finding


def test_config_extends_the_registry_and_sets_thresholds(tmp_path: Path) -> None:
    (tmp_path / "citecheck.toml").write_text(
        '[verify]\ntitle_pass = 0.95\n\n[[outlet]]\nname = "Sahel Intelligence"\ndomains = ["sahel-intelligence.com"]\n', "utf-8"
    )
    config = load_config(str(tmp_path / "draft.md"))
    assert config.verify.title_pass == 0.95
    registry = OutletRegistry.default()
    registry.extend(config.outlets)
    finding = check_outlet(Cited(src(outlet="Sahel Intelligence"), []), page(url="https://sahel-intelligence.com/a"), registry, config.verify)
    assert finding is not None and finding.level is Level.PASS


# --- the page reader ------------------------------------------------------------------------------------------


def test_json_ld_graph_headline_author_and_date_are_read() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Site"},
            {
                "@type": "NewsArticle",
                "headline": "The Real Headline",
                "datePublished": "2024-09-17T10:00:00+02:00",
                "author": {"@type": "Person", "name": "Paul Njie"},
            },
        ],
    }
    body = f"<html lang='en-GB'><head><title>Home</title><script type='application/ld+json'>{json.dumps(ld)}</script></head><body><p>Text.</p></body></html>"
    ev = extract(body.encode(), url="https://www.bbc.com/a", content_type="text/html")
    assert ev.titles[0] == Candidate("The Real Headline", "json-ld headline")
    assert ev.published == Candidate("2024-09-17", "meta datepublished") and ev.language == "en"
    assert "Paul Njie" in [a.value for a in ev.authors]


def _metadata_readings(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry for each page read from now on whose metadata trafilatura was asked to fill in."""
    import citecheck.verify.extract as extract_module

    readings: list[bool] = []
    made = extract_module._filled_in
    monkeypatch.setattr(extract_module, "_filled_in", lambda tree: readings.append(True) or made(tree))
    return readings


def test_trafilatura_fills_in_the_site_name_the_markup_leaves_out(monkeypatch: pytest.MonkeyPatch) -> None:
    readings = _metadata_readings(monkeypatch)
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Attack in Bamako",
        "publisher": {"@type": "Organization", "name": "Sahel Tribune"},
    }
    body = (
        f"<html lang='en'><head><title>Attack in Bamako</title><meta name='author' content='Paul Njie'><script type='application/ld+json'>{json.dumps(ld)}</script>"
        "</head><body><article><h1>Attack in Bamako</h1><p>The text of the article.</p></article></body></html>"
    )
    ev = extract(body.encode(), url="https://sahel.example/a", content_type="text/html")
    assert ev.site_name == "Sahel Tribune"  # from the JSON-LD publisher, which only trafilatura reads
    assert [a.value for a in ev.authors] == ["Paul Njie"] and readings == [True]


def test_a_page_whose_markup_gives_title_site_and_author_skips_trafilaturas_metadata_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    readings = _metadata_readings(monkeypatch)
    body = (
        "<html lang='en'><head><title>Attack in Bamako - Sahel Tribune</title><meta property='og:title' content='Attack in Bamako'>"
        "<meta property='og:site_name' content='Sahel Tribune'><meta name='author' content='Paul Njie'></head>"
        "<body><article><h1>Attack in Bamako</h1><p>The text of the article, which is still read.</p></article></body></html>"
    )
    ev = extract(body.encode(), url="https://sahel.example/a", content_type="text/html")
    assert readings == []
    assert ev.site_name == "Sahel Tribune" and ev.titles[0].value == "Attack in Bamako" and [a.value for a in ev.authors] == ["Paul Njie"]
    assert "which is still read" in ev.text


# pages that take each step of trafilatura's metadata reading: the recorded originals declare a
# title and a site, and no one-word author
_METADATA_STEPS = {
    "no declared title": "<html><head><title>Attack in Bamako | Sahel Tribune</title></head><body><h1>Attack in Bamako</h1><p>Text.</p></body></html>",
    "title in h1 only": "<html><head></head><body><article><h1>Attack in Bamako</h1><p>Text of the article.</p></article></body></html>",
    "one-word author": "<html><head><meta name='author' content='admin'><title>A report</title></head><body><p class='byline'>By Paul Njie</p></body></html>",
    "author in JSON-LD": '<html><head><script type=\'application/ld+json\'>{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Awa Diallo"}, '
    '"publisher": {"@type": "Organization", "name": "Sahel Tribune"}}</script></head><body><p>Text.</p></body></html>',
    "site as a handle": "<html><head><meta name='twitter:site' content='@sahelTribune'><title>A report</title></head><body><p>Text.</p></body></html>",
    "site in the title": "<html><head><title>Attack in Bamako | sahel-tribune.com</title></head><body><p>Text.</p></body></html>",
    "lower-case site": "<html><head><meta property='og:site_name' content='sahel tribune'><title>A report</title></head><body><p>Text.</p></body></html>",
}


@pytest.mark.parametrize("page", [*sorted(PAGES.glob("*.html")), *_METADATA_STEPS], ids=lambda p: getattr(p, "name", p))
def test_the_metadata_filled_in_is_what_trafilaturas_own_pass_reads(page: Path | str) -> None:
    """`_filled_in` runs only the steps of trafilatura's `extract_metadata` that give a title, an
    author and a site name: on every recorded page, and on pages made to take each of its steps,
    it must read what the whole pass reads (a trafilatura upgrade that changes the pass fails here)."""
    import lxml.html
    from trafilatura.metadata import extract_metadata

    import citecheck.verify.extract as extract_module

    body = page.read_bytes() if isinstance(page, Path) else _METADATA_STEPS[page].encode()
    whole = extract_metadata(lxml.html.document_fromstring(body))
    ours = extract_module._filled_in(lxml.html.document_fromstring(body))
    assert (ours.title, ours.author, ours.sitename) == (whole.title, whole.author, whole.sitename)


_DECLARED_PAGE = (
    "<html lang='en'><head><title>Attack in Bamako - Sahel Tribune</title><meta property='og:title' content='Attack in Bamako'>"
    "<meta property='og:site_name' content='Sahel Tribune'><meta name='author' content='Paul Njie'>"
    "<meta property='article:published_time' content='2024-05-02T10:00:00Z'></head>"
    "<body><article><h1>Attack in Bamako</h1><p>Gunmen attacked the base at dawn, officials said on Thursday.</p></article></body></html>"
)


@pytest.mark.parametrize(
    ("needs", "html", "read"),
    [
        (None, _DECLARED_PAGE, True),  # what the page is checked for is not known: read whole
        ("nothing", _DECLARED_PAGE, False),  # no quotation, no author: the markup says everything checked
        ("Paul Njie", _DECLARED_PAGE, False),  # the cited author is named in the markup
        ("Awa Diallo", _DECLARED_PAGE, True),  # not named there: looked for at the top of the text
        ("quote", _DECLARED_PAGE, True),  # a quotation to find
        ("nothing", _DECLARED_PAGE.replace(" lang='en'", ""), True),  # no declared language: guessed from the text
    ],
)
def test_a_pages_main_text_is_read_only_when_what_it_is_checked_for_may_need_it(needs: str | None, html: str, read: bool) -> None:
    from citecheck.model import PageNeeds

    given = None if needs is None else PageNeeds(quotes=needs == "quote", authors=(needs,) if " " in needs else ())
    whole = extract(html.encode(), url="https://sahel.example/a", content_type="text/html")
    ev = extract(html.encode(), url="https://sahel.example/a", content_type="text/html", needs=given)
    assert ev.text_read is read and ("Gunmen attacked the base" in ev.text) is read
    # everything else the page says is read all the same
    assert (ev.titles, ev.authors, ev.published, ev.site_name, ev.language) == (whole.titles, whole.authors, whole.published, whole.site_name, whole.language)
    assert ev.language == "en"


def test_a_page_cached_without_its_text_is_fetched_again_once_a_quotation_needs_it(tmp_path: Path) -> None:
    """A draft whose note cites the page with nothing to look for in its text: the page is read
    without it, and cached so. The editor then quotes the page: the next run fetches it again and
    finds the quotation; the run after that is served by the cache."""
    from citecheck import read_draft
    from citecheck.pipeline.check import Draft
    from tests.loopback import Loopback

    with Loopback("127.0.0.47") as lb:
        lb[0].route("/bamako", Response(200, _DECLARED_PAGE.encode(), {"Content-Type": "text/html; charset=utf-8"}))
        note = f"[1] Paul Njie, “Attack in Bamako,” Sahel Tribune, May 2, 2024, {lb[0].url('/bamako')}."
        path = tmp_path / "draft.txt"
        runs = []
        for body in (
            "The base was attacked at dawn.1",
            "Officials said gunmen “attacked the base at dawn.”1",
            "Officials said gunmen “attacked the base at dawn.”1",
        ):
            path.write_text(body + "\nNotes\n" + note + "\n", encoding="utf-8")
            cache = Cache(str(tmp_path / "c.db"), max_age=3600)
            report = asyncio.run(check_document(Draft(read_draft(str(path))), opts(), cache=cache, verification=Verification(processes=False)))
            cached = cache.get(lb[0].url("/bamako"))
            cache.close()
            check = report.checks[0]
            runs.append((check.verdict, {f.check: f.level for f in check.findings}, cached.page.text_read, len(lb[0].hits("/bamako"))))
    assert runs[0] == (Verdict.OK, {"title": Level.PASS, "date": Level.PASS, "author": Level.PASS, "outlet": Level.PASS}, False, 1)
    assert runs[1] == (Verdict.OK, {"title": Level.PASS, "date": Level.PASS, "author": Level.PASS, "outlet": Level.PASS, "quote": Level.PASS}, True, 2)
    assert runs[2] == runs[1]  # from the cache: no third request


def test_undeclared_legacy_charset_is_decoded() -> None:
    body = (
        "<html><head><title>Sécurité au Sahel : l'armée déployée</title></head><body><p>Les forces armées ont été déployées dans la région.</p></body></html>"
    )
    ev = extract(body.encode("cp1252"), url="https://www.rfi.fr/a", content_type="text/html")
    assert ev.titles[0].value == "Sécurité au Sahel : l'armée déployée"


@pytest.mark.parametrize(
    "body, problem",
    [
        (b"%PDF-1.4\n1 0 obj garbage", "could not read the PDF"),
        (b"", "not a page"),
    ],
)
def test_broken_documents_give_evidence_with_problems_not_exceptions(body: bytes, problem: str) -> None:
    ev = extract(body, url="https://documents.un.org/a.pdf", content_type="application/pdf" if body else "image/png")
    assert any(problem in p for p in ev.problems)


def test_encrypted_pdf_is_reported() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(PAGES / "un-monitoring-report.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    ev = extract(buffer.getvalue(), url="https://documents.un.org/a.pdf", content_type="application/pdf")
    assert ev.problems and "encrypted" in ev.problems[0] and ev.text == ""


def test_pdf_title_author_date_and_the_quoted_page() -> None:
    ev = extract((PAGES / "un-monitoring-report.pdf").read_bytes(), url="https://documents.un.org/a.pdf", content_type="application/pdf")
    assert ev.titles[0].where == "pdf info" and ev.titles[0].value.startswith("Thirty-fourth report")
    assert ev.published == Candidate("2024-07-22", "pdf info CreationDate")
    assert "logistical corridors essential for their expansion" in " ".join(ev.text.split())


@pytest.mark.parametrize(("needs", "whole"), [(None, True), ("quote", True), ("Ann Lee", True), ("United Nations", False), ("nothing", False)])
def test_a_pdf_is_read_past_its_first_pages_only_when_a_check_may_need_it(needs: str | None, whole: bool) -> None:
    """Its first pages give its language and title line; a quotation (here on page 6) or an author
    its info does not name needs the rest."""
    from citecheck.model import PageNeeds

    given = None if needs is None else PageNeeds(quotes=needs == "quote", authors=(needs,) if " " in needs else ())
    body = (PAGES / "un-monitoring-report.pdf").read_bytes()
    ev = extract(body, url="https://documents.un.org/a.pdf", content_type="application/pdf", needs=given)
    assert ev.text_read is whole
    assert ("logistical corridors essential for their expansion" in " ".join(ev.text.split())) is whole
    assert ev.language == "en" and [c.where for c in ev.titles] == ["pdf info", "pdf first line"]


def test_verify_citation_reports_every_check_in_order() -> None:
    findings = verify_citation(
        "Wedaeli Chibelushi and Paul Njie, “Al-Qaeda-linked group says it was behind Mali attack,” BBC, September 17, 2024.",
        (PAGES / "bbc-mali-attack.html").read_bytes(),
        url="https://www.bbc.com/news/articles/c0mzpqj2pd9o",
    )
    assert [(f.check, f.level) for f in findings] == [
        ("title", Level.PASS),
        ("date", Level.PASS),
        ("author", Level.PASS),
        ("author", Level.PASS),
        ("outlet", Level.PASS),
    ]


# --- through the checker: cache and archives -------------------------------------------------------------------


def _doc(url: str, note: str = "“Burkina Faso: Massacre Shows Need to Protect Civilians,” Human Rights Watch, October 29, 2024.") -> Document:
    source = src(
        title="Burkina Faso: Massacre Shows Need to Protect Civilians", outlet="Human Rights Watch", issued=PartialDate(2024, 10, 29), url=url, text=note
    )
    return Document(path="d.txt", format="text", notes=[Note(id="1", text=note, place=Place("d.txt", 3), sources=[source])])


def _hrw_registry(host: str) -> OutletRegistry:
    registry = OutletRegistry.default()
    registry.extend([{"name": "Human Rights Watch", "domains": [host]}])
    return registry


def test_a_changed_live_page_gets_the_archived_copy_that_still_matches(fakes) -> None:  # noqa: F811
    api, endpoints = fakes
    live = api.url("/news/2024/10/29/burkina")
    api.route("/news/2024/10/29/burkina", Response(200, (PAGES / "hrw-barsalogho.retitled.html").read_bytes(), {"Content-Type": "text/html"}))
    api.route("/cdx/search/cdx", lambda req: Response(200, json.dumps([["timestamp", "original"], ["20241030090000", live]]).encode()))
    api.route(f"/web/20241030090000id_/{live}", Response(200, (PAGES / "hrw-barsalogho.html").read_bytes(), {"Content-Type": "text/html"}))
    verification = Verification(registry=_hrw_registry("127.0.0.20"))
    report = asyncio.run(check_document(_doc(live), opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000), verification=verification))
    check = report.checks[0]
    assert check.verdict is Verdict.MISMATCHED and "title differs" in check.reason
    assert check.fix == f"{endpoints.wayback_web}/20241030090000/{live}" and "matches the citation (the page has changed since)" in check.reason


def test_an_archived_copy_of_something_else_is_no_fix(fakes) -> None:  # noqa: F811
    api, endpoints = fakes
    gone = api.url("/news/gone")
    api.route("/cdx/search/cdx", lambda req: Response(200, json.dumps([["timestamp", "original"], ["20241030090000", gone]]).encode()))
    api.route(f"/web/20241030090000id_/{gone}", Response(200, (PAGES / "bbc-cafe.html").read_bytes(), {"Content-Type": "text/html"}))
    verification = Verification(registry=_hrw_registry("127.0.0.20"))
    report = asyncio.run(check_document(_doc(gone), opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000), verification=verification))
    check = report.checks[0]
    assert check.verdict is Verdict.MISMATCHED and check.reason.startswith("missing, and the archived copy of 2024-10-30 is not the cited work")
    assert check.fix is None


def test_cached_pages_are_verified_again_without_a_request(fakes, tmp_path: Path) -> None:  # noqa: F811
    api, endpoints = fakes
    live = api.url("/news/cached")
    api.route("/news/cached", Response(200, (PAGES / "hrw-barsalogho.html").read_bytes(), {"Content-Type": "text/html"}))
    verification = Verification(registry=_hrw_registry("127.0.0.20"))
    link_check = Cache(str(tmp_path / "c.db"), max_age=3600)
    asyncio.run(check_document(_doc(live), opts(), cache=link_check, endpoints=endpoints, verification=None))  # cached without page evidence
    link_check.close()
    verdicts = []
    for _ in range(2):
        cache = Cache(str(tmp_path / "c.db"), max_age=3600)
        report = asyncio.run(check_document(_doc(live), opts(), cache=cache, endpoints=endpoints, verification=verification))
        cache.close()
        verdicts.append((report.checks[0].verdict, [f.level for f in report.checks[0].findings]))
    assert len(api.hits("/news/cached")) == 2  # once for the link check, once to read the page; the third run used the cache
    assert verdicts[0] == verdicts[1] == (Verdict.OK, [Level.PASS, Level.PASS, Level.PASS])


@pytest.mark.parametrize(
    ("quote_on_page", "page_language", "known", "needed"),
    [
        (False, "fr", None, True),  # not found, page in a known language: maybe a translation
        (True, "fr", None, False),  # found: nothing to explain
        (False, None, None, False),  # the page's language unknown: no translation to name
        (False, "fr", "en", False),  # the draft's language known already
    ],
)
def test_the_drafts_language_is_needed_only_to_explain_a_quotation_not_found(
    quote_on_page: bool, page_language: str | None, known: str | None, needed: bool
) -> None:
    from citecheck.model import Finding
    from citecheck.verify.rules import check_quotes, needs_draft_language

    quote = "the attack was repelled at dawn by the army"
    text = f"Officials said {quote} on Monday." if quote_on_page else "Les autorités ont déclaré que l'attaque a été repoussée."
    cited = Cited(src(), [quote], draft_language=known)
    evidence = page(text=text, language=page_language)
    findings: list[Finding] = check_quotes(cited, evidence, OutletRegistry.default(), VerifyOptions()) or []
    assert needs_draft_language(cited, evidence, findings, VerifyOptions()) is needed


@pytest.mark.parametrize(
    "title, text",
    [
        ('Wassim Nasr on X: "#Mali en vu de la guerre avec FAMa & Wagner" / X', "#Mali en vu de la guerre avec FAMa & Wagner"),
        ("Wassim Nasr on Twitter: “#Mali #JNIM #AQMI annonce un com”", "#Mali #JNIM #AQMI annonce un com"),
        ('"Ceci est le 1er communiqué" / X', "Ceci est le 1er communiqué"),
        ("France 24 - Les dernières infos du Sahel | Facebook", "Les dernières infos du Sahel"),
        ('NASA on Instagram: "Look up tonight."', "Look up tonight."),
        ("Zuck (@zuck) on Threads: hello world", "hello world"),
        ("“hello there” • Threads", "hello there"),
        ("Jay (@jay.bsky.team): “Posting from the app” — Bluesky", "Posting from the app"),
        ('Eugen Rochko: "Toot text here" - mastodon.social', "Toot text here"),
        ("Al-Zallaqa Media – Telegram", "Al-Zallaqa Media"),
        (
            "Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation - YouTube",
            "Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation",
        ),
    ],
)
def test_a_platforms_title_wrapper_is_taken_off_before_matching(title: str, text: str) -> None:
    from citecheck.verify.match import unwrap_platform_title

    assert unwrap_platform_title(title) == text
    assert title_similarity(text, False, title, set()) == 1.0


@pytest.mark.parametrize("title", ["Burkina Faso: Massacre Shows Need to Protect Civilians", "Mali attack - BBC News", "Report 404: Trade routes"])
def test_an_ordinary_title_has_no_platform_wrapper(title: str) -> None:
    from citecheck.verify.match import unwrap_platform_title

    assert unwrap_platform_title(title) is None
