"""End to end: history in the state store → the built site's badges, archived copies and the
"Link health" page; link checks during a real MkDocs build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from plnkit.links.options import CheckOptions
from plnkit.links.run import check_kit_links
from plnkit.links.site_view import link_views
from plnkit.links.types import Health
from plnkit.net.clock import FakeClock
from plnkit.render.cards import render_card
from plnkit.render.link_health_page import render_link_health_page
from plnkit.render.state import SiteState
from plnkit.store import StateStore
from tests.conftest import MKDOCS_YML, build_site
from tests.link_servers import link_kit

SNAPSHOT = "https://web.archive.org/web/20130101000000/{url}"


def _card(html: str, slug: str) -> str:
    match = re.search(rf'<article class="plnkit-card" id="{slug}".*?</article>', html, re.S)
    assert match, f"no card for {slug}"
    return match.group(0)


def test_a_dead_link_shows_its_archived_copy_in_the_built_site(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=410)
    httpserver.expect_request("/fine").respond_with_data("<html>fine</html>")
    answers = iter([200, 200, 503])  # works on the first two runs, fails on the last
    httpserver.expect_request("/flaky").respond_with_handler(
        lambda _req: Response("later", status=next(answers))
    )
    gone = httpserver.url_for("/gone")
    httpserver.expect_request("/wayback/available", query_string={"url": gone}).respond_with_json(
        {"archived_snapshots": {"closest": {
            "available": True, "status": "200", "timestamp": "20130101000000",
            "url": f"http://web.archive.org/web/20130101000000/{gone}",
        }}}
    )  # fmt: skip
    kit = link_kit(
        tmp_path,
        {"gone": gone, "fine": httpserver.url_for("/fine"), "flaky": httpserver.url_for("/flaky")},
    )
    store = StateStore(tmp_path / ".cache" / "plnkit")
    options = CheckOptions(
        allow_local=True, min_interval=0, retries=0,
        wayback_url=httpserver.url_for("/wayback/available"),
    )  # fmt: skip
    clock = FakeClock()
    for step in (0, 4, 3):
        clock.advance(days=step)
        report = check_kit_links(kit, store, options, clock=clock)
    by_slug = {e.use.slug: e for e in report.entries}
    assert by_slug["gone"].health is Health.DEAD and by_slug["gone"].newly_dead
    assert by_slug["gone"].snapshot_url == SNAPSHOT.format(url=gone)
    lookups = [r for r, _ in httpserver.log if r.path == "/wayback/available"]
    assert len(lookups) == 1

    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    site = build_site(tmp_path)
    page = (site / "communities" / "index.html").read_text(encoding="utf-8")
    dead_card = _card(page, "gone")
    assert "Dead link" in dead_card and "Archived copy" in dead_card
    assert f'href="{SNAPSHOT.format(url=gone)}"' in dead_card
    assert "Link OK" in _card(page, "fine") and "Archived copy" not in _card(page, "fine")
    assert "Failing" in _card(page, "flaky")

    health = (site / "link-health" / "index.html").read_text(encoding="utf-8")
    assert "Dead links" in health and "Failing links" in health
    assert SNAPSHOT.format(url=gone) in health
    assert "HTTP 410 Gone" in health and "HTTP 503 Service Unavailable" in health
    assert "fine</a>" not in health, "working links are not listed"


def test_the_build_checks_stale_links_and_then_uses_the_cache(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/fine").respond_with_data(
        "<html>fine</html>", headers={"X-Frame-Options": "DENY"}
    )
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/fine")}
    )
    link_kit(
        tmp_path,
        {"fine": httpserver.url_for("/fine"), "moved": httpserver.url_for("/old")},
        feeds={"fine": httpserver.url_for("/feed.xml")},  # the feed fetcher's business
    )
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    monkeypatch.delenv("PLNKIT_OFFLINE", raising=False)
    online = MKDOCS_YML.replace(
        "offline: true", "offline: false\n      links: {check: true}\n      feeds: {fetch: false}"
    )
    site = build_site(tmp_path, online)
    page = (site / "communities" / "index.html").read_text(encoding="utf-8")
    assert "Link OK" in _card(page, "fine")
    assert "Moved" in _card(page, "moved")
    requests_made = len(httpserver.log)
    assert requests_made == 3  # /fine, /old and its redirect to /fine; never the feed
    assert "/feed.xml" not in [r.path for r, _ in httpserver.log]
    build_site(tmp_path, online)
    assert len(httpserver.log) == requests_made, "a second build within 24 h asks nothing"
    health = (site / "link-health" / "index.html").read_text(encoding="utf-8")
    assert "new address" in health and httpserver.url_for("/fine") in health


def test_a_build_without_network_completes_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link_kit(tmp_path, {"a": "https://a.invalid/", "b": "https://b.invalid/x"})
    monkeypatch.delenv("PLNKIT_OFFLINE", raising=False)
    online = MKDOCS_YML.replace("offline: true", "offline: false")
    site = build_site(tmp_path, online)
    page = (site / "communities" / "index.html").read_text(encoding="utf-8")
    assert page.count("Not checked yet") == 2
    assert not (tmp_path / ".cache" / "plnkit" / "links.json").exists()


def test_the_home_page_links_to_link_health(tmp_path: Path) -> None:
    home = Path(__file__).resolve().parent.parent / "docs" / "index.md"
    assert "](link-health/index.md)" in home.read_text(encoding="utf-8")


def test_a_tampered_cache_cannot_put_links_or_markup_on_the_site(tmp_path: Path) -> None:
    url = "https://gone.example.org/"
    kit = link_kit(tmp_path, {"gone": url})
    store = StateStore(tmp_path / "c")
    store.write("links", {"urls": {url: {
        "state": "broken", "checked_at": "2026-01-09T00:00:00Z", "health": "dead",
        "archive_url": "javascript:alert(1)", "error": "<script>alert(1)</script>",
        "first_failed_at": "2026-01-01T00:00:00Z",
    }}})  # fmt: skip
    state = SiteState(links=link_views(kit, store))
    html = render_link_health_page(kit, state) + render_card(kit.resources[0], state)
    assert "javascript:" not in html and "<script>" not in html
    assert "&lt;script&gt;" in html
    assert f'href="https://web.archive.org/web/*/{url}"' in html
    assert state.link("gone").embeddable is None
    # A record of the wrong shape is dropped on read, with a warning: the card shows no history.
    store.write("links", {"urls": {url: {"state": "ok", "embeddable": "yes"}}})
    assert link_views(kit, store)["gone"].embeddable is None
    assert any(url in w and "embeddable" in w for w in store.warnings)
