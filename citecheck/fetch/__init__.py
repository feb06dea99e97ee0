"""Fetching: the resolver, its gates and transports, address safety, the cache."""
