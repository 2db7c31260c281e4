"""The HTTP side of a link check: one URL in, one `CheckResult` out.

Redirects are followed by hand (the chain is recorded, loops are caught, every hop is checked
against `url_problem`); each request retries only what can recover (429, 408, 5xx, timeouts,
resets) with exponential backoff and jitter, honouring `Retry-After` up to a cap. Every
request passes through the `HostLimiter`; every wait goes through the injected clock.
"""

from __future__ import annotations

import http.client
import random
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from plnkit.kit.urls import url_problem
from plnkit.links import classify
from plnkit.links.embed import embeddable
from plnkit.links.fingerprint import Fingerprint, fingerprint
from plnkit.links.options import CheckOptions
from plnkit.links.transport import Reply, Transport
from plnkit.links.types import CheckResult, Failure, LinkState
from plnkit.net.clock import Clock, iso
from plnkit.net.http_client import HostLimiter

if TYPE_CHECKING:
    import requests

CHUNK = 65536
BASE_ERRORS = (http.client.HTTPException, OSError, ValueError)  # requests' errors are OSErrors


def network_errors() -> tuple[type[BaseException], ...]:
    """What a request may raise: the standard library's errors, and urllib3's once it is
    loaded (the direct transport never loads it)."""
    urllib3 = sys.modules.get("urllib3.exceptions")
    return BASE_ERRORS if urllib3 is None else (*BASE_ERRORS, urllib3.HTTPError)


@dataclass
class Answer:
    """One request's outcome: a status with headers, or a failure."""

    url: str
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: Failure | None = None
    error: str | None = None
    attempts: int = 0
    out_of_time: bool = False


class OutOfTime(Exception):
    """The run's time budget ended before this URL could be checked."""


