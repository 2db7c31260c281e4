"""One HTTP GET for a feed or a page, by our own client: never a URL handed to feedparser.

Only http(s) on public hosts (checked again at every redirect), a timeout on every socket
operation and on the whole body, a byte cap counted after decompression (a gzip bomb stops at
the cap), conditional requests with the stored validators, and hints for when to ask again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import re
import time
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urljoin, urlsplit

import requests

from plnkit.kit.urls import url_problem
from plnkit.net.http_client import HostLimiter

ACCEPT_FEED = (
    "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
CHUNK = 64 * 1024
ERROR_BODY_BYTES = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
_MAX_AGE = re.compile(r"(?:^|[,\s])(?:s-)?max-age\s*=\s*\"?(\d+)", re.I)


class HttpState(StrEnum):
    OK = "ok"  # 2xx with a body
    NOT_MODIFIED = "not-modified"  # 304: the stored copy is current
    GONE = "gone"  # 410: the publisher removed the feed for good
    FAILED = "failed"  # anything else: HTTP error, timeout, too big, bad encoding
    REFUSED = "refused"  # the address is not one we may ask


@dataclass(frozen=True)
class HttpOptions:
    timeout: float = 15.0  # seconds per socket operation; the body gets twice this in total
    max_bytes: int = 5 * 1024 * 1024  # after decompression
    allow_local: bool = False
    max_redirects: int = 5


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


def poll_after(
    headers: requests.structures.CaseInsensitiveDict | dict, now: dt.datetime
) -> float | None:
    """Seconds to wait before asking again, from `Retry-After` or `Cache-Control: max-age`.

    >>> poll_after({"Cache-Control": "public, max-age=3600"}, dt.datetime.now(dt.UTC))
    3600.0
    >>> poll_after({"Retry-After": "120"}, dt.datetime.now(dt.UTC))
    120.0
    """
    retry = (headers.get("Retry-After") or "").strip()
    if retry.isdigit():
        return float(retry)
    if retry:
        try:
            when = email.utils.parsedate_to_datetime(retry)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            return max(0.0, (when - now).total_seconds())
    match = _MAX_AGE.search(headers.get("Cache-Control") or "")
    return float(match.group(1)) if match else None


def _failed(
    url: str,
    error: str,
    *,
    status: int | None = None,
    final: str | None = None,
    connection: bool = False,
    wait: float | None = None,
) -> HttpResult:
    return HttpResult(
        HttpState.FAILED,
        url,
        final_url=final,
        status=status,
        error=error,
        connection_failed=connection,
        poll_after=wait,
    )


def _read_body(response: requests.Response, limit: int, seconds: float) -> bytes | str:
    """The decoded body, or the reason it was refused. Decompression happens chunk by chunk,
    so the cap holds however well the body compresses."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit and "Content-Encoding" not in response.headers:
        return f"the body is {int(declared):,} bytes, over the {limit:,}-byte limit"
    started = time.monotonic()
    parts: list[bytes] = []
    total = 0
    for chunk in response.iter_content(CHUNK):
        total += len(chunk)
        if total > limit:
            return f"the body is over the {limit:,}-byte limit (counted after decompression)"
        if time.monotonic() - started > seconds:
            return f"the body took longer than {seconds:g} s to arrive"
        parts.append(chunk)
    return b"".join(parts)


def get(
    session: requests.Session,
    url: str,
    *,
    limiter: HostLimiter,
    options: HttpOptions,
    now: dt.datetime,
    accept: str = ACCEPT_FEED,
    etag: str | None = None,
    last_modified: str | None = None,
) -> HttpResult:
    """GET `url` following at most `max_redirects` redirects, each hop checked for safety."""
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _hop in range(options.max_redirects + 1):
        why = url_problem(current, allow_local=options.allow_local)
        if why:
            return HttpResult(HttpState.REFUSED, url, final_url=current, error=f"address {why}")
        try:
            with limiter.slot(current):
                response = session.get(
                    current,
                    headers=headers,
                    timeout=(options.timeout, options.timeout),
                    stream=True,
                    allow_redirects=False,
                )
                try:
                    result = _answer(response, url, current, options, now)
                finally:
                    response.close()
        except requests.exceptions.RequestException as err:
            return _transport_failure(url, current, err, options)
        if isinstance(result, HttpResult):
            return result
        current = urljoin(current, result)
    return _failed(
        url, f"more than {options.max_redirects} redirects (redirect loop?)", final=current
    )


