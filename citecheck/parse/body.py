"""Footnote markers in the body, and the words each one supports.

In plain text, markers are digits glued to the text they follow: `told me.1`,
`al-Qa\u0060ida.3`, `[in eastern Mali],2`, `massacre8`, and even to years:
`November 20156` is 2015 plus marker 6. Candidates are found by shape, then the
longest run of candidates whose numbers rise (notes are cited in order) is
kept, which throws out look-alikes such as `G20` that break the order. A
number after a space (`133 people`) is never a candidate.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Claim, Place
from .pieces import QUOTE_PAIRS

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_END = r"(?=$|[\s,.;:!?)\]”’\"'—–])"


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # first character of the marker itself
    end: int
    value: int
    strength: int  # 2: unambiguous shape (superscript, [n]); 1: glued digits


def _year_like(digits: str) -> bool:
    return len(digits) == 4 and 1500 <= int(digits) <= 2099


def _candidates(text: str, digits: int = 4) -> list[Candidate]:
    """Marker candidates of at most `digits` digits (`find_markers`: as many as the draft's last note has)."""
    found: dict[int, Candidate] = {}
    more = f"{{0,{digits - 1}}}"  # digits after a marker's first

    def add(c: Candidate) -> None:
        if c.value > 0 and (c.start not in found or found[c.start].strength < c.strength):
            found[c.start] = c

    for m in re.finditer(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text):
        add(Candidate(m.start(), m.end(), int(m.group().translate(_SUPERSCRIPTS)), 2))
    for m in re.finditer(rf"\[(\d{{1,{digits}}})\](?![(\[:])", text):
        add(Candidate(m.start(), m.end(), int(m.group(1)), 2))
    # a year with the marker glued on: "November 20156"
    for m in re.finditer(rf"(?<![\w.,])((?:1[5-9]|20)\d\d)([1-9]\d{more}){_END}", text):
        add(Candidate(m.start(2), m.end(2), int(m.group(2)), 1))
    # digits glued to a word or to closing punctuation: "me.1", "Mali],2", "Watch10"
    for m in re.finditer(rf"(?<=[^\W\d_]|[.,;:!?)\]”’\"'`])([1-9]\d{more}){_END}", text):
        before = text[max(0, m.start() - 40) : m.start()]  # a short look-back keeps this linear
        if before[-1] in ".,:" and len(before) >= 2 and before[-2].isdigit():
            # "2.5", "1,000", "10:30" are numbers; "2024.13" and "2023,16" are a year and a marker
            number = re.search(r"\d+$", before[:-1])
            if not (number and _year_like(number.group())):
                continue
        word = re.search(r"[^\W\d_]+$", before)
        if word and len(word.group()) <= 2 and word.group().isupper():
            continue  # "G20", "F16", "MP3": names, not markers
        if before[-1].isalpha() and re.search(r"\d[^\W\d_]+$", before):
            continue  # inside a code such as "2B4"
        add(Candidate(m.start(), m.end(), int(m.group(1)), 1))
    return sorted(found.values(), key=lambda c: c.start)


def _longest_rising(cands: list[Candidate]) -> list[Candidate]:
    """The longest subsequence whose values strictly rise (patience sorting, O(n log n))."""
    tails: list[int] = []  # value at the tail of each run length
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(cands)
    for i, c in enumerate(cands):
        k = bisect.bisect_left(tails, c.value)
        if k == len(tails):
            tails.append(c.value)
            tail_idx.append(i)
        else:
            tails[k] = c.value
            tail_idx[k] = i
        prev[i] = tail_idx[k - 1] if k else -1
    out: list[Candidate] = []
    i = tail_idx[-1] if tail_idx else -1
    while i >= 0:
        out.append(cands[i])
        i = prev[i]
    return out[::-1]


def find_markers(body: str, note_numbers: set[int]) -> list[Candidate]:
    """The footnote markers of a plain-text body, given the numbers of its notes. A marker has up to
    four digits, or as many as the highest note number has: a draft of 20,000 notes is marked
    `detail.12345`, which in a shorter draft is a number, not a marker."""
    digits = max(4, len(str(max(note_numbers, default=0))))
    cands = [c for c in _candidates(body, digits) if c.value in note_numbers]
    return _longest_rising(cands)


# --- sentences and quotations -----------------------------------------------------------------

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "gov",
    "sen",
    "rep",
    "jr",
    "sr",
    "e.g",
    "i.e",
    "etc",
    "vs",
    "cf",
    "al",
    "no",
    "vol",
    "pp",
    "p",
    "u.s",
    "u.n",
    "u.k",
    "fig",
    "approx",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "ca",
    "op",
    "cit",
}
_BOUNDARY_RE = re.compile(r"[.!?…][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-ÝĀ-ſ])")
_SPEAKER_RE = re.compile(r"^(?P<speaker>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2}):\s+")


