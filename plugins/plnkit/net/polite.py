"""Politeness, exactly: at most `per_host` requests in flight to one server and starts at least
`min_interval` apart, counting every request (retries, HEAD→GET fallbacks, redirects, feed
discovery), whichever way its host is spelled.

A request holds its host's slot (the host name as `host_key` folds it) and, once the name is
resolved, the slot of the address it resolves to, so a server reached under several names or
by its address still sees no more than `per_host` requests at once.

The order of starts: a request takes its hosts' slots, then its hosts' turn (one request of a
host at a time waits out the interval since the host's last start), and only when its hosts
let it start does it ask for one of the run's slots. No run slot is held by a request that
sits out an interval, and the run's slots go to the requests whose hosts have the most left to
start (longest work first): the busiest host, the one that decides when the run can end, is
kept busy from the first second instead of waiting behind hosts with little to do.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from plnkit.net.clock import Clock, SystemClock
from plnkit.net.hosts import DEFAULT_PORTS, host_key

AddressOf = Callable[[str], Awaitable[str | None]]  # URL -> the address it connects to


class _Host:
    """One politeness key: a host name as `host_key` folds it, or an address and port."""

    def __init__(self, per_host: int) -> None:
        self.slots = asyncio.Semaphore(per_host)  # requests in flight
        self.turn = asyncio.Lock()  # held by the one request waiting to be the next start
        self.next_start = 0.0  # on the gate's monotonic clock: no start before this
        self.waiting = 0  # requests asked for and not started yet: the host's work left
        self.asking: _Ask | None = None  # its turn's holder, while it waits for a run slot


class _Ask:
    """A request whose hosts let it start, waiting for one of the run's slots."""

    def __init__(self, hosts: list[_Host], arrival: int) -> None:
        self.hosts, self.arrival = hosts, arrival
        self.granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def rank(self) -> tuple[int, int]:
        """The smallest goes first: the most work left on its hosts, then the first come."""
        return -max(host.waiting for host in self.hosts), self.arrival


