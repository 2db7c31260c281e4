"""Which URLs a kit asks us to check: every resource URL and feed URL, each exactly once."""

from __future__ import annotations

from collections.abc import Iterable

from plnkit.kit.model import Kit, Resource
from plnkit.links.types import Target, Use
from plnkit.net.shards import Shard


def uses_of(resource: Resource, *, feeds: bool = True) -> list[tuple[str, Use]]:
    """The resource's URLs with where they come from.

    The feed is listed after the home page so reports read in file order.
    """
    found = [(resource.url, Use(resource.slug, "url", resource.path))]
    if resource.feed and feeds:
        found.append((resource.feed, Use(resource.slug, "feed", resource.path)))
    return found


def collect_targets(
    kit: Kit,
    *,
    only: Iterable[str] | None = None,
    check_inactive: bool = False,
    feeds: bool = True,
    shard: Shard | None = None,
) -> list[Target]:
    """Targets in kit order, deduplicated by exact URL so a shared URL is checked once;
    with `shard`, only the URLs of the hosts that shard owns.

    A URL used only by resources the curator archived or retired is listed but excluded:
    the curator already knows, and their archived copy is shown instead.
    """
    wanted = None if only is None else set(only)
    by_url: dict[str, list[Use]] = {}
    active: dict[str, bool] = {}
    for resource in kit.resources:
        if wanted is not None and resource.slug not in wanted:
            continue
        for url, use in uses_of(resource, feeds=feeds):
            if shard is not None and not shard.holds(url):
                continue
            by_url.setdefault(url, []).append(use)
            active[url] = active.get(url, False) or resource.is_current or check_inactive
    statuses = {r.slug: r.status for r in kit.resources}
    targets = []
    for url, uses in by_url.items():
        excluded = None
        if not active[url]:
            excluded = f"not checked: the curator marked it {statuses[uses[0].slug]}"
        targets.append(Target(url=url, uses=tuple(uses), excluded=excluded))
    return targets


def unknown_slugs(kit: Kit, slugs: Iterable[str]) -> list[str]:
    known = {r.slug for r in kit.resources}
    return sorted(s for s in slugs if s not in known)
