"""Titles as words, the slugs sites make of them, and how well a URL or a listed title fits a cited title.

A slug is a truncated title with its punctuation and (on many sites) its short words dropped:
"Burkina Faso: Massacre Shows Need to Protect Civilians" is `burkina-faso-massacre-shows-need-protect-civilians`
at Human Rights Watch. So a slug is scored by how much of it the cited title covers, and how much
of the title it carries; symmetric similarity would punish every truncated slug.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from rapidfuzz import fuzz

from ..text import fold

# Words Drupal's pathauto and similar slug makers leave out (English, French, Spanish, German)
STOPWORDS = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be its it this that "
    "le la les l un une des de du d et ou en au aux pour par sur dans avec "
    "el los las del y o con por para "
    "der die das den dem des ein eine und oder zu im am mit von für".split()
)
_WORD_RE = re.compile(r"[^\W_]+")
_ID_RE = re.compile(r"^(?:\d{5,}|[0-9a-f]{8,}|[a-z]?\d[\da-z]{6,})$")  # numeric ids, hex ids, opaque ids like c0mzpqj2pd9o


def words(text: str) -> list[str]:
    """The words of a title, folded (case, accents) and without punctuation; a title cut with "…" loses its last, partial word."""
    text = text.strip()
    cut = text.endswith(("…", "...")) and not text.endswith((" …", " ..."))
    found = _WORD_RE.findall(fold(text.rstrip("….").replace("’", "").replace("'", "")))
    return found[:-1] if cut and len(found) > 1 else found


def slug_of(title: str, style: str = "keep") -> str:
    """The slug a site would make of a title: "keep" every word, or "drop-stopwords"."""
    found = words(title)
    if style == "drop-stopwords":
        found = [w for w in found if w not in STOPWORDS] or found
    return "-".join(found)


def slug_words(url: str) -> list[str]:
    """The words of the most title-like segment of a URL's path: `20240903-barsalogho-massacre-…`
    gives barsalogho, massacre, …; dates and ids are left out."""
    path = unquote(urlsplit(url).path)
    best: list[str] = []
    for segment in path.split("/"):
        segment = re.sub(r"\.(?:s?html?|php|aspx?)$", "", segment, flags=re.IGNORECASE)
        found = [w for w in re.split(r"[-_+.,]+", fold(segment)) if w and not _ID_RE.match(w)]
        if len(found) > len(best):
            best = found
    return best


def slug_fit(title: str, url: str) -> float:
    """0..1: how well a URL's slug fits a cited title. The product of how much of the slug the
    title covers (a slug's words all come from its title) and how much of the title the slug
    carries (up to the first eight content words: slugs are cut)."""
    slug = slug_words(url)
    cited = words(title)
    if not slug or not cited:
        return 0.0
    cited_set = set(cited)
    covered = sum(1 for w in slug if w in cited_set) / len(slug)
    content = [w for w in cited if w not in STOPWORDS] or cited
    wanted = content[: max(1, min(len(content), 8, len(slug)))]
    slug_set = set(slug)
    carried = sum(1 for w in wanted if w in slug_set) / len(wanted)
    return round(covered * carried, 3)


def title_fit(cited: str, listed: str, truncated: bool = False) -> float:
    """0..1: how alike a cited title and a listed one are (a truncated citation: as a prefix)."""
    a, b = " ".join(words(cited)), " ".join(words(listed))
    if not a or not b:
        return 0.0
    scores = [fuzz.ratio(a, b)]
    if truncated:
        scores.append(fuzz.ratio(a, b[: len(a)]))
    # a listing that appends the site's name ("… | France 24"): compare the longest part too
    for part in re.split(r"\s+[|–—-]\s+", listed):
        p = " ".join(words(part))
        if p:
            scores.append(fuzz.ratio(a, p))
    return round(max(scores) / 100, 3)
