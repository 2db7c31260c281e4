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
from plnkit.render.i18n import N_

# English messages; the card shows them in the site's language (`render.i18n`).
HEALTH_LABELS = {
    "ok": N_("Link OK"),
    "moved": N_("Moved"),
    "failing": N_("Failing"),
    "dead": N_("Dead link"),
    "blocked": N_("Link OK (site limits checkers)"),
    "verified": N_("Checked by a person"),
    "changed": N_("May have changed hands"),
    "unchecked": N_("Not checked yet"),
}
FRESHNESS_LABELS = {
    "active": N_("Active"),
    "quiet": N_("Quiet"),
    "dormant": N_("Dormant"),
    "gone": N_("Feed gone"),
    "no feed": N_("No feed"),
    "unknown": N_("Not fetched yet"),
    "undated": N_("Posts undated"),
    "unreadable": N_("Feed not readable"),
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
