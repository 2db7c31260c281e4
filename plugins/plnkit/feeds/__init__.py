"""Feeds: fetch, discover, parse and keep the recent posts of a kit's resources."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from plnkit.feeds.report import FeedResult, FeedState, FetchReport

if TYPE_CHECKING:
    from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds

# The fetcher (requests, feedparser) loads on first use: a site build only reads stored posts.
_LAZY = {"FetchOptions": "plnkit.feeds.runner", "fetch_kit_feeds": "plnkit.feeds.runner"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["FeedResult", "FeedState", "FetchOptions", "FetchReport", "fetch_kit_feeds"]
