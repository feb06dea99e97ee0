"""Parsing: notes into citations, the body into claims, dates in any language."""
