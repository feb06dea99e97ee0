"""A page reader for the page-reading pool's tests, importable in its worker processes: a page
whose body says CRASH kills the worker reading it, as a page that crashes lxml would."""

from __future__ import annotations

import os

from citecheck.model import Candidate, PageEvidence


def read_pages(pages: list[tuple[bytes, str, str | None, str | None]]) -> list[PageEvidence]:
    if any(b"CRASH" in body for body, *_ in pages):
        os._exit(1)
    return [PageEvidence(kind="html", url=url, titles=[Candidate(body.decode(), "test")]) for body, url, *_ in pages]
