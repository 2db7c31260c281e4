"""Link health as the site shows it: one `LinkView` per resource, from the state store.

During a build, stale URLs are re-checked first when allowed, within a time budget; any
trouble (outage, unwritable cache, a bug) is logged and the stored state is used as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from plnkit.kit.model import Kit, Resource
from plnkit.kit.urls import allow_local_from_env, url_problem
from plnkit.links import history
from plnkit.links.archive import generic_archive_url
from plnkit.links.types import Health, LinkState
from plnkit.links.view import LinkView
from plnkit.net.clock import Clock
from plnkit.store import StateStore

if TYPE_CHECKING:
    from plnkit.links.options import CheckOptions

log = logging.getLogger("plnkit.links")

BUILD_BUDGET_SECONDS = 20.0  # a build never waits longer than this for link checks
BUILD_FAILURE_MAX_AGE_HOURS = 1.0  # `mkdocs serve` re-checks a failing link at most hourly


# Addresses of the commonest shape, which `url_problem(allow_local=True)` always accepts: an
# http(s) scheme, a host of letters, digits, dots and hyphens, an optional port, no spaces.
_SIMPLE_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::([0-9]{1,5}))?(?:[/?#]\S*)?")


def _web_url(value: object) -> str | None:
    """A stored URL fit for an href: http(s) only, whatever the cache file says."""
    if not isinstance(value, str):
        return None
    simple = _SIMPLE_WEB_URL.fullmatch(value)
    if simple and 0 < int(simple.group(1) or 80) <= 65535:
        return value  # the full check would say the same, at many times the cost
    return value if not url_problem(value, allow_local=True) else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


VERIFIED_MAX_AGE_DAYS = 180  # a person's check of a `blocked` link counts this long


def person_check_is_recent(resource: Resource, today: dt.date, max_age_days: int) -> bool:
    """Whether the resource's `verified` date is at most `max_age_days` before `today`."""
    if resource.verified is None:
        return False
    try:
        day = dt.date.fromisoformat(resource.verified.on)
    except ValueError:
        return False
    return 0 <= (today - day).days <= max_age_days


def view_for(
    resource: Resource,
    record: Mapping[str, Any] | None,
    today: dt.date | None = None,
    verified_max_age_days: int = VERIFIED_MAX_AGE_DAYS,
) -> LinkView:
    """What the card shows for `resource`, given its URL's stored record.

    A site that turns checkers away (`blocked`) shows a person's recent check instead, when
    the resource's file records one; without one, or with an old one, it asks for a look."""
    record = record or {}
    today = today or dt.date.today()
    state = history.state_of(record)
    judged = history.health(record)
    snapshot = _web_url(record.get("archive_url"))
    archive = resource.archive_url or snapshot
    if state is None:
        if not archive and not resource.is_current:
            archive = generic_archive_url(resource.url)
        return LinkView(archive_url=archive)
    changed = history.changed_hands(record)
    if changed and resource.verified and resource.verified.on >= changed["since"][:10]:
        changed = None  # a curator looked after the change was seen: the new page is fine
    if changed and judged is not Health.DEAD:
        health = "changed"
    elif judged is Health.DEAD:
        health = "dead"
        archive = archive or generic_archive_url(resource.url)
    elif judged is Health.FAILING:
        health = "failing"
    elif state is LinkState.REDIRECTED:
        health = "moved"
    elif state is LinkState.BLOCKED:
        recent = person_check_is_recent(resource, today, verified_max_age_days)
        health = "verified" if recent else "blocked"
    else:
        health = "ok"
    return LinkView(
        health=health,
        checked_at=_text(record.get("checked_at")),
        final_url=_web_url(record.get("suggested_url" if health == "moved" else "final_url")),
        archive_url=archive if (judged is Health.DEAD or not resource.is_current) else None,
        embeddable=None if changed else _flag(record.get("embeddable")),
        error=_text(record.get("error")) if judged is not Health.HEALTHY else None,
        since=_text(record.get("first_failed_at")),
        verified_on=resource.verified.on if resource.verified else None,
        verified_by=resource.verified.by if resource.verified else None,
        needs_look=health == "blocked",
        changed=_text(changed["reason"]) if changed else None,
    )


def link_views(
    kit: Kit,
    store: StateStore,
    today: dt.date | None = None,
    verified_max_age_days: int = VERIFIED_MAX_AGE_DAYS,
) -> Mapping[str, LinkView]:
    records = history.load(store)
    return MappingProxyType({
        r.slug: view_for(r, records.get(r.url), today, verified_max_age_days)
        for r in kit.resources
    })  # fmt: skip


@dataclass(frozen=True)
class BuildLinks:
    """The links part of a build: a view per resource, and whether the network was down."""

    views: Mapping[str, LinkView]
    outage: bool = False  # the re-check reached no server; the views are as last stored


def refresh_links(
    kit: Kit, store: StateStore, options: CheckOptions, clock: Clock | None = None
) -> bool:
    """Re-check stale URLs for a build; never raises, never waits past the budget.

    True when the run was an outage (the build then says once that it is offline)."""
    from plnkit.links.run import check_kit_links  # the HTTP stack, only when checking

    try:
        report = check_kit_links(kit, store, options, clock=clock)
    except Exception:  # the build goes on from the stored state
        log.warning("link check failed unexpectedly; using stored link health", exc_info=True)
        return False
    checked = sum(e.result.state is not LinkState.SKIPPED for e in report.entries)
    if checked and not report.outage:
        log.info("link check: %d links re-checked in %.1f s", checked, report.seconds)
    return report.outage


def build_link_views(
    kit: Kit, cache_dir: Path, *, check: bool, offline: bool, max_age_hours: float,
    concurrency: int = 16, per_host: int = 2, timeout: float = 15.0, min_interval: float = 0.05,
    clock: Clock | None = None, verified_max_age_days: int = VERIFIED_MAX_AGE_DAYS,
) -> BuildLinks:  # fmt: skip
    """The links part of a build's `SiteState`, stale links re-checked first when allowed."""
    store = StateStore(cache_dir)
    outage = False
    if check and not offline:
        from plnkit.links.options import CheckOptions

        budget = BUILD_BUDGET_SECONDS
        outage = refresh_links(
            kit,
            store,
            CheckOptions(
                allow_local=allow_local_from_env(),
                concurrency=concurrency,
                per_host=per_host,
                min_interval=max(0.0, min_interval),
                timeout=min(timeout, budget / 2),
                retries=1,
                max_age_hours=max_age_hours,
                failure_max_age_hours=BUILD_FAILURE_MAX_AGE_HOURS,
                run_budget_seconds=budget,
                check_feeds=False,  # the feed fetcher asks for feeds and judges them
            ),
            clock,
        )
    today = (clock.now() if clock else dt.datetime.now(dt.UTC)).date()
    return BuildLinks(link_views(kit, store, today, verified_max_age_days), outage)
