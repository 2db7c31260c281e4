"""What a link check produces: states, health and results as types (shared DESIGN.md §3).

`Failure` (why a request got no answer) is the HTTP client's, shared with feeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from plnkit.links.fingerprint import Fingerprint
from plnkit.net.failure import Failure


class LinkState(StrEnum):
    """What one run learned about a URL."""

    OK = "ok"  # 2xx after at most 10 redirects
    REDIRECTED = "redirected"  # ok, through a permanent redirect to a different URL
    BLOCKED = "blocked"  # the server refuses robots: not evidence of death
    TRANSIENT = "transient"  # timeout, reset, 429, 5xx, DNS or connection failure
    BROKEN = "broken"  # 404, 410, other 4xx, redirect loop, TLS certificate failure
    SKIPPED = "skipped"  # offline, excluded, or cached and fresh

    @property
    def is_failure(self) -> bool:
        """Counts towards `dead` in the history rule."""
        return self in (LinkState.TRANSIENT, LinkState.BROKEN)

    @property
    def is_success(self) -> bool:
        """Cached with a max age; a blocked answer proves the host is alive, so it counts."""
        return self in (LinkState.OK, LinkState.REDIRECTED, LinkState.BLOCKED)


class Health(StrEnum):
    """The judgement over stored history."""

    HEALTHY = "healthy"
    FAILING = "failing"
    DEAD = "dead"


@dataclass(frozen=True)
class Use:
    """One place a URL appears in the kit."""

    slug: str
    kind: str  # "url" or "feed"
    path: Path  # the resource file


@dataclass(frozen=True)
class Target:
    """A URL to check once, with every place it is used (shared URLs are checked once)."""

    url: str
    uses: tuple[Use, ...]
    excluded: str | None = None  # why it is not checked (e.g. the curator retired it)


@dataclass(frozen=True)
class CheckResult:
    """One URL's outcome in one run."""

    url: str
    state: LinkState
    checked_at: str | None = None
    http_status: int | None = None
    final_url: str | None = None
    error: str | None = None
    suggested_url: str | None = None  # the new address of a permanent redirect
    redirects: tuple[str, ...] = ()  # every URL after the first, in order
    embeddable: bool | None = None
    failure: Failure | None = None
    attempts: int = 0
    fingerprint: Fingerprint | None = None  # of a page that answered 2xx (links.fingerprint)

    @property
    def connection_failed(self) -> bool:
        return self.failure is not None and self.failure.connection_level


@dataclass(frozen=True)
class Entry:
    """One row of the report: a use of a URL with its result and judged health."""

    use: Use
    url: str
    result: CheckResult
    health: Health
    failures_in_a_row: int = 0
    first_failed_at: str | None = None
    archive_url: str | None = None  # the copy to show: the curator's, a snapshot, or a search
    snapshot_url: str | None = None  # a snapshot the Wayback Machine confirmed
    newly_dead: bool = False
    changed: str | None = None  # why the page may have changed hands (links.fingerprint)


@dataclass
class RunReport:
    """Everything a run learned; formatters in `plnkit.links.report` turn it into text."""

    generated_at: str
    offline: bool
    entries: list[Entry] = field(default_factory=list)
    outage: bool = False
    stored: bool = False
    warnings: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    def count(self, state: LinkState) -> int:
        return sum(e.result.state is state for e in self.entries)

    @property
    def newly_dead(self) -> list[Entry]:
        return [e for e in self.entries if e.newly_dead]
