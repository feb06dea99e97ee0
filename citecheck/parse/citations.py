"""One citation's text -> one normalized `Source`.

A note may hold several citations; `notes.py` splits them and resolves
back-references across notes. This module knows the shape of a single
citation, as a set of rules each handling one form:

* back-references: `Ibid.`, `Id. at 5`, `Smith, supra note 3`, `Smith, op. cit., p. 4`;
* the quoted-title form of Chicago-style notes and news citations:
  `[lead-in] [Authors,] “Title,” Outlet [via Platform] [Vol:Issue (Year)], Date[, p. N] [(Language version)][, URL].`;
* the unquoted form: `Authors, Title, Outlet, Date, URL` with pieces told apart by what they look like;
* a bare URL with an optional lead-in (`The full response can be viewed here: https://…`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .cldr import language_names
from .dates import find_dates, parse_date
from ..text import fold
from ..model import ArchivePointer, Link, PartialDate, Position, Source
from ..outlets import OutletRegistry

# --- shared pieces -----------------------------------------------------------------------------

# brackets end a URL ("…/x].", "[https://…]") except around an IPv6 address, in the host
# (http://[2001:db8::1]/x) or in a query that carries a URL (?to=http://[2001:db8::1]/x)
URL_RE = re.compile(r"""(?:https?://|www\.)(?:[^\s<>"“”«»\[\]]|\[[0-9A-Fa-f:.]+(?:%25?[\w.~-]+)?\])+""", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}’'"

#: Opening quote -> closing quotes that end it.
QUOTE_PAIRS: dict[str, str] = {"“": "”", '"': '"', "«": "»", "„": "“”", "‘": "’", "「": "」", "‹": "›", "”": "”"}
_DOUBLE_OPENERS = "“\"«„「”"

ELLIPSES = ("…", "...", ". . .")

_ARCHIVE_URL_RE = re.compile(
    r"^https?://(?:web\.)?archive\.org/web/(?P<ts>\d{4,14})[a-z_]*/(?P<orig>.+)$"
    r"|^https?://archive\.(?:ph|today|is|li|vn|md)/(?P<ats>\d{14})/(?P<aorig>.+)$",
    re.IGNORECASE,
)


# "…/page.html.The next sentence": a file's extension, then a full stop glued to the next word
_GLUED_SENTENCE_RE = re.compile(r"^(.*?(?:\.(?:s?html?|php\d?|aspx?|jsp|cfm|pdf|docx?|xml)|/))\.(?=[A-Z][a-z])", re.IGNORECASE)
# URLs of schemes citecheck does not fetch: taken as the source's address (and refused, with why), never ignored
OTHER_SCHEME_URL_RE = re.compile(r"\b(?:file|ftp|ftps|sftp|smb|gopher):/{1,3}[^\s<>\"“”«»]+", re.IGNORECASE)
# "doi: 10.1080/…", "DOI 10.1080/…", "doi:10.…"; a doi.org URL gives the same field
_DOI_RE = re.compile(r"\bdoi\s*:?\s*(10\.\d{4,9}/[^\s\"<>]+?)(?=[.,;)\]]?(?:\s|$))", re.IGNORECASE)
_DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.IGNORECASE)


def _trim_url(raw: str) -> str:
    """A URL as found in prose, without the punctuation that ends the sentence around it."""
    glued = _GLUED_SENTENCE_RE.match(raw)
    url = glued.group(1) if glued else raw
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def clean_url(raw: str) -> str:
    url = _trim_url(raw)
    return "https://" + url if url.lower().startswith("www.") else url


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of every URL written out in `text`."""
    out = []
    for m in URL_RE.finditer(text):
        trimmed = _trim_url(m.group())
        if trimmed:
            out.append((m.start(), m.start() + len(trimmed), clean_url(trimmed)))
    return out


def find_quote(text: str, start: int = 0, *, double_only: bool = False) -> tuple[int, int] | None:
    """(open, close) indexes of the first complete quotation at or after `start`."""
    openers = _DOUBLE_OPENERS if double_only else "".join(QUOTE_PAIRS)
    i = start
    while i < len(text):
        ch = text[i]
        if ch in openers and not (ch == "‘" and i > 0 and text[i - 1].isalnum()):
            if ch == "”" and not (i == 0 or text[i - 1] in " ([—–-"):
                i += 1
                continue  # a closing mark, not an opener used the wrong way round
            closers = QUOTE_PAIRS[ch]
            j = i + 1
            while j < len(text):
                if text[j] in closers:
                    # an apostrophe inside a word is not the end of a single-quoted span
                    if text[j] == "’" and j + 1 < len(text) and text[j + 1].isalpha():
                        j += 1
                        continue
                    return i, j
                j += 1
            return None
        i += 1
    return None


def strip_title(raw: str) -> tuple[str, bool]:
    """A quoted title without the note's punctuation; and whether it was truncated with an ellipsis."""
    title = " ".join(raw.split())
    # American style puts the note's comma or period inside the closing quote; colons and
    # semicolons stay outside, so one found inside belongs to the title
    title = title.rstrip(" ,")
    if title.endswith(".") and not any(title.endswith(e) for e in ELLIPSES):
        title = title[:-1].rstrip()
    truncated = any(title.endswith(e) for e in ELLIPSES)
    return title, truncated


def title_prefix(title: str) -> str:
    """A truncated title without its ellipsis, for prefix matching."""
    for e in ELLIPSES:
        if title.endswith(e):
            return title[: -len(e)].rstrip()
    return title


@functools.cache
def _language_names() -> dict[str, str]:
    """Language names in several languages ("French", "français", "francés") -> code."""
    names: dict[str, str] = {}
    for name, code in language_names():
        names.setdefault(fold(name), code)
    return names


def language_code(name: str) -> str | None:
    """The code of a language name, as a noun ("français") or as the adjective a note inflects
    ("version française", "versión inglesa", "deutsche Fassung"): the adjective's ending dropped."""
    folded = fold(name.strip())
    names = _language_names()
    return names.get(folded) or (names.get(folded[:-1]) if folded[-1:] in ("e", "a") else None)


# --- lead-ins and tails --------------------------------------------------------------------------

