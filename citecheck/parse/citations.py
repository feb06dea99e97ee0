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

import re

from ..model import Link, PartialDate, Position, Source
from ..outlets import OutletRegistry
from ..text import fold
from .dates import parse_date
from .kinds import kind_of
from .pieces import (
    ET_AL_RE,
    LEAD_IN_RES,
    PAGE_RANGE_RE,
    PAGE_RE,
    PAGES,
    TRAILING_CLAUSE_RE,
    URL_RE,
    Work,
    apply_tail,
    canonical_name,
    find_quote,
    looks_like_name,
    looks_like_names,
    page_range,
    parse_authors,
    split_outside_brackets,
    strip_title,
    take_accessed,
    take_director,
    take_language,
    take_lead_in,
    take_urls,
    tidy,
    year_in,
)

# --- shared pieces -----------------------------------------------------------------------------


# --- lead-ins and tails --------------------------------------------------------------------------


# --- the result of parsing one citation ------------------------------------------------------------


# --- the forms ------------------------------------------------------------------------------------

_LOCATOR = r"(?:,?\s*(?:at\s+|pp?\.\s*|p\.\s*|S\.\s*|para\.\s*)?(?P<loc>[\divxlc]+(?:\s*[–‒—‑‐-]\s*[\divxlc]+|\s*ff?\.)?))?"
# "Ibid., 52." and, inside a sentence, "Ibid., 52, and the sources cited there." (the prose after it is the author's own)
_IBID_RE = re.compile(
    rf"^(?:ibid|ibidem|ibíd|id|íd|idem|ídem|ebd|ebenda|a\.\s*a\.\s*O|loc\.\s*cit)\.?{_LOCATOR}\s*(?:[,;]\s+(?:and|but|where|which|for|as|et|y|und)\b.*)?\.?$",
    re.IGNORECASE,
)
_SUPRA_RE = re.compile(rf"^(?P<pre>.*?),?\s*\bsupra(?:\s+(?:note|n\.|fn\.)\s*(?P<note>\d+))?{_LOCATOR}\s*\.?$", re.IGNORECASE)
_OPCIT_RE = re.compile(rf"^(?P<pre>.+?),?\s*(?:\bop\.\s*cit|\bloc\.\s*cit|\bart\.\s*cit|\ba\.\s*a\.\s*O)\.?{_LOCATOR}\s*\.?$", re.IGNORECASE)


def _form_ibid(work: Work, registry: OutletRegistry) -> bool:
    rest = work.rest.strip()
    m = _IBID_RE.match(rest)
    if not m and (lead := LEAD_IN_RES[0].match(rest)):  # "On this point, see Ibid., 52, …"
        m = _IBID_RE.match(rest[lead.end() :])
        if m:
            work.source.lead_in = lead.group("lead").strip()
    if not m:
        return False
    loc = m.group("loc")
    work.source.position = Position.IBID_WITH_LOCATOR if loc else Position.IBID
    work.source.page = page_range(loc) if loc else None
    return True


def _form_supra(work: Work, registry: OutletRegistry) -> bool:
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
    pre = tidy(pre)
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
    before = ET_AL_RE.sub("", before)
    m = _HANDLE_IN_NAME_RE.search(before)
    if m:
        src.handle = m.group("handle")
        before = tidy(before[: m.start()] + before[m.end() :])
    if not before:
        return
    known = registry.lookup(before)
    if known and not known.is_platform:
        src.outlet = known.name
    elif _INSTITUTION_RE.search(before) and (not looks_like_names(before) or _PUBLIC_BODY_RE.search(before)):
        # "Bundesamt für Verfassungsschutz, „Verfassungsschutzbericht 2023“": an institution the
        # registry does not list, publishing a titled document of its own
        src.outlet, src.kind = before, "report"
    elif looks_like_name(before.split(",")[0]) or looks_like_names(before):
        src.authors = parse_authors(before)
    else:
        # neither names nor an outlet: most often an unlisted organization as author
        src.authors = [before]


