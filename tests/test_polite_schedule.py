"""The order of starts under the politeness limits: the host with the most left to do goes
first, a request that waits out its host's interval leaves the run's slots to others, and the
limits stay exact while it all happens. Real servers on 127.0.0.1; the fake clock where only
the gate's waits matter."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from plnkit.links.options import CheckOptions
from plnkit.links.run import check_kit_links
from plnkit.links.types import LinkState
from plnkit.net.client import Client, Reply, Settings
from plnkit.net.clock import FakeClock
from plnkit.net.hosts import host_key
from plnkit.net.pool import run_sync
from plnkit.store import StateStore
from tests.link_servers import link_kit, raw_server
from tests.net_servers import BusyCounter


def test_the_busiest_host_starts_first_and_is_not_kept_behind_small_ones(tmp_path: Path) -> None:
    """One request in flight in the whole run; the kit lists a small host's two URLs before a
    big host's twenty. First come, first served would start the small host first (and let
    every small host of a real kit go before the big one); the big host has the most to do,
    so it starts first and keeps the run's slot until it has no more left than the small."""
    log: list[tuple[str, bytes]] = []
    small = BusyCounter(hold=0.01, fail_first=0, name="small", log=log)
    big = BusyCounter(hold=0.01, fail_first=0, name="big", log=log)
    with raw_server(small) as small_server, raw_server(big) as big_server:
        urls = {f"a-small-{n}": small_server.url(f"/s/{n}") for n in range(2)}
        urls |= {f"b-big-{n:02d}": big_server.url(f"/b/{n}") for n in range(20)}
        kit = link_kit(tmp_path, urls)
        assert [r.slug for r in kit.resources][:2] == ["a-small-0", "a-small-1"]
        report = check_kit_links(
            kit, StateStore(tmp_path / "cache"),
            CheckOptions(allow_local=True, concurrency=1, per_host=2, min_interval=0,
                         timeout=5, canaries=0),
            clock=FakeClock(),
        )  # fmt: skip
    assert {e.result.state for e in report.entries} == {LinkState.OK}
    order = [name for name, _path in log]
    assert len(order) == 22
    assert order[:18] == ["big"] * 18, order
    assert sorted(order[18:]) == ["big", "big", "small", "small"], order


def test_limits_hold_exactly_under_retries_with_the_run_slots_scarce() -> None:
    """Two hosts, every first answer a 503 (so every URL is retried), three requests in flight
    in the run, two to a host, starts to a host 0.25 s apart on the gate's clock."""
    log: list[tuple[str, bytes]] = []
    servers = {name: BusyCounter(hold=0.03, fail_first=1, name=name, log=log) for name in "ab"}
    clock = FakeClock()
    settings = Settings(allow_local=True, concurrency=3, per_host=2, min_interval=0.25,
                        timeout=5, retries=2, backoff_base=0.01)  # fmt: skip
    with raw_server(servers["a"]) as a, raw_server(servers["b"]) as b:
        urls = [a.url(f"/a/{n}") for n in range(6)] + [b.url(f"/b/{n}") for n in range(3)]

        async def run() -> tuple[list[Reply], list[tuple[str, float]], int, dict[str, int]]:
            async with Client(settings, clock) as client:
                gate, starts, running, most = client.gate, [], [0], [0]
                assert gate is not None
                plain = gate.slot

                @asynccontextmanager
                async def noted(url: str) -> AsyncIterator[None]:  # the gate, watched
                    async with plain(url):
                        starts.append((host_key(url), clock.monotonic()))
                        running[0] += 1
                        most[0] = max(most[0], running[0])
                        try:
                            yield
                        finally:
                            running[0] -= 1

                gate.slot = noted  # type: ignore[method-assign]
                replies = await asyncio.gather(*(client.fetch(u) for u in urls))
                return replies, starts, most[0], dict(gate.peak)

        replies, starts, most, peak = run_sync(run)
    assert [r.status for r in replies] == [200] * len(urls)
    assert len(starts) == len(log) == 2 * len(urls), "each URL: a 503, then a 200"
    assert most <= 3, f"{most} requests in flight with concurrency 3"
    assert max(peak.values()) <= 2 and max(s.peak for s in servers.values()) <= 2, peak
    for key in {key for key, _ in starts}:
        times = [at for k, at in starts if k == key]
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert min(gaps) >= 0.25 - 1e-9, (key, gaps)


def test_a_request_waiting_out_its_hosts_interval_leaves_the_run_slot_to_others() -> None:
    """One request in flight in the run, a full second between starts to a host. While the
    big host's second request waits for its second to pass, the small host's first goes:
    holding the run's one slot through that wait would have kept it out for a second."""
    log: list[tuple[str, bytes]] = []
    big = BusyCounter(hold=0.02, fail_first=0, name="big", log=log)
    small = BusyCounter(hold=0.02, fail_first=0, name="small", log=log)
    settings = Settings(allow_local=True, concurrency=1, per_host=2, min_interval=1.0, timeout=5)
    with raw_server(big) as big_server, raw_server(small) as small_server:
        urls = [big_server.url(f"/b/{n}") for n in range(3)]
        urls += [small_server.url(f"/s/{n}") for n in range(2)]

        async def run() -> list[Reply]:
            async with Client(settings) as client:
                return await asyncio.gather(*(client.fetch(u) for u in urls))

        replies = run_sync(run)
    assert [r.status for r in replies] == [200] * len(urls)
    order = [name for name, _path in log]
    assert order[:3] == ["big", "small", "big"], order
