"""What the network parts learned, as the renderer sees it: health, freshness, posts.

The renderer never touches the network or the store; it reads a `SiteState`. An empty state
(offline, first build) renders every resource as "unchecked" with no posts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from plnkit.feeds.view import FeedView, Post
from plnkit.links.view import LinkView

HEALTH_LABELS = {
    "ok": "Link OK",
    "moved": "Moved",
    "failing": "Failing",
    "dead": "Dead link",
    "blocked": "Link OK (site limits checkers)",
    "verified": "Checked by a person",
    "changed": "May have changed hands",
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
