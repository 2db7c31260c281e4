"""Sending one request with a `requests.Session`'s settings, without its per-call costs.

`Session.request` re-reads the environment (proxies, CA bundle, .netrc), merges cookies and
builds a `Response` on every call; for a thousand links that costs more CPU than the requests
themselves. Here the session's settings (headers, proxies from the environment, CA bundle,
client certificate) are resolved once per host. A plain connection (no proxy, no client
certificate, the session's standard adapter) goes through `DirectPool` (plnkit.links.direct);
anything else goes to the pooled urllib3 connection the session's adapter would have used.
Either way keep-alive is shared and TLS verification is exactly the session's (never turned
off). Cookies are not kept between links, like most link checkers.

Without a session of the caller's, and with an environment that names no proxy and no CA
bundle, every URL goes direct with the settings `make_session` would have: requests and
urllib3 are then not even imported (they cost a link check a tenth of its start-up). The
session is made the first time something needs it (a proxy, say, or the archive lookup).
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from plnkit.links.direct import ACCEPT_ENCODING, DirectPool
from plnkit.net.http_client import COMMON_HEADERS, DEFAULT_USER_AGENT, make_session

if TYPE_CHECKING:
    import requests
    import urllib3

# Characters urllib3's `parse_url` leaves as they are in a path and a query (RFC 3986's
# unreserved, sub-delims, ":", "@", "/" and "?"); "%" is left out, as parse_url rewrites
# percent-escapes to upper case.
_PLAIN_TARGET = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*")
CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def request_target(url: str) -> str:
    """The path and query sent for `url`, exactly as urllib3's `parse_url(url).request_uri`
    gives it (a test compares the two); plain URLs are split without loading urllib3."""
    parts = urlsplit(url)
    path = parts.path or "/"
    target = f"{path}?{parts.query}" if parts.query else path
    plain = (
        _PLAIN_TARGET.fullmatch(target)
        and "/." not in path
        and (parts.query or "?" not in url.split("#", 1)[0])
    )
    if plain:
        return target
    from urllib3.util import parse_url

    return parse_url(url).request_uri or "/"


def ca_bundle_from_environment() -> str:
    """The CA bundle a session of `make_session` verifies with: the one the environment names
    (as requests reads it), else certifi's."""
    for name in CA_BUNDLE_VARIABLES:
        if found := os.environ.get(name):
            return found
    import certifi

    return certifi.where()


def plain_environment() -> bool:
    """True when the environment names no proxy: a session of `make_session` then sends
    every URL direct, verified against `ca_bundle_from_environment()`."""
    if not _no_proxy_variables():
        return False
    if sys.platform in ("darwin", "win32"):  # system proxy settings, as requests reads them
        import urllib.request

        return not urllib.request.getproxies()
    return True


class Reply(Protocol):
    """What the checker needs of a response, whichever way it came."""

    status: int

    def headers(self) -> dict[str, str]: ...
    def chunks(self, size: int, limit: int) -> Iterator[bytes]: ...
    def close(self) -> None: ...
    def release(self) -> None: ...


class UrllibReply:
    """A urllib3 response seen as a `Reply`."""

    def __init__(self, response: urllib3.BaseHTTPResponse) -> None:
        self._response = response
        self.status = response.status

    def headers(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self._response.headers.itermerged()}

    def chunks(self, size: int, limit: int) -> Iterator[bytes]:
        return self._response.stream(size)

    def close(self) -> None:
        self._response.close()

    def release(self) -> None:
        self._response.release_conn()


def _no_proxy_variables() -> bool:
    """True when no `*_proxy` variable is set: the environment then says the same (no proxy,
    the same CA bundle) for every URL, and is read once instead of once per host."""
    return not any(name.lower().endswith("_proxy") for name in os.environ)


