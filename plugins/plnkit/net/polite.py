"""Politeness, exactly: at most `per_host` requests in flight to one server and starts at least
`min_interval` apart, counting every request (retries, HEAD→GET fallbacks, redirects, feed
discovery), whichever way its host is spelled.

A request holds its host's slot (the host name as `host_key` folds it) and, once the name is
resolved, the slot of the address it resolves to, so a server reached under several names or
by its address still sees no more than `per_host` requests at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from urllib.parse import urlsplit

from plnkit.net.clock import Clock, SystemClock
from plnkit.net.hosts import DEFAULT_PORTS, host_key

AddressOf = Callable[[str], Awaitable[str | None]]  # URL -> the address it connects to


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
        self._total = asyncio.Semaphore(max(1, total))
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._address_of = address_of
        self.in_flight: dict[str, int] = {}  # per key, for tests and the curious
        self.peak: dict[str, int] = {}

    def _slot(self, key: str) -> asyncio.Semaphore:
        found = self._slots.get(key)
        if found is None:
            found = self._slots[key] = asyncio.Semaphore(self.per_host)
        return found

    async def _keys(self, url: str) -> list[str]:
        keys = [host_key(url)]
        if self._address_of is not None:
            address = await self._address_of(url)
            if address is not None:
                port = urlsplit(url).port or DEFAULT_PORTS.get(urlsplit(url).scheme.lower(), 0)
                keys.append(f"[{address}]:{port}")
        return list(dict.fromkeys(keys))

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """Hold a slot for one request to `url`, from its start until its body is read."""
        keys = await self._keys(url)
        async with AsyncExitStack() as stack:
            # Host slots first, the run's slot last: a request waiting for a busy host does
            # not keep a request to another host from starting. Every request takes its
            # slots in the same order (name, address, run), so none waits in a circle.
            for key in keys:
                await stack.enter_async_context(self._slot(key))
            await stack.enter_async_context(self._total)
            if self.min_interval:
                now = self.clock.monotonic()
                start = max([now, *(self._next_start.get(k, 0.0) for k in keys)])
                for key in keys:
                    self._next_start[key] = start + self.min_interval
                if start > now:
                    await self.clock.pause(start - now)
            for key in keys:
                count = self.in_flight[key] = self.in_flight.get(key, 0) + 1
                self.peak[key] = max(self.peak.get(key, 0), count)
            try:
                yield
            finally:
                for key in keys:
                    self.in_flight[key] -= 1

