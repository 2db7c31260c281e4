"""Health over time, the outage rule, the success cache and a damaged state store."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from plnkit.kit.model import Kit
from plnkit.links.history import load
from plnkit.links.options import CheckOptions
from plnkit.links.run import check_kit_links
from plnkit.links.types import Health, LinkState
from plnkit.net.clock import FakeClock
from plnkit.store import StateStore
from tests.link_servers import link_kit, refused_url

FAST = {"allow_local": True, "min_interval": 0, "timeout": 2.0}


def run(kit: Kit, store: StateStore, clock: FakeClock, **options):
    return check_kit_links(kit, store, CheckOptions(**{**FAST, **options}), clock=clock)


def entry(report, slug: str):
    return next(e for e in report.entries if e.use.slug == slug and e.use.kind == "url")


@pytest.fixture
def gone(httpserver: HTTPServer, tmp_path: Path) -> tuple[Kit, StateStore]:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    httpserver.expect_request("/fine").respond_with_data("<html>fine</html>")
    kit = link_kit(
        tmp_path, {"gone": httpserver.url_for("/gone"), "fine": httpserver.url_for("/fine")}
    )
    return kit, StateStore(tmp_path / ".cache" / "plnkit")


def test_one_failure_is_failing_never_dead(gone) -> None:
    kit, store = gone
    report = run(kit, store, FakeClock())
    first = entry(report, "gone")
    assert first.result.state is LinkState.BROKEN
    assert first.health is Health.FAILING and first.failures_in_a_row == 1
    assert first.first_failed_at == "2026-01-01T00:00:00Z" and not first.newly_dead
    assert entry(report, "fine").health is Health.HEALTHY


def test_three_failing_runs_over_seven_days_is_dead(gone) -> None:
    kit, store = gone
    clock = FakeClock()
    healths = []
    for step_days in (0, 3, 4, 1):
        clock.advance(days=step_days)
        report = run(kit, store, clock)
        healths.append((entry(report, "gone").health, entry(report, "gone").newly_dead))
    assert healths == [
        (Health.FAILING, False),
        (Health.FAILING, False),
        (Health.DEAD, True),  # third failing run, seven days after the first
        (Health.DEAD, False),  # still dead, but not newly
    ]
    dead = entry(report, "gone")
    assert dead.failures_in_a_row == 4 and dead.first_failed_at == "2026-01-01T00:00:00Z"
    assert dead.archive_url == f"https://web.archive.org/web/*/{dead.url}"


def test_many_failures_in_a_short_time_are_not_dead(gone) -> None:
    kit, store = gone
    clock = FakeClock()
    for _ in range(6):
        report = run(kit, store, clock)
        clock.advance(days=1)
    assert entry(report, "gone").health is Health.FAILING, "six runs over five days"


def test_the_rule_is_configurable(gone) -> None:
    kit, store = gone
    clock = FakeClock()
    run(kit, store, clock, dead_after_runs=2, dead_after_days=1)
    clock.advance(days=1)
    assert entry(run(kit, store, clock, dead_after_runs=2, dead_after_days=1), "gone").health is (
        Health.DEAD
    )


def test_a_success_resets_the_streak(httpserver: HTTPServer, tmp_path: Path) -> None:
    answers = iter([404, 404, 200, 404])
    httpserver.expect_request("/wobbly").respond_with_handler(
        lambda _req: Response("x", status=next(answers))
    )
    kit = link_kit(tmp_path, {"wobbly": httpserver.url_for("/wobbly")})
    store, clock = StateStore(tmp_path / "c"), FakeClock()
    seen = []
    for _ in range(4):
        report = run(kit, store, clock, max_age_hours=0)
        seen.append(entry(report, "wobbly").failures_in_a_row)
        clock.advance(days=4)
    assert seen == [1, 2, 0, 1]


# -- the success cache -----------------------------------------------------------------------


def test_fresh_successes_make_no_requests_failures_are_rechecked(
    httpserver: HTTPServer, gone
) -> None:
    kit, store = gone
    clock = FakeClock()
    run(kit, store, clock)
    assert len(httpserver.log) == 2
    clock.advance(3600)
    second = run(kit, store, clock)
    paths = [req.path for req, _ in httpserver.log[2:]]
    assert paths == ["/gone"], "the success is cached; the failure is checked again"
    cached = entry(second, "fine")
    assert cached.result.state is LinkState.SKIPPED and cached.result.http_status == 200
    assert cached.result.checked_at == "2026-01-01T00:00:00Z"
    clock.advance(days=1)
    run(kit, store, clock)
    assert [req.path for req, _ in httpserver.log[3:]].count("/fine") == 1, "stale after 24 h"


def test_an_all_cached_run_makes_zero_requests(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/a").respond_with_data("a")
    httpserver.expect_request("/b").respond_with_data("b")
    kit = link_kit(tmp_path, {"a": httpserver.url_for("/a"), "b": httpserver.url_for("/b")})
    store, clock = StateStore(tmp_path / "c"), FakeClock()
    run(kit, store, clock)
    before = store.path("links").read_bytes()
    clock.advance(60)
    report = run(kit, store, clock)
    assert len(httpserver.log) == 2 and report.requests == 0
    assert report.count(LinkState.SKIPPED) == 2
    assert store.path("links").read_bytes() == before


def test_offline_skips_everything_and_stores_nothing(gone, httpserver: HTTPServer) -> None:
    kit, store = gone
    report = run(kit, store, FakeClock(), offline=True)
    assert {e.result.state for e in report.entries} == {LinkState.SKIPPED}
    assert not httpserver.log and not store.path("links").exists()


# -- the outage rule ---------------------------------------------------------------------------


def test_no_network_is_an_outage_and_changes_no_history(tmp_path: Path) -> None:
    urls = {
        "one": "http://one.invalid/",
        "two": "http://two.invalid/page",
        "three": refused_url(),
    }
    kit = link_kit(tmp_path, urls)
    store = StateStore(tmp_path / "c")
    clock = FakeClock()
    earlier = {
        url: {"state": "ok", "http_status": 200, "checked_at": "2025-12-01T00:00:00Z",
              "health": "healthy", "failures_in_a_row": 0}
        for url in urls.values()
    }  # fmt: skip
    store.write("links", {"urls": earlier})
    before = store.path("links").read_bytes()
    for _ in range(4):
        report = run(kit, store, clock)
        clock.advance(days=3)
        assert report.outage and not report.stored
        assert {e.result.state for e in report.entries} == {LinkState.TRANSIENT}
        assert {e.health for e in report.entries} == {Health.HEALTHY}
        assert not report.newly_dead
    assert store.path("links").read_bytes() == before


def test_a_few_dead_hosts_in_a_cached_run_are_not_an_outage(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/fine").respond_with_data("fine")
    kit = link_kit(tmp_path, {"fine": httpserver.url_for("/fine"), "dns": "http://gone.invalid/"})
    store, clock = StateStore(tmp_path / "c"), FakeClock()
    first = run(kit, store, clock)
    assert not first.outage and entry(first, "dns").failures_in_a_row == 1
    clock.advance(3600)
    # Only the failing host is re-checked; a known-good host is asked before crying outage.
    second = run(kit, store, clock)
    assert not second.outage and entry(second, "dns").failures_in_a_row == 2
    assert len(httpserver.log) == 2, "the canary request"
    assert entry(second, "fine").result.state is LinkState.SKIPPED


# -- a damaged state store ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"{\"version\": 1, \"da", b"\x00\xff", b'{"version": 0, "data": {}}',
     b'{"version": 1, "data": {"urls": [1, 2]}}',
     b'{"version": 1, "data": {"urls": {"http://x.org/": {"state": "weird"}}}}'],
)  # fmt: skip
def test_corrupt_cache_warns_and_starts_fresh(gone, content: bytes) -> None:
    kit, store = gone
    store.directory.mkdir(parents=True)
    store.path("links").write_bytes(content)
    report = run(kit, store, FakeClock())
    assert report.stored and entry(report, "fine").result.state is LinkState.OK
    assert json.loads(store.path("links").read_text())["version"] == 1
    if content.startswith(b'{"version": 1, "data": {"urls": {'):
        # A record that breaks the schema is dropped, with one warning naming it.
        assert [w for w in report.warnings if "http://x.org/" in w and "links.json" in w]
    else:
        assert any("links.json" in w for w in report.warnings)


def test_killed_mid_write_keeps_the_previous_history(gone, monkeypatch: pytest.MonkeyPatch) -> None:
    kit, store = gone
    clock = FakeClock()
    run(kit, store, clock)
    before = store.path("links").read_bytes()

    def killed(*_args: object) -> None:
        raise SystemExit("killed")  # like a kill: nothing after this line runs

    clock.advance(days=3)
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", killed)
        with pytest.raises(SystemExit):
            run(kit, store, clock)
    assert store.path("links").read_bytes() == before
    clock.advance(days=4)
    report = run(kit, StateStore(store.directory), clock)
    assert entry(report, "gone").failures_in_a_row == 2, "the interrupted run never counted"
    assert len(load(StateStore(store.directory))) == 2


def test_unwritable_cache_warns_and_the_run_goes_on(gone, tmp_path: Path) -> None:
    kit, _ = gone
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    report = run(kit, StateStore(blocker / "cache"), FakeClock())
    assert not report.stored and report.warnings
    assert entry(report, "gone").health is Health.FAILING