_SIGNALS = (
    r"see also|see, e\.g\.,|see e\.g\.,?|see, for example,|see for example,?|see generally|see further|see|cf\.|compare|but see|contra|"
    r"e\.g\.,?|for example,?|for instance,?|quoted in|cited in|voir aussi|voir par exemple|voir|véase también|véase|ver también|"
    r"vgl\. auch|vgl\.|siehe auch|siehe|s\. auch"
)
_LEAD_IN_RES = (
    # "See", "See also", "For more on these dynamics, see", "For Nasr’s reporting on X, see"
    re.compile(rf"^(?P<lead>(?:[^“\"«„,;]{{0,160}}?,\s*)?(?:{_SIGNALS}))(?:\s*:)?\s+(?=\S)", re.IGNORECASE),
    # "The full response can be viewed here:", "Available at:", "Full text:"
    re.compile(
        r"^(?P<lead>[^“\"«„:]{0,160}?\b(?:here|below|online|at|viewed|read|found|available|in full|full text|text|source|link)\s*:)\s*",
        re.IGNORECASE,
    ),
    # "This is described in", "As argued by", "Le débat est résumé dans": a sentence leading into the work
    re.compile(
        r"^(?P<lead>[^“\"«„,;:()]{0,120}?\b(?:described|discussed|argued|documented|reported|shown|noted|quoted|cited|"
        r"analy[sz]ed|examined|recounted|explored|traced|treated|covered|detailed|summari[sz]ed|reviewed|told|made|"
        r"décrite?s?|analysée?s?|citée?s?|rapportée?s?|résumée?s?|beschrieben|dargestellt|zitiert|descrita?s?|citada?s?|analizada?s?)"
        r"\s+(?:[\w’']+\s+){0,2}?(?:in|by|dans|par|chez|bei|von|en|por))\s+(?=[A-ZÀ-ÖØ-Þ“\"«„‘])",
    ),
)
# what a sentence goes on to say after the work it cites ("…, 12, and disputed ever since.")
_TRAILING_CLAUSE_RE = re.compile(
    r"(?<=[\d)”»’])\s*,\s+(?:and|but|which|though|although|whereas|where|who|et|mais|qui|und|aber|y|pero)\s+"
    r"[a-zà-öø-ÿ][^“”\"«»()]*$"
)

_LANGUAGE_HINT_RES = (
    re.compile(r"[(\[]\s*(?P<lang>[^\W\d_]+)\s+(?:version|versi[oó]n|Fassung|original|translation|edition)\s*[)\]]", re.IGNORECASE),
    re.compile(r"[(\[]\s*(?:in|en|auf|em)\s+(?P<lang>[^\W\d_]+)\s*[)\]]", re.IGNORECASE),
    re.compile(r"[(\[]\s*versi[oó]n\s+(?:en\s+)?(?P<lang>[^\W\d_]+)\s*[)\]]", re.IGNORECASE),
)

# the words first: a pattern that opens with optional punctuation is tried at every character (twice as slow)
_ACCESSED_RE = re.compile(
    r"\b(?:last\s+)?(?:accessed|retrieved|consulted|viewed|visited|consulté\s+le|consultado\s+el|abgerufen\s+am)"
    r"(?:\s+on)?\s*:?\s*",
    re.IGNORECASE,
)


_VOLUME_RES = (
    # "15:11 (2022)" (CTC Sentinel style), optionally ": 4–7" pages
    re.compile(r"\b(?P<vol>\d{1,4}):(?P<iss>\d{1,4})\s*\((?P<year>\d{4})\)(?::\s*(?P<page>[\divxlc]+(?:\s*[–‒—‑‐-]\s*[\divxlc]+)?))?"),
    # "12, no. 3 (2020): 45–67", "vol. 12, no. 3 (Spring 2020)"
    re.compile(
        r"(?:\b(?:vol\.|volume)\s*)?\b(?P<vol>\d{1,4}),?\s*(?:nos?\.?|issue|n°|nº|n\.\s?[º°]|núm\.|número|Nr\.|H\.|Heft)\s*(?P<iss>\d{1,4}(?:\s*[–‒—‑‐-]\s*\d{1,4})?)\b"
        r"(?:\s*\((?P<date>[^)]*)\))?(?::\s*(?P<page>[\divxlc]+(?:\s*[–‒—‑‐-]\s*[\divxlc]+)?))?",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:vol\.|volume)\s*(?P<vol>\d{1,4})\b(?:\s*\((?P<date>[^)]*)\))?", re.IGNORECASE),
    # Chicago author-date "49 (3): 379–414"
    # and "Revista de Estudios Políticos 180 (2018): 137–165", a volume with its year, not an issue 2018
    re.compile(r"\b(?P<vol>\d{1,4})\s+\((?:(?P<year>(?:1[5-9]|20)\d\d)|(?P<iss>\d{1,4}))\):\s*(?P<page>\d{1,5}(?:\s*[–‒—‑‐-]\s*\d{1,5})?)"),
    # APA "15(11)"
    re.compile(r"\b(?P<vol>\d{1,4})\((?P<iss>\d{1,4})\)"),
    # a weekly's issue alone: "Die Zeit, Nr. 17, 18. April 2024"
    re.compile(r"(?:^|,)\s*(?:Nr\.|Heft)\s*(?P<iss>\d{1,4})\s*(?=,|$)"),
)
_PAGE_RE = re.compile(
    r"(?:^|[\s,(])(?:pp?\.|p\.|pages?|at|S\.|págs?\.|para\.|paras\.|¶)\s*"
    r"(?P<page>[\divxlc]+(?:\s*[–‒—‑‐-]\s*[\divxlc]+)?(?:\s*,\s*\d+(?:\s*[–‒—‑‐-]\s*\d+)?)*)\b",
    re.IGNORECASE,
)
_PAREN_YEAR_RE = re.compile(r"\((?P<year>\d{4})\)")
_POSTED_BY_RE = re.compile(r"^(?:posted|uploaded|published) by\s+(.+)$|^(?:publiée? par|mise? en ligne par|hochgeladen von|publicado por|subido por)\s+(.+)$", re.IGNORECASE)
_VIA_RE = re.compile(r"^(?P<outlet>.+?)\s+(?:via|vía|über|on|sur|en)\s+(?P<platform>.+)$", re.IGNORECASE)

_NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "ag", "de", "del", "della", "der", "di", "du", "la", "le", "van", "von", "y", "da", "dos", "ould", "ben", "st."}
_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:,\s*(?:and|&|et|y|und|e)\s+|\s+(?:and|&|et|y|und)\s+|;\s*|,\s*)\s*")


# "et al.", and as other languages write it: "u. a." (und andere), "y otros", "et coll.", "e altri"
_ET_AL_RE = re.compile(r",?\s*\b(?:et\s+al\.?|u\.\s*a\.?|y\s+otros|y\s+col\.?|et\s+coll\.?|e\s+altri|e\s+outros)\s*$", re.IGNORECASE)


def looks_like_names(text: str) -> bool:
    """Whether `text` reads as one or more people's names joined as authors write them
    ("Steven Levitsky and Daniel Ziblatt", "Jane Roe & John Doe", "Jean Dupont et Marie Curie")."""
    names = parse_authors(text)
    return bool(names) and all(looks_like_name(n) for n in names)


def looks_like_name(text: str) -> bool:
    """Whether `text` reads as a person's name: 1-6 words, capitalized but for particles."""
    words = text.replace("’", "'").split()
    if not 1 <= len(words) <= 6:
        return False
    for w in words:
        bare = w.strip(".,'")
        if not bare:
            continue
        if bare.lower() in _NAME_PARTICLES or re.fullmatch(r"(?:al|el|ad|an|ar|as|at|az)-\w+", bare, re.IGNORECASE):
            continue
        if not (bare[0].isupper() or bare[0] == "`"):
            return False
        if any(c.isdigit() for c in bare):
            return False
    return True


def parse_authors(text: str) -> list[str]:
    """Names from "A and B", "A, B, and C", "A et al.", "By A"."""
    text = re.sub(r"^(?:by|par|por|von)\s+", "", text.strip(), flags=re.IGNORECASE)
    text = _ET_AL_RE.sub("", text)
    names = [n.strip(" ,.") if not n.strip().endswith(".") or len(n.split()[-1]) > 2 else n.strip(" ,") for n in _AUTHOR_SPLIT_RE.split(text)]
    return [n for n in names if n]