def find_quotations(text: str) -> list[tuple[int, int]]:
    """(open, close) of every complete quotation, outermost only; an unclosed opener is skipped."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        opener = ch in QUOTE_PAIRS and ch != "”"
        if ch == "'" or (ch == "‘" and i > 0 and text[i - 1].isalnum()):
            opener = False
        if ch == '"' and i + 1 < len(text) and text[i + 1].isspace():
            opener = False
        if not opener:
            i += 1
            continue
        closers = QUOTE_PAIRS[ch]
        j = i + 1
        while j < len(text):
            if text[j] in closers and not (text[j] == "’" and j + 1 < len(text) and text[j + 1].isalpha()):
                break
            j += 1
        if j < len(text):
            spans.append((i, j))
            i = j + 1
        else:
            i += 1
    return spans


# A claim's sentence is at most this many characters: a paragraph with no sentence end (a list
# run together, a hostile draft of 100,000 markers) must not repeat itself in every claim.
MAX_SENTENCE = 1_000


def _sentence_starts(para: str, protected: list[tuple[int, int]]) -> list[int]:
    """Where sentences start in a paragraph; `protected`: the quotations (sorted, not nested), inside
    which no sentence ends. Linear in the paragraph: a draft may be one paragraph of 5,000 claims."""
    starts = [0]
    opens = [o for o, _ in protected]
    for m in _BOUNDARY_RE.finditer(para):
        cut = m.end()
        gap = m.end() - 1  # the space after the sentence, which must lie outside every quotation
        inside = bisect.bisect_left(opens, gap) - 1  # the last quotation opened before it
        if inside >= 0 and gap < protected[inside][1]:
            continue
        # the word before the full stop (an abbreviation is short: a bounded look back suffices)
        before = para[max(0, m.start() - _LOOK_BACK) : m.start()].split()
        token = before[-1].rstrip(".").lower() if before else ""
        if para[m.start()] == "." and (token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token)):
            continue
        starts.append(cut)
    return starts


_LOOK_BACK = 64


def build_claims(
    body: str,
    markers: list[tuple[str, int, int]],
    place_of: Callable[[int], Place],
) -> list[Claim]:
    """A Claim for each marker (note id, start, end in `body`), markers removed from the text."""
    markers = sorted(markers, key=lambda m: m[1])
    pieces: list[str] = []
    clean_offsets: list[int] = []
    pos = 0
    removed = 0
    for _, start, end in markers:
        pieces.append(body[pos:start])
        clean_offsets.append(start - removed)
        removed += end - start
        pos = end
    pieces.append(body[pos:])
    clean = "".join(pieces)

    para_starts = [0] + [m.end() for m in re.finditer(r"\n", clean)]
    # An interview turn ("Nasr: ...") runs on through unlabelled paragraphs until the next label.
    speakers: list[str | None] = []
    current: str | None = None
    for _i, p_start in enumerate(para_starts):
        if sm := _SPEAKER_RE.match(clean[p_start : p_start + 80]):
            current = sm.group("speaker")
        speakers.append(current)
    claims: list[Claim] = []
    cache: dict[int, tuple[str, list[tuple[int, int]], list[int], list[int]]] = {}
    prev_in_sentence: dict[tuple[int, int], int] = {}
    for (note_id, start, _), offset in zip(markers, clean_offsets):
        p_index = bisect.bisect_right(para_starts, offset) - 1
        p_start = para_starts[p_index]
        if p_index not in cache:
            p_end = para_starts[p_index + 1] - 1 if p_index + 1 < len(para_starts) else len(clean)
            para = clean[p_start:p_end]
            quotes = find_quotations(para)
            cache[p_index] = (para, quotes, [o for o, _ in quotes], _sentence_starts(para, quotes))
        para, quotes, quote_starts, starts = cache[p_index]
        local = offset - p_start
        s_index = bisect.bisect_right(starts, local) - 1
        # a marker glued after a sentence's last mark belongs to that sentence
        if s_index > 0 and starts[s_index] == local:
            s_index -= 1
        s_start = starts[s_index]
        s_end = starts[s_index + 1] if s_index + 1 < len(starts) else len(para)
        if s_start == 0 and (sm := _SPEAKER_RE.match(para)):
            s_start = sm.end()  # the label is not part of the sentence
        key = (p_index, s_index)
        span_start = max(s_start, prev_in_sentence.get(key, s_start))
        prev_in_sentence[key] = local
        if s_end - s_start > MAX_SENTENCE:  # no sentence end for pages: the words around the marker stand for it
            s_start, s_end = max(s_start, local - MAX_SENTENCE * 3 // 5), min(s_end, local + MAX_SENTENCE * 2 // 5)
            span_start = max(span_start, s_start)
        claim_quotes = []
        q = bisect.bisect_left(quote_starts, span_start)  # the quotations the marker closes (no slice: a copy per claim)
        while q < len(quotes) and quotes[q][1] < local:
            claim_quotes.append(" ".join(para[quotes[q][0] + 1 : quotes[q][1]].split()))
            q += 1
        sentence = " ".join(para[s_start:s_end].split())
        text = " ".join(para[span_start:local].split())
        claims.append(
            Claim(
                note_id=note_id,
                place=place_of(start),
                sentence=sentence,
                text=sentence if text == sentence else text,  # one string when they are the same: kept to the end of a check
                quotes=claim_quotes,
                speaker=speakers[p_index],
            )
        )
    return claims


_HANDLE_RE = re.compile(r"(?:\bX|\bTwitter)\s*:\s*@(?P<handle>\w{1,15})|\(@(?P<paren>\w{1,15})\)")
_BIO_NAME_RE = re.compile(r"^(?P<name>[A-Z][\w’'-]+(?:\s+(?:al-|el-|de\s|van\s|von\s)?[A-Z][\w’'-]+){1,3})\s+(?:is|was|has|works|serves)\b")


def find_handles(body: str) -> dict[str, str]:
    """Author name -> X handle, from bios such as "Wassim Nasr is … X: @SimNasr"."""
    handles: dict[str, str] = {}
    for para in body.split("\n"):
        m = _HANDLE_RE.search(para)
        name = _BIO_NAME_RE.match(para.strip())
        if m and name:
            handles[name.group("name")] = m.group("handle") or m.group("paren")
    return handles