def _answer(
    response: requests.Response, url: str, current: str, options: HttpOptions, now: dt.datetime
) -> HttpResult | str:
    """What one response means; a str is the next address of a redirect."""
    status = response.status_code
    location = response.headers.get("Location")
    if status in REDIRECTS and location:
        _drain(response)
        return location
    etag = response.headers.get("ETag")
    modified = response.headers.get("Last-Modified")
    wait = poll_after(response.headers, now)
    if status == 304:
        _drain(response)
        return HttpResult(
            HttpState.NOT_MODIFIED,
            url,
            final_url=current,
            status=status,
            etag=etag,
            last_modified=modified,
            poll_after=wait,
        )
    if status == 410:
        _drain(response)
        return HttpResult(
            HttpState.GONE,
            url,
            final_url=current,
            status=status,
            error="HTTP 410 Gone: the publisher removed this feed",
        )
    if not 200 <= status < 300:
        _drain(response)
        return _failed(url, f"HTTP {status}", status=status, final=current, wait=wait)
    try:
        body = _read_body(response, options.max_bytes, options.timeout * 2)
    except requests.exceptions.ContentDecodingError as err:
        return _failed(
            url, f"the compressed body is damaged: {_short(err)}", status=status, final=current
        )
    except requests.exceptions.RequestException as err:
        return _failed(url, f"the body broke off: {_short(err)}", status=status, final=current)
    if isinstance(body, str):
        return _failed(url, body, status=status, final=current)
    return HttpResult(
        HttpState.OK,
        url,
        final_url=current,
        status=status,
        body=body,
        content_type=response.headers.get("Content-Type", ""),
        etag=etag,
        last_modified=modified,
        poll_after=wait,
    )


def _transport_failure(
    url: str, current: str, err: requests.exceptions.RequestException, options: HttpOptions
) -> HttpResult:
    """A request that got no answer. Only failures to reach the server count toward an
    outage; a server that accepted and then went silent is that server's problem."""
    if isinstance(err, requests.exceptions.SSLError):
        return _failed(url, f"TLS error: {_short(err)}", final=current)
    if isinstance(err, requests.exceptions.ConnectTimeout):
        return _failed(url, "timed out connecting", final=current, connection=True)
    if isinstance(err, requests.exceptions.ReadTimeout):
        return _failed(url, f"no answer within {options.timeout:g} s", final=current)
    if isinstance(err, requests.exceptions.ConnectionError):
        return _failed(url, _connection_reason(err, current), final=current, connection=True)
    return _failed(url, f"request failed: {_short(err)}", final=current)


def _connection_reason(err: BaseException, url: str) -> str:
    """urllib3's nested error text, said plainly."""
    text = str(err)
    host = urlsplit(url).hostname or url
    for marker, reason in (
        ("NameResolutionError", f"the host name {host} could not be found (DNS)"),
        ("Name or service not known", f"the host name {host} could not be found (DNS)"),
        ("Connection refused", f"{host} refused the connection"),
        ("Connection reset", f"{host} reset the connection"),
        ("Network is unreachable", "the network is unreachable"),
        ("timed out", f"{host} did not accept a connection in time"),
    ):
        if marker in text:
            return reason
    return f"could not connect to {host}: {_short(err)}"


def _drain(response: requests.Response) -> None:
    """Read a short body to its end so the connection goes back to the pool for reuse."""
    with contextlib.suppress(requests.exceptions.RequestException):
        _read_body(response, ERROR_BODY_BYTES, 1.0)


def _short(err: BaseException) -> str:
    text = str(err) or err.__class__.__name__
    return text if len(text) <= 160 else text[:157] + "..."
