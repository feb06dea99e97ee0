"""Identifiers written in a note, and where each resolves: a DOI, an arXiv id, an ISBN, a PMID, a
Handle, a UN document symbol. An identifier names one work, so its lead comes first and scores 1;
the verifier still confirms the page it leads to is the work cited."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..endpoints import Endpoints
from .base import Asked, Context, Lead, WorkQuery

_DOI_RE = re.compile(r"(?:doi\s*:?\s*|https?://(?:dx\.)?doi\.org/)?\b(10\.\d{4,9}/[^\s\"<>]+?)(?=[.,;)\]]?(?:\s|$))", re.IGNORECASE)
_ARXIV_RE = re.compile(r"\barXiv\s*:?\s*(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7})\b", re.IGNORECASE)
_ISBN_RE = re.compile(r"\bISBN(?:-1[03])?\s*:?\s*((?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dX])\b", re.IGNORECASE)
_PMID_RE = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b")
_HANDLE_RE = re.compile(r"\b(?:hdl\s*:\s*|https?://hdl\.handle\.net/)(\d+(?:\.\d+)*/[^\s,;]+?)(?=[.,;)]?(?:\s|$))", re.IGNORECASE)
# UN document symbols: S/2024/556, A/RES/78/1, A/HRC/55/L.1, S/RES/2734 (2024), E/CN.6/2024/3
_UN_SYMBOL_RE = re.compile(r"\b((?:S|A|E|ST|UNEP|CRC|CCPR|CEDAW|TD)/(?:[A-Z]{1,6}(?:\.\d+)?/)*(?:\d{1,4}/)?(?:L\.)?\d{1,5}(?:/(?:Rev|Add|Corr)\.\d+)*)\b")


def _digits(isbn: str) -> str:
    return re.sub(r"[-\s]", "", isbn)


@dataclass(frozen=True, slots=True)
class _Scheme:
    name: str
    pattern: re.Pattern[str]
    url: Callable[[Endpoints, str], str]


SCHEMES = (
    _Scheme("DOI", _DOI_RE, lambda e, v: f"{e.doi}/{v}"),
    _Scheme("arXiv", _ARXIV_RE, lambda e, v: f"{e.arxiv}/{v}"),
    _Scheme("ISBN", _ISBN_RE, lambda e, v: f"{e.openlibrary}/isbn/{_digits(v)}"),
    _Scheme("PMID", _PMID_RE, lambda e, v: f"{e.pubmed}/{v}/"),
    _Scheme("Handle", _HANDLE_RE, lambda e, v: f"{e.handle}/{v}"),
    _Scheme("UN symbol", _UN_SYMBOL_RE, lambda e, v: f"{e.undocs}/{v}"),
)


def identifiers_in(text: str) -> list[tuple[str, str]]:
    """(scheme, identifier) written in a citation, in the order of SCHEMES."""
    found: list[tuple[str, str]] = []
    for scheme in SCHEMES:
        for m in scheme.pattern.finditer(text):
            value = m.group(1).rstrip(".")
            if (scheme.name, value) not in found:
                found.append((scheme.name, value))
    return found


class Identifiers:
    name = "identifiers"

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        return None if identifiers_in(work.citation) else "the note names no identifier"

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        by_name = {s.name: s for s in SCHEMES}
        leads = [
            Lead(by_name[scheme].url(ctx.endpoints, value), self.name, 1.0, f"{scheme} {value}", lasting=True)
            for scheme, value in identifiers_in(work.citation)
        ]
        return Asked(self.name, leads, ", ".join(lead.why for lead in leads))
