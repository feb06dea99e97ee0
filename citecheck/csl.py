"""Sources <-> CSL-JSON items (the format Zotero, pandoc and citeproc read).

One item per cited work (back-references are folded into the item they
repeat). Standard CSL variables carry everything CSL has a name for; what it
has not (platform, lead-in, framing, truncation, the notes that cite the work)
goes under `custom.citecheck`, which CSL 1.0.2 reserves for tools and other
readers ignore, so a round trip through CSL-JSON loses nothing.
"""

from __future__ import annotations

from typing import Any

from .model import ArchivePointer, Document, PartialDate, Position, Source
from .parse.dates import parse_date

#: CSL types whose outlet is a publisher rather than a container.
_PUBLISHED_KINDS = {"report", "document", "book", "thesis", "dataset", "software", "standard", "legislation", "bill"}


def _name(author: str) -> dict[str, str]:
    words = author.split()
    if len(words) < 2 or not author[:1].isupper():
        return {"literal": author}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def _author(name: dict[str, Any]) -> str:
    if "literal" in name:
        return str(name["literal"])
    return " ".join(str(p) for p in (name.get("given"), name.get("non-dropping-particle"), name.get("family")) if p)


def _date(d: PartialDate | None) -> dict[str, Any] | None:
    return {"date-parts": [d.date_parts]} if d else None


def _undate(value: Any) -> PartialDate | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if parts and parts[0]:
        nums = [int(x) for x in parts[0][:3]]
        return PartialDate(*nums)
    raw = value.get("raw") or value.get("literal")
    if raw:
        return parse_date(str(raw))
    return None


# The types of CSL-JSON's variables (csl-data.json, CSL 1.0.2): what an item's fields must be for
# citecheck to read them. Variables not listed are not read, whatever their type.
_STRING_VARIABLES = frozenset(
    {
        "type",
        "title",
        "title-short",
        "container-title",
        "container-title-short",
        "collection-title",
        "publisher",
        "publisher-place",
        "URL",
        "DOI",
        "ISBN",
        "ISSN",
        "PMID",
        "PMCID",
        "language",
        "note",
        "abstract",
        "genre",
        "medium",
        "source",
        "archive",
        "archive_location",
        "event-title",
        "event-place",
        "references",
        "status",
    }
)
_NUMBER_VARIABLES = frozenset({"page", "volume", "issue", "number", "edition", "chapter-number", "number-of-pages", "collection-number"})
_NAME_VARIABLES = frozenset({"author", "editor", "translator", "container-author", "collection-editor", "director", "interviewer", "recipient"})
_DATE_VARIABLES = frozenset({"issued", "accessed", "original-date", "submitted", "event-date"})
_NAME_PARTS = ("family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix")


def _json_type(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "true or false", type(None): "null"}.get(type(value), "a number")


def item_problem(item: dict[str, Any]) -> str | None:
    """The first field of a CSL-JSON item that is not of its schema's type, in words; None if it reads."""
    checks: list[tuple[str, object, str]] = []
    if "id" in item:
        checks.append(("id", item["id"], "a string or a number"))
    for key, value in item.items():
        if key in _STRING_VARIABLES:
            checks.append((key, value, "a string"))
        elif key in _NUMBER_VARIABLES:
            checks.append((key, value, "a string or a number"))
        elif key in _NAME_VARIABLES:
            checks.append((key, value, "an array of names"))
        elif key in _DATE_VARIABLES:
            checks.append((key, value, "a date object"))
        elif key == "custom":
            checks.append((key, value, "an object"))
    for key, value, wanted in checks:
        ok = {
            "a string": isinstance(value, str),
            "a string or a number": isinstance(value, (str, int, float)) and not isinstance(value, bool),
            "an array of names": isinstance(value, list),
            "a date object": isinstance(value, dict),
            "an object": isinstance(value, dict),
        }[wanted]
        if not ok:
            return f'"{key}" must be {wanted}, not {_json_type(value)}'
        if wanted == "an array of names":
            for i, name in enumerate(value):  # type: ignore[arg-type, var-annotated]
                if not isinstance(name, dict):
                    return f'"{key}"[{i}] must be a name object ({{"family": …, "given": …}} or {{"literal": …}}), not {_json_type(name)}'
                bad = next((part for part in _NAME_PARTS if part in name and not isinstance(name[part], (str, int, float))), None)
                if bad:
                    return f'"{key}"[{i}].{bad} must be a string, not {_json_type(name[bad])}'
        if wanted == "a date object":
            problem = _date_problem(value)  # type: ignore[arg-type]
            if problem:
                return f'"{key}" {problem}'
    return None


