"""How lively a feed is, from the date of its newest post."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from plnkit.net.clock import parse_iso


class Freshness(StrEnum):
    """Keys of `site_state.FRESHNESS_LABELS`."""

    ACTIVE = "active"
    QUIET = "quiet"
    DORMANT = "dormant"
    GONE = "gone"
    NO_FEED = "no feed"
    UNKNOWN = "unknown"  # not fetched yet
    UNDATED = "undated"  # fetched, but no post carries a date
    UNREADABLE = "unreadable"  # asked, but no usable feed came back yet


@dataclass(frozen=True)
class FreshnessRules:
    active_days: int = 90  # a post within this many days: active
    quiet_days: int = 365  # within this many: quiet; older: dormant


def freshness(
    last_post: str | None,
    now: dt.datetime,
    *,
    has_feed: bool = True,
    gone: bool = False,
    rules: FreshnessRules | None = None,
) -> Freshness:
    """The freshness of a feed whose newest dated post is `last_post` (ISO 8601).

    >>> now = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    >>> [freshness(d, now).value for d in ("2026-11-01T00:00:00Z", "2026-01-01T00:00:00Z",
    ...                                    "2020-01-01T00:00:00Z", None)]
    ['active', 'quiet', 'dormant', 'unknown']
    """
    rules = rules or FreshnessRules()
    if gone:
        return Freshness.GONE
    if not has_feed:
        return Freshness.NO_FEED
    if not last_post:
        return Freshness.UNKNOWN
    try:
        age = now - parse_iso(last_post)
    except ValueError:
        return Freshness.UNKNOWN
    if age <= dt.timedelta(days=rules.active_days):
        return Freshness.ACTIVE
    if age <= dt.timedelta(days=rules.quiet_days):
        return Freshness.QUIET
    return Freshness.DORMANT
