"""Finding the URL of a work that its note does not link: the stage between the notes and the fetcher.

For each such work, backends are asked in a fixed, configurable order (cheapest and most precise
first: identifiers, the outlet's URL shapes, listings of its pages around the cited date,
GDELT's article list, Crossref, a web search); each answers with leads, and each lead is fetched
and verified as a cited page is. The first lead the verifier accepts as the work (`accept.py`) is
the work's URL; a wrong URL is worse than none, so a lead that is not clearly the work is
rejected, with why. Everything a backend was asked, and what it answered, is kept for the report.

The stage's modules: `base` (the work asked for, a lead, a backend's answer, the context),
`find` (asking the backends in order and trying their leads), `accept` (when a lead is the work),
`options`, `slugs`, and one module per backend. Nothing is imported here: the configuration reads
`options` before a check loads anything else.
"""
