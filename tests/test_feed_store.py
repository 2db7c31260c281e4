"""The feed store under the state-store faults: corrupt files, unwritable folders, outages."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.cli import main
from plnkit.feeds.report import FeedState
from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds
from plnkit.feeds.store import load_records
from plnkit.kit.model import Binder, Kit, Resource, Tab
from plnkit.net.clock import FakeClock
from plnkit.site.state import Refresh, gather_state, offline_notice
from plnkit.store import StateStore
from tests.conftest import write_kit

FEED = b"""<rss version="2.0"><channel><title>t</title><link>https://s.example.org/</link>
<item><title>Stored safely</title><link>https://s.example.org/1</link>
<pubDate>Mon, 01 Dec 2025 08:00:00 GMT</pubDate></item></channel></rss>"""


def kit_with(feed: str, root: Path) -> Kit:
    blog = Resource(
        "blog",
        "blogs",
        root / "blog.yml",
        "Blog",
        "https://s.example.org/",
        "blog",
        "A blog for the state store tests.",
        feed=feed,
    )
    return Kit(root, Binder("T", (Tab("blogs", "Blogs"),)), (blog,))


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"version": 0, "data": {}}',
        b'{"version": 1, "data": {"feeds": {"blog": 7}}}',
    ],
)
def test_damaged_store_starts_fresh(httpserver: HTTPServer, tmp_path: Path, damage: bytes) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)
    store = StateStore(tmp_path / "cache")
    store.directory.mkdir()
    store.path("feeds").write_bytes(damage)
    kit = kit_with(httpserver.url_for("/feed.xml"), tmp_path)
    report = fetch_kit_feeds(kit, store, FetchOptions(allow_local=True), clock=FakeClock())
    assert report.results[0].state is FeedState.OK
    assert load_records(StateStore(tmp_path / "cache"))["blog"].posts[0]["title"] == "Stored safely"


def test_unwritable_cache_is_a_warning(
    httpserver: HTTPServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)
    kit = write_kit(tmp_path, {"blogs/blog.yml": f"""\
        name: Blog
        url: https://s.example.org/
        kind: blog
        description: A blog for the state store tests.
        feed: {httpserver.url_for("/feed.xml")}
        """})  # fmt: skip
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    assert main(["fetch-feeds", str(kit), "--cache-dir", str(blocker / "cache")]) == 0
    out = capsys.readouterr().out
    assert "warning: cannot write to" in out and "not stored" in out


def test_builds_pause_the_network_after_an_outage(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)
    clock = FakeClock()
    refresh = Refresh(offline=False, fetch_feeds=True)
    first = gather_state(
        kit_with("http://127.0.0.1:9/feed.xml", tmp_path), tmp_path / "cache", refresh, clock
    )
    assert first.outage and not first.paused
    live = kit_with(httpserver.url_for("/feed.xml"), tmp_path)
    clock.advance(10 * 60)
    second = gather_state(live, tmp_path / "cache", refresh, clock)
    assert len(httpserver.log) == 0 and second.state.feeds["blog"].freshness == "unknown"
    assert second.paused and "in the last 30 minutes" in (offline_notice(second) or "")
    clock.advance(25 * 60)
    third = gather_state(live, tmp_path / "cache", refresh, clock)
    assert len(httpserver.log) == 1 and third.state.feeds["blog"].posts
    assert offline_notice(third) is None
