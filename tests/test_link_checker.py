"""Every row of RELIABILITY.md "Links", against real servers on 127.0.0.1 (no sleeping)."""

from __future__ import annotations

import datetime as dt
import email.utils
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from plnkit.links.options import CheckOptions
from plnkit.links.run import check_kit_links
from plnkit.links.types import Failure, LinkState, RunReport
from plnkit.net.agent import DEFAULT_USER_AGENT
from plnkit.net.clock import FakeClock
from plnkit.store import StateStore
from tests.link_servers import (
    link_kit,
    ok_server,
    raw_server,
    refused_url,
    reset,
    self_signed,
    silent,
    truncated,
)

FAST = {"allow_local": True, "min_interval": 0, "timeout": 2.0, "canaries": 0}


def check(root: Path, urls: dict[str, str], clock: FakeClock | None = None, **options) -> RunReport:
    kit = link_kit(root, urls)
    return check_kit_links(
        kit,
        StateStore(root / ".cache" / "plnkit"),
        CheckOptions(**{**FAST, **options}),
        clock=clock or FakeClock(),
    )


def result_of(report: RunReport, slug: str):
    return next(e.result for e in report.entries if e.use.slug == slug)


def hits(server: HTTPServer, path: str, method: str | None = None) -> int:
    return sum(
        1 for req, _ in server.log if req.path == path and (method is None or req.method == method)
    )


# -- HEAD refused or wrong, GET works ------------------------------------------------------


@pytest.mark.parametrize("head_status", [405, 501, 403, 404])
def test_head_refused_or_wrong_falls_back_to_get(
    httpserver: HTTPServer, tmp_path: Path, head_status: int
) -> None:
    httpserver.expect_request("/page", method="HEAD").respond_with_data("", status=head_status)
    httpserver.expect_request("/page", method="GET").respond_with_data("<html>hello</html>")
    report = check(tmp_path, {"site": httpserver.url_for("/page")}, method="head")
    result = result_of(report, "site")
    assert result.state is LinkState.OK and result.http_status == 200
    assert hits(httpserver, "/page", "HEAD") == 1 and hits(httpserver, "/page", "GET") == 1


