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
from dataclasses import dataclass, field

import requests

from plnkit.feeds.discover import DiscoveryBases, FeedSource, discover, handle_feed
from plnkit.feeds.fetch import ACCEPT_FEED, HttpOptions, HttpResult, HttpState, get
from plnkit.feeds.parse import ParsedFeed, parse_feed
from plnkit.feeds.pool import run_bounded
from plnkit.feeds.report import FeedResult, FeedState, FetchReport
from plnkit.feeds.store import (
    FeedRecord,
    fingerprint,
    is_due,
    load_records,
    merge_posts,
    next_poll,
    save_records,
)
from plnkit.model import Kit, Resource
from plnkit.net.clock import Clock, SystemClock, iso, parse_iso
from plnkit.net.http_client import DEFAULT_USER_AGENT, HostLimiter, make_session
from plnkit.state_store import StateStore

log = logging.getLogger("plnkit.feeds")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    concurrency: int = 16
    per_host: int = 2
    min_interval: float = 0.05  # seconds between two requests to one host
    max_age_hours: float = 6.0  # poll a feed at most this often (servers may ask for longer)
    posts_stored: int = 10
    summary_chars: int = 400
    allow_local: bool = False
    offline: bool = False
    force: bool = False  # ignore "not due yet"
    discover: bool = True
    rediscover_days: float = 30.0
    deadline_seconds: float | None = None  # the build's bound on the whole run
    only: tuple[str, ...] = ()  # slugs; empty means all
    bases: DiscoveryBases = field(default_factory=DiscoveryBases.from_env)
    user_agent: str = DEFAULT_USER_AGENT

    @property
    def http(self) -> HttpOptions:
        return HttpOptions(self.timeout, self.max_bytes, self.allow_local)


