"""Matching what a note cites with what a page says, tolerantly: text normalized (case, accents,
punctuation, ellipses), titles under their site's and platform's wrappers, authors' names, quotations."""

from __future__ import annotations

import html
import re
import unicodedata

from rapidfuzz import fuzz

from ..config import VerifyOptions

_ELLIPSIS_RE = re.compile(r"\s*(?:…|\.\s?\.\s?\.)\s*")


_BRACKET_RE = re.compile(r"\[[^\]]{0,80}\]")


_NON_WORD_RE = re.compile(r"[\W_]+")


def _fold_char(ch: str) -> str:
    # case first: "ᾀ".upper() is "ἈΙ", and only casefold-then-decompose maps both to "αι"
    # and the dotless ı upper-cases to I: fold it like an accent, as Turkish spellings vary
    decomposed = unicodedata.normalize("NFKD", ch.casefold().replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _FoldTable(dict[int, str]):
    """A `str.translate` table that folds each character the first time it is met: accents and
    case folded, and anything not a letter or digit made a space.

    Folding went character by character through a Python generator, then a regex replaced the
    punctuation: ~2 ms for a page's text, on every page verified.
    """

    def __missing__(self, code: int) -> str:
        folded = _NON_WORD_RE.sub(" ", (_fold_char(chr(code)) if code > 127 else chr(code)).lower())
        if len(self) < _FOLD_KEPT:  # bounded: a page of every script must not grow it without end
            self[code] = folded
        return folded


_FOLD_KEPT = 1 << 16


_FOLD = _FoldTable()


# the same for ASCII text, as bytes (a 256-byte table: translated in one pass in C)
_ASCII_FOLD = bytes(c if chr(c).isalnum() else 32 for c in range(128)).lower() + bytes(range(128, 256))


def normalize(text: str) -> str:
    """Words only: entities, compatibility forms, accents, case and all punctuation folded; single spaces."""
    if "&" in text:
        text = html.unescape(text)
    if text.isascii():
        folded = text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
    else:
        folded = text.translate(_FOLD)
    return " ".join(folded.split())


_SEPARATORS_RE = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")


# How social platforms wrap a post's text (or a video's title) in their page titles, a row each; an
# archived copy of a post carries the wrapper, the note cites the text. `text` is what was posted.
_Q = r"[\"“”«»„]"


PLATFORM_TITLE_WRAPPERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (platform, re.compile(pattern, re.IGNORECASE | re.DOTALL))
    for platform, pattern in (
        ("X", rf"^.{{1,80}}? on (?:X|Twitter)\s*:\s*{_Q}?(?P<text>.+?){_Q}?(?:\s*/\s*(?:X|Twitter))?\s*$"),
        ("X", rf"^{_Q}?(?P<text>.+?){_Q}?\s*/\s*(?:X|Twitter)\s*$"),
        ("Facebook", rf"^(?:.{{1,80}}? [-–—] )?{_Q}?(?P<text>.+?){_Q}?\s*\|\s*Facebook\s*$"),
        ("Instagram", rf"^.{{1,80}}? on Instagram\s*:\s*{_Q}?(?P<text>.+?){_Q}?\s*$"),
        ("Threads", rf"^.{{1,80}}? on Threads\s*:\s*{_Q}?(?P<text>.+?){_Q}?\s*$"),
        ("Threads", rf"^{_Q}?(?P<text>.+?){_Q}?\s*[•·]\s*Threads\s*$"),
        ("Bluesky", rf"^.{{1,80}}? on Bluesky\s*:\s*{_Q}?(?P<text>.+?){_Q}?\s*$"),
        ("Bluesky", rf"^.{{1,80}}?\(@[\w.-]+\)\s*:\s*{_Q}?(?P<text>.+?){_Q}?\s*(?:[-–—]\s*Bluesky)?\s*$"),
        ("Mastodon", rf"^.{{1,80}}?\s*:\s*{_Q}(?P<text>.+?){_Q}\s*[-–—]\s*[\w.-]+\.[a-z]{{2,}}\s*$"),
        ("Telegram", r"^(?P<text>.+?)\s*[-–—]\s*Telegram\s*$"),
        ("YouTube", r"^(?P<text>.+?)\s*[-–—]\s*YouTube\s*$"),
    )
)


def unwrap_platform_title(title: str) -> str | None:
    """The post's text (or the video's title) inside a platform's page title, or None."""
    for _, pattern in PLATFORM_TITLE_WRAPPERS:
        m = pattern.match(title.strip())
        if m and m.group("text").strip():
            return m.group("text").strip()
    return None


