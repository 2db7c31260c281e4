"""The one error classifier: what a request that got no (complete) answer failed on.

Links turn a `Failure` into `transient` or `broken` (`Failure.definitive`), feeds into a failed
or refused fetch, and both count `connection_level` failures towards the outage rule.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import aiohttp

from plnkit.net.address import AddressRefused
from plnkit.net.failure import Failure


def _causes(err: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = (getattr(current, "os_error", None), getattr(current, "certificate_error", None))
        for nxt in (current.__cause__, current.__context__, *linked):
            if isinstance(nxt, BaseException):
                todo.append(nxt)


def _tls_detail(causes: list[BaseException]) -> str:
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError) and getattr(cause, "verify_message", 0):
            return cause.verify_message
    for cause in causes:
        if isinstance(cause, ssl.SSLError) and getattr(cause, "reason", None):
            return cause.reason
    return "the secure connection could not be verified"


def classify(err: BaseException, url: str, seconds: float, connected: bool) -> tuple[Failure, str]:
    """The failure kind and a plain message for `err`, raised by a request to `url` that had
    `seconds` in all; `connected` tells a slow server from one never reached."""
    host = urlsplit(url).hostname or url
    causes = list(_causes(err))

    def seen(*kinds: type[BaseException]) -> BaseException | None:
        return next((c for c in causes if isinstance(c, kinds)), None)

    if refused := seen(AddressRefused):
        return Failure.ADDRESS, str(refused)
    if seen(ssl.SSLError, aiohttp.ClientSSLError):
        return Failure.TLS, f"TLS certificate error: {_tls_detail(causes)}"
    if seen(aiohttp.ClientConnectorDNSError, socket.gaierror):
        return Failure.DNS, f"DNS lookup failed: the host name {host} was not found"
    if seen(asyncio.TimeoutError, TimeoutError):
        if not connected:
            return Failure.CONNECT_TIMEOUT, f"connecting to {host} timed out after {seconds:g} s"
        return Failure.READ_TIMEOUT, f"timed out after {seconds:g} s (the answer did not arrive)"
    if seen(ConnectionRefusedError):
        return Failure.REFUSED, f"connection refused by {host}"
    if seen(aiohttp.ClientConnectorError):
        return Failure.REFUSED, f"could not connect to {host} (network unreachable)"
    if seen(aiohttp.InvalidURL, UnicodeError):
        return Failure.INVALID, "not a valid web address"
    if seen(aiohttp.ClientPayloadError):
        return Failure.RESET, "the response was cut short (truncated or damaged body)"
    if seen(aiohttp.ClientResponseError):  # a garbled status line or headers
        return Failure.RESET, f"the server sent a garbled answer ({_short(err)})"
    return Failure.RESET, "the connection was reset before the answer was complete"


def _short(err: BaseException) -> str:
    text = str(err) or err.__class__.__name__
    return text if len(text) <= 120 else text[:117] + "..."
