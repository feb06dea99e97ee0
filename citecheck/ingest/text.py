"""Plain-text drafts: a notes heading, then numbered notes; markers are found later by shape."""

from __future__ import annotations

import re

from ..errors import NoNotesError
from ..model import Place, RawDocument, RawNote
from .decode import decode_text

HEADING_RE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:citations|notes|endnotes|footnotes|references|sources|notes and references|"
    r"works cited|bibliography|notes de bas de page|références|notas|referencias|anmerkungen|fußnoten)\s*:?\s*$",
    re.IGNORECASE,
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
NOTE_START_RE = re.compile(
    r"^(?P<indent>\s*)(?:\[(?P<bracket>\d{1,7})\]|(?P<dotted>\d{1,7})[.)](?=\s)|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,7})|\^(?P<caret>\d{1,7})\^?"
    r"|(?P<spaced>\d{1,4})[ \t\u00a0]+(?=[^\W\d_]|[“\"‘'(«„‚¿¡*_@]))\s*"
)


def _note_number(line: str, after: int | None = None) -> tuple[str, int] | None:
    """(number, where its text starts) of a line that starts a note. A bare number and a space
    ("12 Jane Roe, …", as book and journal notes pages print them) starts one only as the note
    after `after`: otherwise it is a continuation line that begins with a number ("2020), 45.")."""
    m = NOTE_START_RE.match(line)
    if not m or not line[m.end() :].strip():
        return None
    if m.group("spaced"):
        return (m.group("spaced"), m.end()) if after is not None and int(m.group("spaced")) == after + 1 else None
    raw = m.group("bracket") or m.group("dotted") or m.group("caret") or (m.group("sup") or "").translate(_SUPERSCRIPTS)
    return raw, m.end()


def _as_int(note_id: str) -> int | None:
    return int(note_id) if note_id.isdigit() else None


def _notes_start(lines: list[str]) -> tuple[int, int] | None:
    """(heading line index or -1, first note line index) of the notes section."""
    for i in range(len(lines) - 1, -1, -1):
        if HEADING_RE.match(lines[i]):
            for j in range(i + 1, len(lines)):
                if lines[j].strip():
                    # under a heading, "1 Text" starts the notes too, and so does a chapter's heading before its note 1
                    if _note_number(lines[j], after=0) or _opens_chapter(lines, j):
                        return i, j
                    break
    # No heading: the last run of numbered lines that starts at 1 and reaches the end.
    for i in range(len(lines) - 1, -1, -1):
        found = _note_number(lines[i])
        if found and found[0] == "1":
            return -1, i
    return None


def read(path: str, data: bytes) -> RawDocument:
    text = decode_text(path, data)
    return parse_text(path, text)


def parse_text(path: str, text: str, fmt: str = "text") -> RawDocument:
    lines = text.splitlines()
    found = _notes_start(lines)
    if found is None:
        raise NoNotesError(path, "no notes found (expected a heading such as 'Notes' or 'Citations' followed by numbered notes like '[1]' or '1.')")
    heading, first = found
    body_end = heading if heading >= 0 else first
    notes: list[RawNote] = []
    continued: list[list[str]] = []  # each note's lines, joined once: adding to a string each line is quadratic
    chapter_of: list[int] = []  # each note's chapter, counted from 0: a book's numbering restarts at 1 per chapter
    headings: list[str | None] = [None]  # each chapter's heading in the notes section
    in_chapter = 0  # notes read in the current chapter
    for index in range(first, len(lines)):
        line = lines[index]
        numbered = _note_number(line, after=_as_int(notes[-1].id) if in_chapter else 0)
        if numbered is None and notes and (restart := _note_number(line, after=0)):
            numbered = restart  # "1 Jane Roe, …" after note 14: the next chapter's first note
        if numbered:
            number, col = numbered
            if number == "1" and in_chapter:  # numbering restarts with no heading before it
                headings.append(None)
                in_chapter = 0
            notes.append(RawNote(id=number, text="", place=Place(path, line=index + 1, column=col + 1)))
            continued.append([line[col:].strip()])
            chapter_of.append(len(headings) - 1)
            in_chapter += 1
        elif line.strip() and _opens_chapter(lines, index):
            if notes:
                headings.append(line.strip())
                in_chapter = 0
            else:
                headings[0] = line.strip()
        elif line.strip() and notes:
            continued[-1].append(line.strip())
    for note, parts in zip(notes, continued):
        note.text = " ".join(parts)
    body = "\n".join(lines[:body_end])
    chapters: list[tuple[int | None, str]] = []
    if len(headings) > 1:
        for note, chapter in zip(notes, chapter_of):
            note.id = f"{chapter + 1}-{note.id}"
        chapters = _chapter_starts(body, headings)
    return RawDocument(path=path, format=fmt, body=body, notes=notes, markers=None, body_first_line=1, chapters=chapters)


def _opens_chapter(lines: list[str], index: int) -> bool:
    """Whether a line of the notes section is a chapter's heading ("Chapter 2: After Barkhane"): a
    short line after a blank one (or the notes heading), the next line written being its note 1."""
    line = lines[index].strip()
    if not line or len(line) > 120 or _note_number(lines[index], after=0):
        return False
    if index > 0 and lines[index - 1].strip() and not HEADING_RE.match(lines[index - 1]):
        return False
    following = next((lines[j] for j in range(index + 1, len(lines)) if lines[j].strip()), None)
    numbered = _note_number(following, after=0) if following is not None else None
    return numbered is not None and numbered[0] == "1"


def _heading_key(line: str) -> str:
    return re.sub(r"\W+", " ", line.lstrip("# ").casefold()).strip()


def _chapter_starts(body: str, headings: list[str | None]) -> list[tuple[int | None, str]]:
    """Where each chapter's text starts in the body, found by its heading in the notes section
    (the first chapter starts with the body); None for a chapter whose heading the body lacks."""
    offsets: dict[str, list[int]] = {}
    position = 0
    for line in body.split("\n"):
        offsets.setdefault(_heading_key(line), []).append(position)
        position += len(line) + 1
    starts: list[tuple[int | None, str]] = [(0, "1-")]
    after = 0
    for k, heading in enumerate(headings[1:], start=2):
        found = next((o for o in offsets.get(_heading_key(heading), []) if o >= after), None) if heading else None
        starts.append((found, f"{k}-"))
        after = found if found is not None else after
    return starts
