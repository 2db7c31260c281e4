"""The HTTP side of a link check: one URL in, one `CheckResult` out.

Everything about the request (redirects, retries, `Retry-After`, the body cap, deadlines,
politeness, the address guard) is the one HTTP client's (`plnkit.net.client`); here is only
what a link check asks of it and what the answer means.
"""

from __future__ import annotations

from plnkit.kit.urls import url_problem
from plnkit.links import classify
from plnkit.links.embed import embeddable
from plnkit.links.fingerprint import Fingerprint, fingerprint
from plnkit.links.options import CheckOptions
from plnkit.links.types import CheckResult, LinkState
from plnkit.net.address import ResolverFactory
from plnkit.net.client import OUT_OF_TIME, Client, Reply, Settings
from plnkit.net.clock import Clock, iso

# Of a body kept: the bot-wall signs of a 403 or a 503, a 2xx page's title and parking signs.
BOT_WALL_BYTES = 16384


def client_settings(options: CheckOptions, resolver: ResolverFactory | None = None) -> Settings:
    """The client's settings for a link run."""
    return Settings(
        user_agent=options.user_agent, allow_local=options.allow_local,
        concurrency=options.concurrency, per_host=options.per_host,
        min_interval=options.min_interval, timeout=options.timeout,
        max_redirects=options.max_redirects, retries=options.retries,
        backoff_base=options.backoff_base, backoff_cap=options.backoff_cap,
        retry_after_cap=options.retry_after_cap, resolver=resolver,
    )  # fmt: skip


class Checker:
    """Checks URLs through one client; many checks may run at once on its event loop."""

    def __init__(self, client: Client, options: CheckOptions, clock: Clock) -> None:
        self.client = client
        self.options = options
        self.clock = clock

    async def check(self, url: str) -> CheckResult:
        """Check one URL: HEAD first when asked (any trouble → GET), else GET."""
        now = iso(self.clock.now())
        problem = url_problem(url, allow_local=self.options.allow_local)
        if problem:
            return CheckResult(url, LinkState.BROKEN, now, error=f"the address {problem}")
        spent = 0
        if self.options.method == "head":
            reply = await self.client.fetch(url, method="HEAD", retries=0)
            spent = reply.attempts
            failure = reply.failure
            settled = failure is not None and (failure.connection_level or failure.definitive)
            if reply.ok or settled:
                return self._result(url, now, reply)
        if not reply_possible(self.client):
            return CheckResult(url, LinkState.SKIPPED, None, error=OUT_OF_TIME, attempts=spent)
        reply = await self.client.fetch(
            url, body_cap=self.options.body_cap, keep=BOT_WALL_BYTES, retries=self.options.retries
        )
        reply.attempts += spent
        return self._result(url, now, reply)

    def _result(self, url: str, now: str, reply: Reply) -> CheckResult:
        chain = tuple(target for target, _status in reply.hops)
        final = chain[-1] if chain else url
        if reply.out_of_time:
            return CheckResult(
                url, LinkState.SKIPPED, None, error=reply.error, attempts=reply.attempts
            )
        if reply.status is None or reply.failure is not None:
            # No answer: a loop, a refused address or a bad certificate is definitive; the
            # rest (DNS, refused connections, timeouts, resets) may recover.
            definitive = reply.failure is None or reply.failure.definitive
            return CheckResult(
                url, LinkState.BROKEN if definitive else LinkState.TRANSIENT, now,
                final_url=final, error=reply.error, redirects=chain, failure=reply.failure,
                attempts=reply.attempts,
            )  # fmt: skip
        code = reply.status
        state = classify.state_for_status(code, reply.headers, reply.body)
        if 300 <= code < 400 and state is LinkState.BROKEN:
            error: str | None = f"{classify.status_text(code)} without a usable Location"
        else:
            error = None if state is LinkState.OK else classify.status_text(code)
        suggested = None
        if state is LinkState.OK:
            moved = url
            for target, status in reply.hops:
                if status not in classify.PERMANENT:
                    break
                moved = target
            if moved != url and classify.meaningful_move(url, moved):
                state, suggested = LinkState.REDIRECTED, moved
        return CheckResult(
            url, state, now, http_status=code, final_url=final, error=error,
            suggested_url=suggested, redirects=chain,
            embeddable=embeddable(reply.headers) if 200 <= code < 300 else None,
            attempts=reply.attempts, fingerprint=page_fingerprint(final, reply),
        )  # fmt: skip


def reply_possible(client: Client) -> bool:
    """Whether the run still has time to start a request."""
    return client.remaining() > 0


def page_fingerprint(final_url: str, reply: Reply) -> Fingerprint | None:
    """The fingerprint of an HTML page that answered 2xx to a GET; None otherwise."""
    kind = {k.lower(): v for k, v in reply.headers.items()}.get("content-type", "")
    if not (reply.status and 200 <= reply.status < 300 and reply.body and "html" in kind.lower()):
        return None
    return fingerprint(final_url, reply.body)
