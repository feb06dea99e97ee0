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
    r"|(?P<spaced>\d{1,4})[ \t\u00a0]+(?=[^\W\d_]|[“\"‘'(]))\s*"
)


def _note_number(line: str, after: int | None = None) -> tuple[str, int] | None:
    """(number, where its text starts) of a line that starts a note. A bare number and a space
    ("12 Jane Roe, …", as book and journal notes pages print them) starts one only as the note
    after `after`: otherwise it is a continuation line that begins with a number ("2020), 45.")."""
    m = NOTE_START_RE.match(line)
    if not m or not line[m.end():].strip():
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
                    if _note_number(lines[j], after=0):  # under a heading, "1 Text" starts the notes too
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
    for index in range(first, len(lines)):
        line = lines[index]
        numbered = _note_number(line, after=_as_int(notes[-1].id) if notes else 0)
        if numbered:
            number, col = numbered
            notes.append(RawNote(id=number, text="", place=Place(path, line=index + 1, column=col + 1)))
            continued.append([line[col:].strip()])
        elif line.strip() and notes:
            continued[-1].append(line.strip())
    for note, parts in zip(notes, continued):
        note.text = " ".join(parts)
    body = "\n".join(lines[:body_end])
    return RawDocument(path=path, format=fmt, body=body, notes=notes, markers=None, body_first_line=1)
