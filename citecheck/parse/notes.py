"""Notes -> citations: the second stage of the pipeline.

Takes the `RawDocument` ingest produced and returns a `Document`: each note's
framing (`Editor’s Note:`) kept, its citations split apart and parsed,
back-references (`Ibid.`, short forms, `supra note 3`, `op. cit.`) resolved
to the first citation of the work they repeat, and each marker in the body
tied to the sentence and quoted words it supports.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from ..model import (
    Claim,
    Document,
    Link,
    Note,
    Place,
    Position,
    Problem,
    RawDocument,
    RawNote,
    Source,
)
from ..outlets import OutletRegistry
from ..text import fold
from .body import build_claims, find_handles, find_markers
from .citations import parse_citation
from .pieces import (
    PAGES,
    find_quote,
    looks_like_name,
    page_range,
    parse_authors,
    title_prefix,
)

_FRAMING_RE = re.compile(
    r"^\s*(?P<framing>(?:editor|editors|author|authors|translator|translators)[’']s?\s+note"
    r"|note\s+(?:de\s+la\s+rédaction|du\s+traducteur|de\s+l[’']éditeur|de\s+l[’']auteur)"
    r"|n\.\s*d\.\s*(?:l\.\s*r|t|e|a)\."
    r"|nota\s+del\s+(?:editor|traductor|autor)|n\.\s*del?\s*(?:la\s+)?(?:e|t|a|r)\.|anm\.\s*d\.\s*(?:red|übers)\.)\s*:\s*",
    re.IGNORECASE,
)


def split_framing(text: str) -> tuple[str | None, str, int]:
    """(framing, the rest, offset of the rest in `text`)."""
    m = _FRAMING_RE.match(text)
    if not m:
        return None, text, 0
    framing = m.group("framing").strip()
    return framing, text[m.end() :], m.end()


# the sentence after a citation that starts another ("See also …", "Cf. …", "Voir aussi …", "Vgl. auch …", "Véase también …")
_NEXT_CITATION_RE = re.compile(r"\s+(?:See also|See|Cf\.|Compare|Voir aussi|Voir|Vgl\. auch|Vgl\.|Siehe auch|Siehe|Véase también|Véase|Ver también)\s")


def split_citations(text: str) -> list[tuple[int, int]]:
    """Spans of the citations in a note: split at `;` outside quotations and brackets."""
    spans: list[tuple[int, int]] = []
    depth = 0
    in_double = False
    closer = ""
    start = 0
    for i, ch in enumerate(text):
        if in_double:
            if ch in closer:
                in_double = False
            continue
        if ch in "“«„":
            in_double, closer = True, {"“": "”", "«": "»", "„": "“”"}[ch]
        elif ch == '"':
            in_double, closer = True, '"'
        elif ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif ch == ";" and depth == 0:
            spans.append((start, i))
            start = i + 1
        elif ch == "." and depth == 0 and _NEXT_CITATION_RE.match(text, i + 1):
            spans.append((start, i + 1))  # "…, 2021. See also …": a second citation in its own sentence
            start = i + 1
    spans.append((start, len(text)))
    # a piece with no words of its own ("p. 5", "") belongs to the citation before it
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        piece = text[s:e]
        if merged and (not re.search(r"[^\W\d_]{3,}", piece) or re.fullmatch(r"\s*(?:pp?\.|at)\s*[\d–-]+\.?\s*", piece)):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return [(s, e) for s, e in merged if text[s:e].strip()]


def _links_in(links: list[Link], start: int, end: int, shift: int) -> list[Link]:
    out = []
    for link in links:
        if link.start is None or link.end is None:
            out.append(link)
            continue
        if start + shift <= link.start < end + shift:
            out.append(link)
    return out


def parse_note(raw: RawNote, registry: OutletRegistry) -> Note:
    if raw.sources is not None:
        return Note(id=raw.id, text=raw.text, place=raw.place, framing=raw.framing, sources=list(raw.sources), links=list(raw.links), ignored=raw.ignored)
    framing, rest, shift = split_framing(raw.text)
    note = Note(id=raw.id, text=raw.text, place=raw.place, framing=framing, links=list(raw.links), ignored=raw.ignored)
    for s, e in split_citations(rest):
        src = parse_citation(
            rest[s:e], source_id=f"{raw.id}.{len(note.sources) + 1}", note_id=raw.id, registry=registry, links=_links_in(raw.links, s, e, shift)
        )
        if cites_a_work(src, registry):  # the author's own remarks in a note cite nothing
            note.sources.append(src)
    return note


def parse_notes(raw_notes: list[RawNote], registry: OutletRegistry) -> list[Note]:
    """A run of notes parsed (what a worker process does with a large draft's notes)."""
    return [parse_note(raw, registry) for raw in raw_notes]


# --- back-references ------------------------------------------------------------------------------


def _norm_title(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(title_prefix(title))).split())