def _title_variants(title: str, site_words: set[str]) -> list[str]:
    """The title, and the title without leading/trailing segments that name the site."""
    variants = [normalize(title)]
    unwrapped = unwrap_platform_title(title)
    if unwrapped:
        variants.append(normalize(unwrapped))
    parts = _SEPARATORS_RE.split(title)
    if len(parts) > 1:
        while len(parts) > 1 and _names_site(parts[-1], site_words):
            parts = parts[:-1]
        while len(parts) > 1 and _names_site(parts[0], site_words):
            parts = parts[1:]
        variants.append(normalize(" ".join(parts)))
    return [v for v in dict.fromkeys(variants) if v]


def _names_site(segment: str, site_words: set[str]) -> bool:
    seg = normalize(segment)
    return bool(seg) and any(seg == w or (len(w) > 3 and (w in seg or fuzz.ratio(seg, w) >= 85)) for w in site_words)


def _main_title(title: str) -> str | None:
    """The part before a subtitle (`Title: Subtitle`), normalized, if there is one."""
    head, sep, _ = title.partition(":")
    head = normalize(head)
    return head if sep and len(head.split()) >= 2 else None


def title_similarity(cited: str, truncated: bool, candidate: str, site_words: set[str]) -> float:
    """0..1: how alike a cited title and one the page declares are, after the tolerances."""
    c = normalize(cited)
    if not c:
        return 0.0
    # a subtitle present on one side only: the main titles are compared too
    page_main = _main_title(candidate) if ":" not in cited else None
    cited_main = _main_title(cited) if ":" in cited and ":" not in candidate else None
    best = float(fuzz.ratio(c, page_main)) if page_main else 0.0
    for p in _title_variants(candidate, site_words):
        scores = [fuzz.ratio(c, p)]
        if truncated:  # "… en …": the cited words are the start of the title
            scores.append(fuzz.ratio(c, p[: len(c)]))
        if cited_main:
            scores.append(fuzz.ratio(cited_main, p))
        best = max(best, *scores)
    return best / 100


def author_named(name: str, candidates: list[str], threshold: float) -> bool:
    """Whether a cited author's name is among the names a page gives (`threshold`: VerifyOptions.author_match)."""
    n = normalize(name)
    last = n.split()[-1] if n else ""
    for cand in candidates:
        c = normalize(cand)
        if not c:
            continue
        if fuzz.token_set_ratio(n, c) >= threshold * 100 and last in c.split():
            return True
    return False


def quote_pattern(quote: str, options: VerifyOptions) -> re.Pattern[str] | None:
    """A regular expression over normalized text: `…` lets the page run on, `[x]` stands for a few words."""
    pieces = [p for p in _ELLIPSIS_RE.split(quote) if normalize(_BRACKET_RE.sub(" ", p))]
    if not pieces:
        return None
    gap = rf"(?:\s\S+){{0,{options.max_gap_words}}}"
    compiled = []
    for piece in pieces:
        # a bracket glued to a word changes letters ("[T]he", "communiqué[s]"): keep its letters
        piece = re.sub(r"\[(\w{1,3})\]", r"\1", piece)
        parts = [normalize(p) for p in _BRACKET_RE.split(piece)]
        words = [r"\s".join(map(re.escape, part.split())) for part in parts]
        # an insertion replaced or added words: at most max_gap_words of the original stand in its place
        glued = (gap + r"\s").join(w for w in words if w) if len(words) > 1 else words[0]
        compiled.append(glued)
    run_on = rf"(?:\s.{{0,{options.max_ellipsis_chars}}}?)?\s"
    return re.compile(r"(?<!\S)" + run_on.join(compiled) + r"(?!\S)", re.DOTALL)


def find_quote(quote: str, text_norm: str, options: VerifyOptions) -> tuple[float, str | None]:
    """(score, what the page says there): 1.0 verbatim (after the tolerances), else the closest passage's similarity."""
    pattern = quote_pattern(quote, options)
    if pattern is None:
        return 0.0, None
    m = pattern.search(text_norm)
    if m:
        return 1.0, m.group(0)
    # near-miss: each piece's best alignment after the previous one; the weakest piece decides
    pieces = [normalize(_BRACKET_RE.sub(" ", p)) for p in _ELLIPSIS_RE.split(quote)]
    pieces = [p for p in pieces if p]
    if sum(len(p.split()) for p in pieces) < 4:
        return 0.0, None  # a word or two is found verbatim or not at all: fuzzy matches of scare quotes mean nothing
    worst, found, start = 100.0, [], 0
    for piece in pieces:
        align = fuzz.partial_ratio_alignment(piece, text_norm[start:])
        if align is None or not text_norm[start:]:
            return 0.0, None
        worst = min(worst, align.score)
        found.append(text_norm[start + align.dest_start : start + align.dest_end])
        start += align.dest_end
    # not verbatim (the pattern failed: a gap too long, a changed word): never a full score
    return min(worst / 100, 0.99), " … ".join(found)