# --- the result of parsing one citation ------------------------------------------------------------


@dataclass(slots=True)
class _Work:
    """A citation's text as it is taken apart: what is left of it, and what was found."""

    rest: str
    source: Source

    def take(self, start: int, end: int, replacement: str = " ") -> None:
        self.rest = self.rest[:start] + replacement + self.rest[end:]


def _take_urls(work: _Work, links: list[Link]) -> None:
    urls = find_urls(work.rest)
    for start, end, _ in reversed(urls):
        work.take(start, end)
    other = [(m.start(), m.end(), _trim_url(m.group())) for m in OTHER_SCHEME_URL_RE.finditer(work.rest)]
    for start, end, _ in reversed(other):
        work.take(start, end)
    if m := _DOI_RE.search(work.rest):
        work.source.doi = m.group(1)
        work.take(m.start(), m.end())
    ordered = [u for _, _, u in urls] + [l.url for l in links if l.url] + [u for _, _, u in other]
    for url in ordered:
        if work.source.doi is None and (doi := _DOI_URL_RE.match(url)):
            work.source.doi = doi.group(1)
    for url in ordered:
        archived = _ARCHIVE_URL_RE.match(url)
        if archived:
            original = archived.group("orig") or archived.group("aorig")
            stamp = archived.group("ts") or archived.group("ats")
            if work.source.archive is None:
                work.source.archive = ArchivePointer(url=url, date=_stamp_date(stamp))
            if work.source.url is None and original:
                work.source.url = original if "://" in original else "http://" + original
            continue
        if work.source.url is None:
            work.source.url = url
    for link in links:
        if link.version_url and work.source.archive is None:
            work.source.archive = ArchivePointer(url=link.version_url, date=link.version_date)


def _stamp_date(stamp: str | None) -> str | None:
    if not stamp or len(stamp) < 8:
        return None
    return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"


def _take_accessed(work: _Work) -> None:
    m = _ACCESSED_RE.search(work.rest)
    if not m:
        return
    for d in find_dates(work.rest[m.end():]):
        if d.start <= 2:
            work.source.accessed = d.date
            end = m.end() + d.end
            if end < len(work.rest) and work.rest[end] in ")]":
                end += 1
            # with the spaces and the comma or bracket that open it: "…, accessed May 1, 2024", "(accessed …)"
            start = m.start()
            while start and work.rest[start - 1].isspace():
                start -= 1
            if start and work.rest[start - 1] in ",([":
                start -= 1
            work.take(start, end)
            return


def _take_language(work: _Work) -> None:
    for pattern in _LANGUAGE_HINT_RES:
        m = pattern.search(work.rest)
        if m and (code := language_code(m.group("lang"))):
            work.source.language = code
            work.take(m.start(), m.end())
            return


def _take_lead_in(work: _Work) -> None:
    text = work.rest.lstrip()
    for pattern in _LEAD_IN_RES:
        m = pattern.match(text)
        if m:
            work.source.lead_in = m.group("lead").strip()
            work.rest = text[m.end():]
            return


_DIRECTOR_RE = re.compile(r",\s*(?:directed by|réalisé par|dirigida por|dirigido por|Regie:?)\s+(?P<who>[^,()]+?)(?=\s*[,(]|\s*\.?$)", re.IGNORECASE)


def _take_director(work: _Work) -> None:
    """`The Battle of Algiers, directed by Gillo Pontecorvo (…)`: the director, as the film's author."""
    m = _DIRECTOR_RE.search(work.rest)
    if m and looks_like_names(m.group("who")):
        work.source.authors = parse_authors(m.group("who"))
        work.take(m.start(), m.end(), "")


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,.;:")


def _apply_tail(work: _Work, tail: str, registry: OutletRegistry, *, has_title: bool) -> list[str]:
    """Dates, volumes, pages and the outlet from what follows the title; returns unclassified pieces."""
    src = work.source
    for pattern in _VOLUME_RES:
        m = pattern.search(tail)
        if m:
            groups = m.groupdict()
            src.volume = groups.get("vol")
            src.issue = page_range(groups["iss"]) if groups.get("iss") else None  # "nos. 2–3"
            if groups.get("page"):
                src.page = page_range(groups["page"])
            if groups.get("year"):
                src.issued = PartialDate(int(groups["year"]))
            elif groups.get("date"):
                inner = groups["date"]
                src.issued = parse_date(inner) or _year_in(inner)
            tail = tail[: m.start()] + " , " + tail[m.end():]
            break
    dates = find_dates(tail)
    if dates:
        d = dates[0]
        if src.issued is None or (src.issued.month is None and d.date.year == src.issued.year):
            src.issued = d.date
        tail = tail[: d.start] + " , " + tail[d.end:]
    if src.page is None and (m := _PAGE_RE.search(tail)):
        src.page = page_range(m.group("page"))
        tail = tail[: m.start()] + " , " + tail[m.end():]
    if src.issued is None and (m := _PAREN_YEAR_RE.search(tail)):
        src.issued = PartialDate(int(m.group("year")))
        tail = tail[: m.start()] + " , " + tail[m.end():]
    leftovers: list[str] = []
    outlet_guessed = False  # the outlet is a piece the registry does not know, taken for its place
    for piece in _split_outside_brackets(tail, ","):
        piece = _tidy(piece)
        if not re.search(r"\w", piece):
            continue  # punctuation left behind by what was taken out ("<>" around a URL)
        if src.issued is None and re.fullmatch(r"\(?\d{4}\)?", piece):
            src.issued = PartialDate(int(piece.strip("()")))
            continue
        if src.handle is None and (m := re.fullmatch(r"@(\w{1,30})", piece)):
            src.handle = m.group(1)  # "@UN_MINUSMA, post on X, …": the account is the author
            continue
        if re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", piece):
            continue  # a video's running time ("12:04")
        if m := _POSTED_BY_RE.match(piece):
            src.outlet = src.outlet or _canonical_name(m.group(1) or m.group(2), registry)
            continue
        known = registry.lookup(piece)
        if known and known.is_platform:  # "X", "post on X", "YouTube video"
            src.platform = src.platform or known.name
            continue
        via = _VIA_RE.match(piece)
        if via and (platform := registry.lookup(via.group("platform"))) and platform.is_platform:
            src.outlet = src.outlet or _canonical_name(via.group("outlet"), registry)
            src.platform = platform.name
            continue
        if src.page is None and src.volume and re.fullmatch(r"\d+\s*[–‒—‑‐-]\s*\d+", piece):
            src.page = page_range(piece)
            continue
        if has_title and re.match(r"(?:in|dans|en)\s+(?=[A-ZÀ-Þ])", piece):
            piece = piece.split(None, 1)[1]  # "“Sahel,” in Encyclopaedia Britannica": the work it is an entry of
        known = registry.lookup(piece)
        if known and known.is_platform:
            src.platform = src.platform or known.name
            continue
        if src.outlet is None and (known or has_title):
            src.outlet = known.name if known else piece
            outlet_guessed = known is None
            continue
        if known and outlet_guessed:
            # "“…,” Le Débat, France Culture, 12 janvier 2023": a programme, then the network the
            # registry knows; the known name is the outlet
            leftovers.append(src.outlet or "")
            src.outlet, outlet_guessed = known.name, False
            continue
        leftovers.append(piece)
    return leftovers


