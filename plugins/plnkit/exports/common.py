"""What every export shares: which resources are offered, their feeds, plain-text descriptions."""

from __future__ import annotations

from plnkit.feeds.content import html_to_text
from plnkit.model import Kit, Resource
from plnkit.render.text import inline_markdown
from plnkit.site_state import SiteState


def feed_url(resource: Resource, state: SiteState) -> str | None:
    """The resource's feed: from its file, else the one discovered and stored; None when the
    feed is gone (HTTP 410)."""
    view = state.feeds.get(resource.slug)
    if view is not None and view.freshness == "gone":
        return None
    if resource.feed:
        return resource.feed
    return view.feed_url if view is not None else None


def offered(kit: Kit, tab: str | None = None) -> list[Resource]:
    """Current resources (archived and retired ones are history, not subscriptions)."""
    return [r for r in kit.resources if r.is_current and (tab is None or r.tab == tab)]


def plain_description(resource: Resource) -> str:
    """The description as one line of plain text (its inline Markdown rendered, then read)."""
    return html_to_text(inline_markdown(resource.description), limit=400)