class _RunSlots:
    """The run's slots for requests in flight, handed out once per turn of the event loop
    to the requests waiting by then, those whose hosts have the most work left first."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._queue: list[tuple[tuple[int, int], int, _Ask]] = []  # a heap: (rank, entry, ask)
        self._entries = itertools.count()
        self._arrivals = itertools.count()
        self._handing_out = False

    async def take(self, hosts: list[_Host]) -> None:
        ask = _Ask(hosts, next(self._arrivals))
        for host in hosts:
            host.asking = ask
        self._line_up(ask)
        try:
            await ask.granted
        except asyncio.CancelledError:
            if ask.granted.done() and not ask.granted.cancelled():
                self.give_back()  # handed a slot just as it was called off: pass it on
            raise
        finally:
            for host in hosts:
                host.asking = None

    def more_work(self, hosts: list[_Host]) -> None:
        """`hosts` have a request more to start: a request of theirs already waiting for a
        run slot moves up (lined up again; its old place is skipped once it has a slot)."""
        for ask in {host.asking for host in hosts} - {None}:
            self._line_up(ask)

    def give_back(self) -> None:
        self._free += 1
        self._hand_out_soon()

    def _line_up(self, ask: _Ask) -> None:
        heapq.heappush(self._queue, (ask.rank(), next(self._entries), ask))
        self._hand_out_soon()

    def _hand_out_soon(self) -> None:
        # Soon, not now: the requests that ask in this turn of the loop (at a run's start,
        # every host's first) are all in line before the first slot is given.
        if not self._handing_out:
            self._handing_out = True
            asyncio.get_running_loop().call_soon(self._hand_out)

    def _hand_out(self) -> None:
        self._handing_out = False
        while self._free and self._queue:
            ask = heapq.heappop(self._queue)[2]
            if not ask.granted.done():  # else served from a better place, or called off
                self._free -= 1
                ask.granted.set_result(None)


class Gate:
    """Slots for requests: `total` in flight in the run, `per_host` to one server."""

    def __init__(
        self,
        total: int = 16,
        per_host: int = 2,
        min_interval: float = 0.05,
        clock: Clock | None = None,
        address_of: AddressOf | None = None,
    ) -> None:
        self.clock = clock or SystemClock()
        self.per_host = max(1, per_host)
        self.min_interval = max(0.0, min_interval)
        self._run = _RunSlots(max(1, total))
        self._hosts: dict[str, _Host] = {}
        self._origin_keys: dict[str, list[str]] = {}
        self._address_of = address_of
        self.in_flight: dict[str, int] = {}  # per key, for tests and the curious
        self.peak: dict[str, int] = {}

    def _host(self, key: str) -> _Host:
        found = self._hosts.get(key)
        if found is None:
            found = self._hosts[key] = _Host(self.per_host)
        return found

    async def _keys(self, url: str) -> list[str]:
        """The politeness keys of `url`'s origin (scheme, host and port): worked out once per
        origin in a run, as the address it resolves to is (the resolver keeps its answers)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        keys = self._origin_keys.get(origin)
        if keys is None:
            keys = [host_key(url)]
            if self._address_of is not None:
                address = await self._address_of(url)
                if address is not None:
                    port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)
                    keys.append(f"[{address}]:{port}")
            keys = self._origin_keys[origin] = list(dict.fromkeys(keys))
        return keys

    def slot(self, url: str) -> _Slot:
        """Hold a slot for one request to `url`, from its start until its body is read:
        `async with gate.slot(url): ...`."""
        return _Slot(self, url)

    async def _start(self, hosts: list[_Host]) -> None:
        """Wait for the request's start: its hosts' turn, the interval since their last start,
        then one of the run's slots, which it holds on return."""
        turns: list[_Host] = []  # the hosts whose turn this request holds
        try:
            for host in hosts:
                await host.turn.acquire()
                turns.append(host)
            while (wait := max(h.next_start for h in hosts) - self.clock.monotonic()) > 0:
                await self.clock.pause(wait)
            await self._run.take(hosts)
            now = self.clock.monotonic()
            for host in hosts:
                host.next_start = now + self.min_interval
        finally:
            for host in reversed(turns):
                host.turn.release()

    def _count(self, keys: list[str], step: int) -> None:
        for key in keys:
            count = self.in_flight[key] = self.in_flight.get(key, 0) + step
            self.peak[key] = max(self.peak.get(key, 0), count)


class _Slot:
    """One request's hold on the gate: its hosts' slots and one of the run's slots.

    A class rather than an `asynccontextmanager` with an exit stack: it is entered once per
    request, and the generator's machinery showed in the profile of a 10,000-link run."""

    __slots__ = ("gate", "hosts", "keys", "url")

    def __init__(self, gate: Gate, url: str) -> None:
        self.gate, self.url = gate, url
        self.keys: list[str] = []
        self.hosts: list[_Host] = []

    async def __aenter__(self) -> None:
        gate = self.gate
        self.keys = await gate._keys(self.url)
        hosts = [gate._host(key) for key in self.keys]
        for host in hosts:
            host.waiting += 1
        gate._run.more_work(hosts)
        held: list[_Host] = []  # the hosts whose slot this request holds
        try:
            # Every request takes its hosts' slots and turns in the same order (name, then
            # address), so none waits in a circle.
            for host in hosts:
                await host.slots.acquire()
                held.append(host)
            await gate._start(hosts)
        except BaseException:
            for host in reversed(held):
                host.slots.release()
            raise
        finally:
            for host in hosts:  # started, or called off: no longer work to do
                host.waiting -= 1
        self.hosts = hosts
        gate._count(self.keys, 1)

    async def __aexit__(self, *exc: object) -> None:
        gate = self.gate
        gate._count(self.keys, -1)
        gate._run.give_back()
        for host in reversed(self.hosts):
            host.slots.release()