def _date_problem(value: dict[str, Any]) -> str | None:
    parts = value.get("date-parts")
    if parts is not None:
        if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
            return '"date-parts" must be an array of arrays of numbers'
        for part in parts[0][:3]:
            if isinstance(part, bool) or not (isinstance(part, int) or (isinstance(part, str) and part.strip().lstrip("-").isdigit())):
                return f'"date-parts" holds {part!r}, not a number'
    for key in ("raw", "literal"):
        if key in value and not isinstance(value[key], str):
            return f'"{key}" must be a string, not {_json_type(value[key])}'
    return None


def item_id(src: Source) -> str:
    return f"note{src.id.replace('.', '-')}"


def to_item(src: Source, *, framing: str | None = None, note_text: str | None = None, cited_in: list[str] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"id": item_id(src), "type": src.kind}
    if src.title:
        item["title"] = src.title
        if ":" in src.title:
            item["title-short"] = src.title.split(":", 1)[0].strip()
    if src.authors:
        item["author"] = [_name(a) for a in src.authors]
    if src.outlet:
        item["publisher" if src.kind in _PUBLISHED_KINDS else "container-title"] = src.outlet
    elif src.platform:
        item["container-title"] = src.platform
    if src.doi:
        item["DOI"] = src.doi
    if src.publisher_place:
        item["publisher-place"] = src.publisher_place
    if src.publisher:
        item["publisher"] = src.publisher
    for key, names in (("editor", src.editors), ("translator", src.translators)):
        if names:
            item[key] = [_name(n) for n in names]
    value: Any
    for key, value in (("issued", _date(src.issued)), ("accessed", _date(src.accessed))):
        if value:
            item[key] = value
    for key, value in (("URL", src.url), ("page", src.page), ("volume", src.volume), ("issue", src.issue), ("language", src.language)):
        if value:
            item[key] = value
    if note_text:
        item["note"] = note_text
    custom: dict[str, Any] = {"note": src.note_id, "source": src.id}
    for key, value in (
        ("platform", src.platform),
        ("lead_in", src.lead_in),
        ("framing", framing),
        ("title_truncated", src.title_truncated or None),
        ("cited_in", cited_in),
    ):
        if value:
            custom[key] = value
    if src.archive:
        custom["archive"] = {"url": src.archive.url, "date": src.archive.date}
    item["custom"] = {"citecheck": custom}
    return item


def from_item(item: dict[str, Any]) -> Source:
    """A Source from a CSL-JSON item, ours or any other tool's."""
    custom = (item.get("custom") or {}).get("citecheck", {}) if isinstance(item.get("custom"), dict) else {}
    note_id = str(custom.get("note", item.get("id", "?")))
    source_id = str(custom.get("source", f"{note_id}.1"))
    platform = custom.get("platform")
    outlet = item.get("container-title") or item.get("publisher")
    if platform and outlet == platform:
        outlet = None
    archive = custom.get("archive")
    return Source(
        id=source_id,
        note_id=note_id,
        text=str(item.get("title", "")),
        kind=str(item.get("type", "document")),
        authors=[_author(a) for a in item.get("author", []) if isinstance(a, dict)],
        title=item.get("title"),
        title_truncated=bool(custom.get("title_truncated", False)),
        outlet=outlet,
        platform=platform,
        issued=_undate(item.get("issued")),
        accessed=_undate(item.get("accessed")),
        url=item.get("URL"),
        doi=item.get("DOI"),
        publisher_place=item.get("publisher-place"),
        publisher=item.get("publisher") if item.get("container-title") else None,
        editors=[_author(a) for a in item.get("editor", []) if isinstance(a, dict)],
        translators=[_author(a) for a in item.get("translator", []) if isinstance(a, dict)],
        language=item.get("language"),
        page=str(item["page"]) if item.get("page") is not None else None,
        volume=str(item["volume"]) if item.get("volume") is not None else None,
        issue=str(item["issue"]) if item.get("issue") is not None else None,
        lead_in=custom.get("lead_in"),
        position=Position.FIRST,
        archive=ArchivePointer(archive["url"], archive.get("date")) if isinstance(archive, dict) and archive.get("url") else None,
    )


def document_items(doc: Document) -> list[dict[str, Any]]:
    """The CSL-JSON array for a parsed document: one item per work, in order of first citation."""
    cited_in = doc.citing_notes()
    items = []
    for note in doc.notes:
        for src in note.sources:
            if src.position is Position.FIRST:
                items.append(to_item(src, framing=note.framing, note_text=note.text, cited_in=cited_in.get(src.id)))
    return items
