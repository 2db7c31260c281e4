"""The HTTP client PLN Kit uses for links and feeds: honest User-Agent, pooled, TLS verified.

Every request to a host goes through `HostLimiter`, which caps requests in flight overall and
per host and keeps a minimum interval between two requests to one host.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from plnkit import __version__
from plnkit.net.clock import Clock, SystemClock

if TYPE_CHECKING:
    import requests

PROJECT_URL = "https://github.com/plnkit/pln-kit"
DEFAULT_USER_AGENT = f"PLNKit/{__version__} (+{PROJECT_URL}; link and feed checker)"
# Besides the User-Agent and requests' Accept-Encoding, what every request carries.
COMMON_HEADERS = {"Accept": "*/*", "Connection": "keep-alive",
                  "Accept-Language": "en;q=1.0, *;q=0.5"}  # fmt: skip


def make_session(user_agent: str = DEFAULT_USER_AGENT, pool_size: int = 16) -> requests.Session:
    """A pooled session. Retries are the caller's (they depend on the answer); TLS stays on."""
    import requests  # here, not at the top: a site build that stays offline never needs it
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    session.headers["User-Agent"] = user_agent
    session.headers.update(COMMON_HEADERS)
    adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.verify = True
    return session


def host_key(url: str) -> str:
    """The politeness unit: scheme-less host and port.

    >>> host_key("https://Example.org:8443/a")
    'example.org:8443'
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


class HostLimiter:
    """At most `total` requests in flight, `per_host` per host, `min_interval` s apart per host."""

    def __init__(
        self,
        total: int = 16,
        per_host: int = 2,
        min_interval: float = 0.05,
        clock: Clock | None = None,
    ) -> None:
        self.clock = clock or SystemClock()
        self.min_interval = max(0.0, min_interval)
        self._total_limit = max(1, total)
        self._total = threading.BoundedSemaphore(self._total_limit)
        self._per_host_limit = max(1, per_host)
        self._per_host: dict[str, threading.BoundedSemaphore] = {}
        self._next_slot: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()

    def _host_semaphore(self, key: str) -> threading.BoundedSemaphore:
        with self._lock:
            found = self._per_host.get(key)
            if found is None:
                found = self._per_host[key] = threading.BoundedSemaphore(self._per_host_limit)
            return found

    def _reserve(self, key: str) -> float:
        """Claim the host's next start time; returns how long to wait for it."""
        with self._lock:
            now = self.clock.monotonic()
            start = max(now, self._next_slot[key])
            self._next_slot[key] = start + self.min_interval
            return start - now

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        if self._per_host_limit >= self._total_limit and not self.min_interval:
            with self._total:  # the per-host cap and spacing would never bind: skip them
                yield
            return
        key = host_key(url)
        host = self._host_semaphore(key)
        with host, self._total:
            self.clock.sleep(self._reserve(key))
            yield
