"""The link checker's settings, with polite defaults (shared DESIGN.md §3 and §4)."""

from __future__ import annotations

from dataclasses import dataclass

from plnkit.net.agent import DEFAULT_USER_AGENT
from plnkit.net.shards import Shard

WAYBACK_API = "https://archive.org/wayback/available"


@dataclass(frozen=True)
class CheckOptions:
    """How a run checks links. Every number is configurable; the defaults are polite."""

    offline: bool = False
    allow_local: bool = False
    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = 16  # requests in flight in the whole run
    per_host: int = 2  # requests in flight to one host
    min_interval: float = 0.05  # seconds between two requests to one host
    timeout: float = 15.0  # seconds per request: connect, headers and body together
    method: str = "get"  # "get", or "head" with a GET fallback
    retries: int = 2  # extra attempts for what can recover
    backoff_base: float = 0.5  # first retry waits up to this long, then doubles
    backoff_cap: float = 10.0
    retry_after_cap: float = 5.0  # longest Retry-After we honour before retrying
    max_redirects: int = 10
    max_age_hours: float = 24.0  # a success is trusted this long
    failure_max_age_hours: float = 0.0  # failures are re-checked every run (builds: longer)
    dead_after_runs: int = 3
    dead_after_days: float = 7.0
    outage_fraction: float = 0.5  # more than this share of hosts unreachable → outage
    canaries: int = 3  # known-good hosts re-checked before calling an outage
    run_budget_seconds: float | None = 900.0  # caps the run's bound (see net.polite.run_bound)
    body_cap: int = 256 * 1024  # bytes of a body read at most
    only: frozenset[str] | None = None  # slugs to check; None checks all
    check_inactive: bool = False  # also check resources the curator archived or retired
    check_feeds: bool = True  # builds leave feed URLs to the feed fetcher
    wayback_url: str = WAYBACK_API
    lookup_archives: bool = True
    shard: Shard | None = None  # check only the hosts of this shard (`--shard K/N`)
