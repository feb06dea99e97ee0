"""The stages after a page is fetched: verifying it against the note, earlier archived copies, saving, finding unlinked works."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import urlsplit

from ..config import DiscoverOptions
from ..endpoints import Endpoints
from ..errors import InputError
from ..fetch.gates import HostGate
from ..fetch.resolver import Resolver
from ..model import (
    Document,
    Finding,
    Found,
    Level,
    Note,
    PageEvidence,
    PageNeeds,
    Place,
    RawNote,
    Resolution,
    Snapshot,
    Source,
    SourceCheck,
    Verdict,
)
from ..outlets import OutletRegistry
from ..parse.notes import parse_note
from ..recover.archive import ArchiveOptions, Archives
from ..recover.platforms import platform_rule
from ..verify.extract import (
    extract,
    from_post,
    guess_language,
)
from ..verify.rules import Cited, level_of, needs_draft_language, summary, verify
from .pages import PageReader, Verification

LIVE = "the live page"


class CitedWorks:
    """Each work as the draft cites it, built once: for what its page will be checked for
    (`page_needs`, as the pages are read) and for verifying it.

    The draft's language matters only when a quotation is not found on a page whose language is
    known (it may be a translation), so it is guessed only then, by the page reader (in its worker
    processes when it has them, where the language model is loaded already). Guessed for every
    check, it made a run whose pages all came from the cache wait for the page readers to start:
    60 verified links took 1.22 s again where a link check took 0.54-0.59 s, and 30 links loaded
    the model into the checking process (102 MB).
    """

    def __init__(self, doc: Document, works: list[tuple[Source, list[str], str | None]], reader: PageReader) -> None:
        self._doc = doc
        self._notes = {n.id: n for n in doc.notes}
        self._works = works
        self._citing = {src.id: (src, citing) for src, citing, _ in works}
        self._reader = reader
        self._language: asyncio.Task[str | None] | None = None
        self._built: dict[str, Cited] = {}

    def of(self, source_id: str) -> Cited:
        cited = self._built.get(source_id)
        if cited is None:
            src, citing = self._citing[source_id]
            cited = self._built[source_id] = cited_work(self._notes, src, citing)
        return cited

    def page_needs(self, verification: Verification) -> Callable[[str], PageNeeds | None]:
        """What each cited URL's page will be checked for (see PageNeeds), from every work citing it."""
        by_url: dict[str, PageNeeds] = {}
        shared: dict[PageNeeds, PageNeeds] = {}  # most pages need the same: one object for them all
        for src, _, url in self._works:
            if not url:
                continue
            quotes = bool(self.of(src.id).quotes)
            people = tuple(a for a in src.authors if verification.registry.lookup(a) is None)
            if (known := by_url.get(url)) is not None:
                quotes = quotes or known.quotes
                people = tuple(dict.fromkeys(known.authors + people))
            needs = PageNeeds(quotes, people, verification.options.author_match)
            by_url[url] = shared.setdefault(needs, needs)
        return by_url.get

    async def verified(self, source_id: str, page: PageEvidence, verification: Verification) -> list[Finding]:
        """The findings on `page` as this work's page, the draft's language guessed if they need it."""
        cited = self.of(source_id)
        if cited.draft_language is None and self._language is not None and self._language.done():
            cited.draft_language = self._language.result()  # guessed already, for another work
        findings = verify(cited, page, verification.registry, verification.options)
        if needs_draft_language(cited, page, findings, verification.options):
            if self._language is None:
                text = " ".join(claim.sentence for note in self._doc.notes for claim in note.claims)
                self._language = asyncio.ensure_future(self._reader.language(text))
            cited.draft_language = await self._language
            if cited.draft_language is not None:
                findings = verify(cited, page, verification.registry, verification.options)
        return findings


def cited_work(notes: dict[str, Note], src: Source, cited_in: list[str]) -> Cited:
    """The work as cited: its first citation, and the quotations of every sentence that cites it."""
    quotes: list[str] = []
    for note_id in cited_in:
        for claim in notes[note_id].claims:
            quotes.extend(q for q in claim.quotes if q not in quotes)
    shares = any(len(notes[n].sources) > 1 for n in cited_in)
    return Cited(src, quotes, shares_note=shares)


def evidence_of(check: SourceCheck) -> tuple[PageEvidence | None, str]:
    """What to verify a source against: the page found, else the archived copy of a page gone."""
    res = check.resolution
    if check.verdict in (Verdict.OK, Verdict.MOVED) and res is not None:
        if res.post is not None:
            return from_post(res.post, res.url), f"{res.post.provider}'s embed endpoint"
        if res.page is not None:
            return res.page, LIVE
    if check.archive is not None and check.archive.page is not None:
        return check.archive.page, f"the archived copy of {check.archive.date}"
    return None, ""


