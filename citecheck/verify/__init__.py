"""Verifying: what a page says (extract, language) against what its note cites (rules)."""
