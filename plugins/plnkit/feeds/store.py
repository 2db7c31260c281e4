"""What the fetcher remembers per resource, in the state store's `feeds` document.

Posts are kept per resource (newest first, default 10): a failing, empty or non-feed answer
never removes them. A 410 marks the feed gone and stops polling until the resource's file
changes. The document is written once per run, merged under the store's lock with what is on
disk then (`StateStore.update`): only the records this run changed replace stored ones, so
runs at once on one store keep each other's results.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plnkit.kit.model import Resource
from plnkit.net.clock import iso, parse_iso
from plnkit.store import StateStore

if TYPE_CHECKING:  # the parser (feedparser) is the fetcher's; a build only reads the store
    from plnkit.feeds.parse import ParsedPost

DOCUMENT = "feeds"
_FIELDS: dict[type, set[str]] = {}  # a record's field names, worked out once (a build reads many)
MAX_POLL_DELAY = dt.timedelta(days=7)  # however long a server asks us to wait


@dataclass
class FeedRecord:
    feed_url: str | None = None
    source: str = ""  # a discover.FeedSource value: where feed_url came from
    site_url: str | None = None  # the resource address discovery looked at
    etag: str | None = None
    last_modified: str | None = None
    checked_at: str | None = None  # last attempt
    refreshed_at: str | None = None  # last answer we could use (a feed, or 304)
    next_poll_at: str | None = None
    state: str | None = None  # a report.FeedState value of the last attempt
    error: str | None = None
    failures_in_a_row: int = 0
    gone_fingerprint: str | None = None  # the resource file when the feed answered 410
    discovered_at: str | None = None
    title: str = ""
    posts: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> FeedRecord:
        """A record from stored JSON; unknown keys and wrong types are dropped, not fatal."""
        if not isinstance(data, dict):
            return cls()
        known = _FIELDS.get(cls)
        if known is None:
            known = _FIELDS[cls] = {f.name for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known:
                continue
            if name == "posts":
                if isinstance(value, list):
                    values[name] = [p for p in value if isinstance(p, dict) and p.get("id")]
            elif name == "failures_in_a_row":
                if isinstance(value, int):
                    values[name] = value
            elif value is None or isinstance(value, str):
                values[name] = value
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        # Shallow on purpose: posts are plain JSON dicts already, and asdict's deep copy of
        # every post would be most of a warm run's time.
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @property
    def gone(self) -> bool:
        return self.gone_fingerprint is not None


def load_records(store: StateStore) -> dict[str, FeedRecord]:
    document = store.read(DOCUMENT)
    feeds = document.get("feeds")
    if not isinstance(feeds, dict):
        return {}
    return {slug: FeedRecord.from_json(data) for slug, data in feeds.items()}


def save_records(
    store: StateStore, records: dict[str, FeedRecord], changed: Iterable[str] | None = None
) -> bool:
    """Store the records of `changed` slugs (default: all) over what is on disk now."""
    slugs = list(records) if changed is None else [s for s in changed if s in records]

    def merge(current: dict[str, Any]) -> dict[str, Any]:
        stored = current.get("feeds")
        feeds = dict(stored) if isinstance(stored, dict) else {}
        feeds.update((slug, records[slug].to_json()) for slug in slugs)
        return {"feeds": dict(sorted(feeds.items()))}

    return store.update(DOCUMENT, merge)


def fingerprint(resource: Resource) -> str:
    """Changes whenever the resource's file changes (a curator fixed the feed address)."""
    try:
        data = resource.path.read_bytes()
    except OSError:
        data = f"{resource.url}\n{resource.feed}".encode()
    return hashlib.sha256(data).hexdigest()[:16]


def is_due(record: FeedRecord, now: dt.datetime) -> bool:
    if not record.next_poll_at:
        return True
    try:
        return now >= parse_iso(record.next_poll_at)
    except ValueError:
        return True


def next_poll(
    now: dt.datetime,
    default_hours: float,
    *,
    server_seconds: float | None = None,
    ttl_minutes: int | None = None,
) -> str:
    """When to ask again: our own interval, or longer when the server (Cache-Control max-age,
    Retry-After) or the feed (RSS `ttl`) asks for it, but never more than a week.

    >>> now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    >>> next_poll(now, 6), next_poll(now, 6, ttl_minutes=720)
    ('2026-01-01T06:00:00Z', '2026-01-01T12:00:00Z')
    """
    delay = dt.timedelta(hours=max(0.0, default_hours))
    for hint in (server_seconds, (ttl_minutes or 0) * 60):
        if hint:
            delay = max(delay, dt.timedelta(seconds=hint))
    return iso(now + min(delay, MAX_POLL_DELAY))


def merge_posts(
    stored: list[dict[str, Any]], fresh: tuple[ParsedPost, ...], now: dt.datetime, keep: int
) -> list[dict[str, Any]]:
    """Stored and newly fetched posts together, newest first, `keep` of them.

    A post already stored keeps the time we first saw it; its text is updated.
    """
    seen_at = {p["id"]: p.get("seen_at") for p in stored}
    merged: dict[str, dict[str, Any]] = {p["id"]: p for p in stored}
    stamp = iso(now)
    for post in fresh:
        merged[post.id] = {**post.as_dict(), "seen_at": seen_at.get(post.id) or stamp}
    ordered = sorted(
        merged.values(),
        key=lambda p: p.get("published") or p.get("seen_at") or "",
        reverse=True,
    )
    return ordered[: max(0, keep)]


def last_post(record: FeedRecord) -> str | None:
    """The date of the newest dated post."""
    dates = [p["published"] for p in record.posts if isinstance(p.get("published"), str)]
    return max(dates) if dates else None
