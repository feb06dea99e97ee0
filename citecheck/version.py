"""citecheck's version: one place, read by the package, the reports and the user agent."""

__version__ = "0.1.0"
