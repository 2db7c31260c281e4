"""Pure rules: what an HTTP answer or a network error means for a link (no I/O here)."""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import socket
import ssl
import sys
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from urllib.parse import urlsplit

from plnkit.kit.urls import normalize_url
from plnkit.links.direct import BadEncoding, ConnectFailed, ConnectTimeout
from plnkit.links.types import Failure, LinkState

REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
BOT_HEADERS = (
    "cf-mitigated", "cf-chl-bypass", "x-datadome", "x-sucuri-block", "x-amzn-waf-action",
    "x-px-block", "x-iinfo",
)  # fmt: skip
BOT_SERVERS = ("cloudflare", "akamaighost", "ddos-guard", "sucuri", "imperva", "incapsula")
BOT_WORDS = (
    "captcha", "cf-chl", "just a moment", "attention required", "checking your browser",
    "ddos protection", "bot protection", "are you a robot", "verify you are human",
    "enable javascript and cookies", "perimeterx", "datadome", "incapsula", "access denied",
)  # fmt: skip


def status_text(code: int) -> str:
    """`HTTP 404 Not Found`: our own words, never the server's reason phrase.

    >>> status_text(404), status_text(999)
    ('HTTP 404 Not Found', 'HTTP 999 (the site refuses automated checkers)')
    """
    if code == 999:
        return "HTTP 999 (the site refuses automated checkers)"
    try:
        return f"HTTP {code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def bot_protected(headers: Mapping[str, str], body: bytes) -> bool:
    """Signs that a refusal comes from a bot wall (CDN challenge, WAF) rather than the site."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if any(name in lowered for name in BOT_HEADERS):
        return True
    server = lowered.get("server", "").lower()
    if any(name in server for name in BOT_SERVERS):
        return True
    text = body[:16384].decode("utf-8", "replace").lower()
    return any(word in text for word in BOT_WORDS)


def state_for_status(code: int, headers: Mapping[str, str], body: bytes) -> LinkState:
    """The state of a final answer (redirects already followed)."""
    if 200 <= code < 300:
        return LinkState.OK
    if code in (401, 999):
        return LinkState.BLOCKED
    if code in (403, 503) and bot_protected(headers, body):
        return LinkState.BLOCKED
    if code in (408, 429) or 500 <= code < 600:
        return LinkState.TRANSIENT
    return LinkState.BROKEN


def retryable_status(code: int) -> bool:
    """Answers that may change if we ask again; 501 means the method is not supported."""
    return code in (408, 429) or (500 <= code < 600 and code != 501)


def retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a `Retry-After` header, in either of its forms.

    >>> import datetime as dt
    >>> now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    >>> retry_after("7", now), retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now)
    (7.0, 30.0)
    >>> retry_after("soon", now) is None
    True
    """
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def meaningful_move(old: str, new: str) -> bool:
    """Worth editing the file for: not just `www.`, a trailing slash or a fragment.

    >>> meaningful_move("http://a.org/x", "https://a.org/x"), meaningful_move("https://a.org/x", "https://a.org/x/")
    (True, False)
    """
    if urlsplit(old).scheme == "http" and urlsplit(new).scheme == "https":
        return True
    return normalize_url(old) != normalize_url(new)


def _causes(err: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nxt in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(nxt, BaseException):
                todo.append(nxt)
        todo.extend(a for a in current.args if isinstance(a, BaseException))


def _tls_detail(err: BaseException) -> str:
    for cause in _causes(err):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause.verify_message or "certificate verify failed"
        if isinstance(cause, ssl.SSLError):
            return cause.reason or cause.__class__.__name__
    return "the secure connection could not be verified"


def _loaded(*names: str) -> tuple[type[BaseException], ...]:
    """The named exception classes of `urllib3` and `requests`, if those are loaded at all.

    The direct transport never imports them; when they are not loaded, no error can be one
    of their classes, so leaving them out changes nothing."""
    found = []
    for name in names:
        module, _, attr = name.rpartition(".")
        if (loaded := sys.modules.get(module)) is not None:
            found.append(getattr(loaded, attr))
    return tuple(found)


def classify_error(err: BaseException, url: str, timeout: float) -> tuple[Failure, str]:
    """The failure kind and a plain message for a request that got no (complete) answer."""
    host = urlsplit(url).hostname or url
    causes = list(_causes(err))

    def seen(*kinds: type[BaseException], also: tuple[str, ...] = ()) -> bool:
        every = kinds + _loaded(*also)
        return any(isinstance(c, every) for c in causes)

    if seen(ssl.SSLError, also=("urllib3.exceptions.SSLError", "requests.exceptions.SSLError")):
        return Failure.TLS, f"TLS certificate error: {_tls_detail(err)}"
    if seen(socket.gaierror, also=("urllib3.exceptions.NameResolutionError",)):
        return Failure.DNS, f"DNS lookup failed: the host name {host} was not found"
    if seen(ConnectionRefusedError):
        return Failure.REFUSED, f"connection refused by {host}"
    new_connection = ("urllib3.exceptions.NewConnectionError",)
    if seen(
        ConnectTimeout,
        also=("urllib3.exceptions.ConnectTimeoutError", "requests.exceptions.ConnectTimeout"),
    ) and not seen(ConnectFailed, also=new_connection):
        return Failure.CONNECT_TIMEOUT, f"connecting to {host} timed out after {timeout:g} s"
    if seen(ConnectFailed, also=new_connection):
        return Failure.REFUSED, f"could not connect to {host} (network unreachable)"
    if seen(
        TimeoutError,
        also=("urllib3.exceptions.ReadTimeoutError", "requests.exceptions.ReadTimeout"),
    ):
        return Failure.READ_TIMEOUT, f"the server did not answer within {timeout:g} s (timed out)"
    if seen(also=("urllib3.exceptions.LocationValueError", "requests.exceptions.InvalidURL")):
        return Failure.INVALID, "not a valid web address"
    if seen(
        http.client.IncompleteRead,
        BadEncoding,
        also=("requests.exceptions.ChunkedEncodingError", "urllib3.exceptions.DecodeError"),
    ):
        return Failure.RESET, "the response was cut short (truncated body)"
    return Failure.RESET, "the connection was reset before the answer was complete"
