"""Which addresses PLN Kit will put on a site or ask a server for.

Only http(s) URLs without credentials, on public hosts. Loopback, private and link-local hosts
are refused unless the caller opts in (tests and benchmarks: `PLNKIT_ALLOW_LOCAL=1`).
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SPACE = re.compile(r"\s")
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
# Query parameters that only say where a click came from (newsletters, ads, social sites):
# two addresses that differ only by them are the same resource.
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid"})


def allow_local_from_env() -> bool:
    return os.environ.get("PLNKIT_ALLOW_LOCAL", "").strip().lower() in ("1", "true", "yes")


def is_local_host(host: str) -> bool:
    """True for loopback, private, link-local and other non-public hosts.

    >>> is_local_host("127.0.0.1"), is_local_host("example.org"), is_local_host("::1")
    (True, False, True)
    >>> is_local_host("2130706433"), is_local_host("0x7f.1"), is_local_host("169.254.169.254")
    (True, True, True)
    """
    host = host.strip("[]").rstrip(".").lower()
    if host in LOCAL_NAMES or host.endswith((".localhost", ".local", ".internal")):
        return True
    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    if ":" in host:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
    else:
        # inet_aton reads every form a resolver accepts (127.1, 2130706433, 0x7f.0.0.1),
        # so an address spelled unusually cannot slip past as a "name".
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return False
    return not address.is_global


@lru_cache(maxsize=16384)  # a pure function, asked again for each URL by the link checker
def url_problem(url: str, *, allow_local: bool = False) -> str | None:
    """Why `url` is refused, in words for the person who wrote it; None when it is fine."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as err:
        return f"is not a valid web address ({err}); got {text!r}"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return f"must start with https:// or http://; got {text!r}"
    if parts.username is not None or parts.password is not None:
        return f"must not contain a user name or password; got {text!r}"
    host = parts.hostname or ""
    if not host:
        return f"has no host name after {scheme}://; got {text!r}"
    if _SPACE.search(text):
        return f"must not contain spaces (use %20); got {text!r}"
    if port == 0:
        return f"has an invalid port; got {text!r}"
    if not allow_local and is_local_host(host):
        return (
            f"points at a local or private address ({host}), which readers cannot reach; "
            f"got {text!r}"
        )
    return None


def normalize_url(url: str) -> str:
    """A comparison key: two URLs with the same key are the same resource.

    >>> normalize_url("HTTP://www.Example.com:80/a/#top") == normalize_url("https://example.com/a")
    True
    >>> normalize_url("https://example.com/a?utm_source=x&id=2&fbclid=y")
    '//example.com/a?id=2'
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = urlencode([
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(name)
    ])  # fmt: skip
    return urlunsplit(("", netloc, path, query, ""))


def is_tracking_parameter(name: str) -> bool:
    """`utm_source`, `fbclid` and the like: they say who sent a reader, not what they read."""
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS
