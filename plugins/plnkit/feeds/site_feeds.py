"""Feeds for a site build: refresh what is stale (bounded), then read posts and freshness.

The build never fails or hangs because of a feed: the refresh has a deadline, runs only when
the build may use the network, and any surprise is a warning. Offline, the pages come from
the stored posts and say when those were last refreshed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from plnkit.feeds.freshness import Freshness, FreshnessRules, freshness
from plnkit.feeds.report import FeedState
from plnkit.feeds.river import build_river
from plnkit.feeds.store import FeedRecord, last_post, load_records
from plnkit.feeds.view import FeedView, Post
from plnkit.kit.model import Kit, Resource
from plnkit.kit.urls import allow_local_from_env
from plnkit.net.clock import Clock, SystemClock
from plnkit.store import StateStore

log = logging.getLogger("plnkit.feeds")

BUILD_TIMEOUT = 10.0  # seconds per request while a build waits
BUILD_DEADLINE = 20.0  # seconds for the whole refresh during a build
UNREADABLE_STATES = (FeedState.FAILED.value, FeedState.REFUSED.value)


@dataclass(frozen=True)
class BuildFeeds:
    """What the build asks of the feeds (from the plugin's `feeds:` options)."""

    fetch: bool = False
    max_age_hours: float = 6.0
    river_size: int = 50
    rules: FreshnessRules = field(default_factory=FreshnessRules)
    timeout: float = BUILD_TIMEOUT
    deadline_seconds: float = BUILD_DEADLINE


def _post(stored: dict, resource: Resource) -> Post:
    get = stored.get  # a build reads every stored post: kept lean
    url, title, published = get("url"), get("title"), get("published")
    summary, enclosure = get("summary_html"), get("enclosure")
    return Post(
        title=title if title and isinstance(title, str) else "",
        url=url if isinstance(url, str) and url.startswith(("https://", "http://")) else None,
        published=published if isinstance(published, str) else None,
        summary_html=summary if summary and isinstance(summary, str) else "",
        source=resource.name,
        slug=resource.slug,
        enclosure=enclosure if isinstance(enclosure, str) else None,
    )


def feed_view(
    resource: Resource, record: FeedRecord | None, now: dt.datetime, rules: FreshnessRules
) -> FeedView:
    """A resource's posts and freshness as the renderer sees them."""
    if record is None:
        has_feed = bool(resource.feed)
        state = Freshness.UNKNOWN if has_feed else Freshness.NO_FEED
        return FeedView(freshness=state.value, feed_url=resource.feed)
    feed_url = resource.feed or record.feed_url
    newest = last_post(record)
    state = freshness(newest, now, has_feed=bool(feed_url), gone=record.gone, rules=rules)
    if state is Freshness.UNKNOWN and record.refreshed_at and record.posts:
        state = Freshness.UNDATED
    elif state is Freshness.UNKNOWN and record.state in UNREADABLE_STATES:
        state = Freshness.UNREADABLE
    posts = tuple(_post(p, resource) for p in record.posts)
    return FeedView(
        freshness=state.value,
        last_post=newest,
        posts=posts,
        refreshed_at=record.refreshed_at,
        feed_url=feed_url,
    )


def read_feeds(
    kit: Kit, store: StateStore, now: dt.datetime, rules: FreshnessRules, river_size: int
) -> tuple[Mapping[str, FeedView], tuple[Post, ...]]:
    """Feed views for every resource that has or had a feed, and the river, from the store.

    A build reads once and renders its pages and exports from the same answer."""
    records = load_records(store)
    views: dict[str, FeedView] = {}
    for resource in kit.resources:
        record = records.get(resource.slug)
        if record is None and not resource.feed:
            continue
        if record is not None and not (resource.feed or record.feed_url or record.posts):
            continue
        views[resource.slug] = feed_view(resource, record, now, rules)
    current = {r.slug for r in kit.resources if r.status != "retired"}
    river = build_river([v for s, v in views.items() if s in current], river_size)
    return MappingProxyType(views), river


@dataclass(frozen=True)
class FeedsForBuild:
    """The feeds part of a build: views, the river, and whether the network was down."""

    views: Mapping[str, FeedView]
    river: tuple[Post, ...]
    outage: bool = False  # the refresh reached no server; the posts are as stored


def collect_feeds(
    kit: Kit,
    cache_dir: Path,
    *,
    offline: bool,
    options: BuildFeeds,
    clock: Clock | None = None,
) -> tuple[Mapping[str, FeedView], tuple[Post, ...]]:
    """Refresh stale feeds when allowed (bounded, never raising), then read the store."""
    found = feeds_for_build(kit, cache_dir, offline=offline, options=options, clock=clock)
    return found.views, found.river


def feeds_for_build(
    kit: Kit,
    cache_dir: Path,
    *,
    offline: bool,
    options: BuildFeeds,
    clock: Clock | None = None,
) -> FeedsForBuild:
    """`collect_feeds`, also telling whether the refresh found the network down, so the build
    can say once that it is offline (and pause the network, `plnkit.net.outage_pause`)."""
    clock = clock or SystemClock()
    store = StateStore(cache_dir)
    outage = False
    if options.fetch and not offline:
        # Here, not at the top: an offline build never loads the fetcher's HTTP stack.
        from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds

        fetch_options = FetchOptions(
            timeout=options.timeout,
            deadline_seconds=options.deadline_seconds,
            max_age_hours=options.max_age_hours,
            allow_local=allow_local_from_env(),
        )
        try:
            report = fetch_kit_feeds(kit, store, fetch_options, clock=clock)
        except Exception as err:  # a feed problem must never stop a build
            log.warning(
                "feeds were not refreshed (%s: %s); using stored posts", err.__class__.__name__, err
            )
        else:
            log.info("%s", report.headline())
            outage = report.outage
    views, river = read_feeds(kit, store, clock.now(), options.rules, options.river_size)
    if not options.fetch and not offline:  # an offline build says so once, for links and feeds
        refreshed = max((v.refreshed_at for v in views.values() if v.refreshed_at), default=None)
        log.info(
            "feeds not fetched (feeds.fetch is off); posts as stored %s",
            f"(last refreshed {refreshed})" if refreshed else "(none fetched yet)",
        )
    return FeedsForBuild(views, river, outage)
