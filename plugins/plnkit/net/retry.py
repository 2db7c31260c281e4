"""The one `Retry-After` rule, and the backoff between attempts."""

from __future__ import annotations

import datetime as dt
import email.utils
import random


def retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds a `Retry-After` header asks for, in either of its forms; None when absent or
    unreadable.

    >>> now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    >>> retry_after("7", now), retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now)
    (7.0, 30.0)
    >>> retry_after("soon", now) is None
    True
    """
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def wait_before_retry(
    told: float | None,
    attempt: int,
    *,
    cap: float,
    backoff_base: float,
    backoff_cap: float,
    rng: random.Random,
) -> float:
    """How long to wait before attempt `attempt + 1`: what the server told (capped at `cap`,
    a few seconds), else exponential backoff with jitter.

    >>> wait_before_retry(100000, 1, cap=5, backoff_base=0.5, backoff_cap=10, rng=random.Random(1))
    5
    """
    if told is not None:
        return min(told, cap)
    backoff = min(backoff_cap, backoff_base * 2 ** (attempt - 1))
    return rng.uniform(backoff / 2, backoff)
