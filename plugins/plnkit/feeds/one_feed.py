"""One resource's turn in a feed run: which feed, whether it is due, what the answer means.

Runs as one task on the run's event loop; it reads the stored record and returns a new one
(the runner writes the store once, at the end), so nothing here shares mutable state. Bodies
are parsed by the run's worker processes (`parse_workers`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plnkit.feeds.discover import FeedSource, discover, handle_feed
from plnkit.feeds.fetch import ACCEPT_FEED, HttpResult, HttpState, get
from plnkit.feeds.options import FetchOptions
from plnkit.feeds.parse import ParsedFeed
from plnkit.feeds.parse_workers import ParseJob, ParseWorkers
from plnkit.feeds.report import FeedResult, FeedState
from plnkit.feeds.store import FeedRecord, fingerprint, is_due, merge_posts, next_poll
from plnkit.kit.model import Resource
from plnkit.net.clock import Clock, iso, parse_iso

if TYPE_CHECKING:
    from plnkit.net.client import Client


@dataclass
class Context:
    client: Client
    options: FetchOptions
    clock: Clock
    parsers: ParseWorkers

    async def get(
        self,
        url: str,
        accept: str = ACCEPT_FEED,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> HttpResult:
        return await get(
            self.client,
            url,
            options=self.options.http,
            now=self.clock.now(),
            accept=accept,
            etag=etag,
            last_modified=last_modified,
        )

    async def parse(self, answer: HttpResult) -> ParsedFeed:
        job = ParseJob(
            answer.body or b"",
            url=answer.final_url or answer.url,
            content_type=answer.content_type,
            max_posts=self.options.posts_stored,
            summary_chars=self.options.summary_chars,
            allow_local=self.options.allow_local,
            now=self.clock.now(),
        )
        return await self.parsers.parse(job)


Outcome = tuple[FeedRecord, FeedResult]
DISCOVERED = (FeedSource.PAGE.value, FeedSource.COMMON_PATH.value, FeedSource.YOUTUBE.value)


def result_for(slug: str, record: FeedRecord, state: FeedState, **extra) -> FeedResult:
    return FeedResult(
        slug=slug,
        feed_url=record.feed_url,
        source=record.source,
        state=state,
        posts=len(record.posts),
        **extra,
    )


def _wants_discovery(resource: Resource, record: FeedRecord, ctx: Context) -> bool:
    if not ctx.options.discover or not resource.is_current:
        return False
    if record.site_url != resource.url or not record.discovered_at:
        return True
    try:
        age = ctx.clock.now() - parse_iso(record.discovered_at)
    except ValueError:
        return True
    return age.total_seconds() >= ctx.options.rediscover_days * 86400


async def process(resource: Resource, stored: FeedRecord, ctx: Context) -> Outcome:
    """Everything one resource needs this run; pure apart from the network calls."""
    record = dataclasses.replace(stored, posts=list(stored.posts))
    now = ctx.clock.now()
    discovery = None
    handle = handle_feed(resource, ctx.options.bases)
    if resource.status == "retired":
        return record, result_for(resource.slug, record, FeedState.SKIPPED, note="retired")
    if resource.feed:
        url, source = resource.feed, FeedSource.FILE
    elif handle:
        url, source = handle
    elif record.feed_url and record.source in DISCOVERED and record.site_url == resource.url:
        url, source = record.feed_url, FeedSource(record.source)
    elif _wants_discovery(resource, record, ctx):
        discovery = await discover(
            resource,
            lambda u, a: ctx.get(u, a),
            ctx.parse,
            ctx.options.bases,
            allow_local=ctx.options.allow_local,
        )
        if discovery.unreachable is not None:  # no answer at all: try again next run
            return record, result_for(
                resource.slug, record, FeedState.FAILED, note=discovery.note, connection_failed=True
            )
        record.discovered_at, record.site_url = iso(now), resource.url
        if discovery.feed_url is None or discovery.source is None:
            record.feed_url, record.source = None, ""
            return record, result_for(resource.slug, record, FeedState.NO_FEED, note=discovery.note)
        url, source = discovery.feed_url, discovery.source
    else:
        why = "" if resource.is_current else f"{resource.status}: no feed looked for"
        return record, result_for(resource.slug, record, FeedState.NO_FEED, note=why)
    if record.feed_url != url:  # a new address: its validators and gone mark do not carry over
        record.etag = record.last_modified = record.next_poll_at = record.gone_fingerprint = None
    record.feed_url, record.source = url, source.value
    if record.gone:
        if record.gone_fingerprint == fingerprint(resource):
            return record, result_for(
                resource.slug,
                record,
                FeedState.SKIPPED,
                note="gone (HTTP 410); edit the resource file to poll again",
            )
        record.gone_fingerprint = None
    if discovery is None and not ctx.options.force and not is_due(record, now):
        return record, result_for(
            resource.slug, record, FeedState.SKIPPED, note=f"fresh until {record.next_poll_at}"
        )
    if discovery is not None and discovery.response is not None:
        answer, parsed = discovery.response, discovery.parsed
    else:
        answer = await ctx.get(url, ACCEPT_FEED, record.etag, record.last_modified)
        parsed = None
    return await apply_answer(resource, record, answer, parsed, ctx)


async def apply_answer(
    resource: Resource,
    record: FeedRecord,
    answer: HttpResult,
    parsed: ParsedFeed | None,
    ctx: Context,
) -> Outcome:
    """The record after one answer: posts merged on success, kept on anything else."""
    now = ctx.clock.now()
    options = ctx.options
    record.checked_at = iso(now)
    common = {"http_status": answer.status, "final_url": answer.final_url}
    if answer.state is HttpState.OK:
        parsed = parsed or await ctx.parse(answer)
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
            return record, result_for(resource.slug, record, FeedState.OK, new_posts=new, **common)
        answer = dataclasses.replace(answer, state=HttpState.FAILED, error=parsed.error)
    if answer.state is HttpState.NOT_MODIFIED:
        record.etag = answer.etag or record.etag
        record.last_modified = answer.last_modified or record.last_modified
        record.refreshed_at, record.error, record.failures_in_a_row = iso(now), None, 0
        record.next_poll_at = next_poll(
            now, options.max_age_hours, server_seconds=answer.poll_after
        )
        record.state = FeedState.NOT_MODIFIED.value
        return record, result_for(resource.slug, record, FeedState.NOT_MODIFIED, **common)
    if answer.state is HttpState.GONE:
        record.gone_fingerprint = fingerprint(resource)
        record.state, record.error, record.next_poll_at = FeedState.GONE.value, answer.error, None
        return record, result_for(
            resource.slug, record, FeedState.GONE, error=answer.error, **common
        )
    state = FeedState.REFUSED if answer.state is HttpState.REFUSED else FeedState.FAILED
    record.state, record.error = state.value, answer.error
    record.failures_in_a_row += 1
    record.next_poll_at = next_poll(now, options.max_age_hours, server_seconds=answer.poll_after)
    return record, result_for(
        resource.slug,
        record,
        state,
        error=answer.error,
        connection_failed=answer.connection_failed,
        **common,
    )
