"""One resource's feed as the site shows it: freshness and recent posts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Post:
    title: str  # plain text; escaped on render
    url: str | None  # http(s) only
    published: str | None  # ISO 8601
    summary_html: str = ""  # already sanitized
    source: str = ""  # resource name
    slug: str = ""
    enclosure: str | None = None  # http(s) only: a podcast episode or video


@dataclass(frozen=True)
class FeedView:
    freshness: str = "unknown"  # a key of FRESHNESS_LABELS
    last_post: str | None = None
    posts: tuple[Post, ...] = ()
    refreshed_at: str | None = None
    feed_url: str | None = None
