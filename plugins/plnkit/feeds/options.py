"""What a feed run may do: timeouts, limits, politeness, and where the networks live."""

from __future__ import annotations

from dataclasses import dataclass, field

from plnkit.feeds.discover import DiscoveryBases
from plnkit.feeds.fetch import HttpOptions
from plnkit.net.agent import DEFAULT_USER_AGENT


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0  # seconds per request: connect, headers and body together
    max_bytes: int = 5 * 1024 * 1024
    concurrency: int = 16
    per_host: int = 2
    min_interval: float = 0.05  # seconds between two requests to one host
    max_age_hours: float = 6.0  # poll a feed at most this often (servers may ask for longer)
    posts_stored: int = 10
    summary_chars: int = 400
    allow_local: bool = False
    offline: bool = False
    force: bool = False  # ignore "not due yet"
    discover: bool = True
    rediscover_days: float = 30.0
    deadline_seconds: float | None = 600.0  # caps the run's bound (net.hosts.run_bound)
    parse_workers: int | None = None  # processes parsing feeds; None: one per core (see
    # feeds.parse_workers); 0: in this process, without a time bound (tests, debugging)
    parse_seconds: float = 30.0  # one feed's parse at most (5 MB of posts take about 1 s)
    only: tuple[str, ...] = ()  # slugs; empty means all
    bases: DiscoveryBases = field(default_factory=DiscoveryBases.from_env)
    user_agent: str = DEFAULT_USER_AGENT

    @property
    def http(self) -> HttpOptions:
        return HttpOptions(self.max_bytes, self.allow_local)
