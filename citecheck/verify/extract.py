"""What a page says about itself: title, authors, dates, site, language and main text.

The verifier's input. Plain functions of bytes, with no I/O, so the checker can run
them in a process pool off the event loop. The well-kept libraries do the work:
trafilatura (main text, authors, site name), htmldate (original publication date,
`original_date=True`), pypdf (PDF info and text), py3langid (language of the text
when the markup does not say). The only thing read here by hand is the list of
title candidates, because the verifier compares the cited title against every
title the page declares, in order of trust, and trafilatura keeps only one.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import lxml.html

import importlib
import json

from ..model import Candidate, PageEvidence, PageNeeds, PostEvidence

MAX_TEXT = 400_000  # characters of main text kept for quote search
# Reading a page costs time and memory by its elements (trafilatura ~2 s and ~200 MB a million
# characters of dense markup), so a page's markup is bounded by its tags ("<"), not its bytes: an
# article page has 3,000-15,000, a long Wikipedia article up to ~80,000. Past LARGE_PAGE_TAGS the
# main text is the page's whole text (lxml, linear) instead of trafilatura's reading, and the
# metadata is what the markup declares (no search of the whole text for dates or bylines); past
# MAX_PAGE_TAGS the rest is not read at all, and the page is marked as read in part.
LARGE_PAGE_TAGS = 40_000
MAX_PAGE_TAGS = 200_000
MAX_PAGE_CHARS = 4_000_000  # likewise for markup of few tags: trafilatura and htmldate read ~3 MB a second
_TAG_START_RE = re.compile(r"<")
MAX_PDF_PAGES = 60  # PDFs: the first pages hold the cited passage in nearly every report; the cited page is added
PDF_FIRST_PAGES = 2  # what a PDF's title line and language are read from when nothing else needs its text

# Title declarations in order of trust (Highwire, Dublin Core, OpenGraph, Twitter).
_META_TITLES = (
    ("citation_title", "citation_title"),
    ("dc.title", "dc.title"),
    ("dcterms.title", "dcterms.title"),
    ("og:title", "og:title"),
    ("twitter:title", "twitter:title"),
)
_META_AUTHORS = ("citation_author", "dc.creator", "dcterms.creator", "author", "article:author", "parsely-author", "sailthru.author")
_META_DATES = ("citation_publication_date", "citation_date", "citation_online_date", "dc.date", "dcterms.issued", "article:published_time", "datepublished")
_META_SITE = ("og:site_name", "citation_journal_title", "citation_publisher", "dc.publisher", "application-name")

#: The libraries that read pages, imported at the first page (or by warm_up, or by the process server).
READER_MODULES = ("trafilatura", "htmldate", "pypdf")

for _name in READER_MODULES:
    logging.getLogger(_name).setLevel(logging.CRITICAL)  # hostile pages make them chatty; problems are reported, not logged


def extract(
    body: bytes, *, url: str, content_type: str | None = None, encoding: str | None = None, pdf_page: int | None = None, needs: PageNeeds | None = None
) -> PageEvidence:
    """Evidence from a fetched body; never raises (a broken page yields evidence with problems).
    `needs`: what the verifier will check the page for, when known: an HTML page's main text is
    read only if it may be needed (`text_needed`)."""
    kind = _kind_of(body, content_type)
    reader = _READERS.get(kind)
    if reader is None:
        return PageEvidence(kind="other", url=url, problems=[f"not a page citecheck reads ({content_type or 'unknown type'})"])
    try:
        return reader(body, url, encoding, pdf_page, needs)
    except Exception as exc:  # a hostile page must not stop the run
        return PageEvidence(kind=kind, url=url, problems=[f"could not read the {kind.upper()}: {type(exc).__name__}: {exc}"[:300]])


def extract_all(pages: list[tuple[bytes, str, str | None, str | None, PageNeeds | None]]) -> list[PageEvidence]:
    """`extract` for each (body, url, content type, encoding, needs): pages go to worker processes in
    batches, one hand-over for several pages."""
    return [extract(body, url=url, content_type=content_type, encoding=encoding, needs=needs) for body, url, content_type, encoding, needs in pages]


def text_needed(needs: PageNeeds | None, page: PageEvidence) -> bool:
    """Whether verifying `page` may read its main text: always when what it will be checked for is
    not known (None); else for a quotation to find, for a language the markup does not declare (it
    is guessed from the text), and for a cited author the markup does not name (looked for at the
    top of the text). The page reader asks before reading the text, the checker before reusing a
    cached page read without it."""
    return needs is None or page.language is None or _checks_need_text(needs, page.authors)


def _checks_need_text(needs: PageNeeds, authors: list[Candidate]) -> bool:
    """Whether the checks themselves may read the text: a quotation, or a cited author not named."""
    if needs.quotes:
        return True
    if not needs.authors:
        return False

    names = [c.value for c in authors]
    # here, not at the top: rapidfuzz loads only where pages are checked, not in a command that starts the workers
    from .match import author_named

    return not all(author_named(author, names, needs.author_match) for author in needs.authors)


def warm_up() -> None:
    """Load what reading pages needs (trafilatura, htmldate, pypdf, the language model) before the
    first page: the page reader's workers run it as they start."""

    for name in READER_MODULES:
        importlib.import_module(name)
    _identifier()


