"""A link check in shards: what one shard's run hands on, and how shards join the history.

A shard run (`check-links --shard K/N`) checks the URLs of its hosts against a scratch copy
of their stored records and writes a shard file instead of the state store: its results, the
archive look-ups it made, its report entries and whether it was an outage. `merge` then
applies every shard's results to the stored history with the rules of one run
(`history.updated`); a shard that was an outage changes nothing of its hosts.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plnkit.kit.model import Kit
from plnkit.links import history
from plnkit.links.fingerprint import Fingerprint
from plnkit.links.types import CheckResult, Entry, Failure, Health, LinkState, RunReport, Use
from plnkit.net.shards import Shard
from plnkit.store import StateStore

FORMAT = "plnkit-shard"
VERSION = 1
DOCUMENT = history.DOCUMENT  # the state store document a links shard feeds
ARCHIVE_FIELDS = ("archive_url", "archive_checked_at")


def shard_records(
    records: Mapping[str, dict[str, Any]], shard: Shard
) -> dict[str, dict[str, Any]]:
    """The stored records of the URLs whose hosts `shard` owns."""
    return {url: rec for url, rec in records.items() if shard.holds(url)}


def result_json(result: CheckResult) -> dict[str, Any]:
    data = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    data["state"] = result.state.value
    data["failure"] = result.failure.value if result.failure else None
    data["redirects"] = list(result.redirects)
    data["fingerprint"] = result.fingerprint.to_json() if result.fingerprint else None
    return data


def result_from(data: Mapping[str, Any]) -> CheckResult:
    failure = data.get("failure")
    return CheckResult(
        url=str(data["url"]), state=LinkState(data["state"]), checked_at=data.get("checked_at"),
        http_status=data.get("http_status"), final_url=data.get("final_url"),
        error=data.get("error"), suggested_url=data.get("suggested_url"),
        redirects=tuple(data.get("redirects") or ()), embeddable=data.get("embeddable"),
        failure=Failure(failure) if failure else None, attempts=int(data.get("attempts") or 0),
        fingerprint=Fingerprint.from_json(data.get("fingerprint")),
    )  # fmt: skip


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "slug": entry.use.slug, "kind": entry.use.kind, "path": str(entry.use.path),
        "url": entry.url, "health": entry.health.value,
        "failures_in_a_row": entry.failures_in_a_row, "first_failed_at": entry.first_failed_at,
        "archive_url": entry.archive_url, "snapshot_url": entry.snapshot_url,
        "newly_dead": entry.newly_dead, "changed": entry.changed,
    }  # fmt: skip


def _entry_from(data: Mapping[str, Any], results: Mapping[str, CheckResult]) -> Entry:
    return Entry(
        use=Use(str(data["slug"]), str(data["kind"]), Path(str(data["path"]))),
        url=str(data["url"]), result=results[str(data["url"])],
        health=Health(data["health"]), failures_in_a_row=int(data["failures_in_a_row"] or 0),
        first_failed_at=data.get("first_failed_at"), archive_url=data.get("archive_url"),
        snapshot_url=data.get("snapshot_url"), newly_dead=bool(data.get("newly_dead")),
        changed=data.get("changed"),
    )  # fmt: skip


def shard_document(
    shard: Shard, report: RunReport, before: Mapping[str, Mapping[str, Any]],
    after: Mapping[str, Mapping[str, Any]], kit: Kit,
) -> dict[str, Any]:  # fmt: skip
    """What a shard's run hands on: `before` and `after` are its records around the run
    (their archive fields tell which look-ups it made); `confirmed` the day a curator last
    looked at a page (its resource's `verified`), which the history rules weigh."""
    confirmed = {r.url: r.verified.on for r in kit.resources if r.verified and shard.holds(r.url)}
    results = {e.url: result_json(e.result) for e in report.entries}
    archives = {
        url: [rec.get("archive_url"), rec.get("archive_checked_at")]
        for url, rec in after.items()
        if rec.get("archive_checked_at")
        and any(rec.get(k) != (before.get(url) or {}).get(k) for k in ARCHIVE_FIELDS)
    }
    return {
        "format": FORMAT, "version": VERSION, "document": DOCUMENT, "shard": str(shard),
        "generated_at": report.generated_at, "offline": report.offline, "outage": report.outage,
        "requests": report.requests, "seconds": round(report.seconds, 3),
        "results": results, "archives": archives, "confirmed": confirmed,
        "entries": [_entry_json(e) for e in report.entries],
    }  # fmt: skip


def write_document(path: Path, document: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, sort_keys=True) + "\n", encoding="utf-8")


@dataclass
class Merged:
    """What merging link shards did."""

    shards: list[str] = dataclasses.field(default_factory=list)  # "K/N", in file order
    outages: list[str] = dataclasses.field(default_factory=list)  # shards that changed nothing
    applied: int = 0  # results applied to the history
    stored: bool = False
    report: RunReport | None = None


def checked_results(document: Mapping[str, Any]) -> list[CheckResult]:
    """The results a shard asked servers for (cached and skipped ones change no history)."""
    found = [result_from(r) for r in document["results"].values()]
    return [r for r in found if r.state is not LinkState.SKIPPED]


def merge(
    store: StateStore, documents: Iterable[Mapping[str, Any]], *, dead_after_runs: int,
    dead_after_days: float,
) -> Merged:  # fmt: skip
    """Apply each shard's results and archive look-ups to the stored history, as one run
    would; an outage shard is reported and applies nothing."""
    merged = Merged()
    records = history.load(store)
    entries: list[Entry] = []
    reports = []
    for document in documents:
        merged.shards.append(document["shard"])
        results = {url: result_from(r) for url, r in document["results"].items()}
        entries += [_entry_from(e, results) for e in document["entries"]]
        reports.append(document)
        if document.get("outage"):
            merged.outages.append(document["shard"])
            continue
        confirmed = document.get("confirmed") or {}
        for result in checked_results(document):
            records[result.url] = history.updated(
                records.get(result.url), result,
                dead_after_runs=dead_after_runs, dead_after_days=dead_after_days,
                confirmed_on=confirmed.get(result.url),
            )  # fmt: skip
            merged.applied += 1
        for url, (found, at) in document["archives"].items():
            rec = records.setdefault(url, {})
            rec["archive_url"], rec["archive_checked_at"] = found, at
    if merged.applied or any(d["archives"] for d in reports):
        merged.stored = history.save(store, records)
    merged.report = RunReport(
        generated_at=max((d["generated_at"] for d in reports), default=""),
        offline=bool(reports) and all(d.get("offline") for d in reports),
        entries=entries,
        outage=bool(reports) and len(merged.outages) == len(reports),
        stored=merged.stored,
        warnings=list(store.warnings),
        requests=sum(int(d.get("requests") or 0) for d in reports),
        seconds=max((float(d.get("seconds") or 0) for d in reports), default=0.0),
    )
    return merged
