"""The kit as typed, immutable values: what the loader produces and everything else reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

KINDS = (
    "community", "webinar", "blog", "social", "chat",
    "platform", "guide", "event", "research", "organization",
    "podcast", "newsletter", "list",
)  # fmt: skip
STAGES = ("consumption", "connection", "creation", "contribution")
STATUSES = ("active", "archived", "retired")
COSTS = ("free", "freemium", "paid")
AUDIENCES = ("elementary", "middle", "secondary", "all")
HANDLE_NETWORKS = ("twitter", "mastodon", "bluesky", "youtube", "facebook", "instagram")

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Schedule:
    text: str
    rrule: str | None = None
    time: str | None = None
    timezone: str | None = None
    duration_minutes: int | None = None
    start: str | None = None


@dataclass(frozen=True)
class Verified:
    """A person opened the link in a browser on `on` (YYYY-MM-DD)."""

    on: str
    by: str
    note: str | None = None


@dataclass(frozen=True)
class Resource:
    """One curated resource. Field meanings: shared DESIGN.md §2 and the JSON Schema."""

    slug: str
    tab: str
    path: Path
    name: str
    url: str
    kind: str
    description: str
    stages: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    feed: str | None = None
    handles: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    hashtag: str | None = None
    schedule: Schedule | None = None
    cost: str | None = None
    audience: tuple[str, ...] = ()
    status: str = "active"
    archive_url: str | None = None
    replaced_by: str | None = None
    added: str | None = None
    sources: tuple[str, ...] = ()
    verified: Verified | None = None
    notes: str | None = None
    lines: Mapping[str, int] = field(default_factory=lambda: _EMPTY, compare=False, repr=False)

    @property
    def is_current(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Tab:
    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Binder:
    """The binder's own settings, from kit/binder.yml."""

    title: str
    tabs: tuple[Tab, ...]
    short_title: str = ""
    description: str = ""
    intro: str = ""
    site_url: str = ""
    contact: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False)

    def tab(self, tab_id: str) -> Tab | None:
        return next((t for t in self.tabs if t.id == tab_id), None)


@dataclass(frozen=True)
class Kit:
    """A validated kit: the binder and its resources in binder order, then by name."""

    root: Path
    binder: Binder
    resources: tuple[Resource, ...]

    def in_tab(self, tab_id: str) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.tab == tab_id)

    def get(self, slug: str) -> Resource | None:
        return next((r for r in self.resources if r.slug == slug), None)

    def by_slug(self) -> dict[str, Resource]:
        return {r.slug: r for r in self.resources}


def resource_from_data(
    slug: str, tab: str, path: Path, data: Mapping[str, Any], lines: Mapping[str, int]
) -> Resource:
    """Build a Resource from schema-valid data (validation happens before this)."""
    schedule = data.get("schedule")
    if isinstance(schedule, str):
        schedule_value: Schedule | None = Schedule(text=schedule)
    elif isinstance(schedule, Mapping):
        schedule_value = Schedule(**schedule)
    else:
        schedule_value = None
    return Resource(
        slug=slug,
        tab=tab,
        path=path,
        name=data["name"].strip(),
        url=data["url"].strip(),
        kind=data["kind"],
        description=data["description"].strip(),
        stages=tuple(data.get("stages", ())),
        tags=tuple(data.get("tags", ())),
        feed=data.get("feed"),
        handles=MappingProxyType(dict(data.get("handles", {}))),
        hashtag=data.get("hashtag"),
        schedule=schedule_value,
        cost=data.get("cost"),
        audience=tuple(data.get("audience", ())),
        status=data.get("status", "active"),
        archive_url=data.get("archive_url"),
        replaced_by=data.get("replaced_by"),
        added=data.get("added"),
        sources=tuple(data.get("sources", ())),
        verified=Verified(**data["verified"]) if data.get("verified") else None,
        notes=data.get("notes"),
        lines=MappingProxyType(dict(lines)),
    )