def _canonical_name(name: str, registry: OutletRegistry) -> str:
    known = registry.lookup(name)
    return known.name if known else _tidy(name)


def _year_in(text: str) -> PartialDate | None:
    m = re.search(r"\b(1[5-9]\d{2}|20\d{2}|21\d{2})\b", text)
    return PartialDate(int(m.group(1))) if m else None


def _split_outside_brackets(text: str, sep: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


# --- the forms ------------------------------------------------------------------------------------

_LOCATOR = r"(?:,?\s*(?:at\s+|pp?\.\s*|p\.\s*|S\.\s*|para\.\s*)?(?P<loc>[\divxlc]+(?:\s*[–‒—‑‐-]\s*[\divxlc]+|\s*ff?\.)?))?"
# "Ibid., 52." and, inside a sentence, "Ibid., 52, and the sources cited there." (the prose after it is the author's own)
_IBID_RE = re.compile(rf"^(?:ibid|ibidem|ibíd|id|íd|idem|ídem|ebd|ebenda|a\.\s*a\.\s*O|loc\.\s*cit)\.?{_LOCATOR}\s*(?:[,;]\s+(?:and|but|where|which|for|as|et|y|und)\b.*)?\.?$", re.IGNORECASE)
_SUPRA_RE = re.compile(
    rf"^(?P<pre>.*?),?\s*\bsupra(?:\s+(?:note|n\.|fn\.)\s*(?P<note>\d+))?{_LOCATOR}\s*\.?$", re.IGNORECASE
)
_OPCIT_RE = re.compile(rf"^(?P<pre>.+?),?\s*(?:\bop\.\s*cit|\bloc\.\s*cit|\bart\.\s*cit|\ba\.\s*a\.\s*O)\.?{_LOCATOR}\s*\.?$", re.IGNORECASE)


def _form_ibid(work: _Work, registry: OutletRegistry) -> bool:
    rest = work.rest.strip()
    m = _IBID_RE.match(rest)
    if not m and (lead := _LEAD_IN_RES[0].match(rest)):  # "On this point, see Ibid., 52, …"
        m = _IBID_RE.match(rest[lead.end():])
        if m:
            work.source.lead_in = lead.group("lead").strip()
    if not m:
        return False
    loc = m.group("loc")
    work.source.position = Position.IBID_WITH_LOCATOR if loc else Position.IBID
    work.source.page = page_range(loc) if loc else None
    return True


def _form_supra(work: _Work, registry: OutletRegistry) -> bool:
    lowered = work.rest.lower()
    if "supra" not in lowered and "cit" not in lowered and "a. a. o" not in lowered and "a.a.o" not in lowered:
        return False  # the words both patterns need: most notes have none, and the patterns' lazy start is slow
    m = _SUPRA_RE.match(work.rest.strip()) or _OPCIT_RE.match(work.rest.strip())
    if not m:
        return False
    src = work.source
    src.position = Position.SUBSEQUENT
    pre = m.group("pre").strip()
    quoted = find_quote(pre, double_only=True)
    if quoted:
        src.title, src.title_truncated = strip_title(pre[quoted[0] + 1 : quoted[1]])
        pre = pre[: quoted[0]]
    pre = _tidy(pre)
    # "Kepel, Terreur dans l’Hexagone, op. cit.": the author, then the work's short title
    author, _, short_title = pre.partition(", ")
    if short_title and src.title is None and looks_like_names(author) and not looks_like_names(short_title):
        src.title, pre = short_title, author
    if pre:
        src.authors = parse_authors(pre)
    if m.groupdict().get("note"):
        src.repeats_note = m.group("note")
    if m.group("loc"):
        src.page = page_range(m.group("loc"))
    return True


_HANDLE_IN_NAME_RE = re.compile(r"\s*\(?@(?P<handle>\w{1,15})\)?")


def _authors_or_outlet(src: Source, before: str, registry: OutletRegistry) -> None:
    """What precedes a title: the outlet if the registry knows it, else the authors (and any @handle)."""
    before = _ET_AL_RE.sub("", before)
    m = _HANDLE_IN_NAME_RE.search(before)
    if m:
        src.handle = m.group("handle")
        before = _tidy(before[: m.start()] + before[m.end():])
    if not before:
        return
    known = registry.lookup(before)
    if known and not known.is_platform:
        src.outlet = known.name
    elif _INSTITUTION_RE.search(before) and not looks_like_names(before):
        # "Bundesamt für Verfassungsschutz, „Verfassungsschutzbericht 2023“": an institution the
        # registry does not list, publishing a titled document of its own
        src.outlet, src.kind = before, "report"
    elif looks_like_name(before.split(",")[0]) or looks_like_names(before):
        src.authors = parse_authors(before)
    else:
        # neither names nor an outlet: most often an unlisted organization as author
        src.authors = [before]


_HEARING_AFTER_TITLE_RE = re.compile(
    r"^[\s,]*(?:(?:prepared|written|joint)\s+)?(?:testimony|statement|remarks)\s+(?:before|to)\s+(?:the\s+)?(?P<body>[^,.]+)",
    re.IGNORECASE)
_SUBTITLE_BEFORE_PARENTHESIS_RE = re.compile(r"^\s*:\s*([^():“”\"]+?)\s*(?=\()")


def _form_quoted_title(work: _Work, registry: OutletRegistry) -> bool:
    double = find_quote(work.rest, double_only=True)
    # British style quotes the title in ‘single’ marks, with “double” ones inside it
    british = double is not None and "‘" in work.rest[: double[0]]
    either = find_quote(work.rest) if double is None or british else None
    span = either if double and either and either[0] < double[0] and either[1] > double[1] else (double or either)
    if not span:
        return False
    open_, close = span
    src = work.source
    src.title, src.title_truncated = strip_title(work.rest[open_ + 1 : close])
    if not src.title:
        return False
    _authors_or_outlet(src, _tidy(work.rest[:open_]), registry)
    after = work.rest[close + 1 :]
    # "…», Rapport Afrique n° 189 (Bruxelles : …, 2012)": the report's number is not part of its publication
    after = _NUMBER_BEFORE_PARENTHESIS_RE.sub("", after)
    # "“By Day We Fear the Army”: Abuses by … (New York: …, 2018)": a subtitle outside the quotes
    if (subtitle := _SUBTITLE_BEFORE_PARENTHESIS_RE.match(after)) and _take_parenthetical(src, after[subtitle.end():]):
        src.title = f"{src.title}: {subtitle.group(1).strip()}"
        return True
    if _take_chapter(src, after) or _take_parenthetical(src, after):
        return True
    if hearing := _HEARING_AFTER_TITLE_RE.match(after):
        # "Wray, “Threats to the Homeland,” testimony before the Senate … Committee, October 31, 2023"
        src.kind, src.outlet = "hearing", _tidy(hearing.group("body"))
        after = after[hearing.end():]
    leftovers = _apply_tail(work, after, registry, has_title=True)
    if leftovers and src.outlet is None:
        src.outlet = leftovers.pop(0)
    for piece in leftovers:
        if src.page is None and _PAGE_RANGE_RE.fullmatch(piece):
            src.page = page_range(piece)  # "…, mars 2023, 12-13.": the pages of a magazine article
    return True


# What the notes' own forms share: a page or a range of pages with any dash ("3–27", "3‒27"), and a
# publication's parenthesis "(Place: Publisher, Year)"
PAGES = r"\d{1,4}(?:\s*[–‒—‑‐-]\s*\d{1,4})?"
# the publisher may have commas of its own ("Harcourt, Brace & World"): it runs to the last ", Year"
_PUBLISHED = r"(?:(?P<place>[^:()]+):\s*)?(?P<publisher>[^():]+?),\s*(?P<year>\d{4})"


# a range of pages alone in a piece, not a span of years ("1940–1942")
_PAGE_RANGE_RE = re.compile(r"(?!(?:1[5-9]|20)\d\d\s*[–‒—‑‐-]\s*(?:1[5-9]|20)\d\d$)\d{1,4}\s*[–‒—‑‐-]\s*\d{1,4}")


def page_range(text: str) -> str:
    """A page or range as a note gives it, its dash the en dash CSL uses."""
    return re.sub(r"\s*[–‒—‑‐-]\s*", "–", text.strip())


# "…’, in Book, ed. A. Editor, trans. B. Translator (Place: Publisher, Year), 3–27": a chapter
_CHAPTER_RE = re.compile(
    r"^[\s,’”»“]*\b(?:in|dans|en)\s*:?\s+(?P<container>[^()]+?)"
    r"(?:,\s*(?:eds?\.|edited by|éd\.|sous la dir(?:ection|\.)? de|dir\.|coord\.|hrsg\. v\.|Hrsg\.|Hg\.|herausgegeben von|ed\. de|editado por)\s*(?P<editors>[^()]+?))?"
    r"(?:,\s*(?:trans\.|translated by|übers\. v\.|übersetzt von|trad\.|traduit par|traducido por)\s*(?P<translators>[^()]+?))?"
    rf"\s*\({_PUBLISHED}\)"
    rf"(?:\s*,\s*(?:pp?\.\s*)?(?P<pages>{PAGES}))?\s*\.?\s*$",
    re.IGNORECASE,
)


def _take_chapter(src: Source, after: str) -> bool:
    """The rest of a chapter's citation: its book, editors, translators, place, publisher, year, pages."""
    m = _CHAPTER_RE.match(after)
    if not m:
        return False
    src.kind = "chapter"
    src.outlet = _tidy(strip_title(m.group("container"))[0])
    src.editors = parse_authors(m.group("editors")) if m.group("editors") else []
    src.translators = parse_authors(m.group("translators")) if m.group("translators") else []
    src.publisher_place = m.group("place").strip() if m.group("place") else None
    src.publisher = m.group("publisher").strip()
    src.issued = PartialDate(int(m.group("year")))
    if m.group("pages"):
        src.page = page_range(m.group("pages"))
    return True


# What a quoted title's parenthesis says the work is, a row each: (pattern on the parenthesis's
# inside, CSL type). Named groups: `by` (the institution, publisher or event), `place`, `date`.
_PARENTHETICALS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), kind) for p, kind in (
    # "(PhD diss., University of Oxford, 2021)", "(master’s thesis, Sciences Po, 2019)", "(thèse de doctorat, Université Paris 1, 2018)"
    (r"^(?:ph\.?\s*d\.?|doctoral|master[’']?s|m\.?a\.?|m\.?phil\.?|ba|bachelor[’']?s)?\s*(?:diss\.|dissertation|thesis)|^th[èe]se(?:\s+de\s+doctorat)?|^m[ée]moire(?:\s+de\s+(?:master|ma[îi]trise|DEA|M2))?|^tesis(?:\s+(?:doctoral|de\s+maestr[íi]a|de\s+licenciatura))?"
     r"|^trabajo\s+de\s+fin\s+de\s+m[áa]ster|^(?:Dissertation|Doktorarbeit|Masterarbeit|Magisterarbeit|Diplomarbeit|Habilitationsschrift)\b|^dissertation",
     "thesis"),
    # "(paper presented at the Annual Meeting of the ISA, Toronto, March 2019)"
    (r"^(?:paper|presentation|talk|remarks)\s+(?:presented|given|delivered)\s+at\s+(?:the\s+)?", "paper-conference"),
    # "(internal memorandum, 2019)", "(working paper, 2020)", "(unpublished manuscript, 2018)", "(policy brief, …)"
    (r"^(?:internal\s+)?(?:memorandum|memo|working paper|unpublished manuscript|manuscript|policy brief|briefing paper|discussion paper|"
     r"occasional paper|research paper|technical report|white paper)\b", "report"),
))
_PUBLISHED_AT_RE = re.compile(rf"^{_PUBLISHED}$")
_PARENTHESIS_RE = re.compile(rf"^[\s,’”]*\((?P<inner>[^()]+)\)\s*(?:,\s*(?:pp?\.\s*)?(?P<page>{PAGES}))?\s*\.?\s*$")