@dataclass
class _Context:
    session: requests.Session
    limiter: HostLimiter
    options: FetchOptions
    clock: Clock

    def get(
        self,
        url: str,
        accept: str = ACCEPT_FEED,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> HttpResult:
        return get(
            self.session,
            url,
            limiter=self.limiter,
            options=self.options.http,
            now=self.clock.now(),
            accept=accept,
            etag=etag,
            last_modified=last_modified,
        )

    def parse(self, answer: HttpResult) -> ParsedFeed:
        return parse_feed(
            answer.body or b"",
            url=answer.final_url or answer.url,
            content_type=answer.content_type,
            max_posts=self.options.posts_stored,
            summary_chars=self.options.summary_chars,
            allow_local=self.options.allow_local,
            now=self.clock.now(),
        )


Outcome = tuple[FeedRecord, FeedResult]
DISCOVERED = (FeedSource.PAGE.value, FeedSource.COMMON_PATH.value, FeedSource.YOUTUBE.value)


def _result(slug: str, record: FeedRecord, state: FeedState, **extra) -> FeedResult:
    return FeedResult(
        slug=slug,
        feed_url=record.feed_url,
        source=record.source,
        state=state,
        posts=len(record.posts),
        **extra,
    )


def _wants_discovery(resource: Resource, record: FeedRecord, ctx: _Context) -> bool:
    if not ctx.options.discover or not resource.is_current:
        return False
    if record.site_url != resource.url or not record.discovered_at:
        return True
    try:
        age = ctx.clock.now() - parse_iso(record.discovered_at)
    except ValueError:
        return True
    return age.total_seconds() >= ctx.options.rediscover_days * 86400


def process(resource: Resource, stored: FeedRecord, ctx: _Context) -> Outcome:
    """Everything one resource needs this run; pure apart from the network calls."""
    record = dataclasses.replace(stored, posts=list(stored.posts))
    now = ctx.clock.now()
    discovery = None
    handle = handle_feed(resource, ctx.options.bases)
    if resource.status == "retired":
        return record, _result(resource.slug, record, FeedState.SKIPPED, note="retired")
    if resource.feed:
        url, source = resource.feed, FeedSource.FILE
    elif handle:
        url, source = handle
    elif record.feed_url and record.source in DISCOVERED and record.site_url == resource.url:
        url, source = record.feed_url, FeedSource(record.source)
    elif _wants_discovery(resource, record, ctx):
        discovery = discover(
            resource,
            lambda u, a: ctx.get(u, a),
            ctx.parse,
            ctx.options.bases,
            allow_local=ctx.options.allow_local,
        )
        if discovery.unreachable is not None:  # no answer at all: try again next run
            return record, _result(
                resource.slug, record, FeedState.FAILED, note=discovery.note, connection_failed=True
            )
        record.discovered_at, record.site_url = iso(now), resource.url
        if discovery.feed_url is None or discovery.source is None:
            record.feed_url, record.source = None, ""
            return record, _result(resource.slug, record, FeedState.NO_FEED, note=discovery.note)
        url, source = discovery.feed_url, discovery.source
    else:
        why = "" if resource.is_current else f"{resource.status}: no feed looked for"
        return record, _result(resource.slug, record, FeedState.NO_FEED, note=why)
    if record.feed_url != url:  # a new address: its validators and gone mark do not carry over
        record.etag = record.last_modified = record.next_poll_at = record.gone_fingerprint = None
    record.feed_url, record.source = url, source.value
    if record.gone:
        if record.gone_fingerprint == fingerprint(resource):
            return record, _result(
                resource.slug,
                record,
                FeedState.SKIPPED,
                note="gone (HTTP 410); edit the resource file to poll again",
            )
        record.gone_fingerprint = None
    if discovery is None and not ctx.options.force and not is_due(record, now):
        return record, _result(
            resource.slug, record, FeedState.SKIPPED, note=f"fresh until {record.next_poll_at}"
        )
    if discovery is not None and discovery.response is not None:
        answer, parsed = discovery.response, discovery.parsed
    else:
        answer, parsed = ctx.get(url, ACCEPT_FEED, record.etag, record.last_modified), None
    return apply_answer(resource, record, answer, parsed, ctx)


def apply_answer(
    resource: Resource,
    record: FeedRecord,
    answer: HttpResult,
    parsed: ParsedFeed | None,
    ctx: _Context,
) -> Outcome:
    """The record after one answer: posts merged on success, kept on anything else."""
    now = ctx.clock.now()
    options = ctx.options
    record.checked_at = iso(now)
    common = {"http_status": answer.status, "final_url": answer.final_url}
    if answer.state is HttpState.OK:
        parsed = parsed or ctx.parse(answer)
        if parsed.ok:
            known = {p["id"] for p in record.posts}
            record.posts = merge_posts(record.posts, parsed.posts, now, options.posts_stored)
            record.etag, record.last_modified = answer.etag, answer.last_modified
            record.refreshed_at, record.error, record.failures_in_a_row = iso(now), None, 0
            record.title = parsed.title
            record.next_poll_at = next_poll(
                now,
                options.max_age_hours,
                server_seconds=answer.poll_after,
                ttl_minutes=parsed.ttl_minutes,
            )
            record.state = FeedState.OK.value
            new = sum(p["id"] not in known for p in record.posts)
            return record, _result(resource.slug, record, FeedState.OK, new_posts=new, **common)
        answer = dataclasses.replace(answer, state=HttpState.FAILED, error=parsed.error)
    if answer.state is HttpState.NOT_MODIFIED:
        record.etag = answer.etag or record.etag
        record.last_modified = answer.last_modified or record.last_modified
        record.refreshed_at, record.error, record.failures_in_a_row = iso(now), None, 0
        record.next_poll_at = next_poll(
            now, options.max_age_hours, server_seconds=answer.poll_after
        )
        record.state = FeedState.NOT_MODIFIED.value
        return record, _result(resource.slug, record, FeedState.NOT_MODIFIED, **common)
    if answer.state is HttpState.GONE:
        record.gone_fingerprint = fingerprint(resource)
        record.state, record.error, record.next_poll_at = FeedState.GONE.value, answer.error, None
        return record, _result(resource.slug, record, FeedState.GONE, error=answer.error, **common)
    state = FeedState.REFUSED if answer.state is HttpState.REFUSED else FeedState.FAILED
    record.state, record.error = state.value, answer.error
    record.failures_in_a_row += 1
    record.next_poll_at = next_poll(now, options.max_age_hours, server_seconds=answer.poll_after)
    return record, _result(
        resource.slug,
        record,
        state,
        error=answer.error,
        connection_failed=answer.connection_failed,
        **common,
    )


def feed_session(options: FetchOptions) -> requests.Session:
    """The shared pooled session. requests reads the environment (proxies, CA bundle, netrc)
    again on every request, about half of a 304's time; without proxy variables the result
    never changes, so the CA bundle is read once here and the per-request look is skipped."""
    session = make_session(options.user_agent, pool_size=options.concurrency)
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
) -> FetchReport:
    """Refresh the kit's feeds into `store`; a report of what each resource's feed did."""
    options = options or FetchOptions()
    clock = clock or SystemClock()
    started = time.perf_counter()
    records = load_records(store)
    resources = [r for r in kit.resources if not options.only or r.slug in options.only]
    if options.offline:
        results = tuple(
            _result(r.slug, records.get(r.slug) or FeedRecord(), FeedState.SKIPPED, note="offline")
            for r in resources
        )
        return FetchReport.build(
            clock.now(), results, offline=True, stored=False, seconds=time.perf_counter() - started
        )
    own_session = session is None
    ctx = _Context(
        session=session or feed_session(options),
        limiter=HostLimiter(options.concurrency, options.per_host, options.min_interval, clock),
        options=options,
        clock=clock,
    )

    def work(resource: Resource) -> Outcome:
        return process(resource, records.get(resource.slug) or FeedRecord(), ctx)

    def done(index: int, outcome: Outcome | BaseException) -> None:
        if progress is not None:
            progress(_as_result(resources[index], records, outcome))

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
    results = [_as_result(r, records, outcomes.get(i, None)) for i, r in enumerate(resources)]
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


def _as_result(
    resource: Resource, records: dict[str, FeedRecord], outcome: Outcome | BaseException | None
) -> FeedResult:
    record = records.get(resource.slug) or FeedRecord()
    if outcome is None:
        return _result(
            resource.slug, record, FeedState.SKIPPED, note="not reached within the time allowed"
        )
    if isinstance(outcome, BaseException):
        log.warning(
            "feed of %s: unexpected error %s: %s",
            resource.slug,
            outcome.__class__.__name__,
            outcome,
        )
        return _result(
            resource.slug,
            record,
            FeedState.FAILED,
            error=f"unexpected error: {outcome.__class__.__name__}: {outcome}",
        )
    return outcome[1]
