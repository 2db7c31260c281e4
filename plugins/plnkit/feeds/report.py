"""What a feed run did, as types: one `FeedResult` per resource, a `FetchReport` per run."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from plnkit.net.clock import iso


class FeedState(StrEnum):
    OK = "ok"  # fetched and parsed; posts merged
    NOT_MODIFIED = "not-modified"  # 304: stored posts reused, nothing parsed
    GONE = "gone"  # 410: not polled again until the resource file changes
    FAILED = "failed"  # HTTP error, timeout, too big, not a feed: stored posts kept
    REFUSED = "refused"  # an address we may not ask (not http(s), private host)
    SKIPPED = "skipped"  # not due yet, offline, gone, retired, or out of time
    NO_FEED = "no-feed"  # the file names none and none was found


ANSWERED = (FeedState.OK, FeedState.NOT_MODIFIED, FeedState.GONE)


@dataclass(frozen=True)
class FeedResult:
    slug: str
    feed_url: str | None
    state: FeedState
    source: str = ""
    http_status: int | None = None
    final_url: str | None = None
    posts: int = 0  # stored after this run
    new_posts: int = 0
    error: str | None = None
    note: str = ""
    connection_failed: bool = False

    @property
    def attempted(self) -> bool:
        return self.state in (*ANSWERED, FeedState.FAILED)

    def line(self) -> str:
        """One plain line for logs and CI."""
        text = f"{self.state.value:<12} {self.slug}"
        if self.feed_url:
            text += f" {self.feed_url}"
        if self.state is FeedState.OK:
            text += f" ({self.new_posts} new, {self.posts} stored)"
        detail = self.error or self.note
        return text + (f": {detail}" if detail else "")

    def to_json(self) -> dict[str, Any]:
        # Every field is a plain value: no deep copy (dataclasses.asdict) is needed.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["state"] = self.state.value
        return data


@dataclass(frozen=True)
class FetchReport:
    generated_at: str
    offline: bool
    outage: bool
    stored: bool  # the state store was written
    fetch_seconds: float
    results: tuple[FeedResult, ...]

    @classmethod
    def build(
        cls,
        now: dt.datetime,
        results: tuple[FeedResult, ...],
        *,
        offline: bool,
        stored: bool,
        seconds: float,
        outage: bool = False,
    ) -> FetchReport:
        return cls(iso(now), offline, outage, stored, seconds, results)

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(r.state.value for r in self.results)
        return {state.value: counts.get(state.value, 0) for state in FeedState}

    @property
    def total_failure(self) -> bool:
        """Something was tried and nothing answered: `plnkit fetch-feeds` exits 1."""
        attempted = [r for r in self.results if r.attempted]
        return bool(attempted) and not any(r.state in ANSWERED for r in attempted)

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at,
            "offline": self.offline,
            "outage": self.outage,
            "stored": self.stored,
            "fetch_seconds": round(self.fetch_seconds, 3),
            "summary": self.summary,
            "results": [r.to_json() for r in self.results],
        }

    def headline(self) -> str:
        parts = [f"{n} {state}" for state, n in self.summary.items() if n]
        text = "feeds: " + (", ".join(parts) if parts else "nothing to do")
        if self.outage:
            text += " - no server could be reached (an outage); nothing stored was changed"
        elif self.offline:
            text += " - offline, nothing fetched"
        return text + f" in {self.fetch_seconds:.2f} s"