def _take_parenthetical(src: Source, after: str) -> bool:
    """What follows a quoted title when it is a parenthesis: a thesis, a conference paper, an
    unpublished or internal report, or a report's `(Place: Publisher, Year)`; then a page."""
    m = _PARENTHESIS_RE.match(after)
    if not m:
        return False
    inner = m.group("inner").strip()
    for pattern, kind in _PARENTHETICALS:
        if form := pattern.match(inner):
            pieces = [p.strip() for p in _split_outside_brackets(inner[form.end():], ",") if p.strip()]
            # the date is the longest run of trailing pieces that reads as one ("March 26", "2014")
            date, first = None, len(pieces)
            for i in range(len(pieces)):
                if date := parse_date(", ".join(pieces[i:])):
                    first = i
                    break
            if date is None:
                date = next((d for p in reversed(pieces) if (d := _year_in(p))), None)
            named = [p for p in pieces[:first] if not re.fullmatch(r"\d{4}", p)]
            src.kind, src.issued = kind, date
            if named and kind != "report":
                src.outlet = named[0]  # the institution of a thesis, the event of a paper
                src.publisher_place = named[1] if len(named) > 1 else None
            break
    else:
        published = _PUBLISHED_AT_RE.match(inner)
        if not published:
            return False
        src.kind, src.outlet, src.issued = "report", published.group("publisher").strip(), PartialDate(int(published.group("year")))
        src.publisher_place = published.group("place").strip() if published.group("place") else None
    if m.group("page"):
        src.page = page_range(m.group("page"))
    return True


def _form_linked_title(work: _Work, registry: OutletRegistry, link: Link | None) -> bool:
    """Markdown/HTML: a hyperlinked title gives the title when none is quoted."""
    if link is None or not link.text or URL_RE.fullmatch(link.text.strip()):
        return False
    pos = work.rest.find(link.text)
    if pos < 0:
        return False
    src = work.source
    src.title, src.title_truncated = strip_title(link.text)
    _authors_or_outlet(src, _tidy(work.rest[:pos]), registry)
    leftovers = _apply_tail(work, work.rest[pos + len(link.text) :], registry, has_title=True)
    if leftovers and src.outlet is None:
        src.outlet = leftovers[0]
    return True


