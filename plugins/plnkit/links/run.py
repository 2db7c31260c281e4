"""One link-check run over a loaded kit: collect → check (asyncio, one client) → judge →
store → report.

`check_kit_links` is the in-process API the site build and the benchmark call; the CLI uses
`LinkRun`, whose options it may adjust once the kit is loaded (`--changed-since`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from plnkit.kit.model import Kit
from plnkit.links import history
from plnkit.links.archive import generic_archive_url
from plnkit.links.collector import collect_targets
from plnkit.links.options import CheckOptions
from plnkit.links.types import CheckResult, Entry, Health, LinkState, RunReport, Target
from plnkit.net.clock import Clock, SystemClock, iso
from plnkit.net.hosts import run_bound
from plnkit.store import StateStore

if TYPE_CHECKING:  # the client (aiohttp) loads only when a run has something to ask
    from plnkit.links.checker import Checker
    from plnkit.net.address import ResolverFactory
    from plnkit.net.client import Client

log = logging.getLogger("plnkit.links")

ARCHIVE_RECHECK = dt.timedelta(days=30)
OnResult = Callable[[CheckResult, int, int], None]  # result, done, total


def skipped(url: str, reason: str) -> CheckResult:
    return CheckResult(url, LinkState.SKIPPED, None, error=reason)


def _cached(url: str, rec: dict[str, Any]) -> CheckResult:
    """A fresh stored success standing in for a request."""
    return CheckResult(
        url, LinkState.SKIPPED, rec.get("checked_at"), http_status=rec.get("http_status"),
        final_url=rec.get("final_url"), suggested_url=rec.get("suggested_url"),
        embeddable=rec.get("embeddable"),
    )  # fmt: skip


async def _check_all(
    checker: Checker, urls: list[str], on_result: OnResult | None = None
) -> list[CheckResult]:
    """Every URL checked at once (the client's gate keeps the limits), in finishing order."""
    from plnkit.net.pool import run_bounded

    unique = list(dict.fromkeys(urls))
    out: list[CheckResult] = []

    def done(index: int, outcome: CheckResult | BaseException) -> None:
        if isinstance(outcome, BaseException):  # a bug in one check must not sink the run
            log.error("checking %s failed unexpectedly", unique[index], exc_info=outcome)
            why = f"not checked: internal error ({outcome.__class__.__name__})"
            outcome = skipped(unique[index], why)
        out.append(outcome)
        if on_result:
            on_result(outcome, len(out), len(unique))

    await run_bounded(unique, checker.check, on_done=done)
    return out


async def _lookup_archives(
    client: Client, clock: Clock, options: CheckOptions,
    records: dict[str, dict[str, Any]], urls: Iterable[str],
) -> dict[str, tuple[str | None, str]]:  # fmt: skip
    """Look up snapshots, noting each answer in `records`; the answers by URL."""
    from plnkit.links.archive import NoAnswer, lookup_snapshot

    now = clock.now()
    answers: dict[str, tuple[str | None, str]] = {}
    for url in urls:
        rec = records.setdefault(url, {})
        last = history.parse_when(rec.get("archive_checked_at"))
        if rec.get("archive_url") or (last and now - last < ARCHIVE_RECHECK):
            continue
        if client.remaining() <= 0:
            return answers
        try:
            found = await lookup_snapshot(client, options.wayback_url, url)
        except NoAnswer as err:
            log.info("no answer from the Wayback Machine for %s (%s)", url, err)
            continue
        rec["archive_url"], rec["archive_checked_at"] = found, iso(now)
        answers[url] = (found, iso(now))
    return answers


class LinkRun:
    """One run over a loaded kit: `finish` checks what is stale, judges, stores, reports."""

    def __init__(
        self,
        store: StateStore,
        options: CheckOptions | None = None,
        clock: Clock | None = None,
        resolver: ResolverFactory | None = None,
    ) -> None:
        self.store = store
        self.options = options or CheckOptions()
        self.clock = clock or SystemClock()
        self.resolver = resolver  # tests: names that resolve where they say
        self.records = history.load(store)
        self._before: dict[str, Health] = {}  # health before this run, where it changed

    def finish(self, kit: Kit, on_result: OnResult | None = None) -> RunReport:
        """Check what needs it, judge health over the stored history, store it, report."""
        started = time.perf_counter()
        options, records = self.options, self.records
        now = self.clock.now()
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
            elif history.is_fresh(
                records.get(target.url), now, options.max_age_hours, options.failure_max_age_hours
            ):
                results[target.url] = _cached(target.url, records.get(target.url) or {})
            else:
                todo.append(target.url)
        need_archive = []
        if options.lookup_archives and not options.offline:
            need_archive = _archive_candidates(kit, targets, records)
        if todo or need_archive:
            from plnkit.net.pool import run_sync

            run_sync(lambda: self._network(kit, targets, todo, results, report, on_result))
            before.update(self._before)  # as stored when this run wrote (other runs too)
        report.warnings = list(self.store.warnings)
        report.entries = _entries(kit, targets, results, records, before, report.outage)
        report.seconds = time.perf_counter() - started
        return report

    async def _network(
        self, kit: Kit, targets: list[Target], todo: list[str],
        results: dict[str, CheckResult], report: RunReport, on_result: OnResult | None,
    ) -> None:  # fmt: skip
        from plnkit.links.checker import Checker, client_settings
        from plnkit.net.client import Client

        options = self.options
        settings = client_settings(options, self.resolver)
        bound = run_bound(
            todo, timeout=options.timeout, attempts=options.retries + 2,  # HEAD, GET, retries
            wait_cap=max(options.retry_after_cap, options.backoff_cap),
            concurrency=options.concurrency, per_host=options.per_host,
            min_interval=options.min_interval, cap=options.run_budget_seconds,
        )
        if not todo:  # archive lookups only
            bound = options.timeout * 4
        deadline = self.clock.monotonic() + bound
        async with Client(settings, self.clock, deadline) as client:
            checker = Checker(client, options, self.clock)
            checked = await _check_all(checker, todo, on_result)
            results.update((r.url, r) for r in checked)
            report.outage = history.looks_like_outage(checked, options.outage_fraction)
            if report.outage and options.canaries:
                hosts, _ = history.unreachable_hosts(checked)
                asked = set(todo)  # a canary is a URL this run has not asked yet
                canaries = [
                    url for url in history.canary_urls(self.records, hosts, options.canaries)
                    if url not in asked
                ]  # fmt: skip
                probes = await _check_all(checker, canaries)
                report.outage = history.looks_like_outage(
                    checked + probes, options.outage_fraction
                )
                checked += probes
            archives: dict[str, tuple[str | None, str]] = {}
            if not report.outage:
                archives = await self._remember(client, checked, todo, kit, targets)
            report.requests = client.requests
        if not report.outage:
            # Read–merge–replace under the store's lock: this run's results go on top of the
            # history as it is now, so runs at once keep each other's and count each failure.
            report.stored, merged, self._before = history.merge_run(
                self.store, checked, archives, dead_after_runs=options.dead_after_runs,
                dead_after_days=options.dead_after_days, confirmed=self._confirmed(kit),
            )  # fmt: skip
            self.records.update(merged)

    @staticmethod
    def _confirmed(kit: Kit) -> dict[str, str]:
        """The day a curator last confirmed each URL (resources' `verified`)."""
        return {r.url: r.verified.on for r in kit.resources if r.verified}

    async def _remember(
        self, client: Client, checked: list[CheckResult], todo: list[str], kit: Kit,
        targets: list[Target],
    ) -> dict[str, tuple[str | None, str]]:  # fmt: skip
        """The run's results applied to its own copy of the history; the archive look-ups
        they call for, done now (both are merged into the stored history afterwards)."""
        options, records = self.options, self.records
        history.apply_run(
            records, checked, {}, dead_after_runs=options.dead_after_runs,
            dead_after_days=options.dead_after_days, confirmed=self._confirmed(kit),
        )  # fmt: skip
        if not options.lookup_archives:
            return {}
        dead = [u for u in todo if history.health(records.get(u)) is Health.DEAD]
        wanted = [*dead, *_archive_candidates(kit, targets, records)]
        return await _lookup_archives(
            client, self.clock, options, records, dict.fromkeys(wanted)
        )


def check_kit_links(
    kit: Kit,
    store: StateStore,
    options: CheckOptions | None = None,
    clock: Clock | None = None,
    on_result: OnResult | None = None,
    *,
    resolver: ResolverFactory | None = None,
) -> RunReport:
    """Check the kit's links, judge health over the stored history, store it, report."""
    return LinkRun(store, options, clock, resolver).finish(kit, on_result)


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
        changed = history.changed_hands(rec)
        for use in target.uses:
            resource = by_slug[use.slug]
            confirmed = resource.verified and changed and resource.verified.on >= changed["since"]
            own = resource.archive_url if use.kind == "url" else None
            shown = own or snapshot
            if not shown and (judged is Health.DEAD or target.excluded):
                shown = generic_archive_url(target.url)
            entries.append(
                Entry(
                    use=use, url=target.url, result=result, health=judged,
                    failures_in_a_row=int(rec.get("failures_in_a_row") or 0),
                    first_failed_at=rec.get("first_failed_at"), archive_url=shown,
                    snapshot_url=snapshot, newly_dead=newly_dead,
                    changed=changed["reason"] if changed and not confirmed else None,
                )
            )  # fmt: skip
    return entries
