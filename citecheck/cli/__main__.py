"""`python -m citecheck.cli`."""

from . import run

run()