def _kind_of(body: bytes, content_type: str | None) -> str:
    ctype = (content_type or "").split(";")[0].strip().lower()
    head = body[:1024].lstrip()
    if ctype == "application/pdf" or head.startswith(b"%PDF"):
        return "pdf"
    if ctype in ("text/html", "application/xhtml+xml") or (not ctype and b"<" in head[:64]) or head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return "other"


# -- HTML ----------------------------------------------------------------------------------------------


def _html(body: bytes, url: str, encoding: str | None, _pdf_page: int | None, needs: PageNeeds | None) -> PageEvidence:
    # imported here, like the other readers: a plain link check never reads a page
    import lxml.etree
    import lxml.html
    import trafilatura
    from htmldate import find_date

    text = _decode(body, encoding)
    text, tags, cut = _bounded_markup(text)
    tree = lxml.html.document_fromstring(text) if text.strip() else None
    if tree is None:
        return PageEvidence(kind="html", url=url, problems=["the page is empty"])
    evidence = PageEvidence(kind="html", url=url, truncated=cut)
    if cut:
        evidence.problems.append(
            f"unverified: page too large to verify whole (over {MAX_PAGE_TAGS:,} tags or {MAX_PAGE_CHARS:,} characters): only its first part was read"
        )
    meta = _meta(tree)
    evidence.titles = _titles(tree, meta)
    bylines = _bylines(tree)
    published = _first(meta, _META_DATES)
    if published and (day := _iso_day(published)):
        evidence.published = Candidate(day, "meta " + next(k for k in _META_DATES if meta.get(k) == published))
    else:
        found = find_date(tree, original_date=True, extensive_search=tags <= LARGE_PAGE_TAGS, outputformat="%Y-%m-%d")
        if found:
            evidence.published = Candidate(found, "htmldate (original date)")
    modified = meta.get("article:modified_time") or meta.get("datemodified")
    if modified and (day := _iso_day(modified)):
        evidence.modified = Candidate(day, "meta article:modified_time")
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or meta.get("og:locale") or meta.get("content-language")
    site_name = _first(meta, _META_SITE)
    # trafilatura's reading of the metadata only fills what the markup left out, and it must read
    # the tree before the extraction below prunes it
    # (its regular expressions run over the whole tree: not on a large page)
    declared = evidence.titles and site_name and _authors(meta, bylines, None)
    filled = None if declared or tags > LARGE_PAGE_TAGS else _filled_in(tree)
    if filled is not None and filled.title and all(filled.title != c.value for c in evidence.titles):
        evidence.titles.append(Candidate(filled.title, "trafilatura title"))
    guessed = filled.sitename if filled is not None else None
    # trafilatura falls back to the host name, which says nothing about who publishes there
    evidence.site_name = site_name or (guessed if guessed and "." not in guessed else None)
    evidence.authors = _authors(meta, bylines, filled.author if filled is not None else None)
    evidence.language = _primary(lang) if lang else None
    if not text_needed(needs, evidence):
        evidence.text_read = False  # ~85% of a page's reading: 1.36 -> 0.17 ms a short page that declares what is checked
        return evidence
    doc = trafilatura.bare_extraction(tree, options=_extractor()) if tags <= LARGE_PAGE_TAGS else None
    if doc is not None:
        evidence.text = (doc.text or "")[:MAX_TEXT]  # type: ignore[union-attr]  # trafilatura returns a Document unless asked for a dict
    if not evidence.text and tags > LARGE_PAGE_TAGS:
        lxml.etree.strip_elements(tree, "script", "style", "noscript", "template", "svg", with_tail=False)
        root = tree.find("body")
        # pieces joined by spaces: text_content() glues a paragraph's end to the next one's start
        evidence.text = " ".join(" ".join((root if root is not None else tree).itertext()).split())[:MAX_TEXT]
    if not evidence.text:
        evidence.text = " ".join(lxml.html.document_fromstring(text).text_content().split())[:MAX_TEXT]
    if evidence.language is None:
        evidence.language = guess_language(evidence.text)
    return evidence


