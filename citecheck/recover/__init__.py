"""Recovering gone sources: web archives, and the platforms' own endpoints for posts and videos."""
