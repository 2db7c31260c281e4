"""Gather what the network parts stored into the `SiteState` a build renders from.

Reading the store is cheap and never touches the network; refreshing stale links and feeds
(when allowed) happens in the checker and fetcher modules, which this module calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from plnkit.net import outage_pause
from plnkit.feeds.freshness import FreshnessRules
from plnkit.feeds.site_feeds import BuildFeeds, feeds_for_build
from plnkit.links.site_view import build_link_views
from plnkit.kit.model import Kit
from plnkit.net.clock import Clock, SystemClock, parse_iso
from plnkit.render.state import SiteState
from plnkit.store import StateStore


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
    links_min_interval: float = 0.05
    links_verified_max_age_days: int = 180
    feeds_active_days: int = 90
    feeds_quiet_days: int = 365


@dataclass(frozen=True)
class Gathered:
    """A build's site state, and whether it came from the network or only from the store."""

    state: SiteState
    offline: bool = False  # told to stay off the network (`offline:` or PLNKIT_OFFLINE)
    outage: bool = False  # the link checker or feed fetcher could reach no server
    paused: bool = False  # an earlier build met an outage moments ago (`plnkit.net.outage_pause`)


def collect_state(kit: Kit, cache_dir: Path, refresh: Refresh | None = None) -> SiteState:
    """The state to render `kit` with, refreshed first where `refresh` allows."""
    return gather_state(kit, cache_dir, refresh).state


def gather_state(
    kit: Kit, cache_dir: Path, refresh: Refresh | None = None, clock: Clock | None = None
) -> Gathered:
    """`collect_state`, also telling whether the network was unused (offline or down)."""
    refresh = refresh or Refresh()
    clock = clock or SystemClock()
    store = StateStore(cache_dir)
    wants_network = not refresh.offline and (refresh.check_links or refresh.fetch_feeds)
    paused = wants_network and outage_pause.paused(store, clock.now())
    offline = refresh.offline or paused
    # Link health (issue 4): stored history, stale URLs re-checked first when allowed.
    links = build_link_views(
        kit,
        cache_dir,
        check=refresh.check_links,
        offline=offline,
        max_age_hours=refresh.links_max_age_hours,
        concurrency=refresh.links_concurrency,
        per_host=refresh.links_per_host,
        timeout=refresh.links_timeout,
        min_interval=refresh.links_min_interval,
        clock=clock,
        verified_max_age_days=refresh.links_verified_max_age_days,
    )
    # Feeds: stale ones refreshed first when allowed (bounded), then posts read from the store.
    # After a link check that reached no server, the feeds are not asked either.
    feeds = feeds_for_build(
        kit,
        cache_dir,
        offline=offline or links.outage,
        options=BuildFeeds(
            fetch=refresh.fetch_feeds,
            max_age_hours=refresh.feeds_max_age_hours,
            river_size=refresh.river_size,
            rules=FreshnessRules(refresh.feeds_active_days, refresh.feeds_quiet_days),
        ),
        clock=clock,
    )
    outage = links.outage or feeds.outage
    if outage:
        outage_pause.note_outage(store, clock.now())
    return Gathered(
        SiteState(links=links.views, feeds=feeds.views, river=feeds.river),
        offline=refresh.offline,
        outage=outage,
        paused=paused,
    )


def _newest_day(stamps: Iterable[str | None]) -> str | None:
    """The most recent date among ISO 8601 times, as YYYY-MM-DD."""
    days = []
    for stamp in stamps:
        if not stamp:
            continue
        try:
            days.append(parse_iso(stamp).date().isoformat())
        except ValueError:
            continue  # a hand-edited or damaged store entry: not a date to report
    return max(days, default=None)


def offline_notice(gathered: Gathered) -> str | None:
    """One plain sentence for the build log when the network was not used; None otherwise.

    >>> offline_notice(Gathered(SiteState(), offline=True))
    'offline — link health and posts are shown as last stored (nothing checked yet)'
    """
    if not (gathered.offline or gathered.outage or gathered.paused):
        return None
    state = gathered.state
    checked = _newest_day(view.checked_at for view in state.links.values())
    refreshed = _newest_day(view.refreshed_at for view in state.feeds.values())
    if checked or refreshed:
        when = ", ".join(
            (
                f"links checked {checked}" if checked else "links never checked",
                f"feeds refreshed {refreshed}" if refreshed else "feeds never refreshed",
            )
        )
    else:
        when = "nothing checked yet"
    if gathered.offline:
        why = ""
    elif gathered.outage:
        why = " (no server could be reached)"
    else:
        minutes = int(outage_pause.PAUSE.total_seconds() // 60)
        why = f" (no server could be reached in the last {minutes} minutes)"
    return f"offline{why} — link health and posts are shown as last stored ({when})"
