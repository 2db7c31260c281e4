"""Politeness: the per-host interval and limits, measured on a fake clock."""

from __future__ import annotations

import contextlib
import threading

from plnkit.net.clock import FakeClock
from plnkit.net.http_client import DEFAULT_USER_AGENT, HostLimiter, host_key, make_session


def test_requests_to_one_host_are_spaced() -> None:
    clock = FakeClock()
    limiter = HostLimiter(total=4, per_host=1, min_interval=0.05, clock=clock)
    starts = []
    for _ in range(3):
        with limiter.slot("https://a.example.org/x"):
            starts.append(clock.monotonic())
    assert starts == [0.0, 0.05, 0.1]


def test_other_hosts_do_not_wait() -> None:
    clock = FakeClock()
    limiter = HostLimiter(total=4, per_host=1, min_interval=1.0, clock=clock)
    with limiter.slot("https://a.example.org/"):
        pass
    with limiter.slot("https://b.example.org/"):
        pass
    assert clock.slept == [0.0, 0.0]


def test_per_host_limit_caps_concurrency() -> None:
    limiter = HostLimiter(total=8, per_host=2, min_interval=0)
    inside = 0
    peak = 0
    lock = threading.Lock()
    gate = threading.Barrier(6, timeout=0.2)

    def work() -> None:
        nonlocal inside, peak
        with limiter.slot("https://same.example.org/"):
            with lock:
                inside += 1
                peak = max(peak, inside)
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait()
            with lock:
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert peak == 2


def test_session_is_honest_and_verifies_tls() -> None:
    session = make_session()
    assert session.headers["User-Agent"] == DEFAULT_USER_AGENT
    assert "PLNKit/" in DEFAULT_USER_AGENT
    assert session.verify is True
    assert host_key("http://Host.example:81/p") == "host.example:81"
