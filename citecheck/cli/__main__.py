"""`python -m citecheck.cli`."""

from . import main

raise SystemExit(main())