_HEARING_AFTER_TITLE_RE = re.compile(
    r"^[\s,]*(?:(?:prepared|written|joint)\s+)?(?:testimony|statement|remarks)\s+(?:before|to)\s+(?:the\s+)?(?P<body>[^,.]+)", re.IGNORECASE
)
_SUBTITLE_BEFORE_PARENTHESIS_RE = re.compile(r"^\s*:\s*([^():“”\"]+?)\s*(?=\()")


def _form_quoted_title(work: Work, registry: OutletRegistry) -> bool:
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
    _authors_or_outlet(src, tidy(work.rest[:open_]), registry)
    after = work.rest[close + 1 :]
    # "…», Rapport Afrique n° 189 (Bruxelles : …, 2012)": the report's number is not part of its publication
    after = _NUMBER_BEFORE_PARENTHESIS_RE.sub("", after)
    # "“By Day We Fear the Army”: Abuses by … (New York: …, 2018)": a subtitle outside the quotes
    if (subtitle := _SUBTITLE_BEFORE_PARENTHESIS_RE.match(after)) and _take_parenthetical(src, after[subtitle.end() :]):
        src.title = f"{src.title}: {subtitle.group(1).strip()}"
        return True
    if _take_chapter(src, after) or _take_parenthetical(src, after):
        return True
    if hearing := _HEARING_AFTER_TITLE_RE.match(after):
        # "Wray, “Threats to the Homeland,” testimony before the Senate … Committee, October 31, 2023"
        src.kind, src.outlet = "hearing", tidy(hearing.group("body"))
        after = after[hearing.end() :]
    leftovers = apply_tail(work, after, registry, has_title=True)
    if leftovers and src.outlet is None:
        src.outlet = leftovers.pop(0)
    for piece in leftovers:
        if src.page is None and PAGE_RANGE_RE.fullmatch(piece):
            src.page = page_range(piece)  # "…, mars 2023, 12-13.": the pages of a magazine article
    return True


# the publisher may have commas of its own ("Harcourt, Brace & World"): it runs to the last ", Year"
_PUBLISHED = r"(?:(?P<place>[^:()]+):\s*)?(?P<publisher>[^():]+?),\s*(?P<year>\d{4})"


# "…’, in Book, ed. A. Editor, trans. B. Translator (Place: Publisher, Year), 3–27": a chapter
_CHAPTER_RE = re.compile(
    r"^[\s,’”»“]*\b(?:in|dans|en)\s*:?\s+(?P<container>[^()]+?)"
    r"(?:,\s*(?:eds?\.|edited by|éd\.|sous la dir(?:ection|\.)? de|dir\.|coord\.|hrsg\. v\.|Hrsg\.|Hg\.|herausgegeben von|ed\. de|"
    r"editado por)\s*(?P<editors>[^()]+?))?"
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
    src.outlet = tidy(strip_title(m.group("container"))[0])
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
_PARENTHETICALS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), kind)
    for p, kind in (
        # "(PhD diss., University of Oxford, 2021)", "(master’s thesis, Sciences Po, 2019)", "(thèse de doctorat, Université Paris 1, 2018)"
        (
            r"^(?:ph\.?\s*d\.?|doctoral|master[’']?s|m\.?a\.?|m\.?phil\.?|ba|bachelor[’']?s)?\s*(?:diss\.|dissertation|thesis)|^th[èe]se(?:\s+de\s+doctorat)?|^m[ée]moire(?:\s+de\s+(?:master|ma[îi]trise|DEA|M2))?|^tesis(?:\s+(?:doctoral|de\s+maestr[íi]a|de\s+licenciatura))?"
            r"|^trabajo\s+de\s+fin\s+de\s+m[áa]ster|^(?:Dissertation|Doktorarbeit|Masterarbeit|Magisterarbeit|Diplomarbeit|Habilitationsschrift)\b|^dissertation",
            "thesis",
        ),
        # "(paper presented at the Annual Meeting of the ISA, Toronto, March 2019)"
        (r"^(?:paper|presentation|talk|remarks)\s+(?:presented|given|delivered)\s+at\s+(?:the\s+)?", "paper-conference"),
        # "(internal memorandum, 2019)", "(working paper, 2020)", "(unpublished manuscript, 2018)", "(policy brief, …)"
        (
            r"^(?:internal\s+)?(?:memorandum|memo|working paper|unpublished manuscript|manuscript|policy brief|briefing paper|discussion paper|"
            r"occasional paper|research paper|technical report|white paper)\b",
            "report",
        ),
    )
)
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
            pieces = [p.strip() for p in split_outside_brackets(inner[form.end() :], ",") if p.strip()]
            # the date is the longest run of trailing pieces that reads as one ("March 26", "2014")
            date, first = None, len(pieces)
            for i in range(len(pieces)):
                if date := parse_date(", ".join(pieces[i:])):
                    first = i
                    break
            if date is None:
                date = next((d for p in reversed(pieces) if (d := year_in(p))), None)
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


