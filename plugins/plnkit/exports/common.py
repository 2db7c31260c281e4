"""What every export shares: which resources are offered, their feeds, plain-text descriptions."""

from __future__ import annotations

from plnkit.feeds.content import html_to_text
from plnkit.feeds.discover import DiscoveryBases, handle_feed
from plnkit.kit.model import Kit, Resource
from plnkit.render.state import SiteState
from plnkit.render.text import inline_markdown


def feed_url(resource: Resource, state: SiteState) -> str | None:
    """The resource's feed: from its file, else the one discovered and stored, else the one
    its social handle implies; None when the feed is gone (HTTP 410)."""
    view = state.feeds.get(resource.slug)
    if view is not None and view.freshness == "gone":
        return None
    if resource.feed:
        return resource.feed
    if view is not None and view.feed_url:
        return view.feed_url
    if not resource.handles:  # no handle, no implied feed (and no settings to read)
        return None
    implied = handle_feed(resource, DiscoveryBases.from_env())
    return implied[0] if implied else None


def offered(kit: Kit, tab: str | None = None) -> list[Resource]:
    """Current resources (archived and retired ones are history, not subscriptions)."""
    return [r for r in kit.resources if r.is_current and (tab is None or r.tab == tab)]


def plain_description(resource: Resource) -> str:
    """The description as one line of plain text (its inline Markdown rendered, then read)."""
    return html_to_text(inline_markdown(resource.description), limit=400)


def spreadsheet_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula.

    >>> spreadsheet_cell("=HYPERLINK(1)"), spreadsheet_cell("plain")
    ("'=HYPERLINK(1)", 'plain')
    """
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
