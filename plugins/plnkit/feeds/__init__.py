"""Feeds: discover, fetch (through `net/`), parse, sanitize and keep the recent posts of a kit's
resources, and judge their freshness. May import `kit/`, `store` and `net/`.
"""
