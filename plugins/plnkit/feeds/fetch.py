"""One GET for a feed or a page through the HTTP client, and what its answer means for a feed.

The client (`plnkit.net.client`) does the HTTP: redirects (every hop through the address
guard), the total deadline, the byte cap counted after decompression, politeness. Here: the
URL as written must be http(s) on a public host, conditional requests carry the stored
validators, and the answer becomes a feed state with hints for when to ask again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from plnkit.kit.urls import url_problem
from plnkit.net.failure import Failure
from plnkit.net.retry import retry_after

if TYPE_CHECKING:
    from plnkit.net.client import Client

ACCEPT_FEED = (
    "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_MAX_AGE = re.compile(r"(?:^|[,\s])(?:s-)?max-age\s*=\s*\"?(\d+)", re.I)


class HttpState(StrEnum):
    OK = "ok"  # 2xx with a body
    NOT_MODIFIED = "not-modified"  # 304: the stored copy is current
    GONE = "gone"  # 410: the publisher removed the feed for good
    FAILED = "failed"  # anything else: HTTP error, timeout, too big, bad encoding
    REFUSED = "refused"  # the address is not one we may ask


@dataclass(frozen=True)
class HttpOptions:
    max_bytes: int = 5 * 1024 * 1024  # after decompression
    allow_local: bool = False


@dataclass(frozen=True)
class HttpResult:
    state: HttpState
    url: str
    final_url: str | None = None
    status: int | None = None
    body: bytes | None = None
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    connection_failed: bool = False  # never reached the server: counts toward an outage
    poll_after: float | None = None  # seconds the server asked us to wait


def poll_after(headers: Mapping[str, str], now: dt.datetime) -> float | None:
    """Seconds to wait before asking again, from `Retry-After` or `Cache-Control: max-age`
    (lower-case header names, as the client gives them).

    >>> poll_after({"cache-control": "public, max-age=3600"}, dt.datetime.now(dt.UTC))
    3600.0
    >>> poll_after({"retry-after": "120"}, dt.datetime.now(dt.UTC))
    120.0
    """
    told = retry_after(headers.get("retry-after"), now)
    if told is not None:
        return told
    match = _MAX_AGE.search(headers.get("cache-control") or "")
    return float(match.group(1)) if match else None


async def get(
    client: Client,
    url: str,
    *,
    options: HttpOptions,
    now: dt.datetime,
    accept: str = ACCEPT_FEED,
    etag: str | None = None,
    last_modified: str | None = None,
) -> HttpResult:
    """GET `url` for a feed (or the page that names one)."""
    why = url_problem(url, allow_local=options.allow_local)
    if why:
        return HttpResult(HttpState.REFUSED, url, final_url=url, error=f"address {why}")
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    reply = await client.fetch(url, headers=headers, body_cap=options.max_bytes,
                               keep=options.max_bytes)  # fmt: skip
    final = reply.hops[-1][0] if reply.hops else url
    if reply.failure is not None or reply.status is None:
        state = HttpState.REFUSED if reply.failure is Failure.ADDRESS else HttpState.FAILED
        return HttpResult(
            state, url, final_url=final, error=reply.error or "no answer",
            connection_failed=reply.failure is not None and reply.failure.connection_level,
        )  # fmt: skip
    status, found = reply.status, reply.headers
    wait = poll_after(found, now)
    common = {"final_url": final, "status": status}
    if status == 304:
        return HttpResult(
            HttpState.NOT_MODIFIED, url, etag=found.get("etag"),
            last_modified=found.get("last-modified"), poll_after=wait, **common,
        )  # fmt: skip
    if status == 410:
        return HttpResult(
            HttpState.GONE, url, error="HTTP 410 Gone: the publisher removed this feed", **common
        )
    if not 200 <= status < 300:
        return HttpResult(HttpState.FAILED, url, error=f"HTTP {status}", poll_after=wait, **common)
    if reply.over_cap:
        limit = f"{options.max_bytes:,}"
        return HttpResult(
            HttpState.FAILED, url, **common,
            error=f"the body is over the {limit}-byte limit (counted after decompression)",
        )  # fmt: skip
    return HttpResult(
        HttpState.OK, url, body=reply.body, content_type=found.get("content-type", ""),
        etag=found.get("etag"), last_modified=found.get("last-modified"), poll_after=wait,
        **common,
    )  # fmt: skip
