"""One feed run over a kit: choose each resource's feed, fetch what is due, keep the posts.

`fetch_kit_feeds` is the in-process API behind `plnkit fetch-feeds`, the site build and the
benchmark. Every resource is a task on one event loop, sharing one HTTP client (keep-alive,
the address guard, the per-host limits) and the run's feed parsers, worker processes on the
machine's cores (`parse_workers`); a 304 reuses the stored posts without parsing anything.
One bad feed never stops the others, the run has a bound derived from its size and the
politeness limits (a parse is cut off too, and the run's end stops every worker), and a run
where no server could be reached is an outage that changes nothing stored.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from plnkit.feeds.one_feed import Context, Outcome, process, result_for
from plnkit.feeds.options import FetchOptions
from plnkit.feeds.parse_workers import ParseWorkers
from plnkit.feeds.report import FeedResult, FeedState, FetchReport
from plnkit.feeds.store import FeedRecord, load_records, save_records
from plnkit.kit.model import Kit, Resource
from plnkit.kit.urls import allow_local_from_env
from plnkit.net.clock import Clock, SystemClock
from plnkit.net.hosts import run_bound
from plnkit.store import StateStore

if TYPE_CHECKING:
    from plnkit.net.address import ResolverFactory

__all__ = ["FetchOptions", "fetch_kit_feeds"]

log = logging.getLogger("plnkit.feeds")
REQUESTS_PER_FEED = 3  # at worst: a page, a feed it names, one more candidate
FEEDS_AHEAD = 4  # feeds in progress per request in flight (see `_fetch_all`)


def fetch_kit_feeds(
    kit: Kit,
    store: StateStore,
    options: FetchOptions | None = None,
    clock: Clock | None = None,
    *,
    progress: Callable[[FeedResult], None] | None = None,
    allow_local: bool | None = None,
    offline: bool | None = None,
    force: bool | None = None,
    resolver: ResolverFactory | None = None,
) -> FetchReport:
    """Refresh the kit's feeds into `store`; a report of what each resource's feed did.

    `allow_local`, `offline` and `force`, when given, override the same fields of `options`
    (so a caller such as the benchmark can name them without building options); `resolver`
    lets tests decide what host names resolve to."""
    options = options or FetchOptions(allow_local=allow_local_from_env())
    overrides = {"allow_local": allow_local, "offline": offline, "force": force}
    options = dataclasses.replace(options, **{k: v for k, v in overrides.items() if v is not None})
    clock = clock or SystemClock()
    started = time.perf_counter()
    records = load_records(store)
    resources = [r for r in kit.resources if not options.only or r.slug in options.only]
    if options.offline:
        results = tuple(
            result_for(
                r.slug, records.get(r.slug) or FeedRecord(), FeedState.SKIPPED, note="offline"
            )
            for r in resources
        )
        return FetchReport.build(
            clock.now(), results, offline=True, stored=False, seconds=time.perf_counter() - started
        )

    def done(index: int, outcome: Outcome | BaseException) -> None:
        if progress is not None:
            progress(_asresult_for(resources[index], records, outcome))

    from plnkit.net.pool import run_sync

    outcomes = run_sync(lambda: _fetch_all(resources, records, options, clock, resolver, done))
    results = [_asresult_for(r, records, outcomes.get(i, None)) for i, r in enumerate(resources)]
    attempted = [r for r in results if r.attempted]
    outage = bool(attempted) and all(r.connection_failed for r in attempted)
    stored = False
    if not outage:
        changed = []
        for index, resource in enumerate(resources):
            outcome = outcomes.get(index)
            if isinstance(outcome, tuple):
                records[resource.slug] = outcome[0]
                changed.append(resource.slug)
        stored = save_records(store, records, changed)
    return FetchReport.build(
        clock.now(),
        tuple(results),
        offline=False,
        stored=stored,
        outage=outage,
        seconds=time.perf_counter() - started,
    )


async def _fetch_all(
    resources: list[Resource], records: dict[str, FeedRecord], options: FetchOptions,
    clock: Clock, resolver: ResolverFactory | None,
    done: Callable[[int, Outcome | BaseException], None],
) -> dict[int, Outcome | BaseException]:  # fmt: skip
    from plnkit.net.client import Client, Settings
    from plnkit.net.pool import run_bounded

    settings = Settings(
        user_agent=options.user_agent, allow_local=options.allow_local,
        concurrency=options.concurrency, per_host=options.per_host,
        min_interval=options.min_interval, timeout=options.timeout, retries=0,
        resolver=resolver,
    )  # fmt: skip
    bound = run_bound(
        [r.feed or r.url for r in resources], timeout=options.timeout,
        attempts=REQUESTS_PER_FEED, wait_cap=0, concurrency=options.concurrency,
        per_host=options.per_host, min_interval=options.min_interval,
        cap=options.deadline_seconds,
    )  # fmt: skip
    # The tasks are cancelled at `bound`; the client's own deadline, a moment later, only
    # keeps a request from starting after that.
    parsers = ParseWorkers(options.parse_workers, options.parse_seconds)
    async with Client(settings, clock, clock.monotonic() + bound + 1) as client, parsers:
        ctx = Context(client=client, options=options, clock=clock, parsers=parsers)
        # Feeds in progress at once, from the first request to the end of the parse. The
        # network is faster than the parsers, so without this bound every fetched body would
        # wait in memory for a parser (some 300 MB at 10,000 resources); with it the network
        # runs this far ahead of them and no further.
        in_progress = asyncio.Semaphore(max(1, options.concurrency) * FEEDS_AHEAD)

        async def work(resource: Resource) -> Outcome:
            async with in_progress:
                return await process(resource, records.get(resource.slug) or FeedRecord(), ctx)

        return await run_bounded(resources, work, deadline_seconds=bound, on_done=done)


def _asresult_for(
    resource: Resource, records: dict[str, FeedRecord], outcome: Outcome | BaseException | None
) -> FeedResult:
    record = records.get(resource.slug) or FeedRecord()
    if outcome is None:
        return result_for(
            resource.slug, record, FeedState.SKIPPED, note="not reached within the time allowed"
        )
    if isinstance(outcome, BaseException):
        log.warning(
            "feed of %s: unexpected error %s: %s",
            resource.slug,
            outcome.__class__.__name__,
            outcome,
        )
        return result_for(
            resource.slug,
            record,
            FeedState.FAILED,
            error=f"unexpected error: {outcome.__class__.__name__}: {outcome}",
        )
    return outcome[1]
