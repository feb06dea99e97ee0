"""CSL-JSON files (from citecheck, Zotero or pandoc): items become notes with their sources as given."""

from __future__ import annotations

import json

from ..csl import from_item, item_problem
from ..errors import InputError, NoNotesError
from ..model import Place, RawDocument, RawNote
from .decode import decode_text


def read(path: str, data: bytes) -> RawDocument:
    text = decode_text(path, data)
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except RecursionError:
        raise InputError(path, "not CSL-JSON: arrays or objects nested too deeply") from None
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError(path, "not CSL-JSON: expected an array of items")
    if not items:
        raise NoNotesError(path, "the CSL-JSON array is empty")
    notes: dict[str, RawNote] = {}
    for index, item in enumerate(items):
        problem = item_problem(item)
        if problem is not None:
            raise InputError(path, f"item {index + 1}: not a CSL item: {problem}", where=f"[{index}]")
        try:
            src = from_item(item)
        except (TypeError, ValueError, KeyError) as exc:
            raise InputError(path, f"item {index + 1}: not a CSL item ({exc})", where=f"[{index}]") from None
        custom = (item.get("custom") or {}).get("citecheck", {}) if isinstance(item.get("custom"), dict) else {}
        note = notes.setdefault(
            src.note_id,
            RawNote(
                id=src.note_id, text=str(item.get("note", src.title or "")), place=Place(path, xpath=f"[{index}]"), framing=custom.get("framing"), sources=[]
            ),
        )
        assert note.sources is not None
        note.sources.append(src)
    return RawDocument(path=path, format="csl-json", body="", notes=list(notes.values()), markers=[])
