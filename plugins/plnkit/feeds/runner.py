"""One feed run over a kit: choose each resource's feed, fetch what is due, keep the posts.

`fetch_kit_feeds` is the in-process API behind `plnkit fetch-feeds`, the site build and the
benchmark. Work runs on a pool of threads sharing one pooled keep-alive session and the
per-host politeness limits; a 304 reuses the stored posts without parsing anything. One bad
feed never stops the others, and a run where no server could be reached is an outage that
changes nothing stored.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable

import requests
from requests.adapters import HTTPAdapter

from plnkit.feeds.one_feed import Context, Outcome, process, result_for
from plnkit.feeds.options import FetchOptions
from plnkit.feeds.pool import run_bounded
from plnkit.feeds.report import FeedResult, FeedState, FetchReport
from plnkit.feeds.store import FeedRecord, load_records, save_records
from plnkit.kit.model import Kit, Resource
from plnkit.kit.urls import allow_local_from_env
from plnkit.net.clock import Clock, SystemClock
from plnkit.net.http_client import HostLimiter, make_session
from plnkit.store import StateStore

__all__ = ["FetchOptions", "feed_session", "fetch_kit_feeds"]

log = logging.getLogger("plnkit.feeds")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
HOST_POOLS = 512


def feed_session(options: FetchOptions) -> requests.Session:
    """The shared pooled session. requests reads the environment (proxies, CA bundle, netrc)
    again on every request, about half of a 304's time; without proxy variables the result
    never changes, so the CA bundle is read once here and the per-request look is skipped."""
    session = make_session(options.user_agent, pool_size=options.concurrency)
    # Keep-alive pools for many hosts at once (the default keeps 16 and closes the rest), each
    # as large as the per-host limit allows.
    adapter = HTTPAdapter(
        pool_connections=HOST_POOLS,
        max_retries=0,
        pool_maxsize=max(1, min(options.concurrency, options.per_host)),
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    if not any(name.lower() in PROXY_VARIABLES for name in os.environ):
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            session.verify = bundle
        session.trust_env = False
    return session


def fetch_kit_feeds(
    kit: Kit,
    store: StateStore,
    options: FetchOptions | None = None,
    session: requests.Session | None = None,
    clock: Clock | None = None,
    *,
    progress: Callable[[FeedResult], None] | None = None,
    allow_local: bool | None = None,
    offline: bool | None = None,
    force: bool | None = None,
) -> FetchReport:
    """Refresh the kit's feeds into `store`; a report of what each resource's feed did.

    `allow_local`, `offline` and `force`, when given, override the same fields of `options`
    (so a caller such as the benchmark can name them without building options)."""
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
    own_session = session is None
    ctx = Context(
        session=session or feed_session(options),
        limiter=HostLimiter(options.concurrency, options.per_host, options.min_interval, clock),
        options=options,
        clock=clock,
    )

    def work(resource: Resource) -> Outcome:
        return process(resource, records.get(resource.slug) or FeedRecord(), ctx)

    def done(index: int, outcome: Outcome | BaseException) -> None:
        if progress is not None:
            progress(_asresult_for(resources[index], records, outcome))

    try:
        outcomes = run_bounded(
            resources,
            work,
            workers=options.concurrency,
            deadline_seconds=options.deadline_seconds,
            on_done=done,
        )
    finally:
        if own_session:
            ctx.session.close()
    results = [_asresult_for(r, records, outcomes.get(i, None)) for i, r in enumerate(resources)]
    attempted = [r for r in results if r.attempted]
    outage = bool(attempted) and all(r.connection_failed for r in attempted)
    stored = False
    if not outage:
        for index, resource in enumerate(resources):
            outcome = outcomes.get(index)
            if isinstance(outcome, tuple):
                records[resource.slug] = outcome[0]
        stored = save_records(store, records)
    return FetchReport.build(
        clock.now(),
        tuple(results),
        offline=False,
        stored=stored,
        outage=outage,
        seconds=time.perf_counter() - started,
    )


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
