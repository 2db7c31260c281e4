"""The one HTTP client of links, feeds, feed discovery and archive lookups, on aiohttp.

`Client.fetch` makes one logical request: it follows redirects by hand (at most
`max_redirects`, loops caught, the chain recorded, only http(s) targets), retries what can
recover (timeouts, resets, 408, 429, 5xx) honouring `Retry-After` up to a few seconds, and
reads the body up to a cap counted after decompression. Every attempt of every hop passes the
politeness gate and the address guard, and has one total deadline (connect, headers and body
together), never past the run's own. Failures come back as a `Reply` with a `Failure`, never
as an exception.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp

from plnkit.net.address import GuardedResolver, ResolverFactory, is_ip_literal, literal_problem
from plnkit.net.agent import DEFAULT_USER_AGENT
from plnkit.net.clock import Clock, SystemClock
from plnkit.net.environment import Proxies, tls_context
from plnkit.net.errors import Failure, classify
from plnkit.net.polite import Gate
from plnkit.net.retry import retry_after, wait_before_retry

REDIRECTS = frozenset((301, 302, 303, 307, 308))
CHUNK = 64 * 1024
COMMON_HEADERS = {"Accept": "*/*", "Accept-Language": "en;q=1.0, *;q=0.5"}
# A header line or a header block longer than this is garbage, not a web page.
MAX_LINE = 16 * 1024
OUT_OF_TIME = "not checked: the run's time limit was reached"


@dataclass(frozen=True)
class Settings:
    """How a run's client behaves; every number has a polite default."""

    user_agent: str = DEFAULT_USER_AGENT
    allow_local: bool = False
    concurrency: int = 16  # requests in flight in the whole run
    per_host: int = 2  # requests in flight to one server
    min_interval: float = 0.05  # seconds between two starts to one server
    timeout: float = 15.0  # seconds for one request: connect, headers and body together
    max_redirects: int = 10
    retries: int = 0  # extra attempts for what can recover
    backoff_base: float = 0.5
    backoff_cap: float = 10.0
    retry_after_cap: float = 5.0  # the longest `Retry-After` honoured
    resolver: ResolverFactory | None = None  # tests: a resolver that answers as they say


@dataclass
class Reply:
    """One logical request's outcome: a final status with headers and body, or a failure."""

    url: str
    final_url: str
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""  # the first `keep` bytes, decoded
    over_cap: bool = False  # the body went past the cap; reading stopped there
    hops: list[tuple[str, int]] = field(default_factory=list)  # (next URL, redirect status)
    failure: Failure | None = None
    error: str | None = None
    attempts: int = 0
    out_of_time: bool = False  # the run's deadline came before a request could start

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


async def _on_connected(_session: Any, context: SimpleNamespace, _params: Any) -> None:
    request = context.trace_request_ctx
    if isinstance(request, dict):
        request["connected"] = True


def _tracing() -> aiohttp.TraceConfig:
    trace = aiohttp.TraceConfig()
    trace.on_connection_create_end.append(_on_connected)
    trace.on_connection_reuseconn.append(_on_connected)
    return trace


