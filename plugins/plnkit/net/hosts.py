"""Host keys and run bounds: pure arithmetic on URLs, shared by the gate and the history."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_key(url: str) -> str:
    """The politeness unit of a URL: its host folded (case, trailing dot, a leading `www.`,
    IDNA) with the port when it is not the scheme's own.

    >>> host_key("https://WWW.Example.org.:443/a"), host_key("http://Host.example:81/p")
    ('example.org', 'host.example:81')
    >>> host_key("https://Bücherei.example/")
    'xn--bcherei-n2a.example'
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    if not host.isascii():
        with suppress(UnicodeError):  # not a name IDNA encodes: the request will say so
            host = host.encode("idna").decode("ascii")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or port == DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


def run_bound(
    urls: Iterable[str],
    *,
    timeout: float,
    attempts: int,
    wait_cap: float,
    concurrency: int,
    per_host: int,
    min_interval: float,
    cap: float | None = None,
) -> float:
    """The longest a run over `urls` may take: its size and the politeness limits say how
    many rounds of requests it needs at worst (each `attempts` requests of `timeout` s with
    waits of up to `wait_cap` between them), and `cap` keeps that within a user's patience.

    >>> run_bound(["https://a.org/1", "https://a.org/2"], timeout=15, attempts=3, wait_cap=5,
    ...           concurrency=16, per_host=2, min_interval=0.05, cap=900)
    55.3
    """
    per_host_count: dict[str, int] = {}
    for url in urls:
        key = host_key(url)
        per_host_count[key] = per_host_count.get(key, 0) + 1
    if not per_host_count:
        return 0.0
    total = sum(per_host_count.values())
    busiest = max(per_host_count.values())
    one = attempts * timeout + (attempts - 1) * wait_cap
    rounds = max(-(-total // max(1, concurrency)), -(-busiest // max(1, per_host)))
    bound = rounds * one + busiest * attempts * min_interval
    return round(bound if cap is None else min(cap, bound), 3)