def record_findings(check: SourceCheck, page: PageEvidence, against: str, findings: list[Finding]) -> None:
    """The findings on the page the check was verified against (`against` names it), and their verdict."""
    check.verified_against = against
    check.findings = [Finding("page", Level.WARN, problem) for problem in page.problems] + findings
    if level_of(check.findings) is not Level.FAIL:
        return
    was = check.verdict
    check.verdict = Verdict.MISMATCHED
    check.reason = f"{against} is not the cited work: {summary(check.findings)}"
    if was in (Verdict.MISSING, Verdict.UNREACHABLE):
        check.reason = f"{was.value}, and {check.reason}"
        check.fix = None  # an archived copy of something else is no fix


async def earlier_copy(archives: Archives, check: SourceCheck, works: CitedWorks, verification: Verification) -> None:
    """A live page that no longer matches: the archived copy closest to the cited date may still say what was cited."""
    cited = works.of(check.source_id)
    snapshot, tried = await archives.find(check.url or "", cited.source.accessed or cited.source.issued)
    check.archive_tried.extend(tried)
    if snapshot is None or snapshot.page is None:
        return
    findings = await works.verified(check.source_id, snapshot.page, verification)
    if level_of(findings) is Level.FAIL:
        check.archive_tried.append(f"the archived copy of {snapshot.date} does not match either: {summary(findings)}")
        return
    check.archive = snapshot
    check.fix = snapshot.url
    check.reason += f"; the archived copy of {snapshot.date} matches the citation (the page has changed since)"


async def save_check(archives: Archives, check: SourceCheck, within_days: float) -> None:
    """Make sure a live source has a recent archived copy, asking Save Page Now when it has none."""
    url = check.fix if check.verdict is Verdict.MOVED and check.fix else check.url or ""
    snapshot, what, _ = await archives.keep_copy(url, within_days)
    check.archive_tried.append(what)
    if snapshot is not None:
        check.archive = snapshot


class Finder:
    """The discovery stage of a check: finds the URL of a work its note does not link (or of a
    gone work's new home), each lead fetched by the run's resolver and verified as the work."""

    def __init__(
        self,
        doc: Document,
        resolver: Resolver,
        endpoints: Endpoints,
        options: DiscoverOptions,
        archives: Archives | None,
        cited: CitedWorks,
        verification: Verification,
    ) -> None:
        # here, not at the top: discovery loads only when a note gives no URL
        from ..discover.base import Context
        from ..discover.find import backends

        self.doc, self.resolver, self.cited, self.verification = doc, resolver, cited, verification
        self.ctx = Context(
            resolver, endpoints, verification.registry, options, learnt_sites=learnt_sites(doc, verification.registry), archives_on=archives is not None
        )
        # each service at a pace well inside its published limits; the CDX API's is the archive
        # look-ups' own when the archives are on (the first gate registered for a prefix is the one used)
        archives = archives or Archives(resolver, endpoints, ArchiveOptions())
        self.order = backends(options.backends, archives)
        gates = {
            "gdelt": (endpoints.gdelt, HostGate(1, options.gdelt_interval)),
            "crossref": (endpoints.crossref, HostGate(2, 0.2)),  # then kept to half its x-rate-limit-* (discover/crossref.py)
            "openalex": (endpoints.openalex, HostGate(1, 0.2)),
            "semantic-scholar": (endpoints.semantic_scholar, HostGate(1, 1.0)),
        }  # about one a second without a key
        if options.search_url:
            gates["search"] = (options.search_url, HostGate(2, options.search_interval))
        for name, (prefix, gate) in gates.items():
            resolver.pace(prefix, gate)
            self.ctx.gates[name] = gate

    async def find(self, check: SourceCheck, src: Source) -> None:
        # here, not at the top: discovery loads only when a note gives no URL
        from ..discover.accept import as_found, evidence, rejection
        from ..discover.base import Lead, WorkQuery
        from ..discover.find import Trial, find_url

        if not src.title:
            check.discovery_tried = ["not searched: the note gives no title to search for"]
            return
        # the title's language, for outlets whose addresses carry it (/en/, /fr/), when the note does not say
        language = src.language or guess_language(src.title, min_confidence=0.8)
        work = WorkQuery(
            src.id,
            src.title,
            src.title_truncated,
            tuple(src.authors),
            src.outlet,
            src.issued,
            src.kind,
            language,
            src.text,
            src.volume,
            src.issue,
            src.platform,
            post_handle(src, self.doc),
        )
        outlet_known = bool(src.outlet and self.verification.registry.lookup(src.outlet))
        pages: dict[str, tuple[Resolution, PageEvidence, list[Finding]]] = {}

        async def trial(lead: Lead) -> Trial:
            res = await resolve_source(self.resolver, self.ctx.endpoints, lead.url)
            page = from_post(res.post, res.url) if res.post is not None else res.page
            if res.verdict not in (Verdict.OK, Verdict.MOVED) or page is None:
                return Trial(lead, False, f"{res.verdict.value}: {res.reason}")
            findings = await self.cited.verified(src.id, page, self.verification)
            identified = lead.via == "identifiers"
            why = rejection(
                findings,
                res.final_url or lead.url,
                src.issued,
                outlet_known,
                listed_day=lead.published,
                posted=res.post is not None,
                identified=identified,
            )
            if why is not None:
                return Trial(lead, False, why)
            pages[lead.url] = (res, page, as_found(findings, identified))
            return Trial(lead, True, "; ".join(evidence(findings)))

        found = await find_url(work, self.ctx, self.order, trial)
        check.discovery_tried = found.tried()
        rejected = [f"{t.lead.url}: {t.why}" for t in found.rejected[:3]]
        if found.accepted is None:
            what = "; ".join(found.answers())
            if check.verdict is Verdict.UNLINKED and not found.asked:  # every backend said why it does not apply
                check.reason = f"the note gives no URL; not searched ({'; '.join(found.skipped)})"
            elif check.verdict is Verdict.UNLINKED:
                check.reason = f"the note gives no URL; not found ({what})" + (
                    f"; {len(found.rejected)} candidates were not the work" if found.rejected else ""
                )
            else:
                check.discovery_tried.insert(0, "no new home found for the gone work")
            return
        lead = found.accepted.lead
        res, page, findings = pages[lead.url]
        # an identifier's address is the lasting one (doi.org/…); a found page is named where it answered
        url = lead.url if lead.lasting else (res.final_url or lead.url)
        check.found = Found(lead.via, lead.score, [lead.why, *evidence(findings)], rejected)
        was_missing = check.verdict is Verdict.MISSING
        check.resolution = res
        if was_missing:
            check.verdict, check.fix = Verdict.MOVED, url
            check.reason = f"{check.reason}; its new home was found at {url} ({lead.why})"
        else:
            check.url, check.verdict, check.fix = url, Verdict.OK, url
            check.reason = f"the note gives no URL; found {url} ({lead.why})"
        record_findings(check, page, LIVE if res.post is None else f"{res.post.provider}'s embed endpoint", findings)


