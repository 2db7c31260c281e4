"""Health over time: what the state store remembers about each URL, and the rules over it.

A record per URL (document `links` in the state store):
`state, http_status, final_url, suggested_url, error, embeddable, checked_at, last_ok_at,
failures_in_a_row, first_failed_at, last_failed_at, health, recent, archive_url,
archive_checked_at`. `recent` keeps the last few runs as `[checked_at, state]` pairs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from plnkit.links.fingerprint import Fingerprint, change_of_hands
from plnkit.links.types import CheckResult, Health, LinkState
from plnkit.net.clock import parse_iso
from plnkit.net.hosts import host_key
from plnkit.store import StateStore

log = logging.getLogger("plnkit.links")

DOCUMENT = "links"
RECENT_RUNS = 10
_STATES = {s.value: s for s in LinkState}  # by value: faster than LinkState(value)
_HEALTHS = {h.value: h for h in Health}


def parse_when(text: object) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = parse_iso(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def load(store: StateStore) -> dict[str, dict[str, Any]]:
    """Every usable record by URL; a malformed record is dropped (that URL starts fresh)."""
    return records_in(store.read(DOCUMENT), store)


def records_in(document: Mapping[str, Any], store: StateStore) -> dict[str, dict[str, Any]]:
    """The records of a `links` document as the store read it (checked against its schema)."""
    urls = document.get("urls")
    if not isinstance(urls, dict):
        if document:
            message = f"{store.path(DOCUMENT)} has no usable link history; starting fresh for it"
            store.warnings.append(message)
            log.warning(message)
        return {}
    found: dict[str, dict[str, Any]] = {}
    for url, rec in urls.items():
        if not isinstance(url, str) or not isinstance(rec, dict):
            continue
        if rec.get("state") not in _STATES or not parse_when(rec.get("checked_at")):
            # Keep what was learned about archives; forget a garbled check.
            rec = {k: rec[k] for k in ("archive_url", "archive_checked_at") if k in rec}
        found[url] = rec
    return found


def state_of(record: Mapping[str, Any] | None) -> LinkState | None:
    """The last checked state, None when the URL was never checked."""
    value = (record or {}).get("state")
    return _STATES.get(value)


def save(store: StateStore, records: Mapping[str, Mapping[str, Any]]) -> bool:
    """Replace the whole document (the run's `merge_run` is the way that loses nothing)."""
    return store.write(DOCUMENT, {"urls": dict(records)})


Archives = Mapping[str, tuple[str | None, str]]  # url -> (snapshot found or None, asked at)


def apply_run(
    records: dict[str, dict[str, Any]], results: Iterable[CheckResult], archives: Archives, *,
    dead_after_runs: int, dead_after_days: float, confirmed: Mapping[str, str] | None = None,
) -> dict[str, Health]:  # fmt: skip
    """One run's results and archive look-ups applied to `records` in place; the health
    each URL the run touched had before (to tell what became dead in this run)."""
    before: dict[str, Health] = {}
    for result in results:
        if result.state is LinkState.SKIPPED:
            continue
        before.setdefault(result.url, health(records.get(result.url)))
        records[result.url] = updated(
            records.get(result.url), result,
            dead_after_runs=dead_after_runs, dead_after_days=dead_after_days,
            confirmed_on=(confirmed or {}).get(result.url),
        )  # fmt: skip
    for url, (found, at) in archives.items():
        before.setdefault(url, health(records.get(url)))
        rec = records.setdefault(url, {})
        rec["archive_url"], rec["archive_checked_at"] = found, at
    return before


def merge_run(
    store: StateStore, results: list[CheckResult], archives: Archives, *,
    dead_after_runs: int, dead_after_days: float, confirmed: Mapping[str, str] | None = None,
) -> tuple[bool, dict[str, dict[str, Any]], dict[str, Health]]:  # fmt: skip
    """Store one run's results on top of the history as it is on disk now, under the store's
    lock, so runs at once each add their own results and every failure counts once.
    (stored, the merged records of the URLs the run touched, their health before)."""
    touched: dict[str, dict[str, Any]] = {}
    before: dict[str, Health] = {}

    def merge(current: dict[str, Any]) -> dict[str, Any]:
        records = records_in(current, store)
        before.update(apply_run(
            records, results, archives, dead_after_runs=dead_after_runs,
            dead_after_days=dead_after_days, confirmed=confirmed,
        ))  # fmt: skip
        touched.update((url, records[url]) for url in before)
        return {"urls": records}

    stored = store.update(DOCUMENT, merge)
    return stored, touched, before


def health(record: Mapping[str, Any] | None) -> Health:
    value = (record or {}).get("health")
    return _HEALTHS.get(value, Health.HEALTHY)


def is_fresh(
    record: Mapping[str, Any] | None, now: dt.datetime, max_age_hours: float,
    failure_max_age_hours: float = 0.0,
) -> bool:  # fmt: skip
    """True when the stored result may stand in for a check: recent successes only, unless
    failures are given an age too (builds, so `mkdocs serve` does not re-check on each save)."""
    state = state_of(record)
    checked = parse_when((record or {}).get("checked_at"))
    if state is None or checked is None:
        return False
    age_hours = (now - checked).total_seconds() / 3600
    if state.is_success:
        return 0 <= age_hours < max_age_hours
    return 0 <= age_hours < failure_max_age_hours


def changed_hands(record: Mapping[str, Any] | None) -> Mapping[str, str] | None:
    """`{"reason", "since"}` when the page seems to have changed hands since the curator
    chose it (and no curator has confirmed it since); None otherwise."""
    changed = (record or {}).get("changed")
    if not isinstance(changed, dict):
        return None
    return changed if all(isinstance(changed.get(k), str) for k in ("reason", "since")) else None


def _compare_pages(rec: dict[str, Any], result: CheckResult, confirmed_on: str | None) -> None:
    """Keep the page's fingerprint; flag (or clear) `changed` against the kept one."""
    new = result.fingerprint
    if new is None:
        return
    kept = Fingerprint.from_json(rec.get("fingerprint"))
    flagged = changed_hands(rec)
    if flagged and confirmed_on and confirmed_on >= flagged["since"][:10]:
        flagged = None  # a curator looked at the page after it changed: the new page is it
        rec.pop("changed", None)
        kept = None
    why = change_of_hands(result.url, kept, new)
    if why is None:
        rec.pop("changed", None)
        rec["fingerprint"] = new.to_json()
    elif flagged is None:
        rec["changed"] = {"reason": why, "since": result.checked_at or ""}
        if kept is None:  # a first look already shows a parking page: remember what it is
            rec["fingerprint"] = new.to_json()


def updated(
    record: Mapping[str, Any] | None, result: CheckResult, *, dead_after_runs: int,
    dead_after_days: float, confirmed_on: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The record after one run's result (pure). A 404 counts as a failure like a timeout;
    `dead` needs failures on `dead_after_runs` runs spanning `dead_after_days` days.
    `confirmed_on` is the day a curator last looked at the page (the resource's `verified`)."""
    rec: dict[str, Any] = dict(record or {})
    _compare_pages(rec, result, confirmed_on)
    at = result.checked_at
    rec.update(
        state=result.state.value,
        http_status=result.http_status,
        final_url=result.final_url,
        suggested_url=result.suggested_url,
        error=result.error,
        checked_at=at,
    )
    if result.embeddable is not None:
        rec["embeddable"] = result.embeddable
    recent = rec.get("recent") if isinstance(rec.get("recent"), list) else []
    rec["recent"] = [*recent[-(RECENT_RUNS - 1) :], [at, result.state.value]]
    if not result.state.is_failure:
        rec.update(
            last_ok_at=at, failures_in_a_row=0, first_failed_at=None, last_failed_at=None,
            health=Health.HEALTHY.value,
        )  # fmt: skip
        return rec
    count = rec.get("failures_in_a_row")
    count = (count if isinstance(count, int) and count >= 0 else 0) + 1
    first = rec.get("first_failed_at") if parse_when(rec.get("first_failed_at")) else at
    span = (parse_when(at) or dt.datetime.min.replace(tzinfo=dt.UTC)) - (
        parse_when(first) or dt.datetime.max.replace(tzinfo=dt.UTC)
    )
    dead = count >= dead_after_runs and span >= dt.timedelta(days=dead_after_days)
    rec.update(
        failures_in_a_row=count, first_failed_at=first, last_failed_at=at,
        health=(Health.DEAD if dead else Health.FAILING).value,
    )  # fmt: skip
    return rec


def unreachable_hosts(results: Iterable[CheckResult]) -> tuple[set[str], set[str]]:
    """(hosts checked, hosts where no request reached a server) among checked results."""
    checked: set[str] = set()
    answered: set[str] = set()
    for result in results:
        if result.state is LinkState.SKIPPED:
            continue
        key = host_key(result.url)
        checked.add(key)
        if not result.connection_failed:
            answered.add(key)
    return checked, checked - answered


def looks_like_outage(results: Iterable[CheckResult], fraction: float) -> bool:
    """Most hosts unreachable at the connection level: our network, not their sites."""
    checked, unreachable = unreachable_hosts(results)
    return bool(checked) and len(unreachable) > fraction * len(checked)


def canary_urls(
    records: Mapping[str, Mapping[str, Any]], exclude_hosts: set[str], count: int
) -> list[str]:
    """Up to `count` URLs, one per host, that answered last time: re-checked before a run is
    called an outage, so a few dead hosts in a mostly cached run are not mistaken for one."""
    chosen: list[str] = []
    hosts = set(exclude_hosts)
    for url, rec in sorted(
        records.items(), key=lambda item: str(item[1].get("checked_at")), reverse=True
    ):
        if len(chosen) >= count:
            break
        key = host_key(url)
        state = state_of(rec)
        if key in hosts or state is None or not state.is_success:
            continue
        hosts.add(key)
        chosen.append(url)
    return chosen