_APA_RE = re.compile(
    r"^(?P<authors>[^()“\"]+?)\s*\((?P<date>\d{4}[a-z]?(?:,\s*[^)]+)?|n\.\s*d\.)\)\.\s*"
    r"(?P<title>.+?[.?!])(?=\s|$)\s*(?P<rest>.*)$"
)
_APA_NAME_RE = re.compile(r"([^\W\d_][^,&]*?),\s*((?:[^\W\d_]\.[\s-]?)+)")


def _form_apa(work: _Work, registry: OutletRegistry) -> bool:
    """APA: `Nasr, W. (2022). Title. Journal, 15(11), 1–8.`"""
    m = _APA_RE.match(work.rest.strip())
    if not m:
        return False
    src = work.source
    names = _APA_NAME_RE.findall(m.group("authors"))
    if names:
        src.authors = [f"{initials.strip()} {family.strip()}" for family, initials in names]
    else:
        _authors_or_outlet(src, _tidy(m.group("authors")), registry)
    year, _, rest_of_date = m.group("date").partition(",")
    if year[:4].isdigit():
        src.issued = parse_date(f"{rest_of_date.strip()}, {year[:4]}") if rest_of_date else PartialDate(int(year[:4]))
    title = m.group("title")
    src.title, src.title_truncated = strip_title(title if title.endswith(("?", "!")) else title[:-1])
    leftovers = _apply_tail(work, m.group("rest"), registry, has_title=True)
    if leftovers and src.outlet is None:
        src.outlet = leftovers[0]
    return True


# Chicago author-date: "Scott, James C. 1998. Seeing Like a State. New Haven: Yale University Press." and
# "Fearon, James D. 1995. “Rationalist Explanations for War.” International Organization 49 (3): 379–414."
_AUTHOR_DATE_RE = re.compile(r"^(?P<authors>[^\d“\"«(,]+,[^\d“\"«(]+?)\.?\s+(?P<year>\d{4})[a-z]?\.\s+(?P<rest>\S.*)$")
_TITLE_THEN_PUBLISHER_RE = re.compile(r"^(?P<title>.+?[^\s.]{2}[?!]?)\.\s+(?:(?P<place>[^.:]+?):\s*)?(?P<publisher>[^.:]+?)\.?\s*$")


def inverted_authors(text: str) -> list[str]:
    """Names as a reference list writes them: the first inverted ("Levitsky, Steven, and Daniel Ziblatt",
    "Acemoglu, Daron, Simon Johnson, and James A. Robinson")."""
    text = _ET_AL_RE.sub("", text.strip())
    head, *others = re.split(r",?\s+(?:and|&|et|y|und)\s+|;\s*", text)
    family, _, given_and_more = head.partition(",")
    given, *more = [p.strip() for p in given_and_more.split(",")]
    given = re.sub(r"(?<![^\s.])([A-Z])$", r"\1.", given)  # "James C" -> "James C."
    names = [f"{given} {family.strip()}".strip(), *more, *others]
    return [n.strip(" ,") for n in names if n.strip(" ,")]


def _form_author_date(work: _Work, registry: OutletRegistry) -> bool:
    """Chicago author-date: `Family, Given. Year. Title. Place: Publisher.` or `… Year. “Title.” Journal …`."""
    m = _AUTHOR_DATE_RE.match(work.rest.strip())
    if not m or not looks_like_name(m.group("authors").split(",")[0]):
        return False
    src = work.source
    rest = m.group("rest")
    year = PartialDate(int(m.group("year")))
    if find_quote(rest) is not None:
        work.rest = rest
        if not _form_quoted_title(work, registry):
            return False
    elif book := _TITLE_THEN_PUBLISHER_RE.match(rest):
        src.title, src.title_truncated = strip_title(book.group("title"))
        src.outlet = book.group("publisher").strip()
        src.publisher_place = book.group("place").strip() if book.group("place") else None
        src.kind = "report" if _INSTITUTION_RE.search(src.outlet) and not _PRESS_RE.search(src.outlet) else "book"
    else:
        return False
    src.authors = inverted_authors(m.group("authors"))
    if src.issued is None or src.issued.year != year.year:
        src.issued = year
    return True


_BOOK_RE = re.compile(
    rf"^(?P<pre>[^“\"«]+?)\s*\({_PUBLISHED}\)(?P<rest>.*)$"
)


_INSTITUTION_RE = re.compile(r"\b(?:institute|institut|institution|cent(?:er|re)|centro|council|group|watch|foundation|fondation|stiftung|agency|"
                             r"ministry|minist[èe]re|office|commission|programme|program|network|international|initiative|observatory|"
                             r"bank|fund|organi[sz]ation|secretariat|department|crisis group|instituto|fundación|ministerio|observatoire|observatorio|"
                             r"agence|agencia|oficina|\w*ministerium|\w*amt|bundes\w+|behörde)\b", re.IGNORECASE)
# "3rd ed.", "2nd edn", "rev. ed.", "2e éd.", "3. Aufl.", "2.ª ed."
_EDITION_RE = re.compile(r"(?:\d+\s*(?:st|nd|rd|th|e|ème|\.|\.ª|ª)?|rev\.|revised|new|expanded|nouvelle|erw\.|überarb\.)\s*"
                         r"(?:ed\.|edn\.?|edition|éd\.|édition|Aufl\.|Auflage|edición)", re.IGNORECASE)
# "Africa Report no. 306", "Research Paper No. 12", "R42664", "S/2023/402": a report's number, not its title
_REPORT_NUMBER_RE = re.compile(r"(?:[A-Z][\w.]*[\s-]){0,3}(?:[Rr]eport|[Pp]aper|[Bb]rief|[Bb]riefing|[Ss]eries|[Nn]ote|[Rr]apport|Bericht|[Ii]nforme|Studie)(?:\s+[A-ZÀ-Þ][\w’'-]*){0,2}\s+"
                               r"(?:[Nn]o\.?|n°|nº|[Nn]r\.|núm\.)\s*\d+|[A-Z]{1,3}\d{3,6}|[A-Z]{1,2}/\d{2,4}/\d+")
_NUMBER_BEFORE_PARENTHESIS_RE = re.compile(rf"^[\s,’”»]*,\s*(?:{_REPORT_NUMBER_RE.pattern})\s*(?=\()")
_TRANSLATED_BY_RE = re.compile(r"(?:trans\.|translated by|trad\.|traduit par|übers\. v\.|übersetzt von|traducido por|traducción de)\s+(.+)", re.IGNORECASE)
_EDITED_BY_RE = re.compile(r"(?:eds?\.|edited by|sous la direction de|dir\.|hrsg\. v\.|herausgegeben von|editado por|coord\.)\s+(.+)", re.IGNORECASE)
_PRESS_RE = re.compile(r"\b(?:press|presses|publishing|publishers?|books|verlag|éditions|editions|editorial|university)\b", re.IGNORECASE)
# "(New York: Crown, 2018), 45." and "…, 3–27.": the page a book note cites, without "p."
_BARE_PAGE_RE = re.compile(rf"^\s*,\s*(?P<page>{PAGES})\s*\.?\s*$")