def _form_linked_title(work: Work, registry: OutletRegistry, link: Link | None) -> bool:
    """Markdown/HTML: a hyperlinked title gives the title when none is quoted."""
    if link is None or not link.text or URL_RE.fullmatch(link.text.strip()):
        return False
    pos = work.rest.find(link.text)
    if pos < 0:
        return False
    src = work.source
    src.title, src.title_truncated = strip_title(link.text)
    _authors_or_outlet(src, tidy(work.rest[:pos]), registry)
    leftovers = apply_tail(work, work.rest[pos + len(link.text) :], registry, has_title=True)
    if leftovers and src.outlet is None:
        src.outlet = leftovers[0]
    return True


_APA_RE = re.compile(
    r"^(?P<authors>[^()“\"]+?)\s*\((?P<date>\d{4}[a-z]?(?:,\s*[^)]+)?|n\.\s*d\.)\)\.\s*"
    r"(?P<title>.+?[.?!])(?=\s|$)\s*(?P<rest>.*)$"
)
_APA_NAME_RE = re.compile(r"([^\W\d_][^,&]*?),\s*((?:[^\W\d_]\.[\s-]?)+)")


def _form_apa(work: Work, registry: OutletRegistry) -> bool:
    """APA: `Nasr, W. (2022). Title. Journal, 15(11), 1–8.`"""
    m = _APA_RE.match(work.rest.strip())
    if not m:
        return False
    src = work.source
    names = _APA_NAME_RE.findall(m.group("authors"))
    if names:
        src.authors = [f"{initials.strip()} {family.strip()}" for family, initials in names]
    else:
        _authors_or_outlet(src, tidy(m.group("authors")), registry)
    year, _, rest_of_date = m.group("date").partition(",")
    if year[:4].isdigit():
        src.issued = parse_date(f"{rest_of_date.strip()}, {year[:4]}") if rest_of_date else PartialDate(int(year[:4]))
    title = m.group("title")
    src.title, src.title_truncated = strip_title(title if title.endswith(("?", "!")) else title[:-1])
    leftovers = apply_tail(work, m.group("rest"), registry, has_title=True)
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
    text = ET_AL_RE.sub("", text.strip())
    head, *others = re.split(r",?\s+(?:and|&|et|y|und)\s+|;\s*", text)
    family, _, given_and_more = head.partition(",")
    given, *more = [p.strip() for p in given_and_more.split(",")]
    given = re.sub(r"(?<![^\s.])([A-Z])$", r"\1.", given)  # "James C" -> "James C."
    names = [f"{given} {family.strip()}".strip(), *more, *others]
    return [n.strip(" ,") for n in names if n.strip(" ,")]