def _bounded_markup(text: str) -> tuple[str, int, bool]:
    """The markup cut before its MAX_PAGE_TAGS-th tag or at MAX_PAGE_CHARS, its number of tags
    (up to the cut), and whether it was cut."""
    cut = len(text) > MAX_PAGE_CHARS
    if cut:
        text = text[:MAX_PAGE_CHARS]
    tags = text.count("<")
    if tags <= MAX_PAGE_TAGS:
        return text, tags, cut
    for n, m in enumerate(_TAG_START_RE.finditer(text), 1):
        if n > MAX_PAGE_TAGS:
            return text[: m.start()], MAX_PAGE_TAGS, True
    return text, tags, cut  # not reached: there are more tags than that


@lru_cache(maxsize=1)
def _extractor():
    """trafilatura's settings for the main text, made once: building them reads its config file's
    values on every call (0.2 ms a page). No URL: trafilatura uses it only for links, which are not
    extracted. No metadata: `_filled_in` reads the part citecheck uses."""
    # here, not at the top: the page readers' libraries load in the worker that reads pages, not in the command
    from trafilatura.settings import Extractor

    return Extractor(output_format="python", with_metadata=False, comments=False, tables=True, recall=True)


def _filled_in(tree: lxml.html.HtmlElement):
    """The title, author and site name trafilatura reads from a page: the steps of its
    `metadata.extract_metadata` for those three, in its order, without the rest of it: the
    publication date (htmldate, which `_html` runs itself when the markup gives none), the URL,
    categories, tags and licence, which citecheck does not use (0.6 ms a page -> 0.3)."""
    # here, not at the top: the page readers' libraries load in the worker that reads pages, not in the command
    from trafilatura import metadata as reader

    found = reader.examine_meta(tree)
    if found.author and " " not in found.author:  # one word is a handle or a site, not a name
        found.author = None
    try:
        found = reader.extract_meta_json(tree, found)
    except Exception:  # trafilatura's own guard: its JSON-LD reader has bugs on odd data
        pass
    found.title = found.title or reader.extract_title(tree)
    found.author = found.author or reader.extract_author(tree)
    found.sitename = found.sitename or reader.extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")  # an X account named as the site
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    return found