def _form_book(work: _Work, registry: OutletRegistry) -> bool:
    """A book: `Author, Title (Place: Publisher, Year), p. N`."""
    m = _BOOK_RE.match(work.rest.strip())
    if not m:
        return False
    src = work.source
    publisher = m.group("publisher").strip()
    pieces = []
    for piece in (p.strip() for p in m.group("pre").split(",")):
        if not piece or re.fullmatch(r"eds?\.?", piece) or _EDITION_RE.fullmatch(piece) or _REPORT_NUMBER_RE.fullmatch(piece):
            continue  # "3rd ed.", "Africa Report no. 306": not the title
        if by := _TRANSLATED_BY_RE.match(piece):
            src.translators = parse_authors(by.group(1))
        elif by := _EDITED_BY_RE.match(piece):
            src.editors = parse_authors(by.group(1))
        else:
            pieces.append(piece)
    if len(pieces) >= 2:
        known = registry.lookup(pieces[0])
        if fold(pieces[0]) == fold(publisher) or (known and known.kind == "report") or (_INSTITUTION_RE.search(pieces[0]) and not known):
            src.authors = [pieces.pop(0)]  # "International Crisis Group, Mali: …": the institution wrote it
        elif looks_like_names(pieces[0]) and not known:
            src.authors = parse_authors(pieces.pop(0))
    src.title, src.title_truncated = strip_title(", ".join(pieces))
    src.outlet = publisher
    src.issued = PartialDate(int(m.group("year")))
    if page := _PAGE_RE.search(m.group("rest")) or _BARE_PAGE_RE.match(m.group("rest")):
        src.page = page_range(page.group("page"))
    if m.group("place"):
        src.publisher_place = m.group("place").strip()
    # "(Nairobi: Horn Policy Institute, 2023)": an institution publishes reports; a press, books
    known_publisher = registry.lookup(publisher)
    institution = bool(_INSTITUTION_RE.search(publisher)) and not _PRESS_RE.search(publisher)
    src.kind = "report" if institution or (known_publisher and known_publisher.kind == "report") else "book"
    return True


# "Testimony of Christopher Wray, Director, FBI, before the Senate Judiciary Committee, December 5, 2023."
_TESTIMONY_RE = re.compile(
    r"^(?P<title>(?:(?:prepared|written|joint)\s+)?(?:testimony|statement|remarks)\s+of\s+(?P<who>[^,]+?)(?:,[^,]*?){0,3}?,?"
    r"\s+before\s+(?:the\s+)?(?P<body>[^,.]+))",
    re.IGNORECASE,
)


# "General Michael Langley", "the Honorable Jane Roe", "Amb. Linda Thomas-Greenfield": the name without its rank
_RANK_RE = re.compile(r"^(?:(?:the\s+)?(?:Hon(?:ou?rable|\.)?|General|Gen\.|Lt\.?\s*Gen\.|Lieutenant General|Admiral|Adm\.|Vice Admiral|"
                      r"Ambassador|Amb\.|Dr\.|Mr\.|Ms\.|Mrs\.|Senator|Sen\.|Secretary|Colonel|Col\.|Major General|Maj\.\s*Gen\.)\s+)+")


def _form_testimony(work: _Work, registry: OutletRegistry) -> bool:
    """Government testimony: who testified, before which body, when."""
    m = _TESTIMONY_RE.match(work.rest.strip())
    if not m:
        return False
    src = work.source
    src.title = _tidy(m.group("title"))
    who = _RANK_RE.sub("", m.group("who"))
    src.authors = parse_authors(who) if looks_like_names(who) else []
    src.outlet = _tidy(m.group("body"))
    src.kind = "hearing"
    _apply_tail(work, work.rest.strip()[m.end():], registry, has_title=False)
    return True


_INTERVIEW_RE = re.compile(r"^(?:(?:the\s+)?author[’']?s?\s+)?(?:interview|entretien|entrevista|conversation)\b", re.IGNORECASE)


def _form_interview(work: _Work, registry: OutletRegistry) -> bool:
    """An unpublished interview: `Interview by the author with …, Bamako, March 2023.`"""
    if not _INTERVIEW_RE.match(work.rest.strip()):
        return False
    src = work.source
    leftovers = _apply_tail(work, work.rest, registry, has_title=False)
    src.outlet = None
    src.title = leftovers[0] if leftovers else None
    src.kind = "interview"
    return True


def _form_unquoted(work: _Work, registry: OutletRegistry) -> bool:
    """`Authors, Title, Outlet, Date`: the pieces told apart by what they look like."""
    src = work.source
    leftovers = _apply_tail(work, work.rest, registry, has_title=False)
    if not leftovers:
        return src.url is not None or src.outlet is not None or src.issued is not None
    if leftovers and (handle := _HANDLE_IN_NAME_RE.search(leftovers[0])) and src.handle is None:
        src.handle = handle.group("handle")  # "Wassim Nasr (@SimNasr), post on X, …"
        first = leftovers.pop(0)
        named = _tidy(first[: handle.start()] + first[handle.end():])
        if named and looks_like_names(named):
            src.authors = parse_authors(named)  # the name beside a handle is its owner's
        elif named:
            leftovers.insert(0, named)
    first_is_names = bool(leftovers) and (looks_like_name(leftovers[0]) or looks_like_names(leftovers[0]))
    if len(leftovers) >= 2 and first_is_names and not registry.lookup(leftovers[0]):
        src.authors = parse_authors(leftovers.pop(0))
        # more authors, each a piece: but never the last piece before a page, which is a short title
        while (len(leftovers) >= 2 and not (len(leftovers) == 2 and re.fullmatch(PAGES, leftovers[1]))
               and looks_like_name(leftovers[0]) and len(leftovers[0].split()) <= 4 and not registry.lookup(leftovers[0])):
            src.authors.extend(parse_authors(leftovers.pop(0)))
    if leftovers:
        src.title, src.title_truncated = strip_title(leftovers.pop(0))
    if leftovers and src.outlet is None:
        src.outlet = leftovers.pop(0)
    return True


# --- kinds ----------------------------------------------------------------------------------------

_REPORT_TITLE_RE = re.compile(r"^(?:[\w’'-]+\s+){0,2}(?:report|rapport|informe|bericht)\b|\breport of\b|\bannual report\b", re.IGNORECASE)


# the words that say a note cites a film or a broadcast, in one pattern searched in the lowered note
# (every note is searched; a case-blind pattern takes twice as long)
_FILM_OR_BROADCAST_RE = re.compile(r"\b(?:(?P<film>(?:directed by|réalisé par|un film de|regie:?|dirigida por|dirigido por)\s)|"
                                   r"(?P<broadcast>(?:broadcast|aired|radio programme|radio program|television programme|tv programme|episode|"
                                   r"podcast|diffusée?|émission|sendung|ausgestrahlt|emitido|emisión)\b))")


