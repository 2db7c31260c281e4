"""`plnkit fetch-feeds --write-discovered`: which discovered feed addresses belong in their files.

Only the decision lives here; the line (`feed: "URL"`, right after `url:` when that is a
one-line value, else at the end) is added by `plnkit.edit.yaml_edit`, the one editor of files
in place (called by `plnkit fetch-feeds`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plnkit.feeds.discover import FeedSource
from plnkit.feeds.report import FeedState
from plnkit.feeds.store import FeedRecord
from plnkit.kit.model import Kit, Resource

WORKING = (FeedState.OK.value, FeedState.NOT_MODIFIED.value)


@dataclass(frozen=True)
class Discovered:
    path: Path
    feed_url: str
    source: str


def discovered_feeds(kit: Kit, records: dict[str, FeedRecord]) -> list[Discovered]:
    """Every working discovered feed of a resource whose file names none."""
    found: list[Discovered] = []
    for resource in kit.resources:
        record = records.get(resource.slug)
        if record is not None and _worth_writing(resource, record):
            found.append(Discovered(resource.path, record.feed_url, record.source))
    return found


def _worth_writing(resource: Resource, record: FeedRecord) -> bool:
    return (
        not resource.feed
        and bool(record.feed_url)
        and record.source != FeedSource.FILE.value
        and record.state in WORKING
    )