def _decode(body: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        # here, not at the top: the page readers' libraries load in the worker that reads pages, not in the command
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        return str(best) if best is not None else body.decode("latin-1")


def _meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """<meta> name/property -> first non-empty content, names lower-cased; JSON-LD read by trafilatura is merged later."""
    out: dict[str, str] = {}
    for el in tree.iterfind(".//meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or el.get("http-equiv") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content and key not in out:
            out[key] = content
    for key, value in _json_ld(tree).items():
        out.setdefault(key, value)
    return out


def _json_ld(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """headline, datePublished, dateModified and author names from JSON-LD, flattened into meta-like keys."""

    out: dict[str, str] = {}
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in _ld_items(data):
            for source_key, key in (
                ("headline", "json-ld headline"),
                ("name", "json-ld name"),
                ("datePublished", "datepublished"),
                ("dateModified", "datemodified"),
            ):
                value = item.get(source_key)
                if isinstance(value, str) and value.strip():
                    out.setdefault(key, value.strip())
            given = [a.get("name") if isinstance(a, dict) else a for a in _as_list(item.get("author"))]
            names = [n.strip() for n in given if isinstance(n, str) and n.strip()]
            if names:
                out.setdefault("json-ld author", "; ".join(names))
    return out


def _ld_items(data: object) -> list[dict]:
    items = [d for d in _as_list(data) if isinstance(d, dict)]
    for d in list(items):
        items.extend(x for x in _as_list(d.get("@graph")) if isinstance(x, dict))
    articles = [d for d in items if any(t in str(d.get("@type", "")) for t in ("Article", "Report", "Posting", "CreativeWork", "WebPage"))]
    return articles or items


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _titles(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> list[Candidate]:
    titles = [Candidate(meta[key], where) for key, where in _META_TITLES if meta.get(key)]
    if meta.get("json-ld headline"):
        titles.insert(1 if meta.get("citation_title") else 0, Candidate(meta["json-ld headline"], "json-ld headline"))
    title = tree.findtext(".//title")
    if title and title.strip():
        titles.append(Candidate(" ".join(title.split()), "<title>"))
    h1 = tree.find(".//h1")
    if h1 is not None and (h1_text := " ".join(h1.text_content().split())):
        titles.append(Candidate(h1_text, "h1"))
    seen: set[str] = set()
    return [c for c in titles if not (c.value in seen or seen.add(c.value))]  # type: ignore[func-returns-value]


def _bylines(tree: lxml.html.HtmlElement) -> list[Candidate]:
    found = []
    for el in tree.xpath("//*[@rel='author' or contains(@class,'byline') or contains(@class,'author')]")[:5]:
        text = " ".join(el.text_content().split())
        if 2 < len(text) < 200:
            found.append(Candidate(text, "byline"))
    return found


def _authors(meta: dict[str, str], bylines: list[Candidate], extracted: str | None) -> list[Candidate]:
    found: list[Candidate] = []
    for key in (*_META_AUTHORS, "json-ld author"):
        if meta.get(key) and not meta[key].startswith("http"):
            found.append(Candidate(meta[key], key))
    found.extend(bylines)
    if extracted:
        found.append(Candidate(extracted, "trafilatura author"))
    seen: set[str] = set()
    return [c for c in found if not (c.value in seen or seen.add(c.value))]  # type: ignore[func-returns-value]


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if meta.get(k)), None)


_ISO_DAY_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _iso_day(value: str) -> str | None:
    """YYYY-MM-DD from an ISO timestamp or a Highwire date (2024/10/29)."""
    m = _ISO_DAY_RE.search(value.replace("/", "-"))
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].strip().lower() or tag


def guess_language(text: str, *, min_confidence: float = 0.5) -> str | None:
    """The language of a text (py3langid, among the languages citecheck reads dates in), or None when unsure."""
    if len(text.split()) < 3:
        return None
    lang, confidence = _identifier().classify(text[:5000])
    return lang if confidence >= min_confidence else None


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's model, loaded once per process and limited to the languages of `cldr.LANGUAGES`
    (on a title of eight words, the full 142-language model guessed Nigerian Pidgin for English):
    the cut model citecheck ships, which loads in 0.15 s instead of 0.7 s (see langid_model.py)."""
    # here, not at the top: numpy and the model load only in a process that guesses a language
    from .language import load

    return load()


# -- PDF -----------------------------------------------------------------------------------------------


def _pdf(body: bytes, url: str, _encoding: str | None, pdf_page: int | None, needs: PageNeeds | None) -> PageEvidence:
    # here, not at the top: the page readers' libraries load in the worker that reads pages, not in the command
    from pypdf import PdfReader

    evidence = PageEvidence(kind="pdf", url=url)
    reader = PdfReader(io.BytesIO(body), strict=False)
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))  # many "protected" PDFs open with the empty user password
        except Exception:
            opened = False
        if not opened:
            evidence.problems.append("the PDF is encrypted: its title and text cannot be read")
            return evidence
    info: Any = reader.metadata or {}
    title = info.get("/Title")
    if isinstance(title, str) and title.strip():
        evidence.titles.append(Candidate(" ".join(title.split()), "pdf info"))
    author = info.get("/Author")
    if isinstance(author, str) and author.strip():
        evidence.authors.append(Candidate(author.strip(), "pdf info"))
    created = info.get("/CreationDate")
    if isinstance(created, str) and (m := re.match(r"D:(\d{4})(\d{2})(\d{2})", created)):
        evidence.published = Candidate(f"{m[1]}-{m[2]}-{m[3]}", "pdf info CreationDate")
    # A PDF declares no language: its first pages give it, and the first line of the title. The
    # rest is read only for a quotation or an author its info does not name (pypdf: ~1.5 ms a page
    # of the recorded report's short pages, more on dense ones, up to MAX_PDF_PAGES of them).
    whole = needs is None or _checks_need_text(needs, evidence.authors)
    pages = list(range(min(len(reader.pages), MAX_PDF_PAGES if whole else PDF_FIRST_PAGES)))
    if whole and pdf_page is not None and MAX_PDF_PAGES <= pdf_page - 1 < len(reader.pages):
        pages.append(pdf_page - 1)
    evidence.text_read = whole
    texts = []
    for number in pages:
        try:
            texts.append(reader.pages[number].extract_text() or "")
        except Exception as exc:
            evidence.problems.append(f"page {number + 1} unreadable: {type(exc).__name__}")
        if sum(map(len, texts)) > MAX_TEXT:
            break
    evidence.text = "\n".join(texts)[:MAX_TEXT]
    first_line = next((line.strip() for line in evidence.text.splitlines() if len(line.strip()) > 8), None)
    if first_line:
        evidence.titles.append(Candidate(first_line, "pdf first line"))
    evidence.language = guess_language(evidence.text)
    return evidence


_READERS: dict[str, Callable[[bytes, str, str | None, int | None, PageNeeds | None], PageEvidence]] = {"html": _html, "pdf": _pdf}


# -- embeds --------------------------------------------------------------------------------------------


def from_post(post: PostEvidence, url: str) -> PageEvidence:
    """An oEmbed/syndication answer as page evidence: the post's text is both its title and its text."""
    kind = "video" if post.provider == "YouTube" else "post"
    where = post.endpoint or f"{post.provider} embed"
    text = post.text or ""
    return PageEvidence(
        kind=kind,
        url=url,
        titles=[Candidate(text, where)] if text else [],
        authors=[Candidate(a, where) for a in (post.author_name, post.author_handle and "@" + post.author_handle) if a],
        published=Candidate(post.date[:10], where) if post.date else None,
        site_name=post.provider,
        language=_primary(post.language) if post.language else guess_language(text),
        text=text,
    )


def parse_iso_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])  # what citecheck stores: 2024-05-02 (strptime took 30 us)
    except ValueError:
        pass
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()  # and what it also accepts: 2024-5-2
    except ValueError:
        return None


__all__ = ["extract", "from_post", "guess_language", "parse_iso_day", "MAX_TEXT"]
