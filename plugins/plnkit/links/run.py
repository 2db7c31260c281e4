"""One link-check run over a kit: collect → check (thread pool) → judge → store → report.

`check_kit_links` is the in-process API the CLI, the site build and the benchmark call.
"""

from __future__ import annotations

import _thread
import datetime as dt
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests

from plnkit.links import history
from plnkit.links.archive import generic_archive_url, lookup_snapshot
from plnkit.links.checker import Checker
from plnkit.links.collector import collect_targets
from plnkit.links.options import CheckOptions
from plnkit.links.types import CheckResult, Entry, Health, LinkState, RunReport, Target
from plnkit.model import Kit
from plnkit.net.clock import Clock, SystemClock, iso
from plnkit.net.http_client import HostLimiter, make_session
from plnkit.state_store import StateStore

log = logging.getLogger("plnkit.links")

OnResult = Callable[[CheckResult, int, int], None]  # result, done, total
ARCHIVE_RECHECK = dt.timedelta(days=30)


def _skipped(url: str, reason: str) -> CheckResult:
    return CheckResult(url, LinkState.SKIPPED, None, error=reason)


def _cached(url: str, rec: dict[str, Any]) -> CheckResult:
    """A fresh stored success standing in for a request."""
    return CheckResult(
        url, LinkState.SKIPPED, rec.get("checked_at"), http_status=rec.get("http_status"),
        final_url=rec.get("final_url"), suggested_url=rec.get("suggested_url"),
        embeddable=rec.get("embeddable"),
    )  # fmt: skip


def _check_all(
    checker: Checker, urls: list[str], concurrency: int, on_result: OnResult | None
) -> list[CheckResult]:
    """Check `urls` with `concurrency` threads; results in the order they finish.

    Every URL is queued first, then the workers start and take them (no future per URL).
    They are started with `_thread.start_new_thread`, which does not wait for each new
    thread to be scheduled as `threading.Thread.start` does: on a busy machine those waits
    (milliseconds each) kept a run from having all its requests in flight for a while. Each
    worker stops at the `None` that follows the URLs and says so on `exited`."""
    if not urls:
        return []
    todo: queue.SimpleQueue[str | None] = queue.SimpleQueue()
    finished: queue.SimpleQueue[CheckResult] = queue.SimpleQueue()
    exited: queue.SimpleQueue[None] = queue.SimpleQueue()
    stop = threading.Event()

    def one(url: str) -> CheckResult:
        try:
            return checker.check(url)
        except Exception as err:  # a bug in one check must not sink the run or the build
            log.exception("checking %s failed unexpectedly", url)
            return _skipped(url, f"not checked: internal error ({err.__class__.__name__})")

    def work() -> None:
        # Every URL gets exactly one result, so the collector below never waits forever.
        try:
            while (url := todo.get()) is not None:
                if stop.is_set():
                    finished.put(_skipped(url, "not checked: the run was interrupted"))
                    continue
                try:
                    finished.put(one(url))
                except BaseException:
                    stop.set()
                    finished.put(_skipped(url, "not checked: the run was interrupted"))
                    raise
        finally:
            exited.put(None)

    workers = max(1, min(concurrency, len(urls)))
    for url in urls:
        todo.put(url)
    for _worker in range(workers):
        todo.put(None)
    for _worker in range(workers):
        _thread.start_new_thread(work, ())
    results: list[CheckResult] = []
    try:
        for done in range(1, len(urls) + 1):
            result = finished.get()
            results.append(result)
            if on_result:
                on_result(result, done, len(urls))
    finally:
        stop.set()  # on an interruption, workers finish their request and check no more
        for _worker in range(workers):
            exited.get()
    return results


def _lookup_archives(
    session: requests.Session, limiter: HostLimiter, clock: Clock, options: CheckOptions,
    records: dict[str, dict[str, Any]], urls: Iterable[str], deadline: float | None,
) -> None:  # fmt: skip
    now = clock.now()
    for url in urls:
        rec = records.setdefault(url, {})
        last = history.parse_when(rec.get("archive_checked_at"))
        if rec.get("archive_url") or (last and now - last < ARCHIVE_RECHECK):
            continue
        if deadline is not None and clock.monotonic() >= deadline:
            return
        try:
            found = lookup_snapshot(session, limiter, options.wayback_url, url, options.timeout)
        except (requests.RequestException, ValueError) as err:
            log.info("no answer from the Wayback Machine for %s (%s)", url, err.__class__.__name__)
            continue
        rec["archive_url"], rec["archive_checked_at"] = found, iso(now)