class Client:
    """One run's connections, politeness and deadline. Use as `async with Client(...)`."""

    def __init__(
        self,
        settings: Settings | None = None,
        clock: Clock | None = None,
        deadline: float | None = None,  # on `clock.monotonic()`: the run ends there
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.clock = clock or SystemClock()
        self.deadline = deadline
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self.proxies = Proxies.from_env()
        self.requests = 0
        self._session: aiohttp.ClientSession | None = None
        self.gate: Gate | None = None

    async def __aenter__(self) -> Client:
        s = self.settings
        base = s.resolver() if s.resolver is not None else None
        self.resolver = GuardedResolver(
            base, allow_local=s.allow_local, trusted=self.proxies.hosts
        )
        connector = aiohttp.TCPConnector(
            resolver=self.resolver, ssl=tls_context(), limit=0, limit_per_host=0,
            ttl_dns_cache=None,
        )  # fmt: skip
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": s.user_agent, **COMMON_HEADERS},
            cookie_jar=aiohttp.DummyCookieJar(),  # no cookies between links
            trust_env=False,  # the environment is read once, by `Proxies` and `tls_context`
            trace_configs=[_tracing()],
            max_line_size=MAX_LINE,
            max_field_size=MAX_LINE,
        )
        self.gate = Gate(s.concurrency, s.per_host, s.min_interval, self.clock, self._address_of)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _address_of(self, url: str) -> str | None:
        """The address `url`'s host resolves to (the lowest, so the choice is stable), for the
        politeness gate; None when it goes through a proxy or cannot be resolved."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if is_ip_literal(host):
            return host
        if not host or self.proxies.for_url(url):
            return None
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        try:
            found = await self.resolver.resolve(host, port)
        except OSError:
            return None  # the request itself will fail, and say why
        return min(a["host"] for a in found) if found else None

    def remaining(self) -> float:
        if self.deadline is None:
            return float("inf")
        return self.deadline - self.clock.monotonic()

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body_cap: int = 256 * 1024,
        keep: int = 256 * 1024,
        retries: int | None = None,
        follow: bool = True,
    ) -> Reply:
        """`method url`, redirects followed; each hop retried up to `retries` times."""
        retries = self.settings.retries if retries is None else retries
        seen = {url}
        hops: list[tuple[str, int]] = []
        current, attempts = url, 0
        while True:
            reply = await self._with_retries(method, current, headers, body_cap, keep, retries)
            attempts += reply.attempts
            reply.url, reply.hops, reply.attempts = url, hops, attempts
            location = reply.headers.get("location") if reply.status in REDIRECTS else None
            if not follow or not location or reply.out_of_time:
                return reply
            target = urljoin(current, location.strip())
            hops.append((target, reply.status or 0))
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                why = f"refused: redirects to {target[:80]!r}; only http and https are followed"
                return Reply(url, current, hops=hops, failure=Failure.ADDRESS, error=why,
                             attempts=attempts)  # fmt: skip
            problem = None
            if target in seen:
                problem = f"redirect loop: {target} was reached twice"
            elif len(hops) > self.settings.max_redirects:
                problem = f"redirect loop: more than {self.settings.max_redirects} redirects"
            if problem:
                return Reply(
                    url, current, hops=hops, failure=Failure.REDIRECT, error=problem,
                    attempts=attempts,
                )  # fmt: skip
            seen.add(target)
            current = target

    async def _with_retries(
        self, method: str, url: str, headers: Mapping[str, str] | None, body_cap: int,
        keep: int, retries: int,
    ) -> Reply:  # fmt: skip
        attempts = 0
        while True:
            if self.remaining() <= 0:
                return Reply(url, url, attempts=attempts, out_of_time=True, error=OUT_OF_TIME)
            reply = await self._once(method, url, headers, body_cap, keep)
            attempts += 1
            reply.attempts = attempts
            if attempts > retries or not _should_retry(reply):
                return reply
            told = None
            if reply.status is not None:
                told = retry_after(reply.headers.get("retry-after"), self.clock.now())
            s = self.settings
            wait = wait_before_retry(
                told, attempts, cap=s.retry_after_cap, backoff_base=s.backoff_base,
                backoff_cap=s.backoff_cap, rng=self.rng,
            )  # fmt: skip
            if wait >= self.remaining():
                return reply  # waiting would pass the run's deadline: this answer stands
            await self.clock.pause(wait)

    async def _once(
        self, method: str, url: str, headers: Mapping[str, str] | None, body_cap: int, keep: int
    ) -> Reply:
        host = urlsplit(url).hostname or ""
        if problem := literal_problem(host, allow_local=self.settings.allow_local):
            return Reply(url, url, failure=Failure.ADDRESS, error=f"refused: {problem}")
        assert self._session is not None and self.gate is not None, "use `async with Client`"
        seconds = max(0.001, min(self.settings.timeout, self.remaining()))
        context = {"connected": False}
        async with self.gate.slot(url):
            self.requests += 1
            try:
                async with self._session.request(
                    method, url, headers=headers, allow_redirects=False,
                    proxy=self.proxies.for_url(url),
                    timeout=aiohttp.ClientTimeout(total=seconds),
                    trace_request_ctx=context,
                ) as response:  # fmt: skip
                    context["connected"] = True
                    found = {k.lower(): v for k, v in response.headers.items()}
                    if len(found) < len(response.headers):  # repeated names, joined
                        found = {k.lower(): ", ".join(response.headers.getall(k))
                                 for k in response.headers}  # fmt: skip
                    body, over = b"", False
                    if method != "HEAD":
                        body, over = await _read(response, body_cap, keep)
                    return Reply(url, url, response.status, found, body, over)
            except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as err:
                failure, message = classify(err, url, seconds, context["connected"])
                if failure.timed_out and seconds < self.settings.timeout:
                    # Cut short by the run's deadline, not by its own: no verdict on the URL.
                    return Reply(url, url, out_of_time=True, error=OUT_OF_TIME)
                return Reply(url, url, failure=failure, error=message)


def _should_retry(reply: Reply) -> bool:
    if reply.failure is not None:
        return reply.failure.retryable
    code = reply.status or 0
    return code in (408, 429) or (500 <= code < 600 and code != 501)


async def _read(response: aiohttp.ClientResponse, cap: int, keep: int) -> tuple[bytes, bool]:
    """The body's first `keep` bytes, and whether it went past `cap` (counted decoded, so a
    gzip bomb stops at the cap). Past the cap the connection is closed, not drained."""
    parts: list[bytes] = []
    kept = total = 0
    async for chunk in response.content.iter_chunked(CHUNK):
        total += len(chunk)
        if kept < keep:
            parts.append(chunk[: keep - kept])
            kept += len(parts[-1])
        if total > cap:
            response.close()
            return b"".join(parts), True
    return b"".join(parts), False