def _kind(src: Source, registry: OutletRegistry) -> str:
    """The CSL type, by the first rule that applies."""
    platform = registry.lookup(src.platform) if src.platform else None
    outlet = registry.lookup(src.outlet) if src.outlet else None
    url_platforms = [o for o in registry.for_url(src.url) if o.is_platform] if src.url else []
    film = broadcast = False
    lowered = src.text.lower()
    said = _FILM_OR_BROADCAST_RE.search(lowered)
    while said and not film:  # a film's words anywhere win over a broadcast's before them
        film, broadcast = bool(said.group("film")), broadcast or bool(said.group("broadcast"))
        said = _FILM_OR_BROADCAST_RE.search(lowered, said.end())
    rules: tuple[tuple[bool, str], ...] = (
        (film, "motion_picture"),
        (broadcast and src.kind not in ("book", "chapter", "thesis"), "broadcast"),
        (src.kind in ("book", "hearing", "interview", "chapter", "thesis", "paper-conference", "report"), src.kind),  # the form said so
        (platform is not None, platform.kind if platform else ""),
        (bool(url_platforms) and src.outlet is None, url_platforms[0].kind if url_platforms else ""),
        # a newspaper's or a think tank's own kind stands before the journal rule: their numbered
        # issues ("Die Zeit, Nr. 17", "SWP-Aktuell, Nr. 12") are not a journal's
        (bool(outlet and outlet.kind in ("article-magazine", "article-newspaper", "report")), outlet.kind if outlet else ""),
        (src.volume is not None or src.issue is not None, "article-journal"),
        (bool(src.title and _REPORT_TITLE_RE.search(src.title)), "report"),
        (outlet is not None, outlet.kind if outlet else ""),
        (src.title is None and bool(src.url and re.search(r"\.pdf(?:$|[?#])", src.url, re.IGNORECASE)), "document"),
        (src.title is None and src.url is not None, "webpage"),
        (src.outlet is not None and src.title is not None, "article"),
        (src.url is not None, "webpage"),
    )
    for applies, kind in rules:
        if applies:
            return kind
    return "document"


# --- entry point ----------------------------------------------------------------------------------


# "*How Democracies Die*", "_Seeing Like a State_": a plain-text note's italics, not part of the title
# (a URL's own underscores sit between word characters or after a slash, and are left alone)
_EMPHASIS_RE = re.compile(r"(?<![\w/*])(\*{1,2}|_{1,2})(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w/*])")


def parse_citation(
    text: str,
    *,
    source_id: str,
    note_id: str,
    registry: OutletRegistry,
    links: list[Link] | None = None,
) -> Source:
    """Take one citation apart. Never raises on odd text: what is not understood stays in `text`."""
    links = links or []
    spaced = " ".join(text.split())
    # the note's own string when nothing changed (most notes): kept to the end of a check, and
    # sent back from the parse worker once instead of twice
    src = Source(id=source_id, note_id=note_id, text=text if spaced == text else spaced)
    work = _Work(rest=_EMPHASIS_RE.sub(r"\2", src.text) if "*" in src.text or "_" in src.text else src.text, source=src)
    if _form_ibid(work, registry):
        return src
    _take_urls(work, links)
    _take_accessed(work)
    _take_language(work)
    _take_lead_in(work)
    work.rest = _TRAILING_CLAUSE_RE.sub("", work.rest)
    _take_director(work)
    if not _form_supra(work, registry):
        titled_link = next((l for l in links if l.text and not URL_RE.fullmatch(l.text.strip())), None)
        (
            _form_author_date(work, registry)
            or _form_quoted_title(work, registry)
            or _form_linked_title(work, registry, titled_link)
            or _form_interview(work, registry)
            or _form_testimony(work, registry)
            or _form_apa(work, registry)
            or _form_book(work, registry)
            or _form_unquoted(work, registry)
        )
    if src.page is None and src.outlet and re.fullmatch(PAGES, src.outlet.strip()):
        src.page, src.outlet = page_range(src.outlet), None  # "Kalyvas, Logic of Violence, 92.": the page of a short form
    if src.outlet and src.kind != "book":
        src.outlet = _canonical_name(src.outlet, registry)
    src.kind = _kind(src, registry)
    return src


# --- notes that cite nothing ------------------------------------------------------------------------

# Words that make a sentence and seldom make a citation, as written in running prose: lowercase
# verbs, negations and pronouns, and a sentence's capitalized first words
_PROSE_WORD_RE = re.compile(
    r"\b(?:is|are|was|were|am|be|been|being|has|have|had|does|did|can|could|would|should|will|may|might|must|not|"
    r"here|there|this|these|those|we|our|my|mine|own|it|its|himself|herself|themselves|unless|author|authors|"
    r"été|toutes|tous|auteur|auteurs|mes|mon|notre|nos|propres?|"
    r"Verfasser|Verfasserin|Autor|Autorin|eigene[nr]?|alle|mein|meine|unser|unsere|wurden|werden|"
    r"autor|autora|propias?|propios?|nuestr[oa]s?|sus|thanks|thank|grateful|gratitude|remercie|remercier|dankt|danke|agradece|agradezco|"
    r"est|sont|était|étaient|ont|avait|je|nous|ici|ne|pas|cette|ces|nicht|ist|sind|war|hat|haben|ich|wir|hier|diese|dieser|wird|wurde|"
    r"es|son|fue|era|han|había|yo|nosotros|aquí|esta|este|estos)\b"
    r"|^(?:This|These|That|It|We|I|Here|There|My|Our|Thanks|Ce|Cette|Il|Nous|Je|Merci|Dies|Diese|Es|Wir|Ich|Dank|Esto|Este|Esta|Aquí|"
    r"Agradezco|Agradecemos|Gracias)\b"
)
# "see note 4 above", "voir la note 12 ci-dessus", "vgl. Anm. 3 oben": a pointer into the article itself
_CROSS_REFERENCE_RE = re.compile(
    r"\b(?:notes?|n\.|chapters?|section|Anm\.|Fn\.|nota)\s*\d+(?:\s*[–‒—‑‐-]\s*\d+)?\s+"
    r"(?:above|below|supra|infra|ci-dessus|ci-dessous|plus haut|oben|unten|arriba|abajo|más arriba)\b",
    re.IGNORECASE,
)


def cites_a_work(src: Source, registry: OutletRegistry) -> bool:
    """Whether a parsed piece of a note names a work, rather than being the author's own remark
    ("The term is used loosely here, as the author himself admits."). A piece with anything a work has
    (a link, an identifier, a date, a quoted title, a volume, a publisher, a known outlet) names one;
    one with none of these that reads as a sentence, or points only into the article, does not."""
    evidence = (
        src.url, src.doi, src.issued, src.accessed, src.volume, src.page, src.publisher, src.publisher_place, src.editors,
        src.handle, src.platform, src.archive,
    )
    if any(evidence) or src.is_back_reference or src.kind in ("interview", "hearing", "thesis", "paper-conference", "book", "chapter"):
        return True
    if src.outlet and registry.lookup(src.outlet) or find_quote(src.text) is not None:
        return True
    text = src.text[len(src.lead_in):] if src.lead_in and src.text.startswith(src.lead_in) else src.text
    return not (_CROSS_REFERENCE_RE.search(text) or len(_PROSE_WORD_RE.findall(text)) >= 2)