def _form_author_date(work: Work, registry: OutletRegistry) -> bool:
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


_BOOK_RE = re.compile(rf"^(?P<pre>[^“\"«]+?)\s*\({_PUBLISHED}\)(?P<rest>.*)$")


# a public body's words, which no person's name holds ("Deutscher Bundestag" reads like a name otherwise)
_PUBLIC_BODY_RE = re.compile(
    r"\b(?:parliament|parlement|parlamento|senate|sénat|senado|congress|congreso|assemblée|asamblea|bundes\w+|\w*ministerium|ministry|"
    r"minist[èe]re|ministerio|department|commission)\b",
    re.IGNORECASE,
)
_INSTITUTION_RE = re.compile(
    r"\b(?:institute|institut|institution|cent(?:er|re)|centro|council|group|watch|foundation|fondation|stiftung|agency|"
    r"ministry|minist[èe]re|office|commission|programme|program|network|international|initiative|observatory|"
    r"bank|fund|organi[sz]ation|secretariat|department|crisis group|instituto|fundación|ministerio|observatoire|observatorio|"
    r"agence|agencia|oficina|\w*ministerium|\w*amt|bundes\w+|behörde|parliament|parlement|parlamento|senate|sénat|senado|"
    r"congress|congreso|assemblée|asamblea)\b",
    re.IGNORECASE,
)
# "3rd ed.", "2nd edn", "rev. ed.", "2e éd.", "3. Aufl.", "2.ª ed."
_EDITION_RE = re.compile(
    r"(?:\d+\s*(?:st|nd|rd|th|e|ème|\.|\.ª|ª)?|rev\.|revised|new|expanded|nouvelle|erw\.|überarb\.)\s*"
    r"(?:ed\.|edn\.?|edition|éd\.|édition|Aufl\.|Auflage|edición)",
    re.IGNORECASE,
)
# "Africa Report no. 306", "Research Paper No. 12", "R42664", "S/2023/402": a report's number, not its title
_REPORT_NUMBER_RE = re.compile(
    r"(?:[A-Z][\w.]*[\s-]){0,3}(?:[Rr]eport|[Pp]aper|[Bb]rief|[Bb]riefing|[Ss]eries|[Nn]ote|[Rr]apport|Bericht|[Ii]nforme|Studie)(?:\s+[A-ZÀ-Þ][\w’'-]*){0,2}\s+"
    r"(?:[Nn]o\.?|n°|nº|[Nn]r\.|núm\.)\s*\d+|[A-Z]{1,3}\d{3,6}|[A-Z]{1,2}/\d{2,4}/\d+"
)
_NUMBER_BEFORE_PARENTHESIS_RE = re.compile(rf"^[\s,’”»]*,\s*(?:{_REPORT_NUMBER_RE.pattern})\s*(?=\()")
_TRANSLATED_BY_RE = re.compile(r"(?:trans\.|translated by|trad\.|traduit par|übers\. v\.|übersetzt von|traducido por|traducción de)\s+(.+)", re.IGNORECASE)
_EDITED_BY_RE = re.compile(r"(?:eds?\.|edited by|sous la direction de|dir\.|hrsg\. v\.|herausgegeben von|editado por|coord\.)\s+(.+)", re.IGNORECASE)
_PRESS_RE = re.compile(r"\b(?:press|presses|publishing|publishers?|books|verlag|éditions|editions|editorial|university)\b", re.IGNORECASE)
# "(New York: Crown, 2018), 45." and "…, 3–27.": the page a book note cites, without "p."
_BARE_PAGE_RE = re.compile(rf"^\s*,\s*(?P<page>{PAGES})\s*\.?\s*$")


