"""What the network parts learned, as the renderer sees it: health, freshness, posts.

The renderer never touches the network or the store; it reads a `SiteState`. An empty state
(offline, first build) renders every resource as "unchecked" with no posts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

HEALTH_LABELS = {
    "ok": "Link OK",
    "moved": "Moved",
    "failing": "Failing",
    "dead": "Dead link",
    "blocked": "Link OK (site limits checkers)",
    "unchecked": "Not checked yet",
}
FRESHNESS_LABELS = {
    "active": "Active",
    "quiet": "Quiet",
    "dormant": "Dormant",
    "gone": "Feed gone",
    "no feed": "No feed",
    "unknown": "Not fetched yet",
    "undated": "Posts undated",
    "unreadable": "Feed not readable",
}


@dataclass(frozen=True)
class LinkView:
    health: str = "unchecked"  # a key of HEALTH_LABELS
    checked_at: str | None = None
    final_url: str | None = None  # where a permanent redirect leads
    archive_url: str | None = None  # an archived copy, for dead resources
    embeddable: bool | None = None  # may the page be framed in a preview
    error: str | None = None
    since: str | None = None  # first failure, for failing and dead


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


@dataclass(frozen=True)
class SiteState:
    links: Mapping[str, LinkView] = field(default_factory=lambda: MappingProxyType({}))
    feeds: Mapping[str, FeedView] = field(default_factory=lambda: MappingProxyType({}))
    river: tuple[Post, ...] = ()

    def link(self, slug: str) -> LinkView:
        return self.links.get(slug) or LinkView()

    def feed(self, slug: str, has_feed: bool) -> FeedView:
        found = self.feeds.get(slug)
        if found:
            return found
        return FeedView(freshness="unknown" if has_feed else "no feed")
