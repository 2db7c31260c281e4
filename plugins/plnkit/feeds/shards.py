"""A feed fetch in shards: which resources a shard fetches, what it hands on, how shards join.

A resource belongs to the shard that owns the host of its feed (or of its page, when the
feed is still to be discovered there), so each host is asked by one job only. A shard run
works on a scratch copy of its resources' records and writes a shard file; `merge` stores
those records over the state store's as one run would, and an outage shard changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from plnkit.feeds.report import FetchReport
from plnkit.feeds.store import DOCUMENT, FeedRecord, load_records, save_records
from plnkit.kit.model import Kit, Resource
from plnkit.net.shards import Shard
from plnkit.store import StateStore

FORMAT = "plnkit-shard"
VERSION = 1


def feed_host_url(resource: Resource) -> str:
    """The URL whose host a resource's feed fetch asks first."""
    return resource.feed or resource.url


def slugs_in(kit: Kit, shard: Shard) -> list[str]:
    """The resources whose feed work `shard` does, in kit order."""
    return [r.slug for r in kit.resources if shard.holds(feed_host_url(r))]


def seed(scratch: StateStore, store: StateStore, slugs: Iterable[str]) -> None:
    """Copy the records of `slugs` from `store` into an empty `scratch` store."""
    records = load_records(store)
    save_records(scratch, {s: records[s] for s in slugs if s in records})
    store.warnings.extend(scratch.warnings)


def shard_document(
    shard: Shard, report: FetchReport, records: Mapping[str, FeedRecord], slugs: Iterable[str]
) -> dict[str, Any]:
    """What a shard's run hands on: the records of its resources after the run."""
    return {
        "format": FORMAT, "version": VERSION, "document": DOCUMENT, "shard": str(shard),
        "outage": report.outage, "offline": report.offline, "stored": report.stored,
        "headline": report.headline(),
        "records": {s: records[s].to_json() for s in slugs if s in records},
    }  # fmt: skip


def empty_document(shard: Shard) -> dict[str, Any]:
    """The file of a shard that owns no host of the kit's feeds."""
    return {
        "format": FORMAT, "version": VERSION, "document": DOCUMENT, "shard": str(shard),
        "outage": False, "offline": False, "stored": True,
        "headline": "no feed on this shard's hosts", "records": {},
    }  # fmt: skip


@dataclass
class Merged:
    shards: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # outage, offline or unstored shards
    applied: int = 0  # records stored
    stored: bool = False


def merge(store: StateStore, documents: Iterable[Mapping[str, Any]]) -> Merged:
    """Store each shard's records over the stored ones; an outage or offline shard, or one
    that could not store its own run, changes nothing."""
    merged = Merged()
    records = load_records(store)
    for document in documents:
        merged.shards.append(document["shard"])
        if document.get("outage") or document.get("offline") or not document.get("stored"):
            merged.unchanged.append(document["shard"])
            continue
        for slug, data in document["records"].items():
            records[slug] = FeedRecord.from_json(data)
            merged.applied += 1
    if merged.applied:
        merged.stored = save_records(store, records)
    return merged