def _surnames(authors: list[str]) -> set[str]:
    return {fold(a.split()[-1]) for a in authors if a.split()}


def _repeats(short: Source, full: Source) -> bool:
    """Whether the short form `short` names the same work as `full`."""
    if short.authors and not _surnames(short.authors) <= _surnames(full.authors):
        return False
    if short.title:
        if not full.title:
            return False
        a, b = _norm_title(short.title), _norm_title(full.title)
        if not a:
            return False
        return a == b or (b.startswith(a) and len(a.split()) >= 2)
    return bool(short.authors)


_BARE_LOCATOR_RE = re.compile(rf"^{PAGES}$")
_TRAILING_LOCATOR_RE = re.compile(rf",\s*({PAGES})\s*\.?\s*$")


def _page_after(src: Source) -> None:
    """The bare number after a short form ("Orwell, ‘Politics and the English Language’, 11.") is the page cited."""
    if src.page is None and src.outlet and _BARE_LOCATOR_RE.match(src.outlet.strip()):
        src.page, src.outlet = page_range(src.outlet), None
    if src.page is None and (tail := _TRAILING_LOCATOR_RE.search(src.text)):
        src.page = page_range(tail.group(1))


def _as_names_and_title(src: Source) -> Source | None:
    """ "Levitsky and Ziblatt, How Democracies Die, 50." read as the notes write an unquoted short
    form: the names first, then the title (the parse took the names for a title); None if it is not that."""
    if src.authors or not src.title or not src.outlet:
        return None
    names = parse_authors(src.title)
    if not names or not all(looks_like_name(n) for n in names):
        return None
    return Source(id=src.id, note_id=src.note_id, text=src.text, authors=names, title=src.outlet.split(",")[0].strip())


def _is_short_form(src: Source) -> bool:
    return src.position is Position.FIRST and src.title is not None and src.url is None and src.issued is None and src.volume is None and src.platform is None


