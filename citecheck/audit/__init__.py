"""Audits of whole archives: the run, and its SQLite store."""