class Transport:
    def __init__(
        self,
        session: requests.Session | None,
        connections: int = 16,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        self._session = session
        self._own_session = session is None
        self._user_agent = user_agent
        self._connections = connections
        # With no session of the caller's, these are the headers make_session would give.
        base = dict(session.headers) if session is not None else {
            "User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING, **COMMON_HEADERS,
        }  # fmt: skip
        self.direct_headers = {**base, "Accept-Encoding": ACCEPT_ENCODING}
        self.direct = DirectPool(per_host=connections, total=2 * connections)
        self._plain = session is None and plain_environment()
        self._plain_bundle: str | None = None
        self._pools: dict[tuple[str, str], tuple[Any, bool]] = {}
        self._routes: dict[tuple[str, str], tuple[tuple[str, str, int], str | None] | None] = {}
        self._same_everywhere = (
            session is not None and session.trust_env is False
        ) or _no_proxy_variables()
        self._settings: dict[str, Any] | None = None
        self._lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        """The caller's session, or one made (once) with the settings of this transport."""
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._session = make_session(self._user_agent, pool_size=self._connections)
        return self._session

    def _environment(self, url: str) -> dict[str, Any]:
        if not self._same_everywhere:
            return self.session.merge_environment_settings(url, {}, True, None, None)
        if self._settings is None:
            self._settings = self.session.merge_environment_settings(url, {}, True, None, None)
        return self._settings

    def _route(self, url: str) -> tuple[tuple[str, str, int], str | None] | None:
        """How `url` goes direct (connection key, CA bundle), or None for the urllib3 way."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        if key in self._routes:
            return self._routes[key]
        secure = parts.scheme == "https"
        if self._plain:
            if self._plain_bundle is None:  # the environment is read once per run
                self._plain_bundle = ca_bundle_from_environment()
            ca_bundle: Any = self._plain_bundle
            direct = parts.scheme in ("http", "https") and parts.hostname is not None
        else:
            from requests.adapters import HTTPAdapter
            from requests.utils import DEFAULT_CA_BUNDLE_PATH, select_proxy

            settings = self._environment(url)
            verify = settings["verify"]
            ca_bundle = DEFAULT_CA_BUNDLE_PATH if verify is True else verify
            direct = (
                parts.scheme in ("http", "https")
                and parts.hostname is not None
                and type(self.session.get_adapter(url)) is HTTPAdapter
                and select_proxy(url, settings["proxies"]) is None
                and not settings["cert"]
            )
        trusted = isinstance(ca_bundle, str) and os.path.exists(ca_bundle)
        found = None
        if direct and (trusted or not secure):
            port = parts.port or (443 if secure else 80)
            found = ((parts.scheme, parts.hostname or "", port), ca_bundle if secure else None)
        with self._lock:
            self._routes[key] = found
        return found

    def _lookup(self, url: str) -> tuple[Any, bool]:
        """The pool the session's adapter would use for `url`, and whether it wants the full
        URL (a proxy)."""
        import requests

        settings = self._environment(url)
        prepared = requests.Request("GET", url).prepare()
        adapter = self.session.get_adapter(url)
        verify, cert, proxies = settings["verify"], settings["cert"], settings["proxies"]
        if hasattr(adapter, "get_connection_with_tls_context"):
            pool = adapter.get_connection_with_tls_context(prepared, verify, proxies, cert)
        else:  # requests before 2.32.2
            pool = adapter.get_connection(prepared.url, proxies)
            adapter.cert_verify(pool, prepared.url, verify, cert)
        return pool, adapter.request_url(prepared, proxies) != prepared.path_url

    def _pool(self, url: str, *, fresh: bool = False) -> tuple[Any, bool]:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        found = None if fresh else self._pools.get(key)
        # A session keeps a limited number of pools; an evicted one may have been closed.
        if found is None or getattr(found[0], "pool", True) is None:
            found = self._lookup(url)
            with self._lock:
                self._pools[key] = found
        return found

    def send(self, method: str, url: str, timeout: float) -> Reply:
        """One request; no redirects followed, no retries, the body left to the caller."""
        target = request_target(url)
        route = self._route(url)
        if route is not None:
            key, ca_bundle = route
            return self.direct.send(key, target, method, self.direct_headers, timeout, ca_bundle)
        import urllib3

        headers = dict(self.session.headers)
        for last_try in (False, True):
            pool, full_url = self._pool(url, fresh=last_try)
            try:
                response = pool.urlopen(
                    method,
                    url if full_url else target,
                    headers=headers,
                    redirect=False,
                    retries=False,
                    assert_same_host=False,
                    timeout=urllib3.Timeout(connect=timeout, read=timeout),
                    preload_content=False,
                    decode_content=True,
                )
                return UrllibReply(response)
            except urllib3.exceptions.ClosedPoolError:
                if last_try:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the kept connections, and the session if this transport made it."""
        self.direct.close()
        if self._own_session and self._session is not None:
            self._session.close()
            self._session = None