class BackReferences:
    """Points every back-reference at the first citation of the work it repeats (CSL's rules),
    one note at a time in the draft's order: a note's citations are final once it is added,
    so a check can start on its works while later notes are still being read."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._firsts: list[Source] = []
        self._previous: list[Source] = []  # the citations of the previous note

    def add(self, note: Note) -> None:
        for i, src in enumerate(note.sources):
            if src.position in (Position.IBID, Position.IBID_WITH_LOCATOR):
                before = note.sources[:i] if i else self._previous
                if not before:
                    self._flag(src, "ambiguous-ibid", f"note {note.id}: Ibid. with no citation before it")
                elif len(before) > 1:
                    self._flag(src, "ambiguous-ibid", f"note {note.id}: Ibid. follows {len(before)} citations in note {before[0].note_id}")
                else:
                    self._refer(src, before[0], before[0].note_id)
            elif src.position is Position.SUBSEQUENT or _is_short_form(src):
                _page_after(src)
                pool = self._firsts
                if src.repeats_note:
                    pool = [f for f in self._firsts if f.note_id == src.repeats_note]
                    matching = [f for f in pool if _repeats(src, f)] or (pool if len(pool) == 1 else [])
                else:
                    matching = [f for f in pool if _repeats(src, f)]
                if not matching and (reread := _as_names_and_title(src)) is not None:
                    matching = [f for f in pool if _repeats(reread, f)]
                    if matching:
                        src.authors, src.title, src.outlet = reread.authors, reread.title, None
                if len(matching) == 1:
                    src.position = Position.SUBSEQUENT
                    self._refer(src, matching[0], matching[0].note_id)
                elif len(matching) > 1:
                    src.position = Position.SUBSEQUENT
                    self._flag(src, "ambiguous-reference", f"note {note.id}: the short form matches notes {', '.join(m.note_id for m in matching)}")
                elif src.position is Position.SUBSEQUENT:
                    self._flag(src, "unresolved-reference", f"note {note.id}: no earlier citation matches this back-reference")
            if src.position is Position.FIRST:
                self._firsts.append(src)
        self._previous = note.sources

    def _refer(self, src: Source, target: Source, via_note: str) -> None:
        src.repeats_note = via_note
        src.refers_to = target.refers_to if target.is_back_reference else target.id
        src.kind = target.kind  # the same work, so the same CSL type
        if src.refers_to is None:
            self._flag(src, "unresolved", f"{src.id} repeats {target.id}, which is itself unresolved")

    def _flag(self, src: Source, code: str, message: str) -> None:
        src.problems.append(message)
        self.problems.append(Problem(code=code, message=message, note_id=src.note_id))


def resolve_back_references(notes: list[Note]) -> list[Problem]:
    """Point every back-reference at the first citation of the work it repeats (CSL's rules)."""
    refs = BackReferences()
    for note in notes:
        refs.add(note)
    return refs.problems


# --- the document -----------------------------------------------------------------------------------


def _line_places(path: str, text: str, first_line: int) -> Callable[[int], Place]:
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def place_of(offset: int) -> Place:
        i = bisect.bisect_right(line_starts, offset) - 1
        return Place(path, line=first_line + i, column=offset - line_starts[i] + 1)

    return place_of


def body_claims(raw: RawDocument, note_ids: list[str]) -> list[Claim]:
    """The body's claims, each with the note its marker calls; needs only the body and the notes' ids
    (so a worker process can find them while the notes are parsed)."""
    if raw.markers is None:
        spans = []
        # each chapter's markers are looked for in its own text, for its own notes' numbers
        parts = raw.chapters or [(0, "")]
        for k, (start, prefix) in enumerate(parts):
            if start is None:
                continue  # its heading is not in the body: its notes are reported as without a marker
            end = next((s for s, _ in parts[k + 1 :] if s is not None), len(raw.body))
            numbers = {int(i[len(prefix) :]) for i in note_ids if i.startswith(prefix) and i[len(prefix) :].isdigit()}
            found = find_markers(raw.body[start:end], numbers)
            spans += [(f"{prefix}{c.value}", start + c.start, start + c.end) for c in found]
        place_of = _line_places(raw.path, raw.body, raw.body_first_line)
    else:
        spans = [(m.note_id, m.offset, m.offset) for m in raw.markers]
        places = {m.offset: m.place for m in raw.markers}
        place_of = lambda offset: places.get(offset, Place(raw.path))  # noqa: E731
    return build_claims(raw.body, spans, place_of)


def build_document(raw: RawDocument, registry: OutletRegistry | None = None) -> Document:
    builder = DocumentBuilder(raw, registry)
    for raw_note in raw.notes:
        builder.add(raw_note)
    return builder.finish()


class DocumentBuilder:
    """Builds a Document a note at a time (`add` returns the parsed note, its back-references
    resolved), then ties the body's markers and claims to the notes (`finish`)."""

    def __init__(self, raw: RawDocument, registry: OutletRegistry | None = None) -> None:
        self.raw = raw
        self.registry = registry or OutletRegistry.default()
        self.notes: list[Note] = []
        self._refs = BackReferences()

    def add(self, raw_note: RawNote) -> Note:
        return self.add_parsed(parse_note(raw_note, self.registry))

    def add_parsed(self, note: Note) -> Note:
        """A note parsed elsewhere (`parse_notes` in a worker), in the draft's order."""
        self._refs.add(note)
        self.notes.append(note)
        return note

    def finish(self, claims: list[Claim] | None = None) -> Document:
        """The document, its body's claims tied to the notes (`claims`: computed already, by `body_claims`)."""
        raw = self.raw
        doc = Document(path=raw.path, format=raw.format, notes=self.notes)
        doc.problems.extend(raw.problems)
        doc.problems.extend(self._refs.problems)
        doc.handles = find_handles(raw.body)
        by_id = {n.id: n for n in doc.notes}
        if claims is None:
            claims = body_claims(raw, list(by_id))
        for claim in claims:
            note = by_id.get(claim.note_id)
            if note is None:
                doc.problems.append(Problem("marker-without-note", f"marker {claim.note_id} has no note", place=claim.place, note_id=claim.note_id))
            else:
                note.claims.append(claim)
        for note in doc.notes:
            if not note.claims:
                doc.problems.append(Problem("note-without-marker", f"note {note.id} is not referenced in the text", place=note.place, note_id=note.id))
        return doc


# Words that make a sentence and seldom make a citation, as written in running prose: lowercase
# verbs, negations and pronouns, and a sentence's capitalized first words
_PROSE_WORD_RE = re.compile(
    r"\b(?:is|are|was|were|am|be|been|being|has|have|had|does|did|can|could|would|should|will|may|might|must|not|"
    r"here|there|this|these|those|we|our|my|mine|own|it|its|himself|herself|themselves|unless|author|authors|"
    r"été|toutes|tous|auteur|auteurs|mes|mon|notre|nos|propres?|"
    r"Verfassers?|Verfasserin|Autor|Autorin|eigene[nr]?|alle|mein|meine|unser|unsere|wurden|werden|"
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
        src.url,
        src.doi,
        src.issued,
        src.accessed,
        src.volume,
        src.page,
        src.publisher,
        src.publisher_place,
        src.editors,
        src.handle,
        src.platform,
        src.archive,
    )
    if any(evidence) or src.is_back_reference or src.kind in ("interview", "hearing", "thesis", "paper-conference", "book", "chapter"):
        return True
    if src.outlet and registry.lookup(src.outlet) or find_quote(src.text) is not None:
        return True
    text = src.text[len(src.lead_in) :] if src.lead_in and src.text.startswith(src.lead_in) else src.text
    return not (_CROSS_REFERENCE_RE.search(text) or len(_PROSE_WORD_RE.findall(text)) >= 2)
