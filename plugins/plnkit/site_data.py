"""Gather what the network parts stored into the `SiteState` a build renders from.

Reading the store is cheap and never touches the network; refreshing stale links and feeds
(when allowed) happens in the checker and fetcher modules, which this module calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plnkit.links.site_view import build_link_views
from plnkit.model import Kit
from plnkit.site_state import SiteState


@dataclass(frozen=True)
class Refresh:
    """What a build may do on the network, from the plugin or CLI options."""

    offline: bool = True
    check_links: bool = False
    fetch_feeds: bool = False
    links_max_age_hours: float = 24
    feeds_max_age_hours: float = 6
    river_size: int = 50
    # Link checking during a build (issue 4).
    links_concurrency: int = 16
    links_per_host: int = 2
    links_timeout: float = 15


def collect_state(kit: Kit, cache_dir: Path, refresh: Refresh | None = None) -> SiteState:
    """The state to render `kit` with, refreshed first where `refresh` allows."""
    refresh = refresh or Refresh()
    # Link health (issue 4): stored history, stale URLs re-checked first when allowed.
    links = build_link_views(
        kit,
        cache_dir,
        check=refresh.check_links,
        offline=refresh.offline,
        max_age_hours=refresh.links_max_age_hours,
        concurrency=refresh.links_concurrency,
        per_host=refresh.links_per_host,
        timeout=refresh.links_timeout,
    )
    return SiteState(links=links)