def _form_book(work: Work, registry: OutletRegistry) -> bool:
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
    if page := PAGE_RE.search(m.group("rest")) or _BARE_PAGE_RE.match(m.group("rest")):
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
_RANK_RE = re.compile(
    r"^(?:(?:the\s+)?(?:Hon(?:ou?rable|\.)?|General|Gen\.|Lt\.?\s*Gen\.|Lieutenant General|Admiral|Adm\.|Vice Admiral|"
    r"Ambassador|Amb\.|Dr\.|Mr\.|Ms\.|Mrs\.|Senator|Sen\.|Secretary|Colonel|Col\.|Major General|Maj\.\s*Gen\.)\s+)+"
)


def _form_testimony(work: Work, registry: OutletRegistry) -> bool:
    """Government testimony: who testified, before which body, when."""
    m = _TESTIMONY_RE.match(work.rest.strip())
    if not m:
        return False
    src = work.source
    src.title = tidy(m.group("title"))
    who = _RANK_RE.sub("", m.group("who"))
    src.authors = parse_authors(who) if looks_like_names(who) else []
    src.outlet = tidy(m.group("body"))
    src.kind = "hearing"
    apply_tail(work, work.rest.strip()[m.end() :], registry, has_title=False)
    return True


_INTERVIEW_RE = re.compile(r"^(?:(?:the\s+)?author[’']?s?\s+)?(?:interview|entretien|entrevista|conversation)\b", re.IGNORECASE)


def _form_interview(work: Work, registry: OutletRegistry) -> bool:
    """An unpublished interview: `Interview by the author with …, Bamako, March 2023.`"""
    if not _INTERVIEW_RE.match(work.rest.strip()):
        return False
    src = work.source
    leftovers = apply_tail(work, work.rest, registry, has_title=False)
    src.outlet = None
    src.title = leftovers[0] if leftovers else None
    src.kind = "interview"
    return True


def _form_unquoted(work: Work, registry: OutletRegistry) -> bool:
    """`Authors, Title, Outlet, Date`: the pieces told apart by what they look like."""
    src = work.source
    leftovers = apply_tail(work, work.rest, registry, has_title=False)
    if not leftovers:
        return src.url is not None or src.outlet is not None or src.issued is not None
    if leftovers and (handle := _HANDLE_IN_NAME_RE.search(leftovers[0])) and src.handle is None:
        src.handle = handle.group("handle")  # "Wassim Nasr (@SimNasr), post on X, …"
        first = leftovers.pop(0)
        named = tidy(first[: handle.start()] + first[handle.end() :])
        if named and looks_like_names(named):
            src.authors = parse_authors(named)  # the name beside a handle is its owner's
        elif named:
            leftovers.insert(0, named)
    first_is_names = bool(leftovers) and (looks_like_name(leftovers[0]) or looks_like_names(leftovers[0]))
    if len(leftovers) >= 2 and first_is_names and not registry.lookup(leftovers[0]):
        src.authors = parse_authors(leftovers.pop(0))
        # more authors, each a piece: but never the last piece before a page, which is a short title
        while (
            len(leftovers) >= 2
            and not (len(leftovers) == 2 and re.fullmatch(PAGES, leftovers[1]))
            and looks_like_name(leftovers[0])
            and len(leftovers[0].split()) <= 4
            and not registry.lookup(leftovers[0])
        ):
            src.authors.extend(parse_authors(leftovers.pop(0)))
    if leftovers:
        src.title, src.title_truncated = strip_title(leftovers.pop(0))
    if leftovers and src.outlet is None:
        src.outlet = leftovers.pop(0)
    return True


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
    work = Work(rest=_EMPHASIS_RE.sub(r"\2", src.text) if "*" in src.text or "_" in src.text else src.text, source=src)
    if _form_ibid(work, registry):
        return src
    take_urls(work, links)
    take_accessed(work)
    take_language(work)
    take_lead_in(work)
    work.rest = TRAILING_CLAUSE_RE.sub("", work.rest)
    take_director(work)
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
        src.outlet = canonical_name(src.outlet, registry)
    src.kind = kind_of(src, registry)
    return src
