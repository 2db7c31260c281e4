"""Sending one request through a `requests.Session`'s connection pools, at urllib3's speed.

`Session.request` re-reads the environment (proxies, CA bundle, .netrc), merges cookies and
builds a `Response` on every call; for a thousand links that costs more CPU than the requests
themselves. Here the session's settings (headers, proxies from the environment, CA bundle,
client certificate) are resolved once per host, and each request goes to the pooled urllib3
connection the session's adapter would have used, so keep-alive is shared and TLS
verification is exactly the session's (never turned off). Cookies are not kept between links,
like most link checkers.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from urllib3.util import parse_url


class Transport:
    def __init__(self, session: requests.Session) -> None:
        self.session = session
        self.headers = dict(session.headers)
        self._pools: dict[tuple[str, str], tuple[Any, bool]] = {}
        self._lock = threading.Lock()

    def _lookup(self, url: str) -> tuple[Any, bool]:
        """The pool the session's adapter would use for `url`, and whether it wants the full
        URL (a proxy)."""
        settings = self.session.merge_environment_settings(url, {}, True, None, None)
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

    def send(self, method: str, url: str, timeout: float) -> urllib3.BaseHTTPResponse:
        """One request; no redirects followed, no retries, the body left to the caller."""
        for last_try in (False, True):
            pool, full_url = self._pool(url, fresh=last_try)
            target = url if full_url else (parse_url(url).request_uri or "/")
            try:
                return pool.urlopen(
                    method,
                    target,
                    headers=self.headers,
                    redirect=False,
                    retries=False,
                    assert_same_host=False,
                    timeout=urllib3.Timeout(connect=timeout, read=timeout),
                    preload_content=False,
                    decode_content=True,
                )
            except urllib3.exceptions.ClosedPoolError:
                if last_try:
                    raise
        raise AssertionError("unreachable")