def check_kit_links(
    kit: Kit,
    store: StateStore,
    options: CheckOptions | None = None,
    session: requests.Session | None = None,
    clock: Clock | None = None,
    on_result: OnResult | None = None,
) -> RunReport:
    """Check the kit's links, judge health over the stored history, store it, report."""
    options = options or CheckOptions()
    clock = clock or SystemClock()
    started = time.perf_counter()
    now = clock.now()
    report = RunReport(generated_at=iso(now), offline=options.offline)
    targets = collect_targets(
        kit, only=options.only, check_inactive=options.check_inactive, feeds=options.check_feeds
    )
    records = history.load(store)
    before = {url: history.health(rec) for url, rec in records.items()}
    results: dict[str, CheckResult] = {}
    todo: list[str] = []
    for target in targets:
        rec = records.get(target.url)
        if options.offline:
            results[target.url] = _skipped(target.url, "not checked: offline")
        elif target.excluded:
            results[target.url] = _skipped(target.url, target.excluded)
        elif history.is_fresh(rec, now, options.max_age_hours, options.failure_max_age_hours):
            results[target.url] = _cached(target.url, rec or {})
        else:
            todo.append(target.url)
    need_archive = []
    if options.lookup_archives and not options.offline:
        need_archive = _archive_candidates(kit, targets, records)
    if todo or need_archive:
        own_session = session is None
        session = session or make_session(options.user_agent, pool_size=options.concurrency)
        checker = None
        try:
            limiter = HostLimiter(
                options.concurrency, options.per_host, options.min_interval, clock
            )
            budget = options.run_budget_seconds
            deadline = clock.monotonic() + budget if budget else None
            checker = Checker(session, limiter, clock, options, deadline)
            checked = _check_all(checker, todo, options.concurrency, on_result)
            results.update((r.url, r) for r in checked)
            report.outage = history.looks_like_outage(checked, options.outage_fraction)
            if report.outage and options.canaries:
                hosts, _ = history.unreachable_hosts(checked)
                canaries = history.canary_urls(records, hosts, options.canaries)
                probes = _check_all(checker, canaries, options.concurrency, None)
                report.outage = history.looks_like_outage(checked + probes, options.outage_fraction)
                checked += probes
            report.requests = checker.requests
            if not report.outage:
                for result in checked:
                    if result.state is not LinkState.SKIPPED:
                        records[result.url] = history.updated(
                            records.get(result.url), result,
                            dead_after_runs=options.dead_after_runs,
                            dead_after_days=options.dead_after_days,
                        )  # fmt: skip
                if options.lookup_archives:
                    dead = [u for u in todo if history.health(records.get(u)) is Health.DEAD]
                    wanted = [*dead, *_archive_candidates(kit, targets, records)]
                    _lookup_archives(
                        session, limiter, clock, options, records, dict.fromkeys(wanted), deadline
                    )
                report.stored = history.save(store, records)
        finally:
            if checker is not None:
                checker.close()
            if own_session:
                session.close()
    report.warnings = list(store.warnings)
    report.entries = _entries(kit, targets, results, records, before, report.outage)
    report.seconds = time.perf_counter() - started
    return report


def _archive_candidates(
    kit: Kit, targets: list[Target], records: dict[str, dict[str, Any]]
) -> list[str]:
    """Curator-archived resources without an `archive_url` whose snapshot was never sought."""
    by_slug = kit.by_slug()
    wanted = []
    for target in targets:
        if not target.excluded:
            continue
        rec = records.get(target.url) or {}
        if rec.get("archive_checked_at") or rec.get("archive_url"):
            continue
        use = target.uses[0]
        if use.kind == "url" and not by_slug[use.slug].archive_url:
            wanted.append(target.url)
    return wanted


def _entries(
    kit: Kit, targets: list[Target], results: dict[str, CheckResult],
    records: dict[str, dict[str, Any]], before: dict[str, Health], outage: bool,
) -> list[Entry]:  # fmt: skip
    by_slug = kit.by_slug()
    entries = []
    for target in targets:
        result = results[target.url]
        rec = records.get(target.url) or {}
        judged = history.health(rec) if history.state_of(rec) else Health.HEALTHY
        snapshot = rec.get("archive_url")
        newly_dead = (
            not outage
            and result.state is not LinkState.SKIPPED
            and judged is Health.DEAD
            and before.get(target.url) is not Health.DEAD
        )
        for use in target.uses:
            own = by_slug[use.slug].archive_url if use.kind == "url" else None
            shown = own or snapshot
            if not shown and (judged is Health.DEAD or target.excluded):
                shown = generic_archive_url(target.url)
            entries.append(
                Entry(
                    use=use, url=target.url, result=result, health=judged,
                    failures_in_a_row=int(rec.get("failures_in_a_row") or 0),
                    first_failed_at=rec.get("first_failed_at"), archive_url=shown,
                    snapshot_url=snapshot, newly_dead=newly_dead,
                )
            )  # fmt: skip
    return entries