class Checker:
    """Checks URLs with one pooled session; safe to call from many threads at once."""

    def __init__(
        self,
        session: requests.Session | None,
        limiter: HostLimiter,
        clock: Clock,
        options: CheckOptions,
        deadline: float | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.transport = Transport(
            session, connections=max(1, options.concurrency), user_agent=options.user_agent
        )
        self.limiter = limiter
        self.clock = clock
        self.options = options
        self.deadline = deadline
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._count_lock = threading.Lock()
        self.requests = 0

    # -- one request ---------------------------------------------------------------------

    def _remaining(self) -> float:
        if self.deadline is None:
            return float("inf")
        return self.deadline - self.clock.monotonic()

    def close(self) -> None:
        """Close the kept connections (and the session, if the transport made it)."""
        self.transport.close()

    def _read(self, response: Reply, started: float, keep: int) -> bytes:
        """Read the body (up to the cap) so a cut-short answer shows; keep its first bytes."""
        kept = bytearray()
        total = 0
        for chunk in response.chunks(CHUNK, self.options.body_cap):
            total += len(chunk)
            if len(kept) < keep:
                kept += chunk[: keep - len(kept)]
            if total >= self.options.body_cap:
                response.close()  # the rest is not needed; this connection is not reused
                break
            if self.clock.monotonic() - started > 2 * self.options.timeout:
                raise TimeoutError("the body kept trickling in")
        return bytes(kept)

    def _once(self, method: str, url: str) -> Answer:
        timeout = self.options.timeout
        with self.limiter.slot(url):
            with self._count_lock:
                self.requests += 1
            started = self.clock.monotonic()
            response = None
            try:
                response = self.transport.send(method, url, timeout)
                # The first bytes tell bot walls (403, 503) and parking pages (2xx) apart.
                keep = 16384 if response.status in (403, 503) or response.status < 300 else 0
                body = self._read(response, started, keep) if method != "HEAD" else b""
            except network_errors() as err:
                if response is not None:
                    response.close()
                failure, message = classify.classify_error(err, url, timeout)
                return Answer(url, failure=failure, error=message, attempts=1)
            finally:
                if response is not None:
                    response.release()
        return Answer(url, response.status, response.headers(), body, attempts=1)

    def _wait_before_retry(self, answer: Answer, attempt: int) -> float:
        if answer.status is not None:
            told = classify.retry_after(answer.headers.get("retry-after"), self.clock.now())
            if told is not None:
                return min(told, self.options.retry_after_cap)
        backoff = min(self.options.backoff_cap, self.options.backoff_base * 2 ** (attempt - 1))
        return self.rng.uniform(backoff / 2, backoff)

    def _should_retry(self, answer: Answer) -> bool:
        if answer.failure is not None:
            return answer.failure in (Failure.READ_TIMEOUT, Failure.CONNECT_TIMEOUT, Failure.RESET)
        return answer.status is not None and classify.retryable_status(answer.status)

    def fetch(self, method: str, url: str, retries: int) -> Answer:
        """One request with its retries; raises OutOfTime when none could start."""
        attempts = 0
        while True:
            if self._remaining() <= 0:
                raise OutOfTime
            answer = self._once(method, url)
            attempts += 1
            answer.attempts = attempts
            if attempts > retries or not self._should_retry(answer):
                return answer
            wait = self._wait_before_retry(answer, attempts)
            if wait >= self._remaining():
                return answer
            self.clock.sleep(wait)

    # -- one URL -------------------------------------------------------------------------

    def _follow(self, method: str, url: str, retries: int) -> tuple[Answer, list[tuple[str, int]]]:
        """Follow redirects by hand; returns the last answer and the hops (url, status)."""
        hops: list[tuple[str, int]] = []
        seen = {url}
        current = url
        attempts = 0
        while True:
            answer = self.fetch(method, current, retries)
            attempts += answer.attempts
            answer.attempts = attempts
            location = (
                answer.headers.get("location") if answer.status in classify.REDIRECTS else None
            )
            if not location:
                return answer, hops
            target = urljoin(current, location.strip())
            hops.append((target, answer.status or 0))
            problem = url_problem(target, allow_local=self.options.allow_local)
            if target in seen or len(hops) > self.options.max_redirects:
                why = (
                    f"{target} was reached twice"
                    if target in seen
                    else f"more than {self.options.max_redirects} redirects"
                )
                return Answer(current, error=f"redirect loop: {why}", attempts=attempts), hops
            if problem:
                message = f"redirects to an address that is not checked: it {problem}"
                return Answer(current, error=message, attempts=attempts), hops
            seen.add(target)
            current = target

    def check(self, url: str) -> CheckResult:
        """Check one URL: HEAD first when asked (any trouble → GET), else GET."""
        now = iso(self.clock.now())
        problem = url_problem(url, allow_local=self.options.allow_local)
        if problem:
            return CheckResult(url, LinkState.BROKEN, now, error=f"the address {problem}")
        spent = 0
        try:
            if self.options.method == "head":
                answer, hops = self._follow("HEAD", url, 0)
                spent = answer.attempts
                head_ok = answer.status is not None and 200 <= answer.status < 300
                if head_ok or (answer.failure is not None and answer.failure.connection_level):
                    return self._result(url, now, answer, hops)
            answer, hops = self._follow("GET", url, self.options.retries)
        except OutOfTime:
            return CheckResult(
                url,
                LinkState.SKIPPED,
                None,
                error="not checked: the run's time limit was reached",
                attempts=spent,
            )
        answer.attempts += spent
        return self._result(url, now, answer, hops)

    def _result(
        self, url: str, now: str, answer: Answer, hops: list[tuple[str, int]]
    ) -> CheckResult:
        chain = tuple(h[0] for h in hops)
        final = chain[-1] if chain else url
        if answer.status is None:
            # No answer: a loop, a refused hop or a bad certificate is definitive; the rest
            # (DNS, refused, timeouts, resets) may recover.
            definitive = answer.failure in (None, Failure.TLS, Failure.INVALID)
            state = LinkState.BROKEN if definitive else LinkState.TRANSIENT
            return CheckResult(
                url,
                state,
                now,
                final_url=final,
                error=answer.error,
                redirects=chain,
                failure=answer.failure,
                attempts=answer.attempts,
            )
        code = answer.status
        state = classify.state_for_status(code, answer.headers, answer.body)
        if 300 <= code < 400 and state is LinkState.BROKEN:
            error: str | None = f"{classify.status_text(code)} without a usable Location"
        else:
            error = None if state is LinkState.OK else classify.status_text(code)
        suggested = None
        if state is LinkState.OK:
            moved = url
            for target, status in hops:
                if status not in classify.PERMANENT:
                    break
                moved = target
            if moved != url and classify.meaningful_move(url, moved):
                state, suggested = LinkState.REDIRECTED, moved
        return CheckResult(
            url, state, now, http_status=code, final_url=final, error=error,
            suggested_url=suggested, redirects=chain,
            embeddable=embeddable(answer.headers) if 200 <= code < 300 else None,
            attempts=answer.attempts, fingerprint=page_fingerprint(final or url, answer),
        )  # fmt: skip


def page_fingerprint(final_url: str, answer: Answer) -> Fingerprint | None:
    """The fingerprint of an HTML page that answered 2xx to a GET; None otherwise."""
    kind = {k.lower(): v for k, v in answer.headers.items()}.get("content-type", "")
    if not (200 <= answer.status < 300 and answer.body and "html" in kind.lower()):
        return None
    return fingerprint(final_url, answer.body)