def learnt_sites(doc: Document, registry: OutletRegistry) -> dict[str, str]:
    """Outlet name -> site (scheme and host), from the draft's own notes that cite the outlet with a URL."""
    sites: dict[str, str] = {}
    for src in doc.sources:
        outlet = registry.lookup(src.outlet) if src.outlet else None
        if outlet is not None and src.url and not outlet.is_platform:
            parts = urlsplit(src.url)
            if parts.scheme in ("http", "https") and parts.netloc:
                sites.setdefault(outlet.name, f"{parts.scheme}://{parts.netloc}")
    return sites


def post_handle(src: Source, doc: Document) -> str | None:
    """The X handle of a post cited without a URL: from the note, or the article's bios."""
    if src.platform != "X" or src.url or not src.title or src.issued is None:
        return None
    if src.handle:
        return src.handle
    for author in src.authors:
        if author in doc.handles:
            return doc.handles[author]
    return None


async def archive_check(archives: Archives, check: SourceCheck, src: Source) -> None:
    """Attach the archived copy to a check and say so in its reason and fix."""
    snapshot: Snapshot | None
    if src.archive is not None:
        snapshot = await archives.check_pointer(src.archive)
        check.archive_tried = [f"the draft's own archive link: {'a real page' if snapshot.verified else 'an error page or unreachable'}"]
    else:
        snapshot, tried = await archives.find(check.url or "", src.accessed or src.issued)
        check.archive_tried = tried
        if snapshot is None and check.verdict is Verdict.MISSING:
            # "no copy" only once an archive answered; a look-up that could not run proves nothing
            check.reason += "; no archived copy found" if tried.answered else f"; could not search the archives ({(tried.failures or ['no answer'])[0]})"
    if snapshot is None:
        return
    check.archive = snapshot
    if check.verdict in (Verdict.MISSING, Verdict.UNREACHABLE):
        check.reason = f"{check.verdict.value}, archived {snapshot.date}: {check.reason}"
        if check.fix is None and (snapshot.verified or snapshot.service == "archive.today"):
            check.fix = snapshot.url


def verify_citation(
    note: str,
    page: bytes,
    *,
    url: str,
    content_type: str | None = None,
    quotes: list[str] | None = None,
    draft_language: str | None = "en",
    verification: Verification | None = None,
) -> list[Finding]:
    """Verify one note's (first) citation against a page already in hand: the verifier without the web.

    For tools and evaluation sets: `note` is the note as written, `page` the bytes of the page (HTML or PDF).
    """

    verification = verification or Verification()
    parsed = parse_note(RawNote("1", note, Place("<note>")), verification.registry)
    if not parsed.sources:
        raise InputError("<note>", "no citation found in the note")
    evidence = extract(page, url=url, content_type=content_type)
    cited = Cited(parsed.sources[0], list(quotes or []), shares_note=len(parsed.sources) > 1, draft_language=draft_language)
    findings = [Finding("page", Level.WARN, problem) for problem in evidence.problems]
    return findings + verify(cited, evidence, verification.registry, verification.options)


async def resolve_source(resolver: Resolver, endpoints: Endpoints, url: str) -> Resolution:
    """A URL resolved as a cited one is: a post or a video through its platform's embed endpoint,
    anything else fetched live."""
    rule = platform_rule(url)
    if rule is None:
        return await resolver.resolve_one(url)
    match, resolve = rule
    return await resolve(url, match, resolver.fetch_api, endpoints)
