"""The one HTTP client (plnkit.net): the address guard after DNS, total deadlines, capped
Retry-After, and exact per-host politeness. Real servers on 127.0.0.1; host names resolve
through a test resolver (tests/net_servers.py), never through the machine's DNS."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.feeds.report import FeedState
from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds
from plnkit.links.options import CheckOptions
from plnkit.links.run import check_kit_links
from plnkit.links.types import Failure, LinkState, RunReport
from plnkit.net.address import address_problem
from plnkit.net.client import Client, Settings
from plnkit.net.clock import FakeClock
from plnkit.net.hosts import host_key
from plnkit.net.polite import Gate
from plnkit.net.pool import run_sync
from plnkit.store import StateStore
from tests.link_servers import link_kit, ok_server, raw_server, self_signed
from tests.net_servers import BusyCounter, drip_body, drip_headers, endless_headers, resolving

FAST = {"min_interval": 0, "timeout": 2.0, "canaries": 0}
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>https://pln.example.org/1</link></item></channel></rss>"""


def check(root: Path, urls: dict[str, str], table: dict[str, str] | None = None,
          clock: FakeClock | None = None, **options) -> RunReport:  # fmt: skip
    kit = link_kit(root, urls)
    return check_kit_links(
        kit, StateStore(root / "cache"), CheckOptions(**{**FAST, **options}),
        clock=clock or FakeClock(), resolver=resolving(table or {}),
    )  # fmt: skip


def only(report: RunReport):
    return report.entries[0].result


# -- the rules, as tables -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("http://PLN.example.org/a", "pln.example.org"),
        ("http://www.pln.example.org/", "pln.example.org"),
        ("http://pln.example.org./", "pln.example.org"),
        ("https://pln.example.org:443/", "pln.example.org"),
        ("http://pln.example.org:8080/", "pln.example.org:8080"),
        ("http://Bücherei.example/", "xn--bcherei-n2a.example"),
        ("http://[::1]:81/", "::1:81"),
    ],
)
def test_host_keys_fold_the_spellings_of_one_host(spelling: str, key: str) -> None:
    assert host_key(spelling) == key


@pytest.mark.parametrize(
    ("address", "local_ok", "refused"),
    [
        ("127.0.0.1", False, "loopback"),
        ("10.1.2.3", False, "private"),
        ("192.168.0.1", False, "private"),
        ("169.254.1.1", False, "link-local"),
        ("::1", False, "loopback"),
        ("fe80::1", False, "link-local"),
        ("fd12::1", False, "unique-local"),
        ("224.0.0.1", False, "multicast"),
        ("0.0.0.0", False, "unspecified"),
        ("::", False, "unspecified"),
        ("::ffff:127.0.0.1", False, "loopback"),
        ("93.184.215.14", False, None),
        ("2606:4700::1111", False, None),
        ("127.0.0.1", True, None),
        ("10.1.2.3", True, None),
        ("169.254.169.254", True, "metadata"),
        ("fd00:ec2::254", True, "metadata"),
        ("::ffff:169.254.169.254", True, "metadata"),
    ],
)
def test_the_address_guard(address: str, local_ok: bool, refused: str | None) -> None:
    problem = address_problem(address, allow_local=local_ok)
    assert (problem is None) if refused is None else (refused in (problem or ""))


# -- the address guard at connection time -----------------------------------------------------


def test_a_name_that_resolves_to_loopback_is_refused_for_links(tmp_path: Path) -> None:
    with ok_server() as (base, handler):
        port = base.rsplit(":", 1)[1]
        report = check(tmp_path, {"site": f"http://trap.example.org:{port}/"},
                       {"trap.example.org": "127.0.0.1"}, allow_local=False)  # fmt: skip
        result = only(report)
        assert result.state is LinkState.BROKEN and result.failure is Failure.ADDRESS
        assert "trap.example.org resolves to 127.0.0.1" in (result.error or "")
        assert "local or private" in (result.error or "")
        assert handler.hits == 0, "never connected"
        # The same name, allowed to be local, is checked as usual: it was the guard.
        again = check(tmp_path / "again", {"site": f"http://trap.example.org:{port}/"},
                      {"trap.example.org": "127.0.0.1"}, allow_local=True)  # fmt: skip
        assert only(again).state is LinkState.OK and handler.hits == 1


@pytest.mark.parametrize("address", ["::1", "::ffff:127.0.0.1", "10.0.0.7"])
def test_names_for_other_local_addresses_are_refused(tmp_path: Path, address: str) -> None:
    report = check(tmp_path, {"site": "http://inside.example.org/"},
                   {"inside.example.org": address}, allow_local=False)  # fmt: skip
    assert only(report).failure is Failure.ADDRESS and address in (only(report).error or "")


