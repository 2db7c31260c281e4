"""Why a request got no usable answer: one vocabulary for links and feeds (no I/O here)."""

from __future__ import annotations

from enum import StrEnum


class Failure(StrEnum):
    """Why a request got no usable answer; decides retries, states and the outage rule."""

    DNS = "dns"
    REFUSED = "refused"  # the server refused the connection, or the network is unreachable
    CONNECT_TIMEOUT = "connect-timeout"
    READ_TIMEOUT = "read-timeout"  # connected, then the answer did not come in time
    RESET = "reset"
    TLS = "tls"
    INVALID = "invalid"  # not a request we can make (a bad address, a garbled answer)
    ADDRESS = "address"  # the address guard refused the address connected to
    REDIRECT = "redirect"  # a redirect loop, too many redirects, or a non-web target

    @property
    def connection_level(self) -> bool:
        """No server was reached at all: the signature of a network outage."""
        return self in (Failure.DNS, Failure.REFUSED, Failure.CONNECT_TIMEOUT)

    @property
    def definitive(self) -> bool:
        """Asking again will not help: the link is broken, not having a bad moment."""
        return self in (Failure.TLS, Failure.INVALID, Failure.ADDRESS, Failure.REDIRECT)

    @property
    def timed_out(self) -> bool:
        return self in (Failure.READ_TIMEOUT, Failure.CONNECT_TIMEOUT)

    @property
    def retryable(self) -> bool:
        return self in (Failure.READ_TIMEOUT, Failure.CONNECT_TIMEOUT, Failure.RESET)
