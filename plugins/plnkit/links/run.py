"""One link-check run over a kit: collect → check (thread pool) → judge → store → report.

`check_kit_links` is the in-process API the site build and the benchmark call; the CLI uses
`LinkRun` directly, to start checking while the kit loads.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from plnkit.kit.model import Kit, Resource
from plnkit.links import history
from plnkit.links.archive import generic_archive_url, lookup_snapshot
from plnkit.links.checker import Checker
from plnkit.links.collector import collect_targets, uses_of
from plnkit.links.options import CheckOptions
from plnkit.links.pool import CheckPool, OnResult, skipped
from plnkit.links.types import CheckResult, Entry, Health, LinkState, RunReport, Target
from plnkit.net.clock import Clock, SystemClock, iso
from plnkit.net.http_client import HostLimiter
from plnkit.store import StateStore

if TYPE_CHECKING:
    import requests

log = logging.getLogger("plnkit.links")

ARCHIVE_RECHECK = dt.timedelta(days=30)


def _cached(url: str, rec: dict[str, Any]) -> CheckResult:
    """A fresh stored success standing in for a request."""
    return CheckResult(
        url, LinkState.SKIPPED, rec.get("checked_at"), http_status=rec.get("http_status"),
        final_url=rec.get("final_url"), suggested_url=rec.get("suggested_url"),
        embeddable=rec.get("embeddable"),
    )  # fmt: skip


def _lookup_archives(
    session: Callable[[], requests.Session], limiter: HostLimiter, clock: Clock,
    options: CheckOptions,
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
            found = lookup_snapshot(session(), limiter, options.wayback_url, url, options.timeout)
        except (OSError, ValueError) as err:  # requests' errors are OSErrors
            log.info("no answer from the Wayback Machine for %s (%s)", url, err.__class__.__name__)
            continue
        rec["archive_url"], rec["archive_checked_at"] = found, iso(now)


class LinkRun:
    """One run, in two steps, so checking can start while the kit is still loading.

    `offer` starts checking each validated resource's
    stale URLs at once; `finish` checks whatever is left once the whole kit is known, judges,
    stores and reports. Results of URLs the finished kit no longer has (a resource a fork
    replaced, a kit that failed its checks across files) are dropped, never stored. Use it
    as a context manager: leaving it stops the workers and closes the connections.
    """

    def __init__(
        self,
        store: StateStore,
        options: CheckOptions | None = None,
        session: requests.Session | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.options = options or CheckOptions()
        self.clock = clock or SystemClock()
        self.now = self.clock.now()
        self._started = time.perf_counter()  # checks may start before `finish`
        self.records = history.load(store)
        self.session = session  # None: the checker makes one if it needs one
        self._pool: CheckPool | None = None
        self._limiter: HostLimiter | None = None
        self._deadline: float | None = None
        self._stale: dict[str, bool] = {}

    def __enter__(self) -> LinkRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.checker.close()  # and the session it made, if it made one
            self._pool = None

    def _start(self) -> CheckPool:
        if self._pool is None:
            options = self.options
            self._limiter = HostLimiter(
                options.concurrency, options.per_host, options.min_interval, self.clock
            )
            budget = options.run_budget_seconds
            self._deadline = self.clock.monotonic() + budget if budget else None
            checker = Checker(self.session, self._limiter, self.clock, options, self._deadline)
            self._pool = CheckPool(checker, options.concurrency)
        return self._pool

    def _needs_check(self, url: str) -> bool:
        stale = self._stale.get(url)
        if stale is None:
            options = self.options
            stale = not history.is_fresh(
                self.records.get(url), self.now, options.max_age_hours,
                options.failure_max_age_hours,
            )  # fmt: skip
            self._stale[url] = stale
        return stale

    def offer(self, resource: Resource) -> None:
        """Start checking a resource's stale URLs now (it passed its own file's checks)."""
        options = self.options
        if options.offline or (options.only is not None and resource.slug not in options.only):
            return
        if not (resource.is_current or options.check_inactive):
            return
        for url, _use in uses_of(resource, feeds=options.check_feeds):
            if options.shard is not None and not options.shard.holds(url):
                continue
            if self._needs_check(url):
                self._start().submit(url)

    def finish(self, kit: Kit, on_result: OnResult | None = None) -> RunReport:
        """Check what is left, judge health over the stored history, store it, report."""
        options, records, now = self.options, self.records, self.now
        report = RunReport(generated_at=iso(now), offline=options.offline)
        targets = collect_targets(
            kit, only=options.only, check_inactive=options.check_inactive,
            feeds=options.check_feeds, shard=options.shard,
        )  # fmt: skip
        before = {url: history.health(rec) for url, rec in records.items()}
        results: dict[str, CheckResult] = {}
        todo: list[str] = []
        for target in targets:
            if options.offline:
                results[target.url] = skipped(target.url, "not checked: offline")
            elif target.excluded:
                results[target.url] = skipped(target.url, target.excluded)
            elif not self._needs_check(target.url):
                results[target.url] = _cached(target.url, records.get(target.url) or {})
            else:
                todo.append(target.url)
        need_archive = []
        if options.lookup_archives and not options.offline:
            need_archive = _archive_candidates(kit, targets, records)
        if todo or need_archive:
            try:
                pool = self._start()
                checked = pool.collect(todo, on_result)
                results.update((r.url, r) for r in checked)
                report.outage = history.looks_like_outage(checked, options.outage_fraction)
                if report.outage and options.canaries:
                    hosts, _ = history.unreachable_hosts(checked)
                    asked = set(todo)  # a canary is a URL this run has not asked yet
                    canaries = [
                        url for url in history.canary_urls(records, hosts, options.canaries)
                        if url not in asked
                    ]  # fmt: skip
                    probes = pool.collect(canaries)
                    report.outage = history.looks_like_outage(
                        checked + probes, options.outage_fraction
                    )
                    checked += probes
                report.requests = pool.checker.requests
                if not report.outage:
                    self._remember(checked, todo, kit, targets)
                    report.stored = history.save(self.store, records)
            finally:
                self.close()
        report.warnings = list(self.store.warnings)
        report.entries = _entries(kit, targets, results, records, before, report.outage)
        report.seconds = time.perf_counter() - self._started
        return report

    def _remember(
        self, checked: list[CheckResult], todo: list[str], kit: Kit, targets: list[Target]
    ) -> None:
        options, records = self.options, self.records
        for result in checked:
            if result.state is not LinkState.SKIPPED:
                records[result.url] = history.updated(
                    records.get(result.url), result,
                    dead_after_runs=options.dead_after_runs,
                    dead_after_days=options.dead_after_days,
                )  # fmt: skip
        if options.lookup_archives and self._pool is not None and self._limiter is not None:
            dead = [u for u in todo if history.health(records.get(u)) is Health.DEAD]
            wanted = [*dead, *_archive_candidates(kit, targets, records)]
            transport = self._pool.checker.transport
            _lookup_archives(
                lambda: transport.session, self._limiter, self.clock, options, records,
                dict.fromkeys(wanted), self._deadline,
            )  # fmt: skip


def check_kit_links(
    kit: Kit,
    store: StateStore,
    options: CheckOptions | None = None,
    session: requests.Session | None = None,
    clock: Clock | None = None,
    on_result: OnResult | None = None,
) -> RunReport:
    """Check the kit's links, judge health over the stored history, store it, report."""
    with LinkRun(store, options, session, clock) as run:
        return run.finish(kit, on_result)


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