def test_a_name_that_resolves_to_loopback_is_refused_for_feeds(tmp_path: Path) -> None:
    with ok_server() as (base, handler):
        port = base.rsplit(":", 1)[1]
        feed = f"http://feeds.example.org:{port}/feed.xml"
        kit = link_kit(tmp_path, {"blog": "https://blog.example.org/"}, feeds={"blog": feed})
        report = fetch_kit_feeds(
            kit, StateStore(tmp_path / "cache"),
            FetchOptions(allow_local=False, min_interval=0, force=True, discover=False),
            FakeClock(), resolver=resolving({"feeds.example.org": "127.0.0.1"}),
        )  # fmt: skip
        result = report.results[0]
        assert result.state is FeedState.REFUSED, result
        assert "feeds.example.org resolves to 127.0.0.1" in (result.error or "")
        assert handler.hits == 0


@pytest.mark.parametrize(
    ("location", "table"),
    [("http://metadata.example.org/latest/", {"metadata.example.org": "169.254.169.254"}),
     ("http://metadata6.example.org/", {"metadata6.example.org": "fd00:ec2::254"}),
     ("http://[::ffff:169.254.169.254]/", {})],
)  # fmt: skip
def test_a_redirect_to_a_metadata_address_is_refused_even_with_allow_local(
    httpserver: HTTPServer, tmp_path: Path, location: str, table: dict[str, str]
) -> None:
    httpserver.expect_request("/go").respond_with_data("", 302, {"Location": location})
    report = check(tmp_path, {"site": httpserver.url_for("/go")}, table, allow_local=True)
    result = only(report)
    assert result.state is LinkState.BROKEN and result.failure is Failure.ADDRESS
    assert "cloud metadata" in (result.error or "") and result.redirects == (location,)