def test_head_that_works_needs_no_get(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/page").respond_with_data("<html>hello</html>")
    report = check(tmp_path, {"site": httpserver.url_for("/page")}, method="head")
    assert result_of(report, "site").state is LinkState.OK
    assert [req.method for req, _ in httpserver.log] == ["HEAD"]


# -- 429 with Retry-After ------------------------------------------------------------------


def _limited(times: int, retry_after: str | None):
    calls = {"n": 0}

    def handler(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] <= times:
            headers = {"Retry-After": retry_after} if retry_after else {}
            return Response("slow down", status=429, headers=headers)
        return Response("<html>ok</html>", status=200)

    return handler


def test_429_waits_for_retry_after_seconds_then_succeeds(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/busy").respond_with_handler(_limited(2, "3"))
    clock = FakeClock()
    report = check(tmp_path, {"site": httpserver.url_for("/busy")}, clock, retries=2)
    assert result_of(report, "site").state is LinkState.OK
    assert [s for s in clock.slept if s > 0] == [3.0, 3.0]


def test_429_honours_an_http_date_and_caps_the_wait(httpserver: HTTPServer, tmp_path: Path) -> None:
    # One run each: in one run, whichever URL waits first moves the clock past the other's date.
    clock = FakeClock()
    soon = email.utils.format_datetime(clock.now() + dt.timedelta(seconds=5), usegmt=True)
    httpserver.expect_request("/date").respond_with_handler(_limited(1, soon))
    report = check(tmp_path / "a", {"date": httpserver.url_for("/date")}, clock,
                   retry_after_cap=30)  # fmt: skip
    assert result_of(report, "date").state is LinkState.OK
    assert [s for s in clock.slept if s > 0] == [pytest.approx(5, abs=1)]

    clock = FakeClock()
    later = email.utils.format_datetime(clock.now() + dt.timedelta(hours=2), usegmt=True)
    httpserver.expect_request("/far").respond_with_handler(_limited(1, later))
    report = check(tmp_path / "b", {"far": httpserver.url_for("/far")}, clock,
                   retry_after_cap=30)  # fmt: skip
    assert result_of(report, "far").state is LinkState.OK
    assert [s for s in clock.slept if s > 0] == [30]


def test_a_final_429_is_transient_never_broken(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/busy").respond_with_handler(_limited(99, "1"))
    report = check(tmp_path, {"site": httpserver.url_for("/busy")}, retries=2)
    result = result_of(report, "site")
    assert result.state is LinkState.TRANSIENT and result.http_status == 429
    assert hits(httpserver, "/busy") == 3


# -- bot walls ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected"),
    [
        (403, {"cf-mitigated": "challenge"}, "", LinkState.BLOCKED),
        (403, {"Server": "cloudflare"}, "", LinkState.BLOCKED),
        (403, {}, "<title>Just a moment...</title>", LinkState.BLOCKED),
        (999, {}, "", LinkState.BLOCKED),
        (401, {}, "", LinkState.BLOCKED),
        (403, {}, "<h1>Forbidden</h1>", LinkState.BROKEN),
    ],
)
def test_bot_walls_are_blocked_not_broken(
    httpserver: HTTPServer, tmp_path: Path, status, headers, body, expected
) -> None:
    httpserver.expect_request("/wall").respond_with_data(body, status=status, headers=headers)
    report = check(tmp_path, {"site": httpserver.url_for("/wall")})
    assert result_of(report, "site").state is expected
    assert hits(httpserver, "/wall") == 1, "a definitive answer is not retried"


def test_user_agent_is_honest_and_configurable(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/ua").respond_with_data("ok")
    check(tmp_path, {"site": httpserver.url_for("/ua")}, user_agent="MyKit/2 (+mailto:a@b.org)")
    assert httpserver.log[0][0].headers["User-Agent"] == "MyKit/2 (+mailto:a@b.org)"
    assert "PLNKit/" in DEFAULT_USER_AGENT


# -- silent server, resets, truncated bodies, 5xx -------------------------------------------


def test_silent_server_times_out_retries_and_is_transient(tmp_path: Path) -> None:
    with raw_server(silent) as server:
        report = check(tmp_path, {"site": server.url()}, timeout=0.2, retries=1)
        result = result_of(report, "site")
        assert result.state is LinkState.TRANSIENT and result.failure is Failure.READ_TIMEOUT
        assert "timed out" in (result.error or "")
        assert server.connections == 2


def test_silent_server_cannot_stretch_the_run_past_its_budget(tmp_path: Path) -> None:
    with raw_server(silent) as server:
        clock = FakeClock()
        report = check(
            tmp_path, {"site": server.url()}, clock, timeout=0.2, retries=5,
            backoff_base=4, run_budget_seconds=1.5,
        )  # fmt: skip
        assert result_of(report, "site").state is LinkState.TRANSIENT
        assert server.connections == 1, "no retry starts once waiting would pass the budget"


@pytest.mark.parametrize(("behave", "words"), [(reset, "reset"), (truncated, "cut short")])
def test_resets_and_truncated_bodies_are_retried_then_transient(
    tmp_path: Path, behave, words
) -> None:
    with raw_server(behave) as server:
        clock = FakeClock()
        report = check(tmp_path, {"site": server.url()}, clock, retries=2, backoff_base=0.5)
        result = result_of(report, "site")
        assert result.state is LinkState.TRANSIENT and words in (result.error or "")
        assert result.attempts == 3
        # aiohttp sends a GET again, once, on a new connection when one breaks before the
        # answer (RFC 9112 §9.3.1); that happens inside the attempt's politeness slot.
        assert server.connections in (3, 6)
        backoffs = [s for s in clock.slept if s > 0]
        assert len(backoffs) == 2 and 0.25 <= backoffs[0] <= 0.5 and 0.5 <= backoffs[1] <= 1.0


def test_5xx_is_retried_with_backoff_then_transient(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/down").respond_with_data("oops", status=503)
    report = check(tmp_path, {"site": httpserver.url_for("/down")}, retries=2)
    result = result_of(report, "site")
    assert result.state is LinkState.TRANSIENT and result.http_status == 503
    assert hits(httpserver, "/down") == 3


def test_5xx_that_recovers_is_ok(httpserver: HTTPServer, tmp_path: Path) -> None:
    calls = {"n": 0}

    def flaky(_request: Request) -> Response:
        calls["n"] += 1
        return Response("later", status=502) if calls["n"] == 1 else Response("fine")

    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    report = check(tmp_path, {"site": httpserver.url_for("/flaky")})
    assert result_of(report, "site").state is LinkState.OK


@pytest.mark.parametrize("status", [404, 410, 400])
def test_definitive_answers_are_broken_and_not_retried(
    httpserver: HTTPServer, tmp_path: Path, status: int
) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=status)
    report = check(tmp_path, {"site": httpserver.url_for("/gone")})
    result = result_of(report, "site")
    assert result.state is LinkState.BROKEN and str(status) in (result.error or "")
    assert hits(httpserver, "/gone") == 1


# -- DNS failure, connection refused ----------------------------------------------------------


def test_dns_failure_and_refused_port_are_transient(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/ok").respond_with_data("fine")
    with ok_server() as (base_a, _), ok_server() as (base_b, _):
        report = check(
            tmp_path,
            {
                "dns": "http://no-such-host.invalid/",
                "refused": refused_url(),
                "a": httpserver.url_for("/ok"),
                "b": f"{base_a}/",
                "c": f"{base_b}/",
            },
        )
    dns, refused = result_of(report, "dns"), result_of(report, "refused")
    assert dns.state is LinkState.TRANSIENT and dns.failure is Failure.DNS
    assert "DNS" in (dns.error or "")
    assert refused.state is LinkState.TRANSIENT and refused.failure is Failure.REFUSED
    assert not report.outage, "two unreachable hosts of five is not an outage"
    dead = {e.use.slug: e for e in report.entries}
    assert dead["dns"].health.value == "failing", "one bad run is failing, never dead"


# -- redirects ----------------------------------------------------------------------------------


def test_redirect_loop_is_broken(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    result = result_of(check(tmp_path, {"site": httpserver.url_for("/a")}), "site")
    assert result.state is LinkState.BROKEN and "redirect loop" in (result.error or "")
    assert hits(httpserver, "/a") == 1 and hits(httpserver, "/b") == 1


def test_more_than_ten_redirects_is_a_redirect_loop(httpserver: HTTPServer, tmp_path: Path) -> None:
    for n in range(12):
        httpserver.expect_request(f"/hop/{n}").respond_with_data(
            "", status=307, headers={"Location": f"/hop/{n + 1}"}
        )
    httpserver.expect_request("/hop/12").respond_with_data("end")
    result = result_of(check(tmp_path, {"site": httpserver.url_for("/hop/0")}), "site")
    assert result.state is LinkState.BROKEN
    assert "redirect loop" in (result.error or "") and "more than 10" in (result.error or "")


def test_ten_redirects_are_still_ok(httpserver: HTTPServer, tmp_path: Path) -> None:
    for n in range(10):
        httpserver.expect_request(f"/hop/{n}").respond_with_data(
            "", status=302, headers={"Location": f"/hop/{n + 1}"}
        )
    httpserver.expect_request("/hop/10").respond_with_data("end")
    result = result_of(check(tmp_path, {"site": httpserver.url_for("/hop/0")}), "site")
    assert result.state is LinkState.OK and len(result.redirects) == 10
    assert result.final_url == httpserver.url_for("/hop/10")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (301, LinkState.REDIRECTED),
        (308, LinkState.REDIRECTED),
        (302, LinkState.OK),
        (307, LinkState.OK),
    ],
)
def test_permanent_redirect_to_a_new_url_is_redirected(
    httpserver: HTTPServer, tmp_path: Path, status: int, expected: LinkState
) -> None:
    new = httpserver.url_for("/new-home")
    httpserver.expect_request("/old").respond_with_data(
        "", status=status, headers={"Location": new}
    )
    httpserver.expect_request("/new-home").respond_with_data("<html>moved</html>")
    result = result_of(check(tmp_path, {"site": httpserver.url_for("/old")}), "site")
    assert result.state is expected
    assert result.final_url == new and result.redirects == (new,)
    assert result.suggested_url == (new if expected is LinkState.REDIRECTED else None)


def test_trailing_slash_redirect_is_not_worth_a_suggestion(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/dir").respond_with_data(
        "", status=301, headers={"Location": "/dir/"}
    )
    httpserver.expect_request("/dir/").respond_with_data("ok")
    result = result_of(check(tmp_path, {"site": httpserver.url_for("/dir")}), "site")
    assert result.state is LinkState.OK and result.final_url == httpserver.url_for("/dir/")


def test_redirect_to_a_metadata_address_is_refused_even_with_allow_local(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/sneaky").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    result = result_of(check(tmp_path, {"site": httpserver.url_for("/sneaky")}), "site")
    assert result.state is LinkState.BROKEN and result.failure is Failure.ADDRESS
    assert "cloud metadata" in (result.error or "")


def test_redirect_to_a_non_web_address_is_refused(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/ftp").respond_with_data(
        "", status=301, headers={"Location": "ftp://files.example.org/x"}
    )
    result = result_of(check(tmp_path, {"site": httpserver.url_for("/ftp")}), "site")
    assert result.state is LinkState.BROKEN and "only http and https" in (result.error or "")


# -- TLS ------------------------------------------------------------------------------------------


def test_tls_certificate_error_is_broken_and_verification_stays_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    context, ca = self_signed()
    with ok_server(tls=context) as (base, handler):
        report = check(tmp_path, {"site": f"{base}/"})
        result = result_of(report, "site")
        assert result.state is LinkState.BROKEN and result.failure is Failure.TLS
        assert (result.error or "").startswith("TLS certificate error")
        assert handler.hits == 0
        # The same server passes once its CA is trusted: the failure was the certificate.
        for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
            with ca.cert_pem.tempfile() as ca_file:
                monkeypatch.setenv(name, ca_file)
                trusted = check(tmp_path / name, {"site": f"{base}/"})
                monkeypatch.delenv(name)
            assert result_of(trusted, "site").state is LinkState.OK, name


# -- shared URLs, embeddability -------------------------------------------------------------------


def test_two_resources_sharing_a_url_are_checked_once(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/shared").respond_with_data("ok")
    url = httpserver.url_for("/shared")
    kit = link_kit(tmp_path, {"one": url, "two": f"{url}?x=1"}, feeds={"two": url})
    report = check_kit_links(
        kit, StateStore(tmp_path / "c"), CheckOptions(**FAST), clock=FakeClock()
    )
    assert hits(httpserver, "/shared") == 2, "two distinct URLs, each once"
    assert sorted((e.use.slug, e.use.kind) for e in report.entries if e.url == url) == [
        ("one", "url"), ("two", "feed"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, True),
        ({"X-Frame-Options": "DENY"}, False),
        ({"X-Frame-Options": "SAMEORIGIN"}, False),
        ({"Content-Security-Policy": "frame-ancestors 'none'"}, False),
        ({"Content-Security-Policy": "frame-ancestors *", "X-Frame-Options": "DENY"}, True),
    ],
)
def test_embeddable_follows_framing_headers(
    httpserver: HTTPServer, tmp_path: Path, headers, expected
) -> None:
    httpserver.expect_request("/frame").respond_with_data("ok", headers=headers)
    report = check(tmp_path, {"site": httpserver.url_for("/frame")})
    assert result_of(report, "site").embeddable is expected
    assert report.entries[0].result.embeddable is expected


def test_many_hosts_one_at_a_time(tmp_path: Path) -> None:
    with ok_server() as (a, _), ok_server() as (b, _), ok_server() as (c, handler_c):
        # Slugs sort as 0-a, 0-b, 0-c, 1-a, ...: hosts alternate, so pools are evicted.
        urls = {f"{n}-{name}": f"{base}/{n}" for name, base in (("a", a), ("b", b), ("c", c))
                for n in range(3)}  # fmt: skip
        kit = link_kit(tmp_path, urls)
        report = check_kit_links(
            kit, StateStore(tmp_path / "c"), CheckOptions(**FAST, concurrency=1),
            clock=FakeClock(),
        )  # fmt: skip
        assert {e.result.state for e in report.entries} == {LinkState.OK}
        assert handler_c.hits == 3
