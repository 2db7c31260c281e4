"""The kit as data: a JSON API (`api/kit.json`) and a flat CSV, both with health and freshness.

Curators' `notes` stay out: they are for maintainers, not for readers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from plnkit.exports.common import feed_url, spreadsheet_cell
from plnkit.kit.model import Kit, Resource
from plnkit.render.state import FRESHNESS_LABELS, HEALTH_LABELS, SiteState

API_VERSION = 1
CSV_FIELDS = ("slug", "tab", "name", "url", "kind", "status", "description", "stages", "tags",
              "feed", "cost", "audience", "health", "freshness", "last_post")  # fmt: skip


def _schedule(resource: Resource) -> dict[str, Any] | None:
    s = resource.schedule
    if s is None:
        return None
    data = {"text": s.text, "rrule": s.rrule, "time": s.time, "timezone": s.timezone,
            "duration_minutes": s.duration_minutes, "start": s.start}  # fmt: skip
    return {k: v for k, v in data.items() if v is not None}


def resource_data(resource: Resource, state: SiteState) -> dict[str, Any]:
    link = state.link(resource.slug)
    feed_address = feed_url(resource, state)
    feed = state.feed(resource.slug, bool(feed_address))
    return {
        "slug": resource.slug,
        "tab": resource.tab,
        "name": resource.name,
        "url": resource.url,
        "kind": resource.kind,
        "status": resource.status,
        "description": resource.description,
        "stages": list(resource.stages),
        "tags": list(resource.tags),
        "feed": feed_address,
        "handles": dict(resource.handles),
        "hashtag": resource.hashtag,
        "schedule": _schedule(resource),
        "cost": resource.cost,
        "audience": list(resource.audience),
        "archive_url": resource.archive_url,
        "replaced_by": resource.replaced_by,
        "added": resource.added,
        "sources": list(resource.sources),
        "health": {
            "state": link.health,
            "label": HEALTH_LABELS.get(link.health, link.health),
            "checked_at": link.checked_at,
            "final_url": link.final_url,
            "since": link.since,
        },
        "freshness": {
            "state": feed.freshness,
            "label": FRESHNESS_LABELS.get(feed.freshness, feed.freshness),
            "last_post": feed.last_post,
            "refreshed_at": feed.refreshed_at,
        },
        "recent_posts": [
            {"title": p.title, "url": p.url, "published": p.published} for p in feed.posts[:3]
        ],
    }


def kit_json(kit: Kit, state: SiteState, generated_at: str, *, tab: str | None = None) -> str:
    """The JSON API document: the binder's tabs and every resource with its health."""
    return "".join(kit_json_chunks(kit, state, generated_at, tab=tab))


def kit_json_chunks(
    kit: Kit, state: SiteState, generated_at: str, *, tab: str | None = None
) -> Iterator[str]:
    """`kit_json` in pieces, one resource at a time (a site build writes them as they come)."""
    head = {
        "version": API_VERSION,
        "generated_at": generated_at,
        "title": kit.binder.title,
        "description": kit.binder.description,
        "site_url": kit.binder.site_url or None,
        "tabs": [
            {"id": t.id, "title": t.title} for t in kit.binder.tabs if tab is None or t.id == tab
        ],
    }
    resources = (resource_data(r, state) for r in kit.resources if tab is None or r.tab == tab)
    yield from streamed_json(head, "resources", resources)
    yield "\n"


def streamed_json(head: dict[str, Any], key: str, items: Iterable[Any]) -> Iterator[str]:
    """`{**head, key: list(items)}` as JSON text in pieces, one item per line, so a large
    kit's list never sits in memory whole. Compact separators keep the standard library's
    fast C encoder in use (an `indent` would switch it to the pure-Python one).

    >>> print("".join(streamed_json({"version": 1}, "resources", [{"a": 1}, {"b": "é"}])))
    {"version":1,
    "resources":[
    {"a":1},
    {"b":"é"}
    ]}
    """
    yield "{"
    for name, value in head.items():
        yield f"{_compact(name)}:{_compact(value)},\n"
    yield f"{_compact(key)}:["
    empty = True
    for item in items:
        yield ("\n" if empty else ",\n") + _compact(item)
        empty = False
    yield "]}" if empty else "\n]}"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def kit_csv(kit: Kit, state: SiteState, *, tab: str | None = None) -> str:
    """One row per resource, lists joined with spaces, for a spreadsheet."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for resource in kit.resources:
        if tab is not None and resource.tab != tab:
            continue
        data = resource_data(resource, state)
        row = {
            **{k: data[k] for k in ("slug", "tab", "name", "url", "kind", "status",
                                    "description", "feed", "cost")},
            "stages": " ".join(resource.stages),
            "tags": " ".join(resource.tags),
            "audience": " ".join(resource.audience),
            "health": data["health"]["state"],
            "freshness": data["freshness"]["state"],
            "last_post": data["freshness"]["last_post"],
        }  # fmt: skip
        writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()})
    return out.getvalue()