def test_tls_through_a_resolved_name_is_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The certificate is checked against the name in the URL, whatever it resolved to."""
    context, ca = self_signed(names=("secure.example.org",))
    with ok_server(tls=context) as (base, _), ca.cert_pem.tempfile() as ca_file:
        monkeypatch.setenv("SSL_CERT_FILE", ca_file)
        port = base.rsplit(":", 1)[1]
        table = {"secure.example.org": "127.0.0.1", "other.example.org": "127.0.0.1"}
        good = check(tmp_path, {"site": f"https://secure.example.org:{port}/"}, table,
                     allow_local=True)  # fmt: skip
        assert only(good).state is LinkState.OK
        wrong = check(tmp_path / "w", {"site": f"https://other.example.org:{port}/"}, table,
                      allow_local=True)  # fmt: skip
        assert only(wrong).failure is Failure.TLS


# -- deadlines ------------------------------------------------------------------------------------


@pytest.mark.parametrize("behave", [drip_body, drip_headers, endless_headers],
                         ids=["drip-body", "drip-headers", "endless-headers"])  # fmt: skip
def test_a_dripping_or_endless_server_ends_within_its_deadline(tmp_path: Path, behave) -> None:
    with raw_server(behave) as server:
        started = time.monotonic()
        report = check(tmp_path, {"site": server.url()}, timeout=1.0, retries=0,
                       allow_local=True)  # fmt: skip
        took = time.monotonic() - started
    result = only(report)
    assert result.state is LinkState.TRANSIENT, result
    assert took < 4, f"the run took {took:.1f} s for a 1 s deadline"
    if behave is not endless_headers:  # endless headers may also end on the header limit
        assert "timed out after 1 s" in (result.error or "")


def test_a_dripping_feed_ends_within_its_deadline(tmp_path: Path) -> None:
    with raw_server(drip_body) as server:
        kit = link_kit(tmp_path, {"blog": "https://blog.example.org/"},
                       feeds={"blog": server.url("/feed.xml")})  # fmt: skip
        started = time.monotonic()
        report = fetch_kit_feeds(
            kit, StateStore(tmp_path / "cache"),
            FetchOptions(allow_local=True, min_interval=0, force=True, timeout=1.0),
            FakeClock(),
        )  # fmt: skip
        assert time.monotonic() - started < 4
    assert report.results[0].state is FeedState.FAILED
    assert "timed out after 1 s" in (report.results[0].error or "")


def test_a_huge_retry_after_is_capped(httpserver: HTTPServer, tmp_path: Path) -> None:
    answers = iter([("wait", 429, {"Retry-After": "100000"}), ("ok", 200, {})])

    def handler(_request):
        from werkzeug import Response

        body, status, headers = next(answers)
        return Response(body, status=status, headers=headers)

    httpserver.expect_request("/busy").respond_with_handler(handler)
    clock = FakeClock()
    report = check(tmp_path, {"site": httpserver.url_for("/busy")}, clock=clock,
                   allow_local=True, retries=1)  # fmt: skip
    assert only(report).state is LinkState.OK
    assert [s for s in clock.slept if s > 0] == [5.0], "capped at a few seconds"


def test_a_retry_after_never_runs_past_the_runs_deadline(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/busy").respond_with_data("", 429, {"Retry-After": "4"})
    clock = FakeClock()
    report = check(tmp_path, {"site": httpserver.url_for("/busy")}, clock=clock,
                   allow_local=True, retries=3, run_budget_seconds=3)  # fmt: skip
    assert only(report).state is LinkState.TRANSIENT and only(report).http_status == 429
    assert not [s for s in clock.slept if s > 0], "a wait past the deadline is not taken"


# -- politeness, exactly -------------------------------------------------------------------


SPELLINGS = ("pln.example.org", "PLN.example.org", "www.pln.example.org", "pln.example.org.",
             "Www.Pln.Example.Org", "mirror.example.net")  # fmt: skip


def test_the_per_host_limit_holds_under_retries_and_spellings(tmp_path: Path) -> None:
    """Five spellings of one host and a second name for the same address; every first answer
    is a 503, so every URL is retried. The server never serves more than two at once."""
    counter = BusyCounter(hold=0.05, fail_first=1)
    with raw_server(counter) as server:
        table = {name: "127.0.0.1" for name in SPELLINGS}
        urls = {f"p{n}-{i}": f"http://{name}:{server.port}/{i}/{n}"
                for n, name in enumerate(SPELLINGS) for i in range(4)}  # fmt: skip
        clock = FakeClock()
        report = check(tmp_path, urls, table, clock=clock, allow_local=True, per_host=2,
                       concurrency=16, retries=2, backoff_base=0.01)  # fmt: skip
    assert {e.result.state for e in report.entries} == {LinkState.OK}
    assert counter.served == 2 * len(urls), "each URL: a 503, then a 200"
    # The Host header as sent (yarl folds the case): www. or not, and another name.
    assert len(counter.hosts) >= 3, counter.hosts
    assert counter.peak == 2, f"{counter.peak} requests at once with per_host 2"


def test_starts_to_one_host_are_spaced_whatever_the_spelling() -> None:
    clock = FakeClock()

    async def run() -> list[float]:
        gate = Gate(total=8, per_host=4, min_interval=0.25, clock=clock)
        starts: list[float] = []

        async def one(url: str) -> None:
            async with gate.slot(url):
                starts.append(clock.monotonic())

        urls = ["http://a.example.org/", "http://WWW.a.example.org/", "http://a.example.org./"]
        await asyncio.gather(*(one(u) for u in urls))
        return starts

    run_sync(run)
    assert clock.slept == [0.25, 0.25], "each start waits for the one reserved before it"
    assert clock.monotonic() == 0.5, "three starts to one host span two intervals"


def test_the_client_says_who_it_is_and_counts_its_requests(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ua").respond_with_data("ok")

    async def run() -> tuple[int, int]:
        async with Client(Settings(allow_local=True, user_agent="Kit/1 (+mailto:a@b.org)")) as c:
            reply = await c.fetch(httpserver.url_for("/ua"))
            return reply.status or 0, c.requests

    assert run_sync(run) == (200, 1)
    assert httpserver.log[0][0].headers["User-Agent"] == "Kit/1 (+mailto:a@b.org)"


def test_a_check_from_code_already_inside_an_event_loop(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """A notebook, an async host or a browser driver may have a loop running: the check
    still runs (on a loop of its own) and returns."""
    import threading

    httpserver.expect_request("/in-loop").respond_with_data("ok")
    found: list[RunReport] = []

    async def host() -> None:
        found.append(check(tmp_path, {"site": httpserver.url_for("/in-loop")}, allow_local=True))

    worker = threading.Thread(target=lambda: asyncio.run(host()))
    worker.start()
    worker.join(30)
    assert found and only(found[0]).state is LinkState.OK


def test_a_request_called_off_while_waiting_gives_back_all_it_held() -> None:
    """A request cancelled (the run's deadline, Ctrl-C) while it waits for its host's slot,
    or while it holds its host's turn waiting out the interval, leaves nothing taken: the
    requests after it still start, and nothing is counted in flight at the end."""
    from plnkit.net.clock import SystemClock

    async def run() -> tuple[list[str], dict[str, int]]:
        gate = Gate(total=4, per_host=1, min_interval=0.2, clock=SystemClock())
        started: list[str] = []
        release = asyncio.Event()

        async def one(name: str, hold: bool = False) -> None:
            async with gate.slot("http://a.example.org/" + name):
                started.append(name)
                if hold:
                    await release.wait()

        first = asyncio.create_task(one("first", hold=True))
        await asyncio.sleep(0.01)
        waiting_for_slot = asyncio.create_task(one("cancelled-at-slot"))
        await asyncio.sleep(0.01)
        waiting_for_slot.cancel()
        release.set()
        await first
        in_turn = asyncio.create_task(one("cancelled-in-turn"))  # waits out the 0.2 s
        await asyncio.sleep(0.05)
        in_turn.cancel()
        await asyncio.gather(waiting_for_slot, in_turn, return_exceptions=True)
        await asyncio.wait_for(one("last"), timeout=2)
        return started, dict(gate.in_flight)

    started, in_flight = run_sync(run)
    assert started == ["first", "last"]
    assert set(in_flight.values()) == {0}
