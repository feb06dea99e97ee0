"""The pieces of a citation that every form reads the same way: URLs, quoted titles, lead-ins, dates, volumes, pages, names and outlets."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..model import ArchivePointer, Link, PartialDate, Source
from ..outlets import OutletRegistry
from ..text import fold
from .cldr import language_names
from .dates import find_dates, parse_date

# brackets end a URL ("…/x].", "[https://…]") except around an IPv6 address, in the host
# (http://[2001:db8::1]/x) or in a query that carries a URL (?to=http://[2001:db8::1]/x)
URL_RE = re.compile(r"""(?:https?://|www\.)(?:[^\s<>"“”«»\[\]]|\[[0-9A-Fa-f:.]+(?:%25?[\w.~-]+)?\])+""", re.IGNORECASE)


_URL_TRAILING = ".,;:!?)]}’'"


_DOUBLE_OPENERS = '“"«„「”'


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


_SIGNALS = (
    r"see also|see, e\.g\.,|see e\.g\.,?|see, for example,|see for example,?|see generally|see further|see|cf\.|compare|but see|contra|"
    r"e\.g\.,?|for example,?|for instance,?|quoted in|cited in|voir aussi|voir par exemple|voir|véase también|véase|ver también|"
    r"vgl\. auch|vgl\.|siehe auch|siehe|s\. auch"
)


LEAD_IN_RES = (
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
TRAILING_CLAUSE_RE = re.compile(
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
    # "Études de l’Irsem 51 (2017)": a series' or journal's number and its year, closing the citation
    re.compile(r"(?<=[^\W\d_]) (?P<vol>\d{1,4})\s+\((?P<year>(?:1[5-9]|20)\d\d)\)(?=\s*[.,;]?\s*$)"),
    # APA "15(11)"
    re.compile(r"\b(?P<vol>\d{1,4})\((?P<iss>\d{1,4})\)"),
    # a weekly's issue alone: "Die Zeit, Nr. 17, 18. April 2024"
    re.compile(r"(?:^|,)\s*(?:Nr\.|Heft)\s*(?P<iss>\d{1,4})\s*(?=,|$)"),
)


PAGE_RE = re.compile(
    r"(?:^|[\s,(])(?:pp?\.|p\.|pages?|at|S\.|págs?\.|para\.|paras\.|¶)\s*"
    r"(?P<page>[\divxlc]+(?:\s*[–‒—‑‐-]\s*[\divxlc]+)?(?:\s*,\s*\d+(?:\s*[–‒—‑‐-]\s*\d+)?)*)\b",
    re.IGNORECASE,
)


_PAREN_YEAR_RE = re.compile(r"\((?P<year>\d{4})\)")


_POSTED_BY_RE = re.compile(
    r"^(?:posted|uploaded|published) by\s+(.+)$|^(?:publiée? par|mise? en ligne par|hochgeladen von|publicado por|subido por)\s+(.+)$", re.IGNORECASE
)


_VIA_RE = re.compile(r"^(?P<outlet>.+?)\s+(?:via|vía|über|on|sur|en)\s+(?P<platform>.+)$", re.IGNORECASE)


_NAME_PARTICLES = {
    "al",
    "el",
    "bin",
    "ibn",
    "abu",
    "ag",
    "de",
    "del",
    "della",
    "der",
    "di",
    "du",
    "la",
    "le",
    "van",
    "von",
    "y",
    "da",
    "dos",
    "ould",
    "ben",
    "st.",
}


_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:,\s*(?:and|&|et|y|und|e)\s+|\s+(?:and|&|et|y|und)\s+|;\s*|,\s*)\s*")


# "et al.", and as other languages write it: "u. a." (und andere), "y otros", "et coll.", "e altri"
ET_AL_RE = re.compile(r",?\s*\b(?:et\s+al\.?|u\.\s*a\.?|y\s+otros|y\s+col\.?|et\s+coll\.?|e\s+altri|e\s+outros)\s*$", re.IGNORECASE)


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
    text = ET_AL_RE.sub("", text)
    names = [n.strip(" ,.") if not n.strip().endswith(".") or len(n.split()[-1]) > 2 else n.strip(" ,") for n in _AUTHOR_SPLIT_RE.split(text)]
    return [n for n in names if n]


@dataclass(slots=True)
class Work:
    """A citation's text as it is taken apart: what is left of it, and what was found."""

    rest: str
    source: Source

    def take(self, start: int, end: int, replacement: str = " ") -> None:
        self.rest = self.rest[:start] + replacement + self.rest[end:]


def take_urls(work: Work, links: list[Link]) -> None:
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


def take_accessed(work: Work) -> None:
    m = _ACCESSED_RE.search(work.rest)
    if not m:
        return
    for d in find_dates(work.rest[m.end() :]):
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


def take_language(work: Work) -> None:
    for pattern in _LANGUAGE_HINT_RES:
        m = pattern.search(work.rest)
        if m and (code := language_code(m.group("lang"))):
            work.source.language = code
            work.take(m.start(), m.end())
            return


def take_lead_in(work: Work) -> None:
    text = work.rest.lstrip()
    for pattern in LEAD_IN_RES:
        m = pattern.match(text)
        if m:
            work.source.lead_in = m.group("lead").strip()
            work.rest = text[m.end() :]
            return


_DIRECTOR_RE = re.compile(r",\s*(?:directed by|réalisé par|dirigida por|dirigido por|Regie:?)\s+(?P<who>[^,()]+?)(?=\s*[,(]|\s*\.?$)", re.IGNORECASE)


def take_director(work: Work) -> None:
    """`The Battle of Algiers, directed by Gillo Pontecorvo (…)`: the director, as the film's author."""
    m = _DIRECTOR_RE.search(work.rest)
    if m and looks_like_names(m.group("who")):
        work.source.authors = parse_authors(m.group("who"))
        work.take(m.start(), m.end(), "")


def tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,.;:")


def apply_tail(work: Work, tail: str, registry: OutletRegistry, *, has_title: bool) -> list[str]:
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
                src.issued = parse_date(inner) or year_in(inner)
            tail = tail[: m.start()] + " , " + tail[m.end() :]
            break
    dates = find_dates(tail)
    if dates:
        d = dates[0]
        if src.issued is None or (src.issued.month is None and d.date.year == src.issued.year):
            src.issued = d.date
        tail = tail[: d.start] + " , " + tail[d.end :]
    if src.page is None and (m := PAGE_RE.search(tail)):
        src.page = page_range(m.group("page"))
        tail = tail[: m.start()] + " , " + tail[m.end() :]
    if src.issued is None and (m := _PAREN_YEAR_RE.search(tail)):
        src.issued = PartialDate(int(m.group("year")))
        tail = tail[: m.start()] + " , " + tail[m.end() :]
    leftovers: list[str] = []
    outlet_guessed = False  # the outlet is a piece the registry does not know, taken for its place
    for piece in split_outside_brackets(tail, ","):
        piece = tidy(piece)
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
            src.outlet = src.outlet or canonical_name(m.group(1) or m.group(2), registry)
            continue
        known = registry.lookup(piece)
        if known and known.is_platform:  # "X", "post on X", "YouTube video"
            src.platform = src.platform or known.name
            continue
        via = _VIA_RE.match(piece)
        if via and (platform := registry.lookup(via.group("platform"))) and platform.is_platform:
            src.outlet = src.outlet or canonical_name(via.group("outlet"), registry)
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


def canonical_name(name: str, registry: OutletRegistry) -> str:
    known = registry.lookup(name)
    return known.name if known else tidy(name)


def year_in(text: str) -> PartialDate | None:
    m = re.search(r"\b(1[5-9]\d{2}|20\d{2}|21\d{2})\b", text)
    return PartialDate(int(m.group(1))) if m else None


def split_outside_brackets(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
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


#: Opening quote -> closing quotes that end it.
QUOTE_PAIRS: dict[str, str] = {"“": "”", '"': '"', "«": "»", "„": "“”", "‘": "’", "「": "」", "‹": "›", "”": "”"}


# What the notes' own forms share: a page or a range of pages with any dash ("3–27", "3‒27"), and a
# publication's parenthesis "(Place: Publisher, Year)"
PAGES = r"\d{1,4}(?:\s*[–‒—‑‐-]\s*\d{1,4})?"


# a range of pages alone in a piece, not a span of years ("1940–1942")
PAGE_RANGE_RE = re.compile(r"(?!(?:1[5-9]|20)\d\d\s*[–‒—‑‐-]\s*(?:1[5-9]|20)\d\d$)\d{1,4}\s*[–‒—‑‐-]\s*\d{1,4}")


def page_range(text: str) -> str:
    """A page or range as a note gives it, its dash the en dash CSL uses."""
    return re.sub(r"\s*[–‒—‑‐-]\s*", "–", text.strip())
