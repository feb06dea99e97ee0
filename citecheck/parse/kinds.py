"""The CSL type of a parsed citation: a row per rule, the first that applies."""

from __future__ import annotations

import re

from ..model import Source
from ..outlets import OutletRegistry

_REPORT_TITLE_RE = re.compile(r"^(?:[\w’'-]+\s+){0,2}(?:report|rapport|informe|bericht)\b|\breport of\b|\bannual report\b", re.IGNORECASE)


# the words that say a note cites a film or a broadcast, in one pattern searched in the lowered note
# (every note is searched; a case-blind pattern takes twice as long)
_FILM_OR_BROADCAST_RE = re.compile(
    r"\b(?:(?P<film>(?:directed by|réalisé par|un film de|regie:?|dirigida por|dirigido por)\s)|"
    r"(?P<broadcast>(?:broadcast|aired|radio programme|radio program|television programme|tv programme|episode|"
    r"podcast|diffusée?|émission|sendung|ausgestrahlt|emitido|emisión)\b))"
)


def kind_of(src: Source, registry: OutletRegistry) -> str:
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
